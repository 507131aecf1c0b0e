import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { GROUP_KINDS } from '../services/groups.js';
import { notFound } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { groupStatementsAtom, notificationsAtom, recentChangesAtom } from '../services/feeds.js';
import { publicOrigin } from './origin.js';
import { choicesAtom } from '../services/choice-exports.js';
import { ChoiceQuery } from './api/schemas.js';
import { parseForm } from './html/forms.js';
import { calendarFeed } from '../services/workshops.js';


export function feedRoutes(app: Hono<AppEnv>) {
  // My workshops, for calendar apps (which send no cookies): the secret is the address.
  app.get('/feeds/calendar/:file{sjcal_[A-Za-z0-9_-]+\\.ics}', async (c) => {
    const ics = await calendarFeed(c.get('deps'), c.req.param('file').replace(/\.ics$/, ''));
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Referrer-Policy': 'no-referrer' });
  });
  // My notifications, likewise: a secret address, renewed or revoked from the settings page.
  app.get('/feeds/me/:file{sjfeed_[A-Za-z0-9_-]+\\.atom}', async (c) => {
    const xml = await notificationsAtom(c.get('deps'), publicOrigin(c), c.req.param('file').replace(/\.atom$/, ''));
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' });
  });
  app.get('/feeds/recent.atom', async (c) => {
    const xml = await recentChangesAtom(c.get('deps'), publicOrigin(c));
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
  app.get('/feeds/territories/:file{[a-z0-9-]+\\.atom}', async (c) => {
    const slug = c.req.param('file').replace(/\.atom$/, '');
    const xml = await recentChangesAtom(c.get('deps'), publicOrigin(c), slug);
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
  app.get('/feeds/choices.atom', async (c) => {
    const query = parseForm(ChoiceQuery, c.req.query());
    const origin = publicOrigin(c);
    const self = `${origin}${c.req.path}${new URL(c.req.url).search}`;
    const title = `Spiral Journal — ${c.get('t')('choices.feedTitle')}`;
    const xml = await choicesAtom(c.get('deps'), c.get('viewer'), query, query.lang ?? c.get('locale'), origin, self, title);
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
  app.get('/feeds/groups/:file{[a-z]+\\.atom}', async (c) => {
    const kind = GROUP_KINDS.find((k) => `${k}.atom` === c.req.param('file'));
    if (!kind) throw notFound('Feed');
    const t = c.get('t');
    const questionLabel = (code: string) => t(`question.${code}` as MessageKey);
    const xml = await groupStatementsAtom(c.get('deps'), publicOrigin(c), kind, `Spiral Journal — ${t(`groupKind.${kind}` as MessageKey)}`, questionLabel);
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
}
