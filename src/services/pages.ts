import { diffWordsWithSpace } from 'diff';
import type { Page, WatchKind } from '../../db/schema.js';
import { indexDocument } from '../../db/search-index.js';
import { AppError, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { encodePath, markMissingLinks, markdownToText, renderMarkdown } from '../markdown/render.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { RESERVED_LAST_SEGMENTS, namespaceOf, titleFromPath, toPagePath } from './page-paths.js';
import { recordAudit } from './audit.js';
import { DerivedCache } from '../derived-cache.js';
import { dataVersion } from '../../db/database.js';
import { coordinatedIds, descendantIds } from './territories.js';
import { requireVerifiedToPublish } from './publishing.js';
import { announce, territoryTargets } from './watchlist.js';

export const MAX_PAGE_BYTES = 512 * 1024;
// Namespaces whose pages belong to a feature (groups, workshops…) and are written through it.
const FEATURE_NAMESPACES = new Set(['group', 'workshop', 'tool', 'charter']);

export interface DiffPart {
  type: 'added' | 'removed' | 'same';
  text: string;
}

/** Validates and canonicalises a path given by a client. */
export function canonicalPath(raw: string): string {
  const path = toPagePath(raw);
  if (!path) throw invalid('The page path is empty or has no letters or digits.', [{ path: 'path', message: 'invalid' }]);
  const last = path.split('/').pop()!;
  if (RESERVED_LAST_SEGMENTS.has(last)) throw invalid(`A page path cannot end with "${last}".`, [{ path: 'path', message: 'reserved' }]);
  return path;
}

async function findPage(deps: Deps, path: string): Promise<Page | undefined> {
  return deps.db.selectFrom('page').selectAll().where('path', '=', path).executeTakeFirst();
}

async function requirePage(deps: Deps, path: string): Promise<Page> {
  const page = await findPage(deps, path);
  if (!page) throw notFound('Page');
  return page;
}

async function isOwner(deps: Deps, viewer: Viewer, page: Pick<Page, 'owner_actor_id'>): Promise<boolean> {
  if (!page.owner_actor_id) return false;
  const link = await deps.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', viewer.user.id).where('actor_id', '=', page.owner_actor_id).executeTakeFirst();
  return Boolean(link);
}

/** The territory a page belongs to: its own, or the one a territorial page is named after. */
async function territoryOfPage(deps: Deps, page: Pick<Page, 'territory_id' | 'namespace' | 'path'>): Promise<number | null> {
  if (page.territory_id !== null) return page.territory_id;
  if (page.namespace !== 'territory') return null;
  const slug = page.path.split('/')[1] ?? '';
  return (await deps.db.selectFrom('territory').select('id').where('slug', '=', slug).executeTakeFirst())?.id ?? null;
}

/**
 * Who moderates a page (edits it while protected, reverts it, protects it): admins anywhere; a coordinator
 * only on pages of the territories they coordinate and those below. Nobody but an admin moderates a
 * personal page: a coordinator must not be able to lock someone out of their own page.
 */
async function mayModerate(deps: Deps, viewer: Viewer, page: Page | null | undefined): Promise<boolean> {
  if (viewer.user.role === 'admin') return true;
  if (!page || page.namespace === 'actor') return false;
  const territoryId = await territoryOfPage(deps, page);
  return territoryId !== null && (await coordinatedIds(deps, viewer.user.id)).has(territoryId);
}

export interface PagePermissions {
  edit: boolean;
  revert: boolean;
  protect: boolean;
  comment: boolean;
}

/** What a viewer may do with a page (or with a page that does not exist yet at this path). */
export async function pagePermissions(deps: Deps, viewer: Viewer | null, path: string, page?: Page | null): Promise<PagePermissions & { reason?: string }> {
  if (!viewer) return { edit: false, revert: false, protect: false, comment: false, reason: 'login' };
  const existing = page === undefined ? await findPage(deps, path) : page;
  const admin = viewer.user.role === 'admin';
  const namespace = namespaceOf(path);
  const owner = existing ? await isOwner(deps, viewer, existing) : false;
  let edit = true;
  let reason: string | undefined;
  if (namespace === 'actor') {
    edit = admin || owner;
    if (!edit) reason = 'personal';
  } else if (FEATURE_NAMESPACES.has(namespace)) {
    edit = admin;
    if (!edit) reason = 'feature';
  } else if (namespace === 'territory' && !existing) {
    edit = false;
    reason = 'territory';
  }
  const moderator = await mayModerate(deps, viewer, existing);
  if (existing?.protected && !moderator) {
    edit = false;
    reason = 'protected';
  }
  return {
    edit,
    revert: Boolean(existing) && edit && (moderator || owner),
    protect: Boolean(existing) && moderator,
    comment: Boolean(existing),
    reason,
  };
}

export interface NewRevision {
  path: string;
  title: string;
  markdown: string;
  summary: string;
  authorId: number | null;
  ownerActorId?: number | null;
  territoryId?: number | null;
  revertedTo?: number | null;
  /** What else this page stands for, for watchers (a workshop's conclusions), before the page itself. */
  watchedAs?: { kind: WatchKind; target: string }[];
}

/**
 * Appends a revision (creating the page on its first one), renders and stores its HTML, refreshes the
 * links table and the search index. Callers own the transaction and the permission check.
 */
export async function createPageRevision(deps: Deps, input: NewRevision): Promise<{ page: Page; number: number }> {
  const now = nowIso(deps);
  const rendered = renderMarkdown(input.markdown);
  let page = await findPage(deps, input.path);
  const number = (page?.current_revision ?? 0) + 1;
  if (!page) {
    page = await deps.db
      .insertInto('page')
      .values({
        path: input.path, namespace: namespaceOf(input.path), title: input.title, current_revision: number, protected: 0,
        owner_actor_id: input.ownerActorId ?? null, territory_id: input.territoryId ?? null, created_at: now, updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } else {
    page = await deps.db
      .updateTable('page')
      .set({ title: input.title, current_revision: number, updated_at: now })
      .where('id', '=', page.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  await deps.db.insertInto('page_revision').values({
    page_id: page.id, number, title: input.title, markdown: input.markdown, html: rendered.html, summary: input.summary,
    author_id: input.authorId, created_at: now, size: Buffer.byteLength(input.markdown), reverted_to: input.revertedTo ?? null,
  }).execute();
  await deps.db.deleteFrom('page_link').where('page_id', '=', page.id).execute();
  if (rendered.links.length) {
    await deps.db.insertInto('page_link').values(rendered.links.map((target) => ({ page_id: page!.id, target_path: target }))).execute();
  }
  await indexDocument(deps.db, { kind: 'page', ref: page.path, title: input.title, body: markdownToText(input.markdown) });
  await announcePageRevision(deps, page, number, input.authorId, input.watchedAs ?? []);
  return { page, number };
}

/** Tells those watching the page, or the territory it belongs to (or one above it). */
async function announcePageRevision(deps: Deps, page: Page, number: number, authorId: number | null, watchedAs: { kind: WatchKind; target: string }[]) {
  let territoryId = page.territory_id;
  if (territoryId === null && page.namespace === 'territory') {
    const slug = page.path.split('/')[1] ?? '';
    territoryId = (await deps.db.selectFrom('territory').select('id').where('slug', '=', slug).executeTakeFirst())?.id ?? null;
  }
  const author = authorId ? await deps.db.selectFrom('user').select('name').where('id', '=', authorId).executeTakeFirst() : undefined;
  await announce(deps, {
    targets: [...watchedAs, { kind: 'page', target: page.path }, ...(await territoryTargets(deps, territoryId))],
    kind: 'watch.pageEdited', params: { title: page.title, author: author?.name ?? '—', revision: number },
    url: number > 1 ? `/wiki/${encodePath(page.path)}?action=diff&from=${number - 1}&to=${number}` : `/wiki/${encodePath(page.path)}`,
    authorId,
  });
}

export interface SavePageInput {
  title?: string;
  markdown: string;
  summary?: string;
  baseRevision?: number;
}

export async function savePage(deps: Deps, viewer: Viewer | null, rawPath: string, input: SavePageInput) {
  if (!viewer) throw unauthenticated();
  await requireVerifiedToPublish(deps, viewer);
  const path = canonicalPath(rawPath);
  if (Buffer.byteLength(input.markdown) > MAX_PAGE_BYTES) {
    throw new AppError(413, 'payload_too_large', 'A page can hold at most 512 KB of text.');
  }
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const page = await findPage(tx, path);
    const permissions = await pagePermissions(tx, viewer, path, page ?? null);
    if (!permissions.edit) throw forbidden(editDeniedMessage(permissions.reason));
    const current = page?.current_revision ?? 0;
    if (input.baseRevision !== undefined && input.baseRevision !== current) {
      throw await editConflict(tx, page, input);
    }
    const title = (input.title?.trim() || page?.title || titleFromPath(path)).slice(0, 200);
    if (page) {
      const latest = await trx.selectFrom('page_revision').select(['markdown', 'title']).where('page_id', '=', page.id).where('number', '=', current).executeTakeFirstOrThrow();
      if (latest.markdown === input.markdown && latest.title === title) {
        return { path, revision: current, created: false, changed: false };
      }
    }
    const result = await createPageRevision(tx, { path, title, markdown: input.markdown, summary: (input.summary ?? '').slice(0, 500), authorId: viewer.user.id });
    return { path, revision: result.number, created: !page, changed: true };
  });
}

function editDeniedMessage(reason: string | undefined): string {
  switch (reason) {
    case 'personal': return 'Only its owner can edit a personal page.';
    case 'feature': return 'Pages in this namespace are written through their feature (groups, workshops, tools, charters).';
    case 'territory': return 'Territorial pages are created with their territory.';
    case 'protected': return 'This page is protected: only coordinators of its territory and admins can edit it.';
    default: return 'You are not allowed to edit this page.';
  }
}

async function editConflict(deps: Deps, page: Page | undefined, input: SavePageInput): Promise<AppError> {
  if (!page) {
    return new AppError(409, 'edit_conflict', 'This page does not exist any more at the revision you started from.', { currentRevision: 0, baseRevision: input.baseRevision });
  }
  const revisions = await deps.db
    .selectFrom('page_revision')
    .leftJoin('user', 'user.id', 'page_revision.author_id')
    .select(['page_revision.number', 'page_revision.markdown', 'page_revision.summary', 'page_revision.created_at', 'user.name as author'])
    .where('page_id', '=', page.id)
    .where('number', 'in', [input.baseRevision ?? 0, page.current_revision])
    .execute();
  const base = revisions.find((r) => r.number === input.baseRevision);
  const current = revisions.find((r) => r.number === page.current_revision)!;
  const newer = await deps.db
    .selectFrom('page_revision')
    .leftJoin('user', 'user.id', 'page_revision.author_id')
    .select(['page_revision.number', 'page_revision.summary', 'page_revision.created_at', 'user.name as author'])
    .where('page_id', '=', page.id)
    .where('number', '>', input.baseRevision ?? 0)
    .orderBy('number')
    .execute();
  return new AppError(409, 'edit_conflict', `Someone saved this page since revision ${input.baseRevision}: it is now at revision ${page.current_revision}. Your text was not saved; merge it with theirs and save again.`, {
    baseRevision: input.baseRevision,
    currentRevision: page.current_revision,
    currentMarkdown: current.markdown,
    changesSinceBase: newer,
    diff: base ? diffParts(base.markdown, current.markdown) : null,
  });
}

export function diffParts(from: string, to: string): DiffPart[] {
  return diffWordsWithSpace(from, to).map((part) => ({ type: part.added ? 'added' : part.removed ? 'removed' : 'same', text: part.value }));
}

/** A page as readers see it, wiki links to missing pages marked. */
// A page read is the same for every reader (permissions are worked out apart): keep it until the next write.
const pageCaches = new WeakMap<object, DerivedCache<Awaited<ReturnType<typeof loadPage>>>>();

export async function getPage(deps: Deps, rawPath: string, revisionNumber?: number) {
  const path = toPagePath(rawPath);
  let cache = pageCaches.get(deps.db);
  if (!cache) pageCaches.set(deps.db, (cache = new DerivedCache(deps.clock, { maxEntries: 500, maxBytes: 16 * 1024 * 1024, ttlMs: 10 * 60_000, sizeOf: (p) => 2 * (p.revision.markdown.length + p.revision.html.length) })));
  return cache.getOrCompute(deps.db, `${path}#${revisionNumber ?? ''}`, () => loadPage(deps, path, revisionNumber));
}

/**
 * An ETag for a page as one reader sees it, without hashing the body: the journal's version (links to
 * pages created since turn blue) and what this reader may do fix the answer.
 */
export function pageValidator(deps: Deps, pageId: number, revision: number, can: Omit<PagePermissions, 'reason'>): string | null {
  const version = dataVersion(deps.db);
  return version && `W/"page-${pageId}-${revision}-${version}-${[can.edit, can.revert, can.protect, can.comment].map(Number).join('')}"`;
}

async function loadPage(deps: Deps, path: string, revisionNumber?: number) {
  const page = await requirePage(deps, path);
  const number = revisionNumber ?? page.current_revision;
  const revision = await deps.db
    .selectFrom('page_revision')
    .leftJoin('user', 'user.id', 'page_revision.author_id')
    .select(['page_revision.number', 'page_revision.title', 'page_revision.markdown', 'page_revision.html', 'page_revision.summary', 'page_revision.created_at', 'user.name as author'])
    .where('page_id', '=', page.id)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!revision) throw notFound('Revision');
  const missing = await deps.db
    .selectFrom('page_link')
    .leftJoin('page as target', 'target.path', 'page_link.target_path')
    .select('page_link.target_path')
    .where('page_link.page_id', '=', page.id)
    .where('target.id', 'is', null)
    .execute();
  return {
    page,
    revision: { ...revision, html: markMissingLinks(revision.html, new Set(missing.map((m) => m.target_path))) },
    isCurrent: number === page.current_revision,
  };
}

export async function pageExists(deps: Deps, path: string): Promise<boolean> {
  return Boolean(await findPage(deps, path));
}

export async function listRevisions(deps: Deps, rawPath: string, options: { limit: number; before?: number }) {
  const page = await requirePage(deps, toPagePath(rawPath));
  let query = deps.db
    .selectFrom('page_revision')
    .leftJoin('user', 'user.id', 'page_revision.author_id')
    .select(['page_revision.number', 'page_revision.title', 'page_revision.summary', 'page_revision.created_at', 'page_revision.size', 'page_revision.reverted_to', 'user.name as author'])
    .where('page_id', '=', page.id)
    .orderBy('number', 'desc')
    .limit(options.limit);
  if (options.before) query = query.where('number', '<', options.before);
  const revisions = await query.execute();
  return { page, revisions, nextBefore: revisions.length === options.limit ? revisions[revisions.length - 1].number : null };
}

export async function diffRevisions(deps: Deps, rawPath: string, from: number, to: number) {
  const page = await requirePage(deps, toPagePath(rawPath));
  const rows = await deps.db
    .selectFrom('page_revision')
    .leftJoin('user', 'user.id', 'page_revision.author_id')
    .select(['page_revision.number', 'page_revision.title', 'page_revision.markdown', 'page_revision.summary', 'page_revision.created_at', 'user.name as author'])
    .where('page_id', '=', page.id)
    .where('number', 'in', [from, to])
    .execute();
  const a = rows.find((r) => r.number === from);
  const b = rows.find((r) => r.number === to);
  if (!a || !b) throw notFound('Revision');
  const parts = diffParts(a.markdown, b.markdown);
  const count = (type: DiffPart['type']) => parts.filter((p) => p.type === type).reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0);
  const meta = ({ markdown: _m, ...rest }: typeof a) => rest;
  return { page, from: meta(a), to: meta(b), parts, stats: { wordsAdded: count('added'), wordsRemoved: count('removed') }, titleChanged: a.title !== b.title };
}

export async function revertPage(deps: Deps, viewer: Viewer | null, rawPath: string, revisionNumber: number) {
  if (!viewer) throw unauthenticated();
  const path = toPagePath(rawPath);
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const page = await requirePage(tx, path);
    const permissions = await pagePermissions(tx, viewer, path, page);
    if (!permissions.revert) throw forbidden('Only coordinators of its territory, admins and the owner of a personal page can revert it.');
    const target = await trx.selectFrom('page_revision').select(['title', 'markdown']).where('page_id', '=', page.id).where('number', '=', revisionNumber).executeTakeFirst();
    if (!target) throw notFound('Revision');
    if (revisionNumber === page.current_revision) throw new AppError(409, 'conflict', 'This revision is already the current one.');
    const result = await createPageRevision(tx, { path, title: target.title, markdown: target.markdown, summary: `Reverted to revision ${revisionNumber}`, authorId: viewer.user.id, revertedTo: revisionNumber });
    return { path, revision: result.number };
  });
}

/** Protects a page (or lifts it), recording who and why in the audit log. */
export async function setPageProtection(deps: Deps, viewer: Viewer | null, rawPath: string, isProtected: boolean, reason?: string) {
  if (!viewer) throw unauthenticated();
  const path = toPagePath(rawPath);
  return deps.db.transaction().execute(async (trx) => {
    const tx = { ...deps, db: trx };
    const page = await requirePage(tx, path);
    const permissions = await pagePermissions(tx, viewer, path, page);
    if (!permissions.protect) {
      throw forbidden(page.namespace === 'actor' ? 'Only admins can protect a personal page.' : 'Only coordinators of its territory and admins can protect this page.');
    }
    await trx.updateTable('page').set({ protected: isProtected ? 1 : 0 }).where('id', '=', page.id).execute();
    await recordAudit(tx, viewer.user.id, isProtected ? 'page.protect' : 'page.unprotect', `page/${path}`, { reason: reason?.trim() || null });
    return { path, protected: isProtected };
  });
}

export async function backlinks(deps: Deps, rawPath: string) {
  const path = toPagePath(rawPath);
  return deps.db
    .selectFrom('page_link')
    .innerJoin('page', 'page.id', 'page_link.page_id')
    .select(['page.path', 'page.title'])
    .where('page_link.target_path', '=', path)
    .orderBy('page.title')
    .execute();
}

export interface RecentChangesQuery {
  limit: number;
  before?: string;
  territorySlug?: string;
}

/** Latest revisions across the wiki, or across one territory and its descendants. */
export async function recentChanges(deps: Deps, query: RecentChangesQuery) {
  let q = deps.db
    .selectFrom('page_revision')
    .innerJoin('page', 'page.id', 'page_revision.page_id')
    .leftJoin('user', 'user.id', 'page_revision.author_id')
    .select(['page.path', 'page_revision.title', 'page_revision.number', 'page_revision.summary', 'page_revision.created_at', 'page_revision.size', 'page_revision.id', 'user.name as author'])
    .orderBy('page_revision.created_at', 'desc')
    .orderBy('page_revision.id', 'desc')
    .limit(query.limit);
  if (query.before) q = q.where('page_revision.created_at', '<', query.before);
  if (query.territorySlug) {
    const ids = await descendantIds(deps, query.territorySlug);
    q = q.where('page.territory_id', 'in', ids.length ? ids : [-1]);
  }
  return q.execute();
}

export async function listComments(deps: Deps, rawPath: string) {
  const page = await requirePage(deps, toPagePath(rawPath));
  return deps.db
    .selectFrom('comment')
    .innerJoin('user', 'user.id', 'comment.author_id')
    .select(['comment.id', 'comment.markdown', 'comment.html', 'comment.created_at', 'user.name as author'])
    .where('page_id', '=', page.id)
    .where('comment.hidden_at', 'is', null)
    .orderBy('comment.created_at')
    .orderBy('comment.id')
    .execute();
}

export async function addComment(deps: Deps, viewer: Viewer | null, rawPath: string, markdown: string) {
  if (!viewer) throw unauthenticated();
  await requireVerifiedToPublish(deps, viewer);
  const page = await requirePage(deps, toPagePath(rawPath));
  const text = markdown.trim();
  if (!text) throw invalid('A comment cannot be empty.', [{ path: 'markdown', message: 'empty' }]);
  const { html } = renderMarkdown(text);
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('comment')
      .values({ page_id: page.id, author_id: viewer.user.id, markdown: text, html, created_at: nowIso(deps) })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await announce({ ...deps, db: trx }, {
      targets: [{ kind: 'page', target: page.path }], kind: 'watch.commentAdded', params: { title: page.title, author: viewer.user.name },
      url: `/wiki/${encodePath(page.path)}#comment-${inserted.id}`, authorId: viewer.user.id,
    });
    return inserted;
  });
  return { id: row.id, markdown: text, html, createdAt: row.created_at, author: viewer.user.name };
}

export async function listAllPages(deps: Deps, options: { limit: number; offset: number; namespace?: string }) {
  let q = deps.db.selectFrom('page').select(['path', 'title', 'namespace', 'updated_at']).orderBy('title').limit(options.limit).offset(options.offset);
  if (options.namespace) q = q.where('namespace', '=', options.namespace);
  return q.execute();
}
