import { searchDocuments } from '../../db/search-index.js';
import { highlightSnippet } from '../text/snippets.js';
import { invalid } from '../errors.js';
import type { Deps } from './deps.js';

export interface SearchResult {
  kind: string;
  ref: string;
  title: string;
  titleHtml: string;
  snippetHtml: string;
  url: string;
  /** The language of the text found (choices, statements, groups), for the `lang` attribute. */
  lang?: string;
}

function urlFor(kind: string, ref: string): string {
  switch (kind) {
    case 'page': return `/wiki/${ref.split('/').map(encodeURIComponent).join('/')}`;
    case 'choice': return `/choices/${ref}`;
    case 'group': return `/groups/${ref}`;
    case 'statement': {
      const [group, statement] = ref.split('#');
      return `/groups/${group}#statement-${statement}`;
    }
    default: return `/${kind}/${ref}`;
  }
}

/** Full-text search over public objects (pages, public choices, groups and their statements); word forms match across EN/FR/PT, accents ignored. */
export async function search(deps: Deps, query: string, options: { limit: number; offset: number }) {
  const q = query.trim();
  if (!q) throw invalid('Type at least one word to search for.', [{ path: 'q', message: 'empty' }]);
  const { hits, total } = await searchDocuments(deps.db, q, { limit: options.limit, offset: options.offset });
  const results: SearchResult[] = hits.map((hit) => ({
    kind: hit.kind,
    ref: hit.ref,
    title: hit.title,
    titleHtml: hit.titleHtml ?? highlightSnippet(hit.title, q, 40),
    snippetHtml: hit.snippetHtml ?? highlightSnippet(hit.body, q),
    url: urlFor(hit.kind, hit.ref),
  }));
  const languages = await languagesOf(deps, results);
  for (const result of results) {
    const lang = languages.get(`${result.kind}:${result.ref}`);
    if (lang) result.lang = lang;
  }
  return { query: q, total, results };
}

/** The stored (detected or corrected) language of each choice, statement and group found. */
async function languagesOf(deps: Deps, results: SearchResult[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = (kind: string, pick: (ref: string) => string) => results.filter((r) => r.kind === kind).map((r) => Number(pick(r.ref))).filter(Number.isInteger);
  const choiceIds = ids('choice', (ref) => ref);
  const statementIds = ids('statement', (ref) => ref.split('#')[1] ?? '');
  const groupIds = ids('group', (ref) => ref);
  if (choiceIds.length) for (const r of await deps.db.selectFrom('choice').select(['id', 'lang']).where('id', 'in', choiceIds).execute()) out.set(`choice:${r.id}`, r.lang);
  if (groupIds.length) for (const r of await deps.db.selectFrom('spiral_group').select(['id', 'lang']).where('id', 'in', groupIds).execute()) out.set(`group:${r.id}`, r.lang);
  if (statementIds.length) {
    for (const r of await deps.db.selectFrom('statement').select(['id', 'group_id', 'lang']).where('id', 'in', statementIds).execute()) out.set(`statement:${r.group_id}#${r.id}`, r.lang);
  }
  return out;
}
