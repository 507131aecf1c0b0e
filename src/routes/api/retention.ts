import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { retentionForAdmin, updateRetention } from '../../services/retention.js';
import { RetentionBody } from './schemas.js';

const RetentionOut = z.object({
  sessionsDays: z.number().nullable(), outboxDays: z.number().nullable(), readNotificationsDays: z.number().nullable(), auditDays: z.number().nullable(),
});

export function retentionRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/admin/retention', tag: 'accounts', summary: 'Data retention in force (admins): days kept for idle sessions, sent e-mails, read notifications and audit entries; null keeps forever', auth: true,
    responses: { 200: { description: 'Retention periods', schema: RetentionOut }, 403: { description: 'Not an admin' } },
  }, async (c) => c.json(await retentionForAdmin(c.get('deps'), c.get('viewer'))));

  api.add({
    method: 'put', path: '/api/admin/retention', tag: 'accounts',
    summary: 'Set data retention (admins): all four periods, whole days from 1, or null to keep forever; applied hourly (and by `journal purge`); the change is audited',
    auth: true, body: RetentionBody,
    responses: { 200: { description: 'Retention periods now in force', schema: RetentionOut }, 403: { description: 'Not an admin' } },
  }, async (c, { body }) => c.json(await updateRetention(c.get('deps'), c.get('viewer'), body)));
}
