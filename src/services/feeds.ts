import { Feed } from 'feed';
import { cleanText, feedHtmlText } from '../text/clean.js';
import type { Deps } from './deps.js';
import { recentChanges } from './pages.js';
import { findTerritory } from './territories.js';
import { encodePath } from '../markdown/render.js';
import type { GroupKind } from '../../db/schema.js';
import { recentStatements } from './groups.js';
import { personalFeedOf } from './notification-delivery.js';
import { noticeText } from './notices.js';
import { translator } from '../i18n/index.js';

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
      title: feedHtmlText(`${change.title} (revision ${change.number})`),
      id: `${pageUrl}?revision=${change.number}`,
      link,
      date: new Date(change.created_at),
      description: feedHtmlText(change.summary || `Revision ${change.number} of ${change.title}`),
      author: [{ name: cleanText(change.author ?? 'Unknown') }],
    });
  }
  return feed.atom1();
}

/** Atom feed of the newest statements recorded in the groups of one kind. */
export async function groupStatementsAtom(deps: Deps, origin: string, kind: GroupKind, title: string, questionLabel: (code: string) => string): Promise<string> {
  const statements = await recentStatements(deps, kind);
  const selfUrl = `${origin}/feeds/groups/${kind}.atom`;
  const feed = new Feed({
    title,
    description: 'Statements recorded by SPIRAL groups.',
    id: selfUrl,
    link: `${origin}/groups?kind=${kind}`,
    updated: statements[0] ? new Date(statements[0].created_at) : new Date(0),
    generator: 'Spiral Journal',
    copyright: 'Contributors to Spiral Journal',
    feedLinks: { atom: selfUrl },
  });
  for (const statement of statements) {
    const url = `${origin}/groups/${statement.group_id}#statement-${statement.id}`;
    feed.addItem({
      title: feedHtmlText(`${statement.group_name} (${statement.territory_name}) — ${questionLabel(statement.question)}`),
      id: url,
      link: url,
      date: new Date(statement.created_at),
      description: feedHtmlText(statement.text),
    });
  }
  return feed.atom1();
}

/** My notifications as Atom, in my language, for whoever holds the secret address (feed readers send no cookies). */
export async function notificationsAtom(deps: Deps, origin: string, token: string): Promise<string> {
  const { user, notices } = await personalFeedOf(deps, token);
  const t = translator(user.locale);
  const selfUrl = `${origin}/feeds/me/${token}.atom`;
  const feed = new Feed({
    title: t('notifications.feedTitle', { name: user.name }),
    id: `${origin}/me/notifications`,
    link: `${origin}/me/notifications`,
    language: user.locale,
    updated: notices[0] ? new Date(notices[0].createdAt) : new Date(0),
    generator: 'Spiral Journal',
    copyright: 'Contributors to Spiral Journal',
    feedLinks: { atom: selfUrl },
  });
  for (const notice of notices) {
    const text = feedHtmlText(noticeText(t, notice));
    feed.addItem({ title: text, id: `${origin}/me/notifications#notice-${notice.id}`, link: `${origin}${notice.url}`, date: new Date(notice.createdAt), description: text });
  }
  return feed.atom1();
}
