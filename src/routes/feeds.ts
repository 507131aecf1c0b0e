import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { recentChangesAtom } from '../services/feeds.js';

const origin = (url: string, publicUrl: string | null) => publicUrl ?? new URL(url).origin;

export function feedRoutes(app: Hono<AppEnv>) {
  app.get('/feeds/recent.atom', async (c) => {
    const xml = await recentChangesAtom(c.get('deps'), origin(c.req.url, c.get('deps').config.publicUrl));
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
  app.get('/feeds/territories/:file{[a-z0-9-]+\\.atom}', async (c) => {
    const slug = c.req.param('file').replace(/\.atom$/, '');
    const xml = await recentChangesAtom(c.get('deps'), origin(c.req.url, c.get('deps').config.publicUrl), slug);
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });
}
