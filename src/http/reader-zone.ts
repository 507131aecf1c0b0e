import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { canonicalZone, isTimeZone } from '../services/workshop-time.js';
import type { AppEnv } from './env.js';

/** Set by the browser (web-components/time-zone.ts) to its own zone, for readers without a profile zone. */
export const ZONE_COOKIE = 'tz';

export type ZoneSource = 'query' | 'profile' | 'browser';

/**
 * The zone a reader sees times in: `?tz=` first, then their profile's zone, then their browser's
 * (cookie). Null when none is known: each time is then shown in its organiser's zone, named.
 */
export function readerZone(c: Context<AppEnv>): { zone: string | null; source: ZoneSource | null; refused: string | null } {
  const asked = c.req.query('tz')?.trim();
  if (asked && isTimeZone(asked)) return { zone: canonicalZone(asked), source: 'query', refused: null };
  const refused = asked ? asked.slice(0, 64) : null;
  const profile = c.get('viewer')?.user.time_zone;
  if (profile && isTimeZone(profile)) return { zone: canonicalZone(profile), source: 'profile', refused };
  const browser = getCookie(c, ZONE_COOKIE);
  if (browser && isTimeZone(browser)) return { zone: canonicalZone(browser), source: 'browser', refused };
  return { zone: null, source: null, refused };
}
