import { likeIgnoringCase } from '../../db/portable.js';
import { sql } from 'kysely';
import type { FlagKind, Role } from '../../db/schema.js';
import { encodePath } from '../markdown/render.js';
import { getChoice, hideChoiceByModerator } from './choices.js';
import { toPagePath } from './page-paths.js';
import { AppError, notFound, unauthenticated } from '../errors.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso, requireAdmin } from './deps.js';

// Blocking an account (admins): it can no longer log in, its sessions end and its tokens are revoked
// at once; what it wrote stays (pages keep their history, and can be reverted). Unblocking lets it log
// in again. Both are in the audit log with the reason.

const ADMINS_ONLY = 'Only admins manage accounts and reports.';

export interface AccountRow {
  id: number;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
  blockedAt: string | null;
}

/** Accounts, newest first, optionally those whose name or e-mail contains `q` (admins only). */
export async function listAccounts(deps: Deps, viewer: Viewer | null, options: { q?: string; limit: number; offset: number }) {
  const admin = requireAdmin(viewer, ADMINS_ONLY);
  let query = deps.db.selectFrom('user').select(['id', 'name', 'email', 'role', 'created_at', 'disabled_at']).orderBy('id', 'desc');
  const q = options.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) => eb.or([likeIgnoringCase(deps.db, sql.ref('name'), pattern), likeIgnoringCase(deps.db, sql.ref('email'), pattern.toLowerCase())]));
  }
  const rows = await query.limit(options.limit + 1).offset(options.offset).execute();
  const accounts: AccountRow[] = rows.slice(0, options.limit).map((r) => ({ id: r.id, name: r.name, email: r.email, role: r.role, createdAt: r.created_at, blockedAt: r.disabled_at }));
  // Names and e-mail addresses are personal data: who looked them up, and for what, is on record.
  await recordAudit(deps, admin.user.id, 'user.list', 'user', { q: q ?? '', offset: options.offset, shown: accounts.length });
  return { accounts, more: rows.length > options.limit };
}

export async function blockAccount(deps: Deps, viewer: Viewer | null, userId: number, reason: string): Promise<void> {
  const admin = requireAdmin(viewer, ADMINS_ONLY);
  if (userId === admin.user.id) throw new AppError(409, 'conflict', 'You cannot block your own account.');
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('user').select(['id', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('Account');
    if (user.disabled_at) return;
    await trx.updateTable('user').set({ disabled_at: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('session').where('user_id', '=', userId).execute();
    await trx.updateTable('access_token').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    await recordAudit({ ...deps, db: trx }, admin.user.id, 'user.block', `user/${userId}`, { reason });
  });
}

export async function unblockAccount(deps: Deps, viewer: Viewer | null, userId: number): Promise<void> {
  const admin = requireAdmin(viewer, ADMINS_ONLY);
  const updated = await deps.db.updateTable('user').set({ disabled_at: null }).where('id', '=', userId).where('disabled_at', 'is not', null).executeTakeFirst();
  if (!Number(updated.numUpdatedRows)) {
    if (!(await deps.db.selectFrom('user').select('id').where('id', '=', userId).executeTakeFirst())) throw notFound('Account');
    return;
  }
  await recordAudit(deps, admin.user.id, 'user.unblock', `user/${userId}`, {});
}

// Reports: anyone signed in reports a wiki page, a comment or a choice they can see, saying why; admins
// see the open reports and hide what breaks the rules (a comment is hidden, a choice becomes private to
// its author; a page is mended with its own history and revert) or close the report.

export interface FlagInput {
  kind: FlagKind;
  ref: string;
  reason: string;
}

async function targetOf(deps: Deps, viewer: Viewer | null, kind: FlagKind, ref: string, asModerator = false): Promise<{ url: string; excerpt: string; path?: string }> {
  if (kind === 'page') {
    const page = await deps.db.selectFrom('page').select(['path', 'title']).where('path', '=', toPagePath(ref)).executeTakeFirst();
    if (!page) throw notFound('Page');
    return { url: `/wiki/${encodePath(page.path)}`, excerpt: page.title, path: page.path };
  }
  const id = Number(ref);
  if (!Number.isInteger(id) || id < 1) throw notFound(kind === 'comment' ? 'Comment' : 'Choice');
  if (kind === 'comment') {
    const comment = await deps.db.selectFrom('comment').innerJoin('page', 'page.id', 'comment.page_id').select(['comment.markdown', 'page.path'])
      .where('comment.id', '=', id).where('comment.hidden_at', 'is', null).executeTakeFirst();
    if (!comment) throw notFound('Comment');
    return { url: `/wiki/${encodePath(comment.path)}#comment-${id}`, excerpt: comment.markdown.slice(0, 200) };
  }
  if (asModerator) {
    // What was reported, as the reporter saw it: moderators judge it even where they could not read it.
    const choice = await deps.db.selectFrom('choice').select(['title', 'description']).where('id', '=', id).executeTakeFirst();
    if (!choice) throw notFound('Choice');
    return { url: `/choices/${id}`, excerpt: `${choice.title} — ${choice.description}`.slice(0, 300) };
  }
  // A choice the reporter cannot see does not exist for them.
  const choice = await getChoice(deps, viewer, id, 'en');
  return { url: `/choices/${id}`, excerpt: choice.title };
}

export async function flagContent(deps: Deps, viewer: Viewer | null, input: FlagInput): Promise<{ id: number; created: boolean }> {
  if (!viewer) throw unauthenticated();
  const ref = input.kind === 'page' ? toPagePath(input.ref) : String(Number(input.ref));
  await targetOf(deps, viewer, input.kind, ref);
  const open = await deps.db.selectFrom('flag').select('id').where('kind', '=', input.kind).where('ref', '=', ref)
    .where('reporter_id', '=', viewer.user.id).where('resolved_at', 'is', null).executeTakeFirst();
  if (open) return { id: open.id, created: false };
  const row = await deps.db.insertInto('flag').values({ kind: input.kind, ref, reason: input.reason, reporter_id: viewer.user.id, created_at: nowIso(deps), resolved_at: null, resolved_by: null, resolution: null })
    .returning('id').executeTakeFirstOrThrow();
  return { id: row.id, created: true };
}

export async function listFlags(deps: Deps, viewer: Viewer | null, options: { status: 'open' | 'all' }) {
  const admin = requireAdmin(viewer, ADMINS_ONLY);
  let query = deps.db.selectFrom('flag').leftJoin('user', 'user.id', 'flag.reporter_id')
    .select(['flag.id', 'flag.kind', 'flag.ref', 'flag.reason', 'flag.created_at', 'flag.resolved_at', 'flag.resolution', 'user.name as reporter'])
    .orderBy('flag.id', 'desc').limit(200);
  if (options.status === 'open') query = query.where('flag.resolved_at', 'is', null);
  const rows = await query.execute();
  const flags = [];
  for (const row of rows) {
    // Admins see every target, hidden or private ones included, to judge them.
    const target = await targetOf(deps, admin, row.kind, row.ref, true).catch(() => ({ url: null as string | null, excerpt: '' }));
    flags.push({ id: row.id, kind: row.kind, ref: row.ref, reason: row.reason, reporter: row.reporter, createdAt: row.created_at, resolvedAt: row.resolved_at, resolution: row.resolution, url: target.url, excerpt: target.excerpt });
  }
  return { flags };
}

/** Hides the reported content (comments and choices) or closes the report; every open report on the same content goes with it. */
export async function resolveFlag(deps: Deps, viewer: Viewer | null, id: number, action: 'hide' | 'close'): Promise<void> {
  const admin = requireAdmin(viewer, ADMINS_ONLY);
  const flag = await deps.db.selectFrom('flag').selectAll().where('id', '=', id).executeTakeFirst();
  if (!flag) throw notFound('Report');
  if (action === 'hide') {
    if (flag.kind === 'page') throw new AppError(409, 'conflict', 'A page is mended with its history (revert), then the report closed.');
    if (flag.kind === 'comment') await deps.db.updateTable('comment').set({ hidden_at: nowIso(deps) }).where('id', '=', Number(flag.ref)).where('hidden_at', 'is', null).execute();
    else await hideChoiceByModerator(deps, admin.user.id, Number(flag.ref));
  }
  await deps.db.updateTable('flag').set({ resolved_at: nowIso(deps), resolved_by: admin.user.id, resolution: action === 'hide' ? 'hidden' : 'closed' })
    .where('kind', '=', flag.kind).where('ref', '=', flag.ref).where('resolved_at', 'is', null).execute();
  await recordAudit(deps, admin.user.id, action === 'hide' ? 'content.hide' : 'report.close', `${flag.kind}/${flag.ref}`, { report: id, reason: flag.reason });
}
