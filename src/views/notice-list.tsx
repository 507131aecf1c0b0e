import type { Context } from 'hono';
import type { NotificationCategory } from '../../db/schema.js';
import type { AppEnv } from '../http/env.js';
import type { MessageKey } from '../i18n/index.js';
import { type NoticeView, noticeText } from '../services/notices.js';
import { formatDate } from './layout.js';

export const categoryLabel = (c: Context<AppEnv>, category: NotificationCategory) => c.get('t')(`notifications.category.${category}` as MessageKey);

/** A list of notifications, the unread ones marked (in words too, for screen readers). */
export function NoticeList({ c, notices }: { c: Context<AppEnv>; notices: NoticeView[] }) {
  const t = c.get('t');
  return (
    <ol class="notice-list">
      {notices.map((n) => (
        <li id={`notice-${n.id}`} class={n.read ? 'read' : 'unread'}>
          {n.read ? null : <><span class="badge">{t('notifications.new')}</span>{' '}</>}
          <a href={n.url}>{noticeText(t, n)}</a>{' '}
          <span class="meta">{categoryLabel(c, n.category)} · <time datetime={n.createdAt}>{formatDate(c, n.createdAt)}</time></span>
        </li>
      ))}
    </ol>
  );
}
