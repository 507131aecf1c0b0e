import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import { flagContent, listFlags, resolveFlag } from '../../services/moderation.js';
import { CsrfField, Layout, formatDate } from '../../views/layout.js';
import { sendPage } from '../../views/render.js';
import { FlagBody } from '../api/schemas.js';
import { parseForm, readForm, safeNext } from './forms.js';

// Reports from readers (the "Report" forms on pages, comments and choices) and the moderators' queue.

async function FlagsPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const status = c.req.query('status') === 'all' ? 'all' : 'open';
  const { flags } = await listFlags(c.get('deps'), c.get('viewer'), { status });
  const done = c.req.query('done');
  return (
    <Layout c={c} title={t('report.queue')} robots="noindex">
      <h1>{t('report.queue')}</h1>
      <p>{t('report.queueIntro')}</p>
      {done === 'hide' ? <p class="notice" role="status">{t('report.hidden')}</p> : done === 'close' ? <p class="notice" role="status">{t('report.closed')}</p> : null}
      <p>{status === 'open' ? <a href="/admin/flags?status=all">{t('report.showAll')}</a> : <a href="/admin/flags">{t('report.showOpen')}</a>}</p>
      {flags.length ? (
        <ol class="stack">
          {flags.map((flag) => (
            <li>
              <p class="meta">{t(`report.kind.${flag.kind}`)} · {flag.reporter ?? t('admin.system')} · <time datetime={flag.createdAt}>{formatDate(c, flag.createdAt)}</time>
                {flag.resolution ? <> · <strong>{t(flag.resolution === 'hidden' ? 'report.wasHidden' : 'report.wasClosed')}</strong></> : null}</p>
              <p>{flag.url ? <a href={flag.url}>{flag.excerpt || flag.ref}</a> : flag.ref}</p>
              <blockquote>{flag.reason}</blockquote>
              {flag.resolvedAt ? null : (
                <form method="post" action={`/admin/flags/${flag.id}`} class="inline">
                  <CsrfField c={c} />
                  {flag.kind === 'page' ? null : <button type="submit" name="action" value="hide" class="danger">{t('report.hide')}</button>}{' '}
                  <button type="submit" name="action" value="close">{t('report.close')}</button>
                </form>
              )}
            </li>
          ))}
        </ol>
      ) : <p>{t('report.none')}</p>}
    </Layout>
  );
}

export function moderationPages(app: Hono<AppEnv>) {
  app.post('/flags', async (c) => {
    const values = await readForm(c);
    const input = parseForm(FlagBody, values);
    await flagContent(c.get('deps'), requireViewer(c), input);
    const next = safeNext(values.next);
    return c.redirect(`${next}${next.includes('?') ? '&' : '?'}reported=1`, 303);
  });
  app.get('/admin/flags', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/admin/flags', 303);
    return sendPage(c, await FlagsPage({ c }));
  });
  app.post('/admin/flags/:id{[0-9]+}', async (c) => {
    const values = await readForm(c);
    const action = values.action === 'hide' ? 'hide' : 'close';
    await resolveFlag(c.get('deps'), requireViewer(c), Number(c.req.param('id')), action);
    return c.redirect(`/admin/flags?done=${action}`, 303);
  });
}
