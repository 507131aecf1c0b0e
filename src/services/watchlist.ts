import { sql } from 'kysely';
import type { WatchKind } from '../../db/schema.js';
import { AppError, invalid, notFound, unauthenticated } from '../errors.js';
import { encodePath } from '../markdown/render.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { canonicalPath } from './pages.js';
import { componentLabel, taxonomyIndex } from './taxonomy-index.js';
import { type Locale, asLocale } from '../i18n/index.js';

// Watchlists, as in MediaWiki: a person watches a page, a territory (with every territory below it), a
// component across the network, a group, a workshop or a charter, optionally until a date. Changes are
// announced by the service that makes them, in its transaction, as notices (one per person and change,
// whatever number of their watches it matches); e-mail and the personal feed are built from notices.

export const WATCH_KINDS = ['page', 'territory', 'component', 'group', 'workshop', 'charter'] as const satisfies readonly WatchKind[];
const MAX_WATCHES = 500;

export interface WatchInput {
  kind: WatchKind;
  target: string;
  expiresAt?: string | number | null;
}

export interface WatchView {
  id: number;
  kind: WatchKind;
  target: string;
  label: string;
  url: string;
  createdAt: string;
  expiresAt: string | null;
  /** Unread notices this watch brought. */
  unread: number;
}

interface ResolvedTarget {
  target: string;
  label: string;
  url: string;
}

function numericId(target: string, what: string): number {
  const id = Number(target);
  if (!/^\d{1,12}$/.test(target.trim()) || !Number.isSafeInteger(id) || id < 1) throw notFound(what);
  return id;
}

/** The canonical form of what is watched, its name and its page; 404 when it does not exist. */
async function resolveTarget(deps: Deps, kind: WatchKind, raw: string, locale: Locale = 'en'): Promise<ResolvedTarget> {
  const value = raw.trim();
  switch (kind) {
    case 'page': {
      const path = canonicalPath(value.replace(/^\/?wiki\//i, ''));
      const page = await deps.db.selectFrom('page').select(['path', 'title']).where('path', '=', path).executeTakeFirst();
      if (!page) throw notFound('Page');
      return { target: page.path, label: page.title, url: `/wiki/${encodePath(page.path)}` };
    }
    case 'territory': {
      const territory = await deps.db.selectFrom('territory').select(['slug', 'name']).where('slug', '=', value.toLowerCase()).executeTakeFirst();
      if (!territory) throw notFound('Territory');
      return { target: territory.slug, label: territory.name, url: `/territories/${territory.slug}` };
    }
    case 'component': {
      const code = value.toUpperCase();
      const index = await taxonomyIndex(deps);
      if (!index.components.has(code)) throw notFound('Component');
      return { target: code, label: `${code} ${componentLabel(index, code, locale)}`, url: `/criteria/${code}` };
    }
    case 'group': {
      const group = await deps.db.selectFrom('spiral_group').select(['id', 'name']).where('id', '=', numericId(value, 'Group')).executeTakeFirst();
      if (!group) throw notFound('Group');
      return { target: String(group.id), label: group.name, url: `/groups/${group.id}` };
    }
    case 'workshop': {
      // By id, or by the slug in its page's address.
      const byId = /^\d+$/.test(value);
      const workshop = await deps.db.selectFrom('workshop').select(['id', 'title'])
        .where(byId ? 'id' : 'slug', '=', byId ? numericId(value, 'Workshop') : value.toLowerCase()).executeTakeFirst();
      if (!workshop) throw notFound('Workshop');
      return { target: String(workshop.id), label: workshop.title, url: `/workshops/${workshop.id}` };
    }
    case 'charter': {
      const charter = await deps.db.selectFrom('charter').select(['id', 'title']).where('id', '=', numericId(value, 'Charter')).executeTakeFirst();
      if (!charter) throw notFound('Charter');
      return { target: String(charter.id), label: charter.title, url: `/charters/${charter.id}` };
    }
  }
}

/** Whether a YYYY-MM-DD… text names a real day (Date.parse would turn 2027-02-30 into 2 March). */
function realDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return true;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function checkExpiry(deps: Pick<Deps, 'clock'>, expiresAt: string | number | null | undefined): string | null {
  if (expiresAt === undefined || expiresAt === null || expiresAt === '') return null;
  // A bare date means "until the end of that day" (UTC); a number is milliseconds since 1970.
  const time = typeof expiresAt === 'number' ? expiresAt : realDay(expiresAt) ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? `${expiresAt}T23:59:59.999Z` : expiresAt) : NaN;
  if (!Number.isFinite(time) || time > 8.64e15) throw invalid('expiresAt must be a date (YYYY-MM-DD) or a date and time.', [{ path: 'expiresAt', message: 'Not a date.' }]);
  if (time <= deps.clock.now().getTime()) throw invalid('expiresAt must be in the future.', [{ path: 'expiresAt', message: 'In the past.' }]);
  return new Date(time).toISOString();
}

/** Watches something (again: a new expiry replaces the old one). `created` is false when it was watched already. */
export async function addWatch(deps: Deps, viewer: Viewer | null, input: WatchInput): Promise<{ watch: WatchView; created: boolean }> {
  if (!viewer) throw unauthenticated();
  const expiresAt = checkExpiry(deps, input.expiresAt);
  const resolved = await resolveTarget(deps, input.kind, input.target, asLocale(viewer.user.locale));
  const now = nowIso(deps);
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('watch').select('id').where('user_id', '=', viewer.user.id).where('kind', '=', input.kind).where('target', '=', resolved.target).executeTakeFirst();
    let id: number;
    if (existing) {
      await trx.updateTable('watch').set({ expires_at: expiresAt }).where('id', '=', existing.id).execute();
      id = existing.id;
    } else {
      const { n } = await trx.selectFrom('watch').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', viewer.user.id).executeTakeFirstOrThrow();
      if (Number(n) >= MAX_WATCHES) throw new AppError(409, 'conflict', `You watch ${MAX_WATCHES} things already: stop watching some first.`);
      const row = await trx.insertInto('watch').values({ user_id: viewer.user.id, kind: input.kind, target: resolved.target, created_at: now, expires_at: expiresAt }).returning('id').executeTakeFirstOrThrow();
      id = row.id;
    }
    const row = await trx.selectFrom('watch').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { watch: { id, kind: row.kind, target: row.target, label: resolved.label, url: resolved.url, createdAt: row.created_at, expiresAt: row.expires_at, unread: 0 }, created: !existing };
  });
}

/** What I watch, newest first; watches past their expiry are removed on the way. */
export async function listWatches(deps: Deps, viewer: Viewer | null): Promise<WatchView[]> {
  if (!viewer) throw unauthenticated();
  const now = nowIso(deps);
  await deps.db.deleteFrom('watch').where('user_id', '=', viewer.user.id).where('expires_at', '<=', now).execute();
  const rows = await deps.db.selectFrom('watch').selectAll().where('user_id', '=', viewer.user.id).orderBy('id', 'desc').execute();
  const unread = await deps.db.selectFrom('notice').select(['watch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', '=', viewer.user.id).where('read_at', 'is', null).where('watch_id', 'is not', null).groupBy('watch_id').execute();
  const unreadByWatch = new Map(unread.map((u) => [u.watch_id, Number(u.n)]));
  const views: WatchView[] = [];
  for (const row of rows) {
    // A target that has since been deleted keeps its watch (it may come back), under its raw name.
    const resolved = await resolveTarget(deps, row.kind, row.target, asLocale(viewer.user.locale)).catch(() => ({ target: row.target, label: row.target, url: '' }));
    views.push({ id: row.id, kind: row.kind, target: row.target, label: resolved.label, url: resolved.url, createdAt: row.created_at, expiresAt: row.expires_at, unread: unreadByWatch.get(row.id) ?? 0 });
  }
  return views;
}

export async function removeWatch(deps: Deps, viewer: Viewer | null, id: number): Promise<void> {
  if (!viewer) throw unauthenticated();
  const result = await deps.db.deleteFrom('watch').where('id', '=', id).where('user_id', '=', viewer.user.id).executeTakeFirst();
  if (!Number(result.numDeletedRows)) throw notFound('Watch');
}

/** Whether I watch this (for the Watch / Stop watching button). */
export async function findWatch(deps: Deps, viewer: Viewer | null, kind: WatchKind, target: string) {
  if (!viewer) return null;
  const row = await deps.db.selectFrom('watch').select(['id', 'expires_at']).where('user_id', '=', viewer.user.id).where('kind', '=', kind).where('target', '=', target)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso(deps))])).executeTakeFirst();
  return row ? { id: row.id, expiresAt: row.expires_at } : null;
}

export type WatchNoticeKind =
  | 'watch.pageEdited' | 'watch.commentAdded' | 'watch.choiceLogged' | 'watch.resultAdded' | 'watch.groupCreated' | 'watch.statementRecorded'
  | 'watch.workshopScheduled' | 'watch.workshopChanged' | 'watch.conclusions'
  | 'watch.charterDrafted' | 'watch.charterVersion' | 'watch.amendment' | 'watch.charterAdopted';

export interface Announcement {
  /** What changed, most specific first: a person watching several of these gets one notice, from the first. */
  targets: { kind: WatchKind; target: string }[];
  kind: WatchNoticeKind;
  params: Record<string, string | number>;
  url: string;
  /** Who made the change (never told of their own change). */
  authorId: number | null;
  /** People told already by a notice of their own (charter participants…). */
  exclude?: number[];
}

/**
 * Tells everyone watching one of the targets. Call it in the transaction of the change, and only for
 * what anyone may read: a private or territory-only choice is never announced.
 */
export async function announce(deps: Deps, announcement: Announcement): Promise<number> {
  const { targets } = announcement;
  if (!targets.length) return 0;
  const now = nowIso(deps);
  const skip = [...(announcement.authorId ? [announcement.authorId] : []), ...(announcement.exclude ?? [])];
  const matches = sql.join(targets.map((t) => sql`(kind = ${t.kind} AND target = ${t.target})`), sql` OR `);
  const rank = sql.join(targets.map((t, i) => sql`WHEN kind = ${t.kind} AND target = ${t.target} THEN ${i}`), sql` `);
  // One statement, however many watch: the watches that match, the most specific per person, straight
  // into notices (no rows travel through JavaScript; the writer holds its lock for less time).
  const result = await sql`
    INSERT INTO notice (user_id, kind, params, url, created_at, read_at, category, watch_id, emailed_at)
    SELECT user_id, ${announcement.kind}, ${JSON.stringify(announcement.params)}, ${announcement.url}, ${now}, NULL, kind, id, NULL FROM (
      SELECT id, user_id, kind, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY CASE ${rank} END, id) AS position
      FROM watch
      WHERE (${matches}) AND (expires_at IS NULL OR expires_at > ${now})${skip.length ? sql` AND user_id NOT IN (${sql.join(skip)})` : sql``}
    ) AS matched WHERE position = 1`.execute(deps.db);
  return Number(result.numAffectedRows ?? 0);
}

/** A territory and every territory above it, as watch targets (watching a territory includes its children). */
export async function territoryTargets(deps: Deps, territoryId: number | null): Promise<{ kind: 'territory'; target: string }[]> {
  if (territoryId === null) return [];
  // One query on every public write, whatever the depth of the tree (portable SQL: SQLite and PostgreSQL).
  const { rows } = await sql<{ slug: string }>`
    WITH RECURSIVE chain(id, slug, parent_id, depth) AS (
      SELECT id, slug, parent_id, 0 FROM territory WHERE id = ${territoryId}
      UNION ALL
      SELECT territory.id, territory.slug, territory.parent_id, chain.depth + 1 FROM territory JOIN chain ON territory.id = chain.parent_id WHERE chain.depth < 20
    )
    SELECT slug FROM chain ORDER BY depth`.execute(deps.db);
  return rows.map((row) => ({ kind: 'territory', target: row.slug }));
}

export function componentTargets(codes: string[]): { kind: 'component'; target: string }[] {
  return codes.map((code) => ({ kind: 'component', target: code }));
}
