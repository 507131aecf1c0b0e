import { indexDocument } from '../../db/search-index.js';
import { AppError, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { renderMarkdown } from '../markdown/render.js';
import { loadOwnChoice } from './choices.js';
import { type Deps, type Viewer, nowIso } from './deps.js';
import { toPagePath } from './page-paths.js';
import { findWorkshop } from './workshops.js';
import { requireVerifiedToPublish } from './publishing.js';

// The tools catalogue: SPIRAL and partner tools (a CO2 calculator of consumption choices…), with the
// network that offers each; participants add tools and propose improvements or new tools; a tool
// lists the workshops and the public choices where it was used.

export interface ToolInput {
  name: string;
  description: string;
  url?: string | null;
  languages?: string[];
  offeredBy?: string | null;
}

export async function createTool(deps: Deps, viewer: Viewer | null, input: ToolInput): Promise<string> {
  if (!viewer) throw unauthenticated();
  await requireVerifiedToPublish(deps, viewer);
  // A slug is never all digits: those name a tool by its id.
  const cleaned = toPagePath(input.name).replace(/\//g, '-').slice(0, 60);
  const base = !cleaned ? 'tool' : /^\d+$/.test(cleaned) ? `tool-${cleaned}` : cleaned;
  return deps.db.transaction().execute(async (trx) => {
    let slug = base;
    for (let n = 2; await trx.selectFrom('tool').select('id').where('slug', '=', slug).executeTakeFirst(); n++) slug = `${base}-${n}`;
    const row = await trx.insertInto('tool').values({
      slug, name: input.name.trim(), description: input.description.trim(), description_html: renderMarkdown(input.description.trim()).html, url: input.url ?? null,
      languages: JSON.stringify([...new Set(input.languages ?? [])]), offered_by: input.offeredBy?.trim() || null, author_id: viewer.user.id, created_at: nowIso(deps),
    }).returning('id').executeTakeFirstOrThrow();
    await indexDocument(trx, { kind: 'tool', ref: String(row.id), title: input.name.trim(), body: input.description });
    return slug;
  });
}

async function findTool(deps: Deps, slugOrId: string) {
  const query = deps.db.selectFrom('tool').selectAll();
  // Ids beyond what a row can have (2^53) name no tool: 404, not an out-of-range error from the engine.
  const row = /^\d{1,15}$/.test(slugOrId) ? await query.where('id', '=', Number(slugOrId)).executeTakeFirst() : await query.where('slug', '=', slugOrId).executeTakeFirst();
  if (!row) throw notFound('Tool');
  return row;
}

export async function listTools(deps: Deps, filters: { lang?: string } = {}) {
  const rows = await deps.db.selectFrom('tool').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ slug: r.slug, url: `/tools/${r.slug}`, name: r.name, description: r.description, link: r.url, languages: JSON.parse(r.languages) as string[], offeredBy: r.offered_by }))
    .filter((r) => !filters.lang || r.languages.includes(filters.lang));
}

export async function getTool(deps: Deps, slugOrId: string) {
  const tool = await findTool(deps, slugOrId);
  const [proposals, workshops, choices] = await Promise.all([
    deps.db.selectFrom('tool_proposal').leftJoin('user', 'user.id', 'tool_proposal.author_id').select(['tool_proposal.id', 'tool_proposal.kind', 'tool_proposal.text', 'tool_proposal.created_at', 'user.name as author'])
      .where('tool_id', '=', tool.id).orderBy('tool_proposal.id', 'desc').execute(),
    deps.db.selectFrom('tool_use').innerJoin('workshop', 'workshop.id', 'tool_use.target_id').select(['workshop.id', 'workshop.title', 'workshop.starts_at'])
      .where('tool_use.tool_id', '=', tool.id).where('tool_use.target_kind', '=', 'workshop').orderBy('workshop.starts_at', 'desc').execute(),
    // Only public choices are listed: a tool page is public.
    deps.db.selectFrom('tool_use').innerJoin('choice', 'choice.id', 'tool_use.target_id').select(['choice.id', 'choice.title', 'choice.made_on'])
      .where('tool_use.tool_id', '=', tool.id).where('tool_use.target_kind', '=', 'choice').where('choice.visibility', '=', 'public').orderBy('choice.made_on', 'desc').execute(),
  ]);
  return {
    id: tool.id, slug: tool.slug, url: `/tools/${tool.slug}`, name: tool.name, description: tool.description, descriptionHtml: tool.description_html, link: tool.url,
    languages: JSON.parse(tool.languages) as string[], offeredBy: tool.offered_by, createdAt: tool.created_at,
    proposals: proposals.map((p) => ({ id: p.id, kind: p.kind, text: p.text, author: p.author ?? null, createdAt: p.created_at })),
    usedIn: {
      workshops: workshops.map((w) => ({ id: w.id, title: w.title, startsAt: w.starts_at, url: `/workshops/${w.id}` })),
      choices: choices.map((c) => ({ id: c.id, title: c.title, madeOn: c.made_on, url: `/choices/${c.id}` })),
    },
  };
}

export async function proposeToTool(deps: Deps, viewer: Viewer | null, slugOrId: string, input: { kind: 'new' | 'improvement'; text: string }): Promise<number> {
  if (!viewer) throw unauthenticated();
  const tool = await findTool(deps, slugOrId);
  const row = await deps.db.insertInto('tool_proposal').values({ tool_id: tool.id, kind: input.kind, text: input.text.trim(), author_id: viewer.user.id, created_at: nowIso(deps) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Records that a tool was used in a workshop (its organiser) or a choice (its actor's representatives). */
export async function recordToolUse(deps: Deps, viewer: Viewer | null, slugOrId: string, target: { workshop?: number; choice?: number }): Promise<void> {
  if (!viewer) throw unauthenticated();
  const tool = await findTool(deps, slugOrId);
  if (!!target.workshop === !!target.choice) throw invalid('Name one workshop or one choice.', [{ path: 'workshop', message: 'issue.choose' }]);
  if (target.workshop) {
    const workshop = await findWorkshop(deps, target.workshop);
    if (workshop.organiser_id !== viewer.user.id && viewer.user.role !== 'admin') throw forbidden('The workshop’s organiser records the tools it used.');
  } else {
    await loadOwnChoice(deps, viewer, target.choice!);
  }
  const kind = target.workshop ? 'workshop' : 'choice';
  const id = (target.workshop ?? target.choice)!;
  const exists = await deps.db.selectFrom('tool_use').select('tool_id').where('tool_id', '=', tool.id).where('target_kind', '=', kind).where('target_id', '=', id).executeTakeFirst();
  if (exists) throw new AppError(409, 'conflict', 'Already recorded.');
  await deps.db.insertInto('tool_use').values({ tool_id: tool.id, target_kind: kind, target_id: id, created_at: nowIso(deps) }).execute();
}
