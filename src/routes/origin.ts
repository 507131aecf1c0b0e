import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';

/** The site's public origin for absolute links (feeds, exports): PUBLIC_URL behind a proxy, else the request's. */
export function publicOrigin(c: Context<AppEnv>): string {
  return c.get('deps').config.publicUrl ?? new URL(c.req.url).origin;
}
