import type { ApiRoutes } from '../../http/api-route.js';
import type { MessageKey } from '../../i18n/index.js';
import { listNotices, markNoticesRead } from '../../services/notices.js';

export function noticeRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/me/notifications', tag: 'accounts', auth: true, summary: 'My in-app notices, newest first, with their text in my language',
    responses: { 200: { description: '{notifications}' } },
  }, async (c) => {
    const t = c.get('t');
    const notices = await listNotices(c.get('deps'), c.get('viewer'));
    return c.json({ notifications: notices.map((n) => ({ ...n, text: t(`notice.${n.kind}` as MessageKey, n.params) })) });
  });

  api.add({
    method: 'post', path: '/api/me/notifications/read', tag: 'accounts', auth: true, summary: 'Mark all my notices as read',
    responses: { 204: { description: 'Done' } },
  }, async (c) => {
    await markNoticesRead(c.get('deps'), c.get('viewer'));
    return c.body(null, 204);
  });
}
