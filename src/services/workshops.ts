import { siteOrigin } from '../config.js';
import { announce, territoryTargets } from './watchlist.js';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import ical from 'ical-generator';
import type { Workshop } from '../../db/schema.js';
import { indexDocument } from '../../db/search-index.js';
import { isoPlusMinutes, jsonArrayIncludes, lockRow } from '../../db/portable.js';
import { AppError, type ErrorIssue, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { asLocale, translator } from '../i18n/index.js';
import { renderMarkdown } from '../markdown/render.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { enqueueMail } from './outbox.js';
import { notify } from './notices.js';
import { createPageRevision, getPage } from './pages.js';
import { toPagePath } from './page-paths.js';
import { type Disambiguation, WallTimeError, addMinutes, canonicalZone, formatSpan, isTimeZone, offsetIn, resolveStart, wallTimeIn } from './workshop-time.js';
import { requireVerifiedToPublish } from './publishing.js';

// Workshops: online meetings by theme or actor kind, across time zones and languages. A start is
// stored as a UTC instant with the organiser's zone; every reader sees it in their own zone. Seats
// are taken by one atomic statement (no overbooking whatever the concurrency); beyond capacity,
// people wait in line and move up when someone leaves. The video-call link is only for registrants.

export interface WorkshopInput {
  title: string;
  description?: string;
  theme?: string | null;
  actorKind?: string | null;
  territory?: string | null;
  event?: string | null;
  startsAt: string;
  timeZone: string;
  disambiguation?: Disambiguation;
  durationMinutes: number;
  languages: string[];
  capacity?: number | null;
  joinUrl?: string | null;
}

export interface WorkshopFilters {
  when?: 'upcoming' | 'past';
  from?: string;
  to?: string;
  lang?: string;
  theme?: string;
  actorKind?: string;
  territory?: string;
  event?: string;
  limit?: number;
}

const ORGANISER_ROLES = new Set(['admin', 'coordinator', 'facilitator']);
export const canOrganise = (viewer: Viewer | null) => Boolean(viewer && ORGANISER_ROLES.has(viewer.user.role));
const canManage = (viewer: Viewer | null, workshop: Pick<Workshop, 'organiser_id'>) =>
  Boolean(viewer && (viewer.user.role === 'admin' || viewer.user.id === workshop.organiser_id));

/** The instant a start stands for, or a validation error naming what is wrong with it. */
function startInstant(startsAt: string, timeZone: string, disambiguation?: Disambiguation): { utc: string; zone: string } {
  try {
    return { utc: resolveStart(startsAt, timeZone, disambiguation), zone: canonicalZone(timeZone) };
  } catch (error) {
    if (!(error instanceof WallTimeError)) throw error;
    const issues: Record<WallTimeError['reason'], ErrorIssue> = {
      gap: { path: 'startsAt', message: 'issue.wallTimeGap', params: { zone: timeZone } },
      ambiguous: { path: 'startsAt', message: 'issue.wallTimeAmbiguous', params: { zone: timeZone } },
      zone: { path: 'timeZone', message: 'issue.timeZone' },
      format: { path: 'startsAt', message: 'issue.startFormat' },
    };
    const messages = {
      gap: `${startsAt} does not exist in ${timeZone}: the clocks go forward then. Choose another time.`,
      ambiguous: `${startsAt} happens twice in ${timeZone}: the clocks go back then. Say which one (disambiguation: earlier or later).`,
      zone: 'Unknown time zone: use an IANA name such as Europe/Brussels.',
      format: 'The start is a wall time (2020-10-31T11:00) or an instant (2020-10-31T10:00Z).',
    };
    throw invalid(messages[error.reason], [issues[error.reason]]);
  }
}

async function territoryId(deps: Deps, slug: string | null | undefined): Promise<number | null> {
  if (!slug) return null;
  const row = await deps.db.selectFrom('territory').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!row) throw invalid('Unknown territory.', [{ path: 'territory', message: 'not_found' }]);
  return row.id;
}

async function uniqueSlug(deps: Deps, title: string, startUtc: string): Promise<string> {
  const base = `${toPagePath(title).replace(/\//g, '-').slice(0, 60) || 'workshop'}-${startUtc.slice(0, 10)}`;
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await deps.db.selectFrom('workshop').select('id').where('slug', '=', slug).executeTakeFirst())) return slug;
  }
}

export async function createWorkshop(deps: Deps, viewer: Viewer | null, input: WorkshopInput): Promise<number> {
  if (!viewer) throw unauthenticated();
  await requireVerifiedToPublish(deps, viewer);
  if (!canOrganise(viewer)) throw forbidden('Facilitators, coordinators and admins organise workshops.');
  const { utc, zone } = startInstant(input.startsAt, input.timeZone, input.disambiguation);
  const territory = await territoryId(deps, input.territory);
  const now = nowIso(deps);
  const description = input.description?.trim() ?? '';
  // Also called inside a caller's transaction (a topic becoming a workshop): join it rather than nest.
  const inTransaction = <T>(run: (trx: Deps['db']) => Promise<T>) => (deps.db.isTransaction ? run(deps.db) : deps.db.transaction().execute(run));
  return inTransaction(async (trx) => {
    const slug = await uniqueSlug({ ...deps, db: trx }, input.title, utc);
    const row = await trx.insertInto('workshop').values({
      slug, title: input.title.trim(), description, description_html: renderMarkdown(description).html, theme: input.theme?.trim() || null,
      actor_kind: input.actorKind ?? null, territory_id: territory, event: input.event?.trim() || null, starts_at: utc, time_zone: zone,
      duration_minutes: input.durationMinutes, languages: JSON.stringify([...new Set(input.languages)]), capacity: input.capacity ?? null,
      join_url: input.joinUrl ?? null, organiser_id: viewer.user.id, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await indexDocument(trx, { kind: 'workshop', ref: String(row.id), title: input.title.trim(), body: description });
    await recordAudit({ ...deps, db: trx }, viewer.user.id, 'workshop.create', `workshop/${row.id}`, { startsAt: utc, timeZone: zone });
    await announce({ ...deps, db: trx }, {
      targets: await territoryTargets({ ...deps, db: trx }, territory), kind: 'watch.workshopScheduled', params: { title: input.title.trim() }, url: `/workshops/${row.id}`, authorId: viewer.user.id,
    });
    return row.id;
  });
}

export async function updateWorkshop(deps: Deps, viewer: Viewer | null, id: number, patch: Partial<WorkshopInput>): Promise<void> {
  const workshop = await findWorkshop(deps, id);
  if (!viewer) throw unauthenticated();
  if (!canManage(viewer, workshop)) throw forbidden('Only the organiser changes a workshop.');
  const timing = patch.startsAt !== undefined || patch.timeZone !== undefined
    ? startInstant(patch.startsAt ?? wallTimeIn(workshop.starts_at, patch.timeZone ?? workshop.time_zone), patch.timeZone ?? workshop.time_zone, patch.disambiguation)
    : { utc: workshop.starts_at, zone: workshop.time_zone };
  const description = patch.description !== undefined ? patch.description.trim() : workshop.description;
  const title = patch.title?.trim() ?? workshop.title;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('workshop').set({
      title, description, description_html: renderMarkdown(description).html,
      theme: patch.theme !== undefined ? patch.theme?.trim() || null : workshop.theme,
      actor_kind: patch.actorKind !== undefined ? patch.actorKind : workshop.actor_kind,
      territory_id: patch.territory !== undefined ? await territoryId({ ...deps, db: trx }, patch.territory) : workshop.territory_id,
      event: patch.event !== undefined ? patch.event?.trim() || null : workshop.event,
      starts_at: timing.utc, time_zone: timing.zone,
      duration_minutes: patch.durationMinutes ?? workshop.duration_minutes,
      languages: patch.languages ? JSON.stringify([...new Set(patch.languages)]) : workshop.languages,
      capacity: patch.capacity !== undefined ? patch.capacity : workshop.capacity,
      join_url: patch.joinUrl !== undefined ? patch.joinUrl : workshop.join_url,
      updated_at: nowIso(deps),
    }).where('id', '=', id).execute();
    // More seats: the first in line move up.
    const capacity = patch.capacity !== undefined ? patch.capacity : workshop.capacity;
    await promoteWaiting({ ...deps, db: trx }, await findWorkshop({ ...deps, db: trx }, id), capacity);
    await indexDocument(trx, { kind: 'workshop', ref: String(id), title, body: description });
    const territoryNow = patch.territory !== undefined ? await territoryId({ ...deps, db: trx }, patch.territory) : workshop.territory_id;
    await announce({ ...deps, db: trx }, {
      targets: [{ kind: 'workshop', target: String(id) }, ...(await territoryTargets({ ...deps, db: trx }, territoryNow))], kind: 'watch.workshopChanged', params: { title }, url: `/workshops/${id}`, authorId: viewer.user.id,
    });
  });
}

export async function findWorkshop(deps: Deps, id: number): Promise<Workshop> {
  const row = await deps.db.selectFrom('workshop').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Workshop');
  return row;
}

export interface ZonedTimes {
  timeZone: string;
  /** Wall times in that zone, YYYY-MM-DDTHH:mm. */
  start: string;
  end: string;
  offset: string;
}

function zoned(startUtc: string, endUtc: string, zone: string): ZonedTimes {
  return { timeZone: zone, start: wallTimeIn(startUtc, zone), end: wallTimeIn(endUtc, zone), offset: offsetIn(startUtc, zone) };
}

type Counts = { registered: number; waiting: number };

async function countsFor(deps: Deps, ids: number[]): Promise<Map<number, Counts>> {
  const out = new Map<number, Counts>(ids.map((id) => [id, { registered: 0, waiting: 0 }]));
  if (!ids.length) return out;
  const rows = await deps.db.selectFrom('registration').select(['workshop_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workshop_id', 'in', ids).groupBy(['workshop_id', 'status']).execute();
  for (const row of rows) out.get(row.workshop_id)![row.status] = Number(row.n);
  return out;
}

async function myStatuses(deps: Deps, viewer: Viewer | null, ids: number[]): Promise<Map<number, 'registered' | 'waiting'>> {
  if (!viewer || !ids.length) return new Map();
  const rows = await deps.db.selectFrom('registration').select(['workshop_id', 'status']).where('user_id', '=', viewer.user.id).where('workshop_id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.workshop_id, r.status]));
}

/** A workshop as readers get it: times in their zone (or the organiser's), the join link only for those it is meant for. */
function present(deps: Deps, workshop: Workshop & { territory_slug?: string | null; territory_name?: string | null; organiser_name?: string | null }, counts: Counts, mine: 'registered' | 'waiting' | null, viewer: Viewer | null, zone: string | null) {
  const endsAt = addMinutes(workshop.starts_at, workshop.duration_minutes);
  const now = nowIso(deps);
  const manager = canManage(viewer, workshop);
  return {
    id: workshop.id,
    slug: workshop.slug,
    url: `/workshops/${workshop.id}`,
    title: workshop.title,
    description: workshop.description,
    descriptionHtml: workshop.description_html,
    theme: workshop.theme,
    actorKind: workshop.actor_kind,
    territory: workshop.territory_slug ? { slug: workshop.territory_slug, name: workshop.territory_name ?? workshop.territory_slug } : null,
    event: workshop.event,
    startsAt: workshop.starts_at,
    endsAt,
    timeZone: workshop.time_zone,
    durationMinutes: workshop.duration_minutes,
    languages: JSON.parse(workshop.languages) as string[],
    local: zoned(workshop.starts_at, endsAt, zone ?? workshop.time_zone),
    organiserLocal: zoned(workshop.starts_at, endsAt, workshop.time_zone),
    organiser: workshop.organiser_name ?? null,
    capacity: workshop.capacity,
    registered: counts.registered,
    waiting: counts.waiting,
    seatsLeft: workshop.capacity === null ? null : Math.max(0, workshop.capacity - counts.registered),
    past: endsAt <= now,
    myRegistration: mine,
    canManage: manager,
    joinUrl: mine === 'registered' || manager ? workshop.join_url : null,
    hasJoinUrl: Boolean(workshop.join_url),
    conclusionsPath: `workshop/${workshop.slug}`,
    calendarUrl: `/api/workshops/${workshop.id}/calendar.ics`,
  };
}

export type WorkshopView = ReturnType<typeof present>;

function baseQuery(deps: Deps) {
  return deps.db.selectFrom('workshop')
    .leftJoin('territory', 'territory.id', 'workshop.territory_id')
    .leftJoin('user', 'user.id', 'workshop.organiser_id')
    .selectAll('workshop')
    .select(['territory.slug as territory_slug', 'territory.name as territory_name', 'user.name as organiser_name']);
}

export async function getWorkshop(deps: Deps, viewer: Viewer | null, id: number, zone: string | null): Promise<WorkshopView> {
  const row = await baseQuery(deps).where('workshop.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Workshop');
  const [counts, mine] = await Promise.all([countsFor(deps, [id]), myStatuses(deps, viewer, [id])]);
  return present(deps, row, counts.get(id)!, mine.get(id) ?? null, viewer, zone);
}

export async function listWorkshops(deps: Deps, viewer: Viewer | null, filters: WorkshopFilters, zone: string | null): Promise<WorkshopView[]> {
  const now = nowIso(deps);
  let query = baseQuery(deps);
  // Upcoming: not yet over (a workshop in progress is still upcoming for those who want to join).
  const endsAt = isoPlusMinutes(deps.db, sql.ref('workshop.starts_at'), sql.ref('workshop.duration_minutes'));
  if (filters.when === 'upcoming') query = query.where(endsAt, '>', now);
  if (filters.when === 'past') query = query.where(endsAt, '<=', now);
  if (filters.from) query = query.where('workshop.starts_at', '>=', filters.from);
  if (filters.to) query = query.where('workshop.starts_at', '<', filters.to.length === 10 ? `${filters.to}T24:00:00Z` : filters.to);
  if (filters.lang) query = query.where(jsonArrayIncludes(deps.db, sql.ref('workshop.languages'), filters.lang));
  if (filters.theme) query = query.where('workshop.theme', '=', filters.theme);
  if (filters.actorKind) query = query.where('workshop.actor_kind', '=', filters.actorKind);
  if (filters.territory) query = query.where('territory.slug', '=', filters.territory);
  if (filters.event) query = query.where('workshop.event', '=', filters.event);
  const rows = await query.orderBy('workshop.starts_at', filters.when === 'past' ? 'desc' : 'asc').orderBy('workshop.id').limit(filters.limit ?? 200).execute();
  const ids = rows.map((r) => r.id);
  const [counts, mine] = await Promise.all([countsFor(deps, ids), myStatuses(deps, viewer, ids)]);
  return rows.map((row) => present(deps, row, counts.get(row.id)!, mine.get(row.id) ?? null, viewer, zone));
}

/** Themes and events in use, for the filters. */
export async function workshopFacets(deps: Deps) {
  const [themes, events] = await Promise.all([
    deps.db.selectFrom('workshop').select('theme').distinct().where('theme', 'is not', null).orderBy('theme').execute(),
    deps.db.selectFrom('workshop').select('event').distinct().where('event', 'is not', null).orderBy('event').execute(),
  ]);
  return { themes: themes.map((t) => t.theme!), events: events.map((e) => e.event!) };
}

async function joinMail(deps: Deps, userId: number, workshop: Pick<Workshop, 'id' | 'title' | 'starts_at' | 'duration_minutes' | 'time_zone' | 'join_url'>) {
  const user = await deps.db.selectFrom('user').select(['email', 'locale', 'time_zone']).where('id', '=', userId).executeTakeFirstOrThrow();
  const locale = asLocale(user.locale);
  const t = translator(locale);
  const zone = user.time_zone && isTimeZone(user.time_zone) ? user.time_zone : workshop.time_zone;
  const when = formatSpan(workshop.starts_at, addMinutes(workshop.starts_at, workshop.duration_minutes), zone, locale);
  const page = `${siteOrigin(deps.config)}/workshops/${workshop.id}`;
  await enqueueMail(deps.db, deps, {
    to: user.email,
    subject: t('workshop.mailSubject', { title: workshop.title }),
    body: t('workshop.mailBody', { title: workshop.title, when, link: workshop.join_url ?? t('workshop.mailNoLink'), page }),
  });
}

/**
 * Takes a seat, or a place in line when the workshop is full: one INSERT … SELECT decides, so
 * concurrent sign-ups can never overbook. Registering again changes nothing.
 */
export async function register(deps: Deps, viewer: Viewer | null, id: number): Promise<{ status: 'registered' | 'waiting'; created: boolean }> {
  if (!viewer) throw unauthenticated();
  const workshop = await findWorkshop(deps, id);
  if (addMinutes(workshop.starts_at, workshop.duration_minutes) <= nowIso(deps)) throw new AppError(409, 'conflict', 'This workshop is over.');
  return deps.db.transaction().execute(async (trx) => {
    // Sign-ups to one workshop take their turn: the count of seats below holds until the commit.
    await lockRow(trx, 'workshop', id);
    const inserted = await sql<{ status: 'registered' | 'waiting' }>`
      INSERT INTO registration (workshop_id, user_id, status, created_at)
      SELECT w.id, ${viewer.user.id},
        CASE WHEN w.capacity IS NULL OR (SELECT count(*) FROM registration r WHERE r.workshop_id = w.id AND r.status = 'registered') < w.capacity
          THEN 'registered' ELSE 'waiting' END,
        ${nowIso(deps)}
      FROM workshop w WHERE w.id = ${id}
      ON CONFLICT (workshop_id, user_id) DO NOTHING
      RETURNING status`.execute(trx);
    if (!inserted.rows.length) {
      const existing = await trx.selectFrom('registration').select('status').where('workshop_id', '=', id).where('user_id', '=', viewer.user.id).executeTakeFirstOrThrow();
      return { status: existing.status, created: false };
    }
    const status = inserted.rows[0].status;
    if (status === 'registered') {
      await joinMail({ ...deps, db: trx }, viewer.user.id, workshop);
      await notify(trx, deps, [viewer.user.id], 'workshop.registered', { title: workshop.title }, `/workshops/${workshop.id}`, { mailed: true });
    }
    return { status, created: true };
  });
}

async function promoteWaiting(deps: Deps, workshop: Pick<Workshop, 'id' | 'title' | 'starts_at' | 'duration_minutes' | 'time_zone' | 'join_url'>, capacity: number | null) {
  for (;;) {
    const taken = await deps.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).where('workshop_id', '=', workshop.id).where('status', '=', 'registered').executeTakeFirstOrThrow();
    if (capacity !== null && Number(taken.n) >= capacity) return;
    const next = await deps.db.selectFrom('registration').select('user_id').where('workshop_id', '=', workshop.id).where('status', '=', 'waiting').orderBy('created_at').orderBy('user_id').executeTakeFirst();
    if (!next) return;
    await deps.db.updateTable('registration').set({ status: 'registered' }).where('workshop_id', '=', workshop.id).where('user_id', '=', next.user_id).execute();
    await joinMail(deps, next.user_id, workshop);
    await notify(deps.db, deps, [next.user_id], 'workshop.promoted', { title: workshop.title }, `/workshops/${workshop.id}`, { mailed: true });
  }
}

/** Gives the seat back (the first in line takes it) or leaves the line. */
export async function unregister(deps: Deps, viewer: Viewer | null, id: number): Promise<void> {
  if (!viewer) throw unauthenticated();
  const workshop = await findWorkshop(deps, id);
  await deps.db.transaction().execute(async (trx) => {
    await lockRow(trx, 'workshop', id);
    const removed = await trx.deleteFrom('registration').where('workshop_id', '=', id).where('user_id', '=', viewer.user.id).returning('status').executeTakeFirst();
    if (removed?.status === 'registered') await promoteWaiting({ ...deps, db: trx }, workshop, workshop.capacity);
  });
}

/** Who registered (organiser and admins only): names, status, order. */
export async function listRegistrations(deps: Deps, viewer: Viewer | null, id: number) {
  const workshop = await findWorkshop(deps, id);
  if (!canManage(viewer, workshop)) throw forbidden('Only the organiser sees who registered.');
  const rows = await deps.db.selectFrom('registration').innerJoin('user', 'user.id', 'registration.user_id')
    .select(['user.name', 'registration.status', 'registration.created_at']).where('workshop_id', '=', id)
    .orderBy('registration.status').orderBy('registration.created_at').execute();
  return rows.map((r) => ({ name: r.name, status: r.status, registeredAt: r.created_at }));
}

/** The workshops I registered for (or wait for), soonest first. */
export async function myWorkshops(deps: Deps, viewer: Viewer, zone: string | null): Promise<WorkshopView[]> {
  const rows = await baseQuery(deps).innerJoin('registration', 'registration.workshop_id', 'workshop.id')
    .where('registration.user_id', '=', viewer.user.id).orderBy('workshop.starts_at').execute();
  const ids = rows.map((r) => r.id);
  const [counts, mine] = await Promise.all([countsFor(deps, ids), myStatuses(deps, viewer, ids)]);
  return rows.map((row) => present(deps, row, counts.get(row.id)!, mine.get(row.id) ?? null, viewer, zone));
}

/** The facilitator's conclusions: the wiki page workshop/<slug>, with its history and comments. */
export async function saveConclusions(deps: Deps, viewer: Viewer | null, id: number, markdown: string, summary?: string) {
  if (!viewer) throw unauthenticated();
  const workshop = await findWorkshop(deps, id);
  if (!canManage(viewer, workshop)) throw forbidden('The organiser writes the conclusions.');
  const path = `workshop/${workshop.slug}`;
  return deps.db.transaction().execute(async (trx) => {
    const saved = await createPageRevision({ ...deps, db: trx }, {
      path, title: workshop.title, markdown, summary: summary ?? '', authorId: viewer.user.id, territoryId: workshop.territory_id, watchedAs: [{ kind: 'workshop', target: String(id) }],
    });
    return { path, revision: saved.number };
  });
}

export async function conclusionsOf(deps: Deps, workshop: Pick<WorkshopView, 'conclusionsPath'>) {
  return getPage(deps, workshop.conclusionsPath).catch((error) => {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  });
}

/** One or several workshops as iCalendar: instants in UTC, so calendar apps place them right in any zone. */
export function workshopsCalendar(deps: Deps, name: string, workshops: WorkshopView[]): string {
  const origin = siteOrigin(deps.config);
  // The calendar's name is not escaped by the library: one line only.
  const calendar = ical({ name: name.replace(/[\r\n\u2028\u2029]+/g, ' '), prodId: { company: 'Spiral Journal', product: 'workshops', language: 'EN' } });
  for (const w of workshops) {
    calendar.createEvent({
      id: `workshop-${w.id}@spiral-journal`,
      start: new Date(w.startsAt),
      end: new Date(w.endsAt),
      summary: w.title,
      description: [w.description, w.joinUrl ? `\n${w.joinUrl}` : ''].join('').trim() || undefined,
      location: w.joinUrl ?? undefined,
      url: `${origin}${w.url}`,
    });
  }
  return calendar.toString();
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret address for my calendar feed (the previous one stops working). */
export async function renewCalendarFeed(deps: Deps, viewer: Viewer | null): Promise<string> {
  if (!viewer) throw unauthenticated();
  const token = `sjcal_${randomBytes(24).toString('base64url')}`;
  await deps.db.insertInto('calendar_feed').values({ user_id: viewer.user.id, token_hash: hashToken(token), created_at: nowIso(deps) })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: hashToken(token), created_at: nowIso(deps) })).execute();
  return token;
}

export async function hasCalendarFeed(deps: Deps, viewer: Viewer): Promise<boolean> {
  return Boolean(await deps.db.selectFrom('calendar_feed').select('user_id').where('user_id', '=', viewer.user.id).executeTakeFirst());
}

/** The calendar of whoever holds this feed secret: the workshops they registered for. */
export async function calendarFeed(deps: Deps, token: string): Promise<string> {
  const row = await deps.db.selectFrom('calendar_feed').innerJoin('user', 'user.id', 'calendar_feed.user_id')
    .select(['user.id', 'user.email', 'user.name', 'user.role', 'user.locale', 'user.time_zone', 'user.disabled_at'])
    .where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.disabled_at) throw notFound('Calendar');
  const viewer: Viewer = { user: row, via: 'token' };
  const workshops = (await myWorkshops(deps, viewer, null)).filter((w) => w.myRegistration === 'registered');
  return workshopsCalendar(deps, `Spiral Journal — ${row.name}`, workshops);
}

/** Workshops of these territories that took place in a period (for assessments). */
export async function workshopsHeld(deps: Deps, territoryIds: number[], from: string, to: string) {
  if (!territoryIds.length) return [];
  const rows = await deps.db.selectFrom('workshop').select(['id', 'title', 'starts_at', 'duration_minutes'])
    .select((eb) => eb.selectFrom('registration').select(eb.fn.countAll<number>().as('n')).whereRef('registration.workshop_id', '=', 'workshop.id').where('registration.status', '=', 'registered').as('participants'))
    .where('territory_id', 'in', territoryIds).where('starts_at', '>=', `${from}T00:00:00Z`).where('starts_at', '<=', `${to}T23:59:59Z`)
    .orderBy('starts_at').execute();
  const now = nowIso(deps);
  return rows.filter((r) => addMinutes(r.starts_at, r.duration_minutes) <= now)
    .map((r) => ({ id: r.id, title: r.title, startsAt: r.starts_at, url: `/workshops/${r.id}`, participants: Number(r.participants ?? 0) }));
}

/** Every workshop of these territories (charters drafted from them belong to the territory). */
export async function workshopIdsOf(deps: Deps, territoryIds: number[]): Promise<number[]> {
  if (!territoryIds.length) return [];
  return (await deps.db.selectFrom('workshop').select('id').where('territory_id', 'in', territoryIds).execute()).map((r) => r.id);
}
