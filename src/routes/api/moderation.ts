import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { flagContent, listFlags, resolveFlag } from '../../services/moderation.js';
import { idOf } from './ids.js';
import { FlagBody } from './schemas.js';

export function moderationRoutes(api: ApiRoutes) {
  api.add({
    method: 'post', path: '/api/flags', tag: 'moderation', summary: 'Report a wiki page, a comment or a choice you can see, saying why (reporting twice changes nothing)', auth: true, body: FlagBody,
    responses: { 201: { description: '{id}' }, 200: { description: 'Already reported by you' }, 404: { description: 'Nothing you can see' } },
  }, async (c, { body }) => {
    const { id, created } = await flagContent(c.get('deps'), c.get('viewer'), body);
    return c.json({ id }, created ? 201 : 200);
  });

  api.add({
    method: 'get', path: '/api/admin/flags', tag: 'moderation', summary: 'Reports, newest first: the open ones, or all (admins)', auth: true,
    query: z.object({ status: z.enum(['open', 'all']).default('open') }),
    responses: { 200: { description: '{flags:[{id, kind, ref, reason, reporter, createdAt, resolvedAt, resolution, url, excerpt}]}' }, 403: { description: 'Not an admin' } },
  }, async (c, { query }) => c.json(await listFlags(c.get('deps'), c.get('viewer'), query)));

  api.add({
    method: 'post', path: '/api/admin/flags/{id}', tag: 'moderation', summary: 'Hide the reported comment or choice, or close the report (admins); every open report on it goes with it', auth: true,
    body: z.object({ action: z.enum(['hide', 'close'], { error: 'issue.choose' }) }),
    responses: { 200: { description: 'Done' }, 404: { description: 'No such report' }, 409: { description: 'Pages are mended with revert' } },
  }, async (c, { body }) => {
    await resolveFlag(c.get('deps'), c.get('viewer'), idOf(c.req.param('id') ?? ''), body.action);
    return c.json({ ok: true });
  });
}
