import { WatchButton } from '../../views/watch-button.js';
import { findWatch } from '../../services/watchlist.js';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { AppError, unauthenticated } from '../../errors.js';
import { encodePath } from '../../markdown/render.js';
import {
  type DiffPart, addComment, backlinks, diffRevisions, getPage, listComments, listRevisions, pageExists, pagePermissions, revertPage, savePage, setPageProtection,
} from '../../services/pages.js';
import { namespaceOf, titleFromPath, toPagePath } from '../../services/page-paths.js';
import { CsrfField, ErrorSummary, Layout, formatDate } from '../../views/layout.js';
import { ReportForm } from '../../views/report-form.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { DiffView } from '../../views/diff-view.js';
import { listChoices } from '../../services/choices.js';
import { localisedTaxonomy } from '../../services/criteria.js';
import { ChoiceCard } from '../../views/journal.js';
import { sendPage } from '../../views/render.js';
import { readForm } from './forms.js';

const wikiUrl = (path: string, query = '') => `/wiki/${encodePath(path)}${query}`;

function PageTabs({ c, path, active, exists }: { c: Context<AppEnv>; path: string; active: string; exists: boolean }) {
  const t = c.get('t');
  const tabs = [
    { key: 'view', href: wikiUrl(path), label: t('wiki.read') },
    { key: 'edit', href: wikiUrl(path, '?action=edit'), label: exists ? t('wiki.edit') : t('wiki.create') },
    ...(exists ? [{ key: 'history', href: wikiUrl(path, '?action=history'), label: t('wiki.history') }] : []),
  ];
  return (
    <nav class="tabs" aria-label={t('wiki.pageActions')}>
      <ul>{tabs.map((tab) => <li><a href={tab.href} aria-current={tab.key === active ? 'page' : undefined}>{tab.label}</a></li>)}</ul>
    </nav>
  );
}

/** The choices of an actor that the reader may see, under the actor's personal page. */
async function actorJournal(c: Context<AppEnv>, slug: string) {
  const t = c.get('t');
  const deps = c.get('deps');
  const [list, taxonomy] = await Promise.all([
    listChoices(deps, c.get('viewer'), { actor: slug, limit: 10 }, c.get('locale')).catch((error) => {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    }),
    localisedTaxonomy(deps, c.get('locale')),
  ]);
  if (!list) return null;
  const levelLabel = (code: string) => taxonomy.levels.find((l) => l.code === code)?.label ?? code;
  const mine = list.choices.some((choice) => choice.canEdit);
  return (
    <section aria-labelledby="actor-journal">
      <h2 id="actor-journal">{t('journal.ofActor')}</h2>
      {list.choices.length ? list.choices.map((choice) => <ChoiceCard c={c} choice={choice} levelLabel={levelLabel} />) : <p>{t('journal.noneVisible')}</p>}
      <p>
        {list.nextCursor ? <><a href={`/choices?actor=${slug}`}>{t('journal.allOfActor')}</a> · </> : null}
        <a href={`/feeds/choices.atom?actor=${slug}`}>{t('feed.atom')}</a>
        {mine ? <> · <a href={`/choices/new?actor=${slug}`}>{t('choice.new')}</a></> : null}
      </p>
    </section>
  );
}

async function ViewPage({ c, path }: { c: Context<AppEnv>; path: string }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const revisionParam = Number(c.req.query('revision')) || undefined;
  const { page, revision, isCurrent } = await getPage(deps, path, revisionParam);
  const [can, links, comments] = await Promise.all([
    pagePermissions(deps, c.get('viewer'), path, page), backlinks(deps, path), listComments(deps, path),
  ]);
  const territorySlug = namespaceOf(path) === 'territory' ? path.slice('territory/'.length) : null;
  const actorSlug = namespaceOf(path) === 'actor' && isCurrent ? path.slice('actor/'.length) : null;
  const journal = actorSlug ? await actorJournal(c, actorSlug) : null;
  const watch = await findWatch(deps, c.get('viewer'), 'page', page.path);
  return (
    <Layout c={c} title={revision.title} feed={territorySlug ? { title: t('feed.territory', { name: revision.title }), href: `/feeds/territories/${territorySlug}.atom` } : undefined}>
      <PageTabs c={c} path={path} active="view" exists={true} />
      <article class="wiki-page" aria-labelledby="page-title">
        <h1 id="page-title">{revision.title}</h1>
        <WatchButton c={c} kind="page" target={page.path} watch={watch} />
        {!isCurrent ? (
          <p class="notice" role="note">{t('wiki.oldRevision', { number: revision.number, current: page.current_revision })} <a href={wikiUrl(path)}>{t('wiki.seeCurrent')}</a></p>
        ) : null}
        {page.protected ? <p class="badge">{t('wiki.protected')}</p> : null}
        {territorySlug ? <p><a href={`/territories/${territorySlug}`}>{t('wiki.territoryOverview')}</a></p> : null}
        <TrustedHtml class="prose" html={revision.html} />
        <p class="meta">{t('wiki.lastEdit', { number: revision.number, author: revision.author ?? '—', date: formatDate(c, revision.created_at) })}</p>
      </article>
      {can.protect ? (
        <form method="post" action={wikiUrl(path)} class="inline">
          <CsrfField c={c} />
          <input type="hidden" name="action" value="protect" />
          <input type="hidden" name="protected" value={page.protected ? 'false' : 'true'} />
          <label for="protect-reason">{t('wiki.protectReason')}</label>
          <input id="protect-reason" name="reason" maxlength={500} autocomplete="off" />
          <button type="submit" class="secondary">{page.protected ? t('wiki.unprotect') : t('wiki.protect')}</button>
        </form>
      ) : null}
      {journal}
      <section aria-labelledby="backlinks">
        <h2 id="backlinks">{t('wiki.backlinks')}</h2>
        {links.length ? <ul>{links.map((l) => <li><a href={wikiUrl(l.path)}>{l.title}</a></li>)}</ul> : <p>{t('wiki.noBacklinks')}</p>}
      </section>
      <ReportForm c={c} kind="page" ref={path} label={t('report.page')} />
      <section aria-labelledby="talk">
        <h2 id="talk">{t('wiki.talk')}</h2>
        {comments.length ? (
          <ol class="comments">
            {comments.map((cm) => (
              <li id={`comment-${cm.id}`}>
                <p class="meta">{cm.author} · <time datetime={cm.created_at}>{formatDate(c, cm.created_at)}</time></p>
                <TrustedHtml class="prose" html={cm.html} />
                <ReportForm c={c} kind="comment" ref={String(cm.id)} label={t('report.comment')} />
              </li>
            ))}
          </ol>
        ) : <p>{t('wiki.noComments')}</p>}
        {c.get('viewer') ? (
          <form method="post" action={wikiUrl(path)} class="stack">
            <CsrfField c={c} />
            <input type="hidden" name="action" value="comment" />
            <label for="comment">{t('wiki.addComment')}</label>
            <textarea id="comment" name="markdown" rows={4} required maxlength={20000}></textarea>
            <button type="submit">{t('wiki.postComment')}</button>
          </form>
        ) : <p><a href={`/login?next=${encodeURIComponent(wikiUrl(path))}`}>{t('wiki.loginToComment')}</a></p>}
      </section>
    </Layout>
  );
}

function MissingPage({ c, path }: { c: Context<AppEnv>; path: string }) {
  const t = c.get('t');
  return (
    <Layout c={c} title={titleFromPath(path)} robots="noindex">
      <PageTabs c={c} path={path} active="view" exists={false} />
      <h1>{titleFromPath(path)}</h1>
      <p>{t('wiki.missing')}</p>
      {c.get('viewer') ? <p><a href={wikiUrl(path, '?action=edit')}>{t('wiki.createIt')}</a></p> : <p><a href={`/login?next=${encodeURIComponent(wikiUrl(path, '?action=edit'))}`}>{t('wiki.loginToEdit')}</a></p>}
    </Layout>
  );
}

interface EditState {
  title: string;
  markdown: string;
  summary: string;
  baseRevision: number;
  error?: string;
  conflict?: { currentMarkdown: string; parts: DiffPart[] | null; currentRevision: number };
}

function EditPage({ c, path, state, exists }: { c: Context<AppEnv>; path: string; state: EditState; exists: boolean }) {
  const t = c.get('t');
  return (
    <Layout c={c} title={t('wiki.editing', { title: state.title })} robots="noindex">
      <PageTabs c={c} path={path} active="edit" exists={exists} />
      <h1>{t('wiki.editing', { title: state.title })}</h1>
      {state.error ? <ErrorSummary c={c} errors={{ markdown: state.error }} /> : null}
      {state.conflict ? (
        <section class="conflict" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{t('wiki.conflictTitle')}</h2>
          <p>{t('wiki.conflictHelp', { revision: state.conflict.currentRevision })}</p>
          {state.conflict.parts ? <DiffView c={c} parts={state.conflict.parts} /> : null}
          <label for="current-text">{t('wiki.theirText')}</label>
          <textarea class="source" id="current-text" rows={8} readonly>{state.conflict.currentMarkdown}</textarea>
        </section>
      ) : null}
      <form method="post" action={wikiUrl(path)} class="stack editor">
        <CsrfField c={c} />
        <input type="hidden" name="action" value="save" />
        <input type="hidden" name="baseRevision" value={String(state.baseRevision)} />
        <label for="title">{t('wiki.pageTitle')}</label>
        <input id="title" name="title" value={state.title} maxlength={200} required />
        <label for="markdown">{t('wiki.content')}</label>
        <textarea class="source" id="markdown" name="markdown" rows={20} aria-describedby="markdown-hint">{state.markdown}</textarea>
        <p class="hint" id="markdown-hint">{t('wiki.markdownHint')}</p>
        <label for="summary">{t('wiki.summary')}</label>
        <input id="summary" name="summary" value={state.summary} maxlength={500} />
        <div class="actions">
          <button type="submit">{t('wiki.save')}</button>
          <a href={wikiUrl(path)}>{t('form.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}

async function HistoryPage({ c, path }: { c: Context<AppEnv>; path: string }) {
  const t = c.get('t');
  const before = Number(c.req.query('before')) || undefined;
  const { page, revisions, nextBefore } = await listRevisions(c.get('deps'), path, { limit: 50, before });
  const can = await pagePermissions(c.get('deps'), c.get('viewer'), path, page);
  return (
    <Layout c={c} title={t('wiki.historyOf', { title: page.title })} robots="noindex">
      <PageTabs c={c} path={path} active="history" exists={true} />
      <h1>{t('wiki.historyOf', { title: page.title })}</h1>
      <form method="get" action={wikiUrl(path)} class="history">
        <input type="hidden" name="action" value="diff" />
        <table>
          <caption>{t('wiki.historyCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('wiki.from')}</th><th scope="col">{t('wiki.to')}</th>
              <th scope="col">{t('wiki.revision')}</th><th scope="col">{t('wiki.date')}</th><th scope="col">{t('wiki.author')}</th>
              <th scope="col">{t('wiki.summary')}</th><th scope="col">{t('wiki.size')}</th>{can.revert ? <th scope="col">{t('wiki.revert')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {revisions.map((r, i) => (
              <tr>
                <td><input type="radio" name="from" value={String(r.number)} checked={i === 1 || (revisions.length === 1 && i === 0)} aria-label={t('wiki.compareFrom', { number: r.number })} /></td>
                <td><input type="radio" name="to" value={String(r.number)} checked={i === 0} aria-label={t('wiki.compareTo', { number: r.number })} /></td>
                <td><a href={wikiUrl(path, `?revision=${r.number}`)}>{r.number}</a></td>
                <td><time datetime={r.created_at}>{formatDate(c, r.created_at)}</time></td>
                <td>{r.author ?? '—'}</td>
                <td>{r.summary}</td>
                <td>{t('wiki.bytes', { size: r.size })}</td>
                {can.revert ? (
                  <td>{r.number !== page.current_revision ? (
                    <button type="submit" form={`revert-${r.number}`} class="secondary">{t('wiki.revertTo', { number: r.number })}</button>
                  ) : t('wiki.current')}</td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        <button type="submit">{t('wiki.compare')}</button>
      </form>
      {can.revert ? revisions.filter((r) => r.number !== page.current_revision).map((r) => (
        <form id={`revert-${r.number}`} method="post" action={wikiUrl(path)} hidden>
          <CsrfField c={c} />
          <input type="hidden" name="action" value="revert" />
          <input type="hidden" name="revision" value={String(r.number)} />
        </form>
      )) : null}
      {nextBefore ? <p><a href={wikiUrl(path, `?action=history&before=${nextBefore}`)}>{t('wiki.older')}</a></p> : null}
    </Layout>
  );
}

async function DiffPage({ c, path }: { c: Context<AppEnv>; path: string }) {
  const t = c.get('t');
  let from = Number(c.req.query('from'));
  let to = Number(c.req.query('to'));
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < 1) throw new AppError(400, 'validation_failed', t('diff.choose'));
  if (from > to) [from, to] = [to, from];
  const d = await diffRevisions(c.get('deps'), path, from, to);
  return (
    <Layout c={c} title={t('diff.title', { title: d.page.title })} robots="noindex">
      <PageTabs c={c} path={path} active="history" exists={true} />
      <h1>{t('diff.title', { title: d.page.title })}</h1>
      <div class="diff-meta">
        <p><a href={wikiUrl(path, `?revision=${d.from.number}`)}>{t('wiki.revisionN', { number: d.from.number })}</a> · {d.from.author ?? '—'} · {formatDate(c, d.from.created_at)} · {d.from.summary}</p>
        <p><a href={wikiUrl(path, `?revision=${d.to.number}`)}>{t('wiki.revisionN', { number: d.to.number })}</a> · {d.to.author ?? '—'} · {formatDate(c, d.to.created_at)} · {d.to.summary}</p>
        <p role="status">{t('diff.stats', { added: d.stats.wordsAdded, removed: d.stats.wordsRemoved })}</p>
        {d.titleChanged ? <p>{t('diff.titleChanged', { from: d.from.title, to: d.to.title })}</p> : null}
      </div>
      <p class="hint">{t('diff.legend')}</p>
      <DiffView c={c} parts={d.parts} />
    </Layout>
  );
}

export function wikiPages(app: Hono<AppEnv>) {
  app.get('/wiki', (c) => c.redirect('/recent-changes', 302));

  app.get('/wiki/:path{.+}', async (c) => {
    const raw = c.req.param('path');
    const path = toPagePath(raw);
    const action = c.req.query('action') ?? 'view';
    if (!path) throw new AppError(404, 'not_found', c.get('t')('error.notFound'));
    if (path !== raw) return c.redirect(wikiUrl(path, new URL(c.req.url).search), 301);
    const deps = c.get('deps');
    const exists = await pageExists(deps, path);
    if (action === 'edit') {
      if (!c.get('viewer')) return c.redirect(`/login?next=${encodeURIComponent(wikiUrl(path, '?action=edit'))}`, 303);
      const can = await pagePermissions(deps, c.get('viewer'), path);
      if (!can.edit) throw new AppError(403, 'forbidden', c.get('t')(can.reason === 'personal' ? 'wiki.deniedPersonal' : can.reason === 'protected' ? 'wiki.deniedProtected' : 'wiki.denied'));
      if (!exists) return sendPage(c, <EditPage c={c} path={path} exists={false} state={{ title: titleFromPath(path), markdown: '', summary: '', baseRevision: 0 }} />);
      const { page, revision } = await getPage(deps, path);
      return sendPage(c, <EditPage c={c} path={path} exists={true} state={{ title: revision.title, markdown: revision.markdown, summary: '', baseRevision: page.current_revision }} />);
    }
    if (!exists) return sendPage(c, <MissingPage c={c} path={path} />, 404);
    if (action === 'history') return sendPage(c, await HistoryPage({ c, path }));
    if (action === 'diff') return sendPage(c, await DiffPage({ c, path }));
    return sendPage(c, await ViewPage({ c, path }));
  });

  app.post('/wiki/:path{.+}', async (c) => {
    const path = toPagePath(c.req.param('path'));
    const viewer = c.get('viewer');
    if (!viewer) throw unauthenticated();
    const form = await readForm(c);
    const deps = c.get('deps');
    switch (form.action) {
      case 'save': {
        const state: EditState = { title: form.title ?? '', markdown: form.markdown ?? '', summary: form.summary ?? '', baseRevision: Number(form.baseRevision) || 0 };
        try {
          await savePage(deps, viewer, path, { title: state.title, markdown: state.markdown.replace(/\r\n/g, '\n'), summary: state.summary, baseRevision: state.baseRevision });
          return c.redirect(wikiUrl(path), 303);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          const exists = await pageExists(deps, path);
          if (error.code === 'edit_conflict') {
            const conflict = { currentMarkdown: String(error.extra.currentMarkdown ?? ''), parts: (error.extra.diff as DiffPart[] | null) ?? null, currentRevision: Number(error.extra.currentRevision) };
            // Keep their text in the editor and move the base forward, so saving again is a deliberate merge.
            return sendPage(c, <EditPage c={c} path={path} exists={exists} state={{ ...state, baseRevision: conflict.currentRevision, conflict }} />, 409);
          }
          if (error.status === 400 || error.status === 413) return sendPage(c, <EditPage c={c} path={path} exists={exists} state={{ ...state, error: error.message }} />, error.status);
          throw error;
        }
      }
      case 'revert':
        await revertPage(deps, viewer, path, Number(form.revision) || 0);
        return c.redirect(wikiUrl(path), 303);
      case 'comment':
        await addComment(deps, viewer, path, form.markdown ?? '');
        return c.redirect(`${wikiUrl(path)}#talk`, 303);
      case 'protect':
        await setPageProtection(deps, viewer, path, form.protected === 'true', String(form.reason ?? '').slice(0, 500));
        return c.redirect(wikiUrl(path), 303);
      default:
        throw new AppError(400, 'validation_failed', 'Unknown action.');
    }
  });
}
