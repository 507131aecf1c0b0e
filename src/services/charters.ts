import { announce } from './watchlist.js';
import type { Charter } from '../../db/schema.js';
import { indexDocument } from '../../db/search-index.js';
import { lockRow } from '../../db/portable.js';
import { AppError, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { renderMarkdown } from '../markdown/render.js';
import { recordAudit } from './audit.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { notify } from './notices.js';
import { diffParts } from './pages.js';
import { canOrganise, findWorkshop } from './workshops.js';
import { requireVerifiedToPublish } from './publishing.js';

// Charters (seed 003): drafted from a workshop's conclusions and adopted only when every participant
// approves. Participants are the workshop's registrants, the drafter, and whoever joins. An approval
// or objection names one exact version; a new version voids every earlier decision and tells the
// participants; once every participant approved the current version the charter is adopted, shows
// its signatories and date, and becomes read-only. Actors may then sign it.

const conflict = (message: string) => new AppError(409, 'conflict', message);

export async function findCharter(deps: Deps, id: number): Promise<Charter> {
  const row = await deps.db.selectFrom('charter').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Charter');
  return row;
}

async function participantIds(deps: Deps, charterId: number): Promise<number[]> {
  return (await deps.db.selectFrom('charter_participant').select('user_id').where('charter_id', '=', charterId).execute()).map((r) => r.user_id);
}

const isParticipant = async (deps: Deps, charterId: number, userId: number) =>
  Boolean(await deps.db.selectFrom('charter_participant').select('user_id').where('charter_id', '=', charterId).where('user_id', '=', userId).executeTakeFirst());

const mayDecide = (viewer: Viewer, charter: Charter) => viewer.user.id === charter.drafter_id || viewer.user.role === 'admin';

export async function createCharter(deps: Deps, viewer: Viewer | null, input: { title: string; markdown: string; workshop?: number | null; summary?: string }): Promise<number> {
  if (!viewer) throw unauthenticated();
  await requireVerifiedToPublish(deps, viewer);
  const workshop = input.workshop ? await findWorkshop(deps, input.workshop).catch(() => { throw invalid('Unknown workshop.', [{ path: 'workshop', message: 'not_found' }]); }) : null;
  // From a workshop, only its organiser (or an admin): its registrants become participants.
  if (workshop && workshop.organiser_id !== viewer.user.id && viewer.user.role !== 'admin') throw forbidden('The workshop’s organiser drafts its charter.');
  if (!workshop && !canOrganise(viewer)) throw forbidden('Facilitators draft charters.');
  const now = nowIso(deps);
  return deps.db.transaction().execute(async (trx) => {
    const charter = await trx.insertInto('charter').values({
      title: input.title.trim(), workshop_id: workshop?.id ?? null, drafter_id: viewer.user.id, status: 'draft', current_version: 1, adopted_at: null, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('charter_version').values({
      charter_id: charter.id, number: 1, markdown: input.markdown, html: renderMarkdown(input.markdown).html, summary: input.summary ?? '', author_id: viewer.user.id, amendment_id: null, created_at: now,
    }).execute();
    // The drafter and the workshop's registered participants take part.
    const registrants = workshop ? (await trx.selectFrom('registration').select('user_id').where('workshop_id', '=', workshop.id).where('status', '=', 'registered').execute()).map((r) => r.user_id) : [];
    const people = [...new Set([viewer.user.id, ...registrants])];
    await trx.insertInto('charter_participant').values(people.map((user_id) => ({ charter_id: charter.id, user_id, joined_at: now }))).execute();
    await notify(trx, deps, people.filter((id) => id !== viewer.user.id), 'charter.approvalRequested', { title: input.title.trim(), version: 1 }, `/charters/${charter.id}`);
    await indexDocument(trx, { kind: 'charter', ref: String(charter.id), title: input.title.trim(), body: input.markdown });
    await recordAudit({ ...deps, db: trx }, viewer.user.id, 'charter.create', `charter/${charter.id}`, { workshop: workshop?.id ?? null });
    if (workshop) await announce({ ...deps, db: trx }, { ...charterTargets({ id: charter.id, workshop_id: workshop.id }), kind: 'watch.charterDrafted', params: { title: input.title.trim() }, url: `/charters/${charter.id}`, authorId: viewer.user.id, exclude: people });
    return charter.id;
  });
}

/** A charter is watched as itself, or through the workshop it came from. */
function charterTargets(charter: Pick<Charter, 'id' | 'workshop_id'>) {
  return { targets: [{ kind: 'charter' as const, target: String(charter.id) }, ...(charter.workshop_id ? [{ kind: 'workshop' as const, target: String(charter.workshop_id) }] : [])] };
}

/** A new version (the drafter, or an accepted amendment): earlier approvals no longer count. */
async function addVersion(deps: Deps, charter: Charter, authorId: number, markdown: string, summary: string, amendmentId: number | null): Promise<number> {
  const number = charter.current_version + 1;
  const now = nowIso(deps);
  await deps.db.insertInto('charter_version').values({ charter_id: charter.id, number, markdown, html: renderMarkdown(markdown).html, summary, author_id: authorId, amendment_id: amendmentId, created_at: now }).execute();
  await deps.db.updateTable('charter').set({ current_version: number, updated_at: now }).where('id', '=', charter.id).execute();
  await indexDocument(deps.db, { kind: 'charter', ref: String(charter.id), title: charter.title, body: markdown });
  const people = await participantIds(deps, charter.id);
  await notify(deps.db, deps, people.filter((id) => id !== authorId), 'charter.version', { title: charter.title, version: number }, `/charters/${charter.id}`);
  await announce(deps, { ...charterTargets(charter), kind: 'watch.charterVersion', params: { title: charter.title, version: number }, url: `/charters/${charter.id}`, authorId, exclude: people });
  return number;
}

// Every change re-reads the charter inside its own transaction: a check made before it could be
// overtaken by an adoption or a new version in between.
async function openCharter(deps: Deps, id: number): Promise<Charter> {
  const charter = await findCharter(deps, id);
  if (charter.status === 'adopted') throw conflict('This charter is adopted and can no longer change.');
  return charter;
}

export async function proposeVersion(deps: Deps, viewer: Viewer | null, id: number, input: { markdown: string; summary?: string }): Promise<number> {
  if (!viewer) throw unauthenticated();
  return deps.db.transaction().execute(async (trx) => {
    await lockRow(trx, 'charter', id);
    const charter = await findCharter({ ...deps, db: trx }, id);
    if (!mayDecide(viewer, charter)) throw forbidden('The drafter writes new versions; participants propose amendments.');
    await openCharter({ ...deps, db: trx }, id);
    return addVersion({ ...deps, db: trx }, charter, viewer.user.id, input.markdown, input.summary ?? '', null);
  });
}

export async function joinCharter(deps: Deps, viewer: Viewer | null, id: number): Promise<void> {
  if (!viewer) throw unauthenticated();
  await deps.db.transaction().execute(async (trx) => {
    await lockRow(trx, 'charter', id);
    const charter = await findCharter({ ...deps, db: trx }, id);
    if (charter.status === 'adopted') throw conflict('This charter is adopted: sign it instead.');
    await trx.insertInto('charter_participant').values({ charter_id: id, user_id: viewer.user.id, joined_at: nowIso(deps) }).onConflict((oc) => oc.doNothing()).execute();
  });
}

export async function proposeAmendment(deps: Deps, viewer: Viewer | null, id: number, input: { text: string; rationale?: string }): Promise<number> {
  if (!viewer) throw unauthenticated();
  return deps.db.transaction().execute(async (trx) => {
    await lockRow(trx, 'charter', id);
    await findCharter({ ...deps, db: trx }, id);
    if (!(await isParticipant({ ...deps, db: trx }, id, viewer.user.id))) throw forbidden('Join the charter to propose amendments.');
    const charter = await openCharter({ ...deps, db: trx }, id);
    const row = await trx.insertInto('amendment').values({
      charter_id: id, author_id: viewer.user.id, base_version: charter.current_version, text: input.text, rationale: input.rationale?.trim() ?? '', status: 'open', reason: null, decided_by: null, decided_at: null, created_at: nowIso(deps),
    }).returning('id').executeTakeFirstOrThrow();
    if (charter.drafter_id && charter.drafter_id !== viewer.user.id) await notify(trx, deps, [charter.drafter_id], 'charter.amendment', { title: charter.title }, `/charters/${id}#amendment-${row.id}`);
    await announce({ ...deps, db: trx }, { ...charterTargets(charter), kind: 'watch.amendment', params: { title: charter.title }, url: `/charters/${id}#amendment-${row.id}`, authorId: viewer.user.id, exclude: charter.drafter_id ? [charter.drafter_id] : [] });
    return row.id;
  });
}

/**
 * The drafter accepts an amendment (a new version with its text) or declines it with a reason. An
 * amendment written on an earlier version is not accepted as it is (it would silently undo what
 * changed since): it is declined, or proposed again on the current text.
 */
export async function decideAmendment(deps: Deps, viewer: Viewer | null, id: number, amendmentId: number, input: { decision: 'accept' | 'decline'; reason?: string }) {
  if (!viewer) throw unauthenticated();
  const reason = input.reason?.trim() ?? '';
  return deps.db.transaction().execute(async (trx) => {
    await lockRow(trx, 'charter', id);
    const charter = await findCharter({ ...deps, db: trx }, id);
    if (!mayDecide(viewer, charter)) throw forbidden('The drafter decides on amendments.');
    await openCharter({ ...deps, db: trx }, id);
    const amendment = await trx.selectFrom('amendment').selectAll().where('id', '=', amendmentId).where('charter_id', '=', id).executeTakeFirst();
    if (!amendment) throw notFound('Amendment');
    if (amendment.status !== 'open') throw conflict('This amendment was already decided.');
    if (input.decision === 'decline' && !reason) throw invalid('Say why the amendment is declined.', [{ path: 'reason', message: 'issue.reasonRequired' }]);
    if (input.decision === 'accept' && amendment.base_version !== charter.current_version) {
      throw new AppError(409, 'conflict', `This amendment was written on version ${amendment.base_version}; the text has changed since (version ${charter.current_version}). Decline it, or ask for it on the current text.`);
    }
    await trx.updateTable('amendment').set({ status: input.decision === 'accept' ? 'accepted' : 'declined', reason: reason || null, decided_by: viewer.user.id, decided_at: nowIso(deps) }).where('id', '=', amendmentId).execute();
    if (input.decision === 'decline') return { version: charter.current_version };
    const version = await addVersion({ ...deps, db: trx }, charter, viewer.user.id, amendment.text, amendment.rationale, amendment.id);
    return { version };
  });
}

/**
 * Approve or object to one exact version. Deciding on anything but the current version is a
 * conflict (409): the text has changed since. When every participant approved the current version,
 * the charter is adopted in the same transaction.
 */
export async function decide(deps: Deps, viewer: Viewer | null, id: number, input: { version: number; decision: 'approve' | 'object'; comment?: string }) {
  if (!viewer) throw unauthenticated();
  const comment = input.comment?.trim() ?? '';
  return deps.db.transaction().execute(async (trx) => {
    await lockRow(trx, 'charter', id);
    const charter = await findCharter({ ...deps, db: trx }, id);
    if (!(await isParticipant({ ...deps, db: trx }, id, viewer.user.id))) throw forbidden('Only the charter’s participants approve it.');
    if (input.decision === 'object' && !comment) throw invalid('An objection says why.', [{ path: 'comment', message: 'issue.reasonRequired' }]);
    if (charter.status === 'adopted') throw conflict('This charter is already adopted.');
    if (input.version !== charter.current_version) throw new AppError(409, 'conflict', `Version ${input.version} is not the current one (${charter.current_version}): read the current version first.`, { currentVersion: charter.current_version });
    const now = nowIso(deps);
    await trx.insertInto('approval').values({ charter_id: id, user_id: viewer.user.id, version: input.version, decision: input.decision, comment, created_at: now })
      .onConflict((oc) => oc.columns(['charter_id', 'user_id']).doUpdateSet({ version: input.version, decision: input.decision, comment, created_at: now })).execute();
    const [participants, approvals] = await Promise.all([
      participantIds({ ...deps, db: trx }, id),
      trx.selectFrom('approval').select('user_id').where('charter_id', '=', id).where('version', '=', charter.current_version).where('decision', '=', 'approve').execute(),
    ]);
    const approved = new Set(approvals.map((a) => a.user_id));
    const adopted = participants.length > 0 && participants.every((p) => approved.has(p));
    if (adopted) {
      await trx.updateTable('charter').set({ status: 'adopted', adopted_at: now, updated_at: now }).where('id', '=', id).execute();
      await notify(trx, deps, participants, 'charter.adopted', { title: charter.title, version: charter.current_version }, `/charters/${id}`);
      await announce({ ...deps, db: trx }, { ...charterTargets(charter), kind: 'watch.charterAdopted', params: { title: charter.title }, url: `/charters/${id}`, authorId: null, exclude: participants });
      await recordAudit({ ...deps, db: trx }, viewer.user.id, 'charter.adopt', `charter/${id}`, { version: charter.current_version, participants: participants.length });
    }
    return { status: adopted ? 'adopted' as const : 'draft' as const };
  });
}

/** An actor I represent (myself, my organisation, a territory's actor) signs an adopted charter. */
export async function signCharter(deps: Deps, viewer: Viewer | null, id: number, actorSlug?: string) {
  if (!viewer) throw unauthenticated();
  const charter = await findCharter(deps, id);
  if (charter.status !== 'adopted') throw conflict('Only an adopted charter can be signed.');
  let query = deps.db.selectFrom('user_actor').innerJoin('actor', 'actor.id', 'user_actor.actor_id').select('actor.id').where('user_actor.user_id', '=', viewer.user.id);
  query = actorSlug ? query.where('actor.slug', '=', actorSlug) : query.orderBy('user_actor.is_primary', 'desc');
  const actor = await query.executeTakeFirst();
  if (!actor) throw forbidden('You can sign only for yourself or for an actor you represent.');
  await deps.db.insertInto('charter_signature').values({ charter_id: id, actor_id: actor.id, signed_by: viewer.user.id, signed_at: nowIso(deps) }).onConflict((oc) => oc.doNothing()).execute();
}

export async function getCharter(deps: Deps, viewer: Viewer | null, id: number, versionNumber?: number) {
  const charter = await findCharter(deps, id);
  const number = versionNumber ?? charter.current_version;
  const [versions, participants, approvals, amendments, signatures, workshop] = await Promise.all([
    deps.db.selectFrom('charter_version').leftJoin('user', 'user.id', 'charter_version.author_id')
      .select(['charter_version.number', 'charter_version.markdown', 'charter_version.html', 'charter_version.summary', 'charter_version.amendment_id', 'charter_version.created_at', 'user.name as author'])
      .where('charter_id', '=', id).orderBy('number').execute(),
    deps.db.selectFrom('charter_participant').innerJoin('user', 'user.id', 'charter_participant.user_id').select(['user.id', 'user.name', 'charter_participant.joined_at'])
      .where('charter_id', '=', id).orderBy('charter_participant.joined_at').orderBy('user.id').execute(),
    deps.db.selectFrom('approval').selectAll().where('charter_id', '=', id).execute(),
    deps.db.selectFrom('amendment').leftJoin('user', 'user.id', 'amendment.author_id').selectAll('amendment').select('user.name as author').where('charter_id', '=', id).orderBy('amendment.id').execute(),
    deps.db.selectFrom('charter_signature').innerJoin('actor', 'actor.id', 'charter_signature.actor_id').select(['actor.slug', 'actor.name', 'actor.kind', 'charter_signature.signed_at'])
      .where('charter_id', '=', id).orderBy('charter_signature.signed_at').execute(),
    charter.workshop_id ? deps.db.selectFrom('workshop').select(['id', 'title']).where('id', '=', charter.workshop_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const version = versions.find((v) => v.number === number);
  if (!version) throw notFound('Version');
  const previous = versions.find((v) => v.number === number - 1);
  const decisionOf = (userId: number) => approvals.find((a) => a.user_id === userId);
  const me = viewer ? participants.some((p) => p.id === viewer.user.id) : false;
  return {
    id: charter.id,
    url: `/charters/${charter.id}`,
    title: charter.title,
    status: charter.status,
    currentVersion: charter.current_version,
    adoptedAt: charter.adopted_at,
    workshop: workshop ? { id: workshop.id, title: workshop.title, url: `/workshops/${workshop.id}` } : null,
    version: { number: version.number, markdown: version.markdown, html: version.html, summary: version.summary, author: version.author, createdAt: version.created_at, amendment: version.amendment_id },
    diff: previous ? diffParts(previous.markdown, version.markdown) : null,
    versions: versions.map((v) => ({ number: v.number, summary: v.summary, author: v.author, createdAt: v.created_at })),
    participants: participants.map((p) => {
      const decision = decisionOf(p.id);
      // A decision on an earlier version no longer counts: it shows as pending.
      const current = decision && decision.version === charter.current_version ? decision : undefined;
      return { name: p.name, joinedAt: p.joined_at, decision: current?.decision ?? 'pending', comment: current?.comment || null, decidedOn: current ? current.version : null };
    }),
    approvals: {
      approved: participants.filter((p) => decisionOf(p.id)?.version === charter.current_version && decisionOf(p.id)?.decision === 'approve').length,
      objected: participants.filter((p) => decisionOf(p.id)?.version === charter.current_version && decisionOf(p.id)?.decision === 'object').length,
      participants: participants.length,
    },
    signatories: charter.status === 'adopted'
      ? [...participants.map((p) => ({ name: p.name, as: 'participant' as const, at: charter.adopted_at })), ...signatures.map((s) => ({ name: s.name, as: 'actor' as const, kind: s.kind, slug: s.slug, at: s.signed_at }))]
      : [],
    amendments: amendments.map((a) => ({ id: a.id, author: a.author, baseVersion: a.base_version, text: a.text, rationale: a.rationale, status: a.status, reason: a.reason, createdAt: a.created_at })),
    viewer: viewer ? {
      participant: me,
      drafter: viewer.user.id === charter.drafter_id || viewer.user.role === 'admin',
      decision: me ? (decisionOf(viewer.user.id)?.version === charter.current_version ? decisionOf(viewer.user.id)!.decision : 'pending') : null,
    } : null,
  };
}

export type CharterView = Awaited<ReturnType<typeof getCharter>>;

export async function listCharters(deps: Deps, filters: { status?: 'draft' | 'adopted'; workshop?: number } = {}) {
  let query = deps.db.selectFrom('charter').select(['id', 'title', 'status', 'current_version', 'adopted_at', 'updated_at', 'workshop_id'])
    .select((eb) => eb.selectFrom('charter_participant').select(eb.fn.countAll<number>().as('n')).whereRef('charter_participant.charter_id', '=', 'charter.id').as('participants'));
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.workshop) query = query.where('workshop_id', '=', filters.workshop);
  const rows = await query.orderBy('updated_at', 'desc').limit(200).execute();
  return rows.map((r) => ({ id: r.id, url: `/charters/${r.id}`, title: r.title, status: r.status, currentVersion: r.current_version, adoptedAt: r.adopted_at, updatedAt: r.updated_at, participants: Number(r.participants ?? 0) }));
}

/** Charters adopted in a period, for assessments. */
export async function chartersAdopted(deps: Deps, from: string, to: string, workshopIds: number[]) {
  if (!workshopIds.length) return [];
  const rows = await deps.db.selectFrom('charter').select(['id', 'title', 'adopted_at']).where('status', '=', 'adopted')
    .where('adopted_at', '>=', `${from}T00:00:00`).where('adopted_at', '<=', `${to}T23:59:59.999Z`).where('workshop_id', 'in', workshopIds).orderBy('adopted_at').execute();
  return rows.map((r) => ({ id: r.id, title: r.title, adoptedAt: r.adopted_at, url: `/charters/${r.id}` }));
}
