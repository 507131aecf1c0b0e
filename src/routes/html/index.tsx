import { notificationPages } from './notifications.js';
import { toolPages } from './tools.js';
import { charterPages } from './charters.js';
import { workshopPages } from './workshops.js';
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { Limits } from '../../http/guards.js';
import { limitByIpAndAccount } from '../../http/guards.js';
import { AppError } from '../../errors.js';
import { encodePath } from '../../markdown/render.js';
import { recentChanges } from '../../services/pages.js';
import { search } from '../../services/search.js';
import { listTerritories } from '../../services/territories.js';
import { listChoices } from '../../services/choices.js';
import { Layout, formatDate } from '../../views/layout.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { sendPage } from '../../views/render.js';
import { ComponentChips } from '../../views/journal.js';
import { authPages } from './auth.js';
import { criteriaPages } from './criteria.js';
import { mePages } from './me.js';
import { exportFormatPages } from './export-format.js';
import { adminPages } from './admin.js';
import { privacyPages } from './privacy.js';
import { moderationPages } from './moderation.js';
import { journalPages } from './journal.js';
import { groupPages } from './groups.js';
import { summaryPages } from './summaries.js';
import { territoryPages } from './territories.js';
import { wikiPages } from './wiki.js';

async function HomePage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const [territories, changes, choices] = await Promise.all([
    listTerritories(deps), recentChanges(deps, { limit: 8 }), listChoices(deps, c.get('viewer'), { limit: 5 }, c.get('locale')),
  ]);
  return (
    <Layout c={c} title={t('home.title')}>
      <section class="hero">
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        {c.get('viewer') ? <p><a class="button" href="/me">{t('home.myJournal')}</a></p> : <p><a class="button" href="/register">{t('home.join')}</a> <a href="/login">{t('nav.login')}</a></p>}
      </section>
      <section aria-labelledby="home-choices">
        <h2 id="home-choices">{t('home.latestChoices')}</h2>
        {choices.choices.length ? (
          <ul class="latest-choices">{choices.choices.map((choice) => <li><a href={choice.url} lang={choice.lang}>{choice.title}</a> <span class="meta">· {choice.actor.name} · {choice.territory.name}</span><ComponentChips components={choice.components} /></li>)}</ul>
        ) : <p>{t('choices.none')}</p>}
        <p><a href="/choices">{t('home.allChoices')}</a> · <a href="/feeds/choices.atom">{t('feed.atom')}</a></p>
      </section>
      <div class="columns">
        <section aria-labelledby="home-territories">
          <h2 id="home-territories">{t('nav.territories')}</h2>
          <ul class="tree">{territories.slice(0, 30).map((tr) => <li class={`depth-${Math.min(tr.depth, 6)}`}><a href={`/territories/${tr.slug}`}>{tr.name}</a></li>)}</ul>
        </section>
        <section aria-labelledby="home-changes">
          <h2 id="home-changes">{t('nav.recentChanges')}</h2>
          <ul>{changes.map((ch) => <li><a href={`/wiki/${encodePath(ch.path)}`}>{ch.title}</a> <span class="meta">{ch.author ?? '—'} · {formatDate(c, ch.created_at)}</span></li>)}</ul>
          <p><a href="/recent-changes">{t('home.allChanges')}</a> · <a href="/feeds/recent.atom">{t('feed.atom')}</a></p>
        </section>
      </div>
      <section aria-labelledby="home-criteria">
        <h2 id="home-criteria">{t('nav.criteria')}</h2>
        <p>{t('home.criteria')} <a href="/criteria">{t('home.browseCriteria')}</a></p>
      </section>
    </Layout>
  );
}

async function RecentChangesPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const before = c.req.query('before');
  const changes = await recentChanges(c.get('deps'), { limit: 50, before: before && /^\d{4}-/.test(before) ? before : undefined });
  return (
    <Layout c={c} title={t('nav.recentChanges')}>
      <h1>{t('nav.recentChanges')}</h1>
      <p><a href="/feeds/recent.atom">{t('feed.atom')}</a></p>
      {changes.length ? (
        <table>
          <caption class="visually-hidden">{t('nav.recentChanges')}</caption>
          <thead><tr><th scope="col">{t('wiki.date')}</th><th scope="col">{t('wiki.page')}</th><th scope="col">{t('wiki.author')}</th><th scope="col">{t('wiki.summary')}</th><th scope="col"><span class="visually-hidden">{t('wiki.diff')}</span></th></tr></thead>
          <tbody>
            {changes.map((ch) => (
              <tr>
                <td><time datetime={ch.created_at}>{formatDate(c, ch.created_at)}</time></td>
                <td><a href={`/wiki/${encodePath(ch.path)}`}>{ch.title}</a></td>
                <td>{ch.author ?? '—'}</td>
                <td>{ch.summary}</td>
                <td>{ch.number > 1 ? <a href={`/wiki/${encodePath(ch.path)}?action=diff&from=${ch.number - 1}&to=${ch.number}`}>{t('wiki.diff')}</a> : t('wiki.new')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>{t('home.noChanges')}</p>}
      {changes.length === 50 ? <p><a href={`/recent-changes?before=${encodeURIComponent(changes[49].created_at)}`}>{t('wiki.older')}</a></p> : null}
    </Layout>
  );
}

async function SearchPage({ c, limits }: { c: Context<AppEnv>; limits: Limits }) {
  const t = c.get('t');
  const q = (c.req.query('q') ?? '').slice(0, 200);
  const page = Math.max(1, Math.min(500, Number(c.req.query('page')) || 1));
  let result: Awaited<ReturnType<typeof search>> | null = null;
  if (q.trim()) {
    limitByIpAndAccount(c, limits, 'search', limits.rules.searchPerIp, limits.rules.searchPerAccount);
    result = await search(c.get('deps'), q, { limit: 20, offset: (page - 1) * 20 }).catch((error) => {
      if (error instanceof AppError && error.status === 400) return null;
      throw error;
    });
  }
  return (
    <Layout c={c} title={q ? t('search.resultsFor', { q }) : t('search.title')} robots="noindex">
      <h1>{t('search.title')}</h1>
      <form method="get" action="/search" role="search" class="inline-form">
        <label for="q">{t('search.label')}</label>
        <input id="q" type="search" name="q" value={q} />
        <button type="submit">{t('search.button')}</button>
      </form>
      {result ? (
        <>
          <p role="status">{t('search.count', { count: result.total, q })}</p>
          <ol class="results" start={(page - 1) * 20 + 1}>
            {result.results.map((r) => (
              <li>
                <a href={r.url} lang={r.kind === 'statement' ? undefined : r.lang}><TrustedHtml class="result-title" html={r.titleHtml} /></a>
                <div lang={r.lang}><TrustedHtml class="snippet" html={r.snippetHtml} /></div>
              </li>
            ))}
          </ol>
          <nav aria-label={t('search.pages')} class="pager">
            {page > 1 ? <a href={`/search?q=${encodeURIComponent(q)}&page=${page - 1}`}>{t('search.previous')}</a> : null}
            {result.total > page * 20 ? <a href={`/search?q=${encodeURIComponent(q)}&page=${page + 1}`}>{t('search.next')}</a> : null}
          </nav>
        </>
      ) : q ? <p>{t('search.noWords')}</p> : null}
    </Layout>
  );
}

export function htmlRoutes(app: Hono<AppEnv>, limits: Limits) {
  app.get('/', async (c) => sendPage(c, await HomePage({ c })));
  app.get('/recent-changes', async (c) => sendPage(c, await RecentChangesPage({ c })));
  app.get('/search', async (c) => sendPage(c, await SearchPage({ c, limits })));
  authPages(app, limits);
  journalPages(app);
  mePages(app, limits);
  notificationPages(app);
  exportFormatPages(app);
  adminPages(app);
  privacyPages(app);
  moderationPages(app);
  groupPages(app);
  summaryPages(app);
  workshopPages(app);
  charterPages(app);
  toolPages(app);
  wikiPages(app);
  territoryPages(app);
  criteriaPages(app);
}
