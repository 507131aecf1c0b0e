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
    titleHtml: highlightSnippet(hit.title, q, 40),
    snippetHtml: highlightSnippet(hit.body, q),
    url: urlFor(hit.kind, hit.ref),
  }));
  return { query: q, total, results };
}
