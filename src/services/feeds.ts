import { Feed } from 'feed';
import type { Deps } from './deps.js';
import { recentChanges } from './pages.js';
import { findTerritory } from './territories.js';
import { encodePath } from '../markdown/render.js';

/** Atom feed of recent page changes, for the whole wiki or one territory (with its children). */
export async function recentChangesAtom(deps: Deps, origin: string, territorySlug?: string): Promise<string> {
  const territory = territorySlug ? await findTerritory(deps, territorySlug) : null;
  const changes = await recentChanges(deps, { limit: 50, territorySlug });
  const selfUrl = territory ? `${origin}/feeds/territories/${territory.slug}.atom` : `${origin}/feeds/recent.atom`;
  const updated = changes[0] ? new Date(changes[0].created_at) : new Date(0);
  const feed = new Feed({
    title: territory ? `Spiral Journal — ${territory.name}: recent changes` : 'Spiral Journal — recent changes',
    description: 'Latest edits to the pages of the co-responsibility journal.',
    id: selfUrl,
    link: territory ? `${origin}/territories/${territory.slug}` : `${origin}/recent-changes`,
    language: 'en',
    updated,
    generator: 'Spiral Journal',
    copyright: 'Contributors to Spiral Journal',
    feedLinks: { atom: selfUrl },
  });
  for (const change of changes) {
    const pageUrl = `${origin}/wiki/${encodePath(change.path)}`;
    const link = change.number > 1 ? `${pageUrl}?action=diff&from=${change.number - 1}&to=${change.number}` : pageUrl;
    feed.addItem({
      title: `${change.title} (revision ${change.number})`,
      id: `${pageUrl}?revision=${change.number}`,
      link,
      date: new Date(change.created_at),
      description: change.summary || `Revision ${change.number} of ${change.title}`,
      author: [{ name: change.author ?? 'Unknown' }],
    });
  }
  return feed.atom1();
}
