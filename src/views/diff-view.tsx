import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { DiffPart } from '../services/pages.js';

/** A word-level diff (wiki revisions, charter versions), enhanced by <sj-diff-viewer> to step through changes. */
export function DiffView({ c, parts }: { c: Context<AppEnv>; parts: DiffPart[] }) {
  const t = c.get('t');
  return (
    <sj-diff-viewer data-toolbar={t('diff.toolbar')} data-previous={t('diff.previous')} data-next={t('diff.next')} data-fold={t('diff.fold')}>
      <pre class="diff" aria-label={t('diff.label')}>
        {parts.map((part) =>
          part.type === 'added' ? <ins>{part.text}</ins> : part.type === 'removed' ? <del>{part.text}</del> : <span>{part.text}</span>,
        )}
      </pre>
    </sj-diff-viewer>
  );
}
