import { sql } from 'kysely';
import { indexDocument } from '../../db/search-index.js';
import { AppError, forbidden, notFound, unauthenticated } from '../errors.js';
import { renderMarkdown } from '../markdown/render.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { type WorkshopInput, canOrganise, createWorkshop } from './workshops.js';
import { requireVerifiedToPublish } from './publishing.js';

// Open-space topics (seeds 000, 001): anyone proposes a subject for the next meetings, others mark
// their interest once each, and an organiser turns the most wanted into a workshop.

export async function proposeTopic(deps: Deps, viewer: Viewer | null, input: { title: string; description?: string }): Promise<number> {
  if (!viewer) throw unauthenticated();
  await requireVerifiedToPublish(deps, viewer);
  const description = input.description?.trim() ?? '';
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('topic').values({ title: input.title.trim(), description, description_html: renderMarkdown(description).html, proposer_id: viewer.user.id, workshop_id: null, created_at: nowIso(deps) })
      .returning('id').executeTakeFirstOrThrow();
    // Proposing a topic is being interested in it.
    await trx.insertInto('topic_interest').values({ topic_id: row.id, user_id: viewer.user.id, created_at: nowIso(deps) }).execute();
    await indexDocument(trx, { kind: 'topic', ref: String(row.id), title: input.title.trim(), body: description });
    return row.id;
  });
}

/** Marks (or, with `interested: false`, withdraws) my interest; once per person whatever the clicks. */
export async function markInterest(deps: Deps, viewer: Viewer | null, id: number, interested = true): Promise<number> {
  if (!viewer) throw unauthenticated();
  const topic = await deps.db.selectFrom('topic').select(['id', 'workshop_id']).where('id', '=', id).executeTakeFirst();
  if (!topic) throw notFound('Topic');
  if (interested) await deps.db.insertInto('topic_interest').values({ topic_id: id, user_id: viewer.user.id, created_at: nowIso(deps) }).onConflict((oc) => oc.doNothing()).execute();
  else await deps.db.deleteFrom('topic_interest').where('topic_id', '=', id).where('user_id', '=', viewer.user.id).execute();
  const count = await deps.db.selectFrom('topic_interest').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', id).executeTakeFirstOrThrow();
  return Number(count.n);
}

export async function listTopics(deps: Deps, viewer: Viewer | null, filter: 'open' | 'scheduled' | 'all' = 'open') {
  let query = deps.db.selectFrom('topic').leftJoin('user', 'user.id', 'topic.proposer_id').leftJoin('workshop', 'workshop.id', 'topic.workshop_id')
    .select(['topic.id', 'topic.title', 'topic.description', 'topic.description_html', 'topic.created_at', 'topic.workshop_id', 'user.name as proposer', 'workshop.title as workshop_title'])
    .select((eb) => eb.selectFrom('topic_interest').select(eb.fn.countAll<number>().as('n')).whereRef('topic_interest.topic_id', '=', 'topic.id').as('interest'))
    .select(viewer ? sql<number>`EXISTS (SELECT 1 FROM topic_interest ti WHERE ti.topic_id = topic.id AND ti.user_id = ${viewer.user.id})`.as('mine') : sql<number>`0`.as('mine'));
  if (filter === 'open') query = query.where('topic.workshop_id', 'is', null);
  if (filter === 'scheduled') query = query.where('topic.workshop_id', 'is not', null);
  const rows = await query.orderBy('interest', 'desc').orderBy('topic.created_at').orderBy('topic.id').limit(500).execute();
  return rows.map((r) => ({
    id: r.id, url: `/topics#topic-${r.id}`, title: r.title, description: r.description, descriptionHtml: r.description_html, proposer: r.proposer ?? null, createdAt: r.created_at,
    interest: Number(r.interest ?? 0), interested: Boolean(r.mine), workshop: r.workshop_id ? { id: r.workshop_id, title: r.workshop_title, url: `/workshops/${r.workshop_id}` } : null,
  }));
}

/** The organiser schedules a topic: a workshop with its title and description, everyone interested told by the list. */
export async function topicToWorkshop(deps: Deps, viewer: Viewer | null, id: number, input: Omit<WorkshopInput, 'title' | 'description'> & { title?: string; description?: string }): Promise<number> {
  if (!viewer) throw unauthenticated();
  if (!canOrganise(viewer)) throw forbidden('Facilitators, coordinators and admins turn topics into workshops.');
  // One transaction: two organisers clicking at once make one workshop, not two.
  return deps.db.transaction().execute(async (trx) => {
    const topic = await trx.selectFrom('topic').selectAll().where('id', '=', id).executeTakeFirst();
    if (!topic) throw notFound('Topic');
    if (topic.workshop_id) throw new AppError(409, 'conflict', 'This topic already became a workshop.', { workshop: topic.workshop_id });
    const workshopId = await createWorkshop({ ...deps, db: trx }, viewer, { ...input, title: input.title ?? topic.title, description: input.description ?? topic.description });
    await trx.updateTable('topic').set({ workshop_id: workshopId }).where('id', '=', id).execute();
    return workshopId;
  });
}
