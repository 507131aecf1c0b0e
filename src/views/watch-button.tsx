import type { Context } from 'hono';
import type { WatchKind } from '../../db/schema.js';
import type { AppEnv } from '../http/env.js';
import { CsrfField, formatDate } from './layout.js';

export const WATCH_DURATIONS = ['', '1', '3', '6', '12'] as const;

/**
 * "Watch" (with how long) or "Stop watching" for the thing a page shows; plain forms, so it works
 * without JavaScript, and back to the same page afterwards. Nothing for anonymous readers.
 */
export function WatchButton({ c, kind, target, watch }: { c: Context<AppEnv>; kind: WatchKind; target: string; watch: { id: number; expiresAt: string | null } | null }) {
  if (!c.get('viewer')) return null;
  const t = c.get('t');
  const here = `${c.req.path}${new URL(c.req.url).search}`;
  if (watch) {
    return (
      <form method="post" action={`/me/watchlist/${watch.id}/delete`} class="watch-form inline">
        <CsrfField c={c} />
        <input type="hidden" name="next" value={here} />
        <span class="meta">{watch.expiresAt ? t('watch.watchingUntil', { date: formatDate(c, watch.expiresAt, 'day') }) : t('watch.watching')}</span>{' '}
        <button type="submit" class="secondary">{t('watch.stop')}</button>
      </form>
    );
  }
  const id = `watch-for-${kind}`;
  return (
    <form method="post" action="/me/watchlist" class="watch-form inline">
      <CsrfField c={c} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="target" value={target} />
      <input type="hidden" name="next" value={here} />
      <label for={id} class="visually-hidden">{t('watch.duration')}</label>
      <select id={id} name="months">
        {WATCH_DURATIONS.map((months) => <option value={months}>{months ? t('watch.forMonths', { count: Number(months) }) : t('watch.forever')}</option>)}
      </select>{' '}
      <button type="submit" class="secondary">{t('watch.start')}</button>
    </form>
  );
}
