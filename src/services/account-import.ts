import { WATCH_KINDS } from './watchlist.js';
import { FREQUENCIES, NOTIFICATION_CATEGORIES } from './notification-delivery.js';
import { z } from 'zod';
import { cleanText, cleanTitle } from '../text/clean.js';

const Title = z.string().transform(cleanTitle).pipe(z.string().min(1).max(200));
import { AppError, invalid } from '../errors.js';
import { asLocale } from '../i18n/index.js';
import { zodIssues } from '../i18n/issues.js';
import { ACTOR_KINDS, newSecret, normaliseEmail } from './accounts.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION } from './account-export.js';
import { recordAudit } from './audit.js';
import { CHOICE_LEVELS, CHOICE_STATUSES, VISIBILITIES, insertImportedChoice } from './choices.js';
import { syncConfirmed } from './criteria-suggest.js';
import { type Deps, nowIso } from './deps.js';
import { MAX_PAGE_BYTES, canonicalPath, createPageRevision } from './pages.js';
import { namespaceOf } from './page-paths.js';
import { hashPassword } from './passwords.js';
import { taxonomyIndex } from './taxonomy-index.js';
import { TERRITORY_KINDS } from './territories.js';
import { isTimeZone } from './workshop-time.js';

// `journal import`: an archive written by "Export my data" (account-export.ts) becomes an account on
// this instance, in one transaction (a failure imports nothing). Carried over: the profile and consent
// defaults, the actors with their memberships, every choice with its components, results, visibility
// and history (search and summaries kept right), the watchlist, notification preferences and the wiki
// pages the person created whose paths are free here. Not carried over, and reported: what belongs
// to the other instance's groups, workshops and charters (statements, registrations, approvals…), and
// any privilege (roles, coordination): an administrator grants those here.

// Watches of these kinds name a group, workshop or charter by its id on the other instance: meaningless here.
const LOCAL_ID_WATCHES = new Set(['group', 'workshop', 'charter']);
// Pages of these namespaces are written through their feature, which did not come along.
const FEATURE_NAMESPACES = new Set(['group', 'workshop', 'tool', 'charter']);

const Slug = z.string().trim().min(2).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Instant = z.string().min(10).max(40);
const Territory = z.object({ slug: Slug, name: z.string().trim().min(1).max(120), kind: z.enum(TERRITORY_KINDS) });
const Counted = z.array(z.unknown()).default([]);

const ArchiveSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: Instant,
  instance: z.object({ url: z.string().max(500) }).optional(),
  profile: z.object({
    email: z.string().trim().max(254).email(),
    name: z.string().trim().min(1).max(120),
    locale: z.string().max(10),
    timeZone: z.string().max(64).nullable(),
    role: z.string().max(20),
    emailVerifiedAt: Instant.nullable(),
    defaultVisibility: z.enum(VISIBILITIES).default('private'),
    countInSummariesDefault: z.boolean().default(true),
  }),
  actors: z.array(z.object({
    slug: Slug,
    name: z.string().transform(cleanTitle).pipe(z.string().min(1).max(120)),
    kind: z.enum(ACTOR_KINDS),
    primary: z.boolean(),
    homeTerritory: Territory.nullable(),
    memberships: z.array(z.object({ territory: Territory, role: z.enum(['member', 'coordinator']), since: Instant })).default([]),
  })).min(1).max(100),
  choices: z.array(z.object({
    actor: Slug,
    territory: Territory,
    title: Title,
    description: z.string().max(20_000).transform(cleanText).default(''),
    lang: z.string().min(2).max(10),
    madeOn: Day,
    level: z.enum(CHOICE_LEVELS),
    visibility: z.enum(VISIBILITIES),
    countInSummaries: z.boolean(),
    status: z.enum(CHOICE_STATUSES).nullable(),
    followUpOn: Day.nullable(),
    components: z.array(z.string().trim().regex(/^[A-Za-z]\d{2}$/).transform((code) => code.toUpperCase())).min(1).max(20),
    results: z.array(z.object({
      observedOn: Day, text: z.string().max(5000), quantity: z.number().finite().nullable(), unit: z.string().max(40).nullable(), createdAt: Instant,
    })).max(1000).default([]),
    revisions: z.array(z.object({
      number: z.number().int().min(1), action: z.string().min(1).max(40), changed: z.array(z.string().max(40)).max(20),
      snapshot: z.record(z.string(), z.unknown()), byMe: z.boolean(), createdAt: Instant,
    })).max(10_000).default([]),
    createdAt: Instant,
    updatedAt: Instant,
  })),
  pages: z.array(z.object({ path: z.string().min(1).max(300) })).default([]),
  pageRevisions: z.array(z.object({
    path: z.string().min(1).max(300), number: z.number().int().min(1), title: z.string().transform(cleanTitle).pipe(z.string().max(200)), markdown: z.string(), summary: z.string().max(500),
  })).default([]),
  watchlist: z.array(z.object({ kind: z.enum(WATCH_KINDS), target: z.string().min(1).max(300), createdAt: Instant, expiresAt: Instant.nullable() })).default([]),
  notificationPreferences: z.array(z.object({ category: z.enum(NOTIFICATION_CATEGORIES), frequency: z.enum(FREQUENCIES) })).default([]),
  // Kept in the archive for the person, but tied to the other instance: counted, not imported.
  statements: Counted,
  comments: Counted,
  territories: Counted,
  groups: Counted,
  indicatorRatings: Counted,
  workshops: Counted,
  registrations: Counted,
  charters: z.record(z.string(), z.array(z.unknown())).default({}),
  topics: z.record(z.string(), z.array(z.unknown())).default({}),
  tools: z.record(z.string(), z.array(z.unknown())).default({}),
  assessments: Counted,
  reports: Counted,
  notifications: Counted,
});

export type ImportableArchive = z.infer<typeof ArchiveSchema>;

/** Checks a parsed JSON file: format and version first (the clearest errors), then every field imported. */
export function parseArchive(data: unknown): ImportableArchive {
  const head = (typeof data === 'object' && data !== null ? data : {}) as { format?: unknown; version?: unknown };
  if (head.format !== ARCHIVE_FORMAT) {
    throw invalid(`This file is not a Spiral Journal export: its "format" should be "${ARCHIVE_FORMAT}".`, [{ path: 'format', message: 'issue.invalid' }]);
  }
  if (head.version !== ARCHIVE_VERSION) {
    throw invalid(`This archive is version ${JSON.stringify(head.version)}; this instance reads version ${ARCHIVE_VERSION}.`, [{ path: 'version', message: 'issue.invalid' }]);
  }
  const parsed = ArchiveSchema.safeParse(data);
  if (!parsed.success) throw invalid('The archive is not valid: it was changed, cut short or written by another program.', zodIssues(parsed.error));
  return parsed.data;
}

export interface Skipped {
  what: string;
  count: number;
  reason: string;
  refs?: string[];
}

export interface ImportReport {
  user: { id: number; email: string };
  /** Shown once: the person logs in with it and chooses their own password in their settings. */
  temporaryPassword: string;
  imported: {
    actors: number; memberships: number; territoriesCreated: string[]; choices: number; results: number;
    pages: number; watchlist: number; notificationPreferences: number;
  };
  skipped: Skipped[];
}

/** Imports an archive as a new account; `email` replaces the archive's address (which must be free either way). */
export async function importArchive(deps: Deps, data: unknown, options: { email?: string } = {}): Promise<ImportReport> {
  const archive = parseArchive(data);
  const email = normaliseEmail(options.email ?? archive.profile.email);
  if (!z.string().email().safeParse(email).success) throw invalid('This e-mail address is not valid.', [{ path: 'email', message: 'issue.email' }]);
  const index = await taxonomyIndex(deps);
  const temporaryPassword = newSecret();
  const passwordHash = await hashPassword(temporaryPassword);
  const now = nowIso(deps);
  const skipped: Skipped[] = [];
  const skip = (what: string, reason: string, ref?: string) => {
    const entry = skipped.find((s) => s.what === what && s.reason === reason);
    if (entry) {
      entry.count++;
      if (ref) entry.refs = [...(entry.refs ?? []), ref];
    } else skipped.push({ what, count: 1, reason, ...(ref ? { refs: [ref] } : {}) });
  };
  // My latest revision of each page path: what a page I created is imported with.
  const latest = new Map<string, ImportableArchive['pageRevisions'][number]>();
  for (const revision of archive.pageRevisions) {
    if ((latest.get(revision.path)?.number ?? 0) < revision.number) latest.set(revision.path, revision);
  }

  const result = await deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    if (await trx.selectFrom('user').select('id').where('email', '=', email).executeTakeFirst()) {
      throw new AppError(409, 'conflict', `An account already uses ${email}: choose another address with --email.`);
    }
    const profile = archive.profile;
    const timeZone = profile.timeZone && isTimeZone(profile.timeZone) ? profile.timeZone : null;
    const user = await trx.insertInto('user').values({
      email, password_hash: passwordHash, name: profile.name, role: 'member', locale: asLocale(profile.locale), time_zone: timeZone,
      created_at: now, disabled_at: null,
      // A confirmed address stays confirmed only if it is the same address.
      email_verified_at: email === normaliseEmail(profile.email) && profile.emailVerifiedAt ? now : null,
      default_visibility: profile.defaultVisibility, count_in_summaries_default: profile.countInSummariesDefault ? 1 : 0,
    }).returning(['id', 'email']).executeTakeFirstOrThrow();
    if (profile.role !== 'member') skip('role', `the role “${profile.role}” is not carried over: an administrator grants it here`);

    const pathTaken = async (path: string) => Boolean(await trx.selectFrom('page').select('id').where('path', '=', path).executeTakeFirst());
    const territories = new Map<string, { id: number; slug: string }>();
    const territoriesCreated: string[] = [];
    const territory = async (ref: z.infer<typeof Territory>) => {
      const known = territories.get(ref.slug) ?? await trx.selectFrom('territory').select(['id', 'slug']).where('slug', '=', ref.slug).executeTakeFirst();
      if (known) {
        territories.set(ref.slug, known);
        return known;
      }
      // A territory this instance lacks starts at the top of the tree; an administrator may move it.
      const created = await trx.insertInto('territory').values({ slug: ref.slug, name: ref.name, kind: ref.kind, parent_id: null, created_at: now, created_by: null })
        .returning(['id', 'slug']).executeTakeFirstOrThrow();
      const path = `territory/${ref.slug}`;
      const page = latest.get(path);
      // Never a revision on someone else's page: a page already at this path stays as it is.
      if (!(await pathTaken(path))) {
        await createPageRevision(tx, {
          path, title: ref.name, markdown: page?.markdown ?? `# ${ref.name}\n`, summary: 'Territorial page created (import)', authorId: page ? user.id : null, territoryId: created.id,
        });
      }
      territories.set(ref.slug, created);
      territoriesCreated.push(ref.slug);
      return created;
    };

    // Actors: their slugs when free here, otherwise a new one from the name; each with its own page.
    const actors = new Map<string, { id: number; kind: string; slug: string }>();
    const donePages = new Set<string>();
    let memberships = 0;
    const primaryIndex = Math.max(0, archive.actors.findIndex((a) => a.primary));
    for (const [i, a] of archive.actors.entries()) {
      if (actors.has(a.slug)) continue;
      const home = a.homeTerritory ? await territory(a.homeTerritory) : null;
      let slug = a.slug;
      for (let n = 2; (await trx.selectFrom('actor').select('id').where('slug', '=', slug).executeTakeFirst()) || (await pathTaken(`actor/${slug}`)); n++) slug = `${a.slug}-${n}`;
      const actor = await trx.insertInto('actor').values({ slug, name: a.name, kind: a.kind, home_territory_id: home?.id ?? null, created_at: now })
        .returning(['id', 'kind', 'slug']).executeTakeFirstOrThrow();
      await trx.insertInto('user_actor').values({ user_id: user.id, actor_id: actor.id, is_primary: i === primaryIndex ? 1 : 0 }).execute();
      actors.set(a.slug, actor);
      const page = latest.get(`actor/${a.slug}`);
      await createPageRevision(tx, {
        path: `actor/${slug}`, title: a.name, markdown: page?.markdown ?? `# ${a.name}\n`, summary: 'Personal page created (import)', authorId: user.id,
        ownerActorId: actor.id, territoryId: home?.id ?? null,
      });
      donePages.add(`actor/${a.slug}`);
      const wanted = [...a.memberships, ...(a.homeTerritory ? [{ territory: a.homeTerritory, role: 'member' as const, since: now }] : [])];
      for (const m of wanted) {
        const t = await territory(m.territory);
        // Coordinating gives rights over other people's territory choices: never granted by a file; and
        // belonging to a territory here is for its coordinators to accept, as for anyone who joins.
        if (m.role === 'coordinator') skip('coordination', 'coordinating a territory is not carried over: an administrator grants it here', m.territory.slug);
        const added = await trx.insertInto('membership').values({ actor_id: actor.id, territory_id: t.id, role: 'member', status: 'pending', created_at: m.since })
          .onConflict((oc) => oc.columns(['actor_id', 'territory_id']).doNothing()).executeTakeFirst();
        memberships += Number(added.numInsertedOrUpdatedRows ?? 0);
      }
    }

    let choices = 0;
    let results = 0;
    const taught: { id: number; actorId: number; text: string; lang: string; components: string[] }[] = [];
    for (const c of archive.choices) {
      const actor = actors.get(c.actor);
      if (!actor) {
        skip('choice', 'its actor is not in the archive', c.title);
        continue;
      }
      const components = [...new Set(c.components)].filter((code) => index.components.has(code));
      if (!components.length) {
        skip('choice', 'none of its components is in this instance’s criteria', c.title);
        continue;
      }
      if (components.length < new Set(c.components).size) skip('component', 'not in this instance’s criteria (the choice kept its other components)', c.title);
      const t = await territory(c.territory);
      const id = await insertImportedChoice(tx, index, {
        actorId: actor.id, actorKind: actor.kind, territoryId: t.id, territorySlug: t.slug, authorId: user.id,
        title: c.title, description: c.description, lang: c.lang, madeOn: c.madeOn, level: c.level, visibility: c.visibility,
        countInSummaries: c.countInSummaries, status: c.status, followUpOn: c.followUpOn, components,
        results: c.results.map((r) => ({ observedOn: r.observedOn, text: r.text, quantity: r.quantity, unit: r.unit, createdAt: r.createdAt })),
        revisions: [...c.revisions].sort((x, y) => x.number - y.number).map((r) => ({ action: r.action, changed: r.changed, snapshot: r.snapshot, mine: r.byMe, createdAt: r.createdAt })),
        createdAt: c.createdAt, updatedAt: c.updatedAt,
      });
      choices++;
      results += c.results.length;
      if (c.visibility === 'public') taught.push({ id, actorId: actor.id, text: `${c.title}\n${c.description}`, lang: c.lang, components });
    }

    // Pages I created, with my latest text of each, where the path is free here.
    let pages = 0;
    for (const { path } of archive.pages) {
      if (donePages.has(path)) continue;
      const revision = latest.get(path);
      let canonical: string | null = null;
      try {
        canonical = canonicalPath(path);
      } catch {
        canonical = null;
      }
      const namespace = canonical ? namespaceOf(canonical) : null;
      if (!revision) skip('page', 'none of its revisions is in the archive', path);
      else if (canonical !== path) skip('page', 'its path is not valid here', path);
      else if (namespace && FEATURE_NAMESPACES.has(namespace)) skip('page', 'it belongs to a group, workshop, tool or charter of the other instance', path);
      else if (namespace === 'actor' || namespace === 'territory') skip('page', 'it is the page of an actor or territory that did not come along', path);
      else if (Buffer.byteLength(revision.markdown) > MAX_PAGE_BYTES) skip('page', 'it is longer than a page may be', path);
      else if (await pathTaken(path)) skip('page', 'a page already has this path here', path);
      else {
        await createPageRevision(tx, { path, title: revision.title || path, markdown: revision.markdown, summary: 'Imported', authorId: user.id });
        pages++;
      }
    }

    let watchlist = 0;
    for (const w of archive.watchlist) {
      // Stored as the watch service stores them: instants in ISO form, component codes in capitals.
      const expiresAt = w.expiresAt ? new Date(w.expiresAt).toISOString() : null;
      const target = w.kind === 'component' ? w.target.toUpperCase() : w.target;
      if (LOCAL_ID_WATCHES.has(w.kind)) skip('watch', 'it names a group, workshop or charter of the other instance', `${w.kind}:${w.target}`);
      else if (expiresAt && expiresAt <= now) skip('watch', 'it has expired', `${w.kind}:${w.target}`);
      else {
        const added = await trx.insertInto('watch').values({ user_id: user.id, kind: w.kind, target, created_at: new Date(w.createdAt).toISOString(), expires_at: expiresAt })
          .onConflict((oc) => oc.columns(['user_id', 'kind', 'target']).doNothing()).executeTakeFirst();
        watchlist += Number(added.numInsertedOrUpdatedRows ?? 0);
      }
    }
    let notificationPreferences = 0;
    for (const p of archive.notificationPreferences) {
      await trx.insertInto('notification_preference').values({ user_id: user.id, category: p.category, frequency: p.frequency })
        .onConflict((oc) => oc.columns(['user_id', 'category']).doUpdateSet({ frequency: p.frequency })).execute();
      notificationPreferences++;
    }

    const elsewhere = 'it belongs to the other instance (its groups, workshops, charters, topics or tools); it stays in the archive';
    const counts: [string, number][] = [
      ['statement', archive.statements.length], ['comment', archive.comments.length], ['registration', archive.registrations.length],
      ['group', archive.groups.length], ['workshop', archive.workshops.length], ['indicator rating', archive.indicatorRatings.length],
      ['assessment', archive.assessments.length], ['report', archive.reports.length], ['notification', archive.notifications.length],
      ...Object.entries(archive.charters).map(([key, list]): [string, number] => [`charter ${key}`, list.length]),
      ...Object.entries(archive.topics).map(([key, list]): [string, number] => [`topic ${key}`, list.length]),
      ...Object.entries(archive.tools).map(([key, list]): [string, number] => [`tool ${key}`, list.length]),
    ];
    for (const [what, count] of counts) if (count) skipped.push({ what, count, reason: elsewhere });

    const imported = { actors: actors.size, memberships, territoriesCreated, choices, results, pages, watchlist, notificationPreferences };
    await recordAudit(tx, null, 'user.import', `user/${user.id}`, { from: archive.instance?.url ?? null, exportedAt: archive.exportedAt, ...imported, territoriesCreated: territoriesCreated.length });
    return { user, imported, taught };
  });
  // The suggestions learn from public choices once they are committed (as after createChoice).
  for (const choice of result.taught) {
    syncConfirmed(deps, `choice:${choice.id}`, { text: choice.text, lang: asLocale(choice.lang), components: choice.components }, choice.actorId);
  }
  return { user: result.user, temporaryPassword, imported: result.imported, skipped };
}
