import type { Context } from 'hono';
import type { ApiRoutes } from '../../http/api-route.js';
import type { AppEnv } from '../../http/env.js';
import { countUnread, listNotices, markNoticesRead, noticeText, type NoticeView } from '../../services/notices.js';
import {
  getNotificationSettings, renewPersonalFeed, revokePersonalFeed, setNotificationFrequencies, unsubscribe,
} from '../../services/notification-delivery.js';
import { addWatch, listWatches, removeWatch } from '../../services/watchlist.js';
import { publicOrigin } from '../origin.js';
import { idOf } from './ids.js';
import { NoticeQuery, NoticesReadBody, NotificationSettingsBody, UnsubscribeBody, WatchBody } from './schemas.js';

const presentNotice = (c: Context<AppEnv>) => (n: NoticeView) => ({ ...n, text: noticeText(c.get('t'), n) });

export function noticeRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/me/watchlist', tag: 'notifications', auth: true, summary: 'What I watch, newest first, each with its name, its page and how many of its changes I have not read',
    responses: { 200: { description: '{watchlist:[{id, kind, target, label, url, createdAt, expiresAt, unread}]}' } },
  }, async (c) => c.json({ watchlist: await listWatches(c.get('deps'), c.get('viewer')) }));

  api.add({
    method: 'post', path: '/api/me/watchlist', tag: 'notifications', auth: true, body: WatchBody,
    summary: 'Watch a page (path), a territory (slug; its child territories included), a component (code, across the network), a group, a workshop or a charter (id), optionally until expiresAt. Watching again changes the expiry.',
    responses: { 201: { description: 'Watching: {id, kind, target, label, url, createdAt, expiresAt}' }, 200: { description: 'Already watched (expiry updated)' }, 404: { description: 'No such target' } },
  }, async (c, { body }) => {
    const { watch, created } = await addWatch(c.get('deps'), c.get('viewer'), body);
    return c.json(watch, created ? 201 : 200);
  });

  api.add({
    method: 'delete', path: '/api/me/watchlist/{id}', tag: 'notifications', auth: true, summary: 'Stop watching',
    responses: { 204: { description: 'Done' }, 404: { description: 'Not one of my watches' } },
  }, async (c) => {
    await removeWatch(c.get('deps'), c.get('viewer'), idOf(c.req.param('id') ?? ''));
    return c.body(null, 204);
  });

  api.add({
    method: 'get', path: '/api/me/notifications', tag: 'notifications', auth: true, query: NoticeQuery,
    summary: 'My notifications, newest first, with their text in my language and whether I read them (page with before=<last id>; unread=true for the unread ones)',
    responses: { 200: { description: '{notifications:[{id, kind, category, text, url, createdAt, read}], unread}' } },
  }, async (c, { query }) => {
    const deps = c.get('deps');
    const viewer = c.get('viewer');
    const [notices, unread] = await Promise.all([listNotices(deps, viewer, { limit: query.limit, before: query.before, unreadOnly: query.unread }), countUnread(deps, viewer)]);
    return c.json({ notifications: notices.map(presentNotice(c)), unread });
  });

  api.add({
    method: 'post', path: '/api/me/notifications/read', tag: 'notifications', auth: true, body: NoticesReadBody, optionalBody: true,
    summary: 'Mark these notifications read ({ids}), or all of them (no body or no ids)',
    responses: { 200: { description: '{marked, unread}' } },
  }, async (c, { body }) => {
    const marked = await markNoticesRead(c.get('deps'), c.get('viewer'), body?.ids);
    return c.json({ marked, unread: await countUnread(c.get('deps'), c.get('viewer')) });
  });

  api.add({
    method: 'get', path: '/api/me/notification-settings', tag: 'notifications', auth: true,
    summary: 'How often I get e-mail for each kind of notification (immediate, daily, weekly, never), and whether my personal feed is on',
    responses: { 200: { description: '{frequencies:{page, territory, component, group, workshop, charter, participation}, personalFeed}' } },
  }, async (c) => c.json(await getNotificationSettings(c.get('deps'), c.get('viewer'))));

  api.add({
    method: 'put', path: '/api/me/notification-settings', tag: 'notifications', auth: true, body: NotificationSettingsBody,
    summary: 'Change how often I get e-mail, per kind (the kinds not given keep theirs)',
    responses: { 200: { description: '{frequencies}' } },
  }, async (c, { body }) => c.json({ frequencies: await setNotificationFrequencies(c.get('deps'), c.get('viewer'), body.frequencies) }));

  api.add({
    method: 'post', path: '/api/me/notifications/feed', tag: 'notifications', auth: true,
    summary: 'A new secret address for the Atom feed of my notifications (the previous one stops working)',
    responses: { 201: { description: '{url}' } },
  }, async (c) => {
    const token = await renewPersonalFeed(c.get('deps'), c.get('viewer'));
    return c.json({ url: `${publicOrigin(c)}/feeds/me/${token}.atom` }, 201);
  });

  api.add({
    method: 'delete', path: '/api/me/notifications/feed', tag: 'notifications', auth: true, summary: 'Turn off the Atom feed of my notifications (its address stops working)',
    responses: { 204: { description: 'Done' } },
  }, async (c) => {
    await revokePersonalFeed(c.get('deps'), c.get('viewer'));
    return c.body(null, 204);
  });

  api.add({
    method: 'post', path: '/api/unsubscribe', tag: 'notifications', body: UnsubscribeBody,
    summary: 'Follow an unsubscribe link from an e-mail without logging in: {token} is the last part of the link',
    responses: { 200: { description: '{unsubscribed: category or "all"}' }, 400: { description: 'Not a valid link (invalid_token)' } },
  }, async (c, { body }) => {
    const { scope } = await unsubscribe(c.get('deps'), body.token);
    return c.json({ unsubscribed: scope });
  });
}
