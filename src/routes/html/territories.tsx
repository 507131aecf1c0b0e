import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { AppError } from '../../errors.js';
import { type MessageKey } from '../../i18n/index.js';
import { getPage, recentChanges } from '../../services/pages.js';
import { TERRITORY_KINDS, createTerritory, getTerritory, listTerritories } from '../../services/territories.js';
import { TerritoryBody } from '../api/schemas.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { emptyToUndefined, parseForm, readForm } from './forms.js';
import { encodePath } from '../../markdown/render.js';

const canCreate = (c: Context<AppEnv>) => ['admin', 'coordinator'].includes(c.get('viewer')?.user.role ?? '');
export const kindLabel = (c: Context<AppEnv>, kind: string) => c.get('t')(`territoryKind.${kind}` as MessageKey);

async function TerritoryList({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const territories = await listTerritories(c.get('deps'));
  return (
    <Layout c={c} title={t('territories.title')}>
      <h1>{t('territories.title')}</h1>
      <p>{t('territories.intro')}</p>
      {canCreate(c) ? <p><a class="button" href="/territories/new">{t('territories.new')}</a></p> : null}
      {territories.length ? (
        <ul class="tree">
          {territories.map((tr) => (
            <li class={`depth-${Math.min(tr.depth, 6)}`}>
              <a href={`/territories/${tr.slug}`}>{tr.name}</a> <span class="meta">{kindLabel(c, tr.kind)}</span>
            </li>
          ))}
        </ul>
      ) : <p>{t('territories.none')}</p>}
    </Layout>
  );
}

async function NewTerritoryPage({ c, values = {}, errors }: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  const territories = await listTerritories(c.get('deps'));
  const parent = values.parent ?? c.req.query('parent') ?? '';
  return (
    <Layout c={c} title={t('territories.new')} robots="noindex">
      <h1>{t('territories.new')}</h1>
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action="/territories" class="stack narrow">
        <CsrfField c={c} />
        <label for="name">{t('field.name')}</label>
        <input id="name" name="name" required maxlength={120} value={values.name ?? ''} />
        <FieldErrors errors={errors} name="name" />
        <label for="slug">{t('territories.slug')}</label>
        <input id="slug" name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxlength={60} value={values.slug ?? ''} aria-describedby="slug-hint" />
        <p class="hint" id="slug-hint">{t('territories.slugHint')}</p>
        <FieldErrors errors={errors} name="slug" />
        <label for="kind">{t('territories.kind')}</label>
        <select id="kind" name="kind">{TERRITORY_KINDS.map((k) => <option value={k} selected={values.kind === k}>{kindLabel(c, k)}</option>)}</select>
        <label for="parent">{t('territories.parent')}</label>
        <select id="parent" name="parent">
          <option value="">{t('territories.noParent')}</option>
          {territories.map((tr) => <option value={tr.slug} selected={parent === tr.slug}>{'\u00a0\u00a0'.repeat(tr.depth) + tr.name}</option>)}
        </select>
        <FieldErrors errors={errors} name="parent" />
        <label for="description">{t('territories.description')}</label>
        <textarea id="description" name="description" rows={6}>{values.description ?? ''}</textarea>
        <button type="submit">{t('territories.create')}</button>
      </form>
    </Layout>
  );
}

async function TerritoryPage({ c, slug }: { c: Context<AppEnv>; slug: string }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const info = await getTerritory(deps, slug);
  const [page, changes] = await Promise.all([getPage(deps, info.pagePath).catch(() => null), recentChanges(deps, { limit: 10, territorySlug: slug })]);
  return (
    <Layout c={c} title={info.territory.name} feed={{ title: t('feed.territory', { name: info.territory.name }), href: `/feeds/territories/${slug}.atom` }}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb">
        <ol>
          <li><a href="/territories">{t('territories.title')}</a></li>
          {info.ancestors.map((a) => <li><a href={`/territories/${a.slug}`}>{a.name}</a></li>)}
          <li aria-current="page">{info.territory.name}</li>
        </ol>
      </nav>
      <h1>{info.territory.name}</h1>
      <p class="meta">{kindLabel(c, info.territory.kind)} · {t('territories.members', { count: info.memberCount })}</p>
      {page ? <TrustedHtml class="prose" html={page.revision.html} /> : null}
      <p><a href={`/wiki/${encodePath(info.pagePath)}`}>{t('territories.readPage')}</a> · <a href={`/wiki/${encodePath(info.pagePath)}?action=edit`}>{t('territories.editPage')}</a> · <a href={`/feeds/territories/${slug}.atom`}>{t('feed.atom')}</a></p>
      <div class="columns">
        <section aria-labelledby="children">
          <h2 id="children">{t('territories.children')}</h2>
          {info.children.length ? <ul>{info.children.map((ch) => <li><a href={`/territories/${ch.slug}`}>{ch.name}</a> <span class="meta">{kindLabel(c, ch.kind)}</span></li>)}</ul> : <p>{t('territories.noChildren')}</p>}
          {canCreate(c) ? <p><a href={`/territories/new?parent=${slug}`}>{t('territories.addChild')}</a></p> : null}
        </section>
        <section aria-labelledby="coordinators">
          <h2 id="coordinators">{t('territories.coordinators')}</h2>
          {info.coordinators.length ? <ul>{info.coordinators.map((co) => <li><a href={`/wiki/actor/${encodePath(co.slug)}`}>{co.name}</a></li>)}</ul> : <p>{t('territories.noCoordinators')}</p>}
        </section>
      </div>
      <section aria-labelledby="changes">
        <h2 id="changes">{t('territories.recentChanges')}</h2>
        {changes.length ? (
          <ul>{changes.map((ch) => <li><a href={`/wiki/${encodePath(ch.path)}`}>{ch.title}</a> · {ch.author ?? '—'} · <time datetime={ch.created_at}>{formatDate(c, ch.created_at)}</time></li>)}</ul>
        ) : <p>{t('territories.noChanges')}</p>}
      </section>
    </Layout>
  );
}

export function territoryPages(app: Hono<AppEnv>) {
  app.get('/territories', async (c) => sendPage(c, await TerritoryList({ c })));
  app.get('/territories/new', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/territories/new', 303);
    if (!canCreate(c)) throw new AppError(403, 'forbidden', c.get('t')('territories.denied'));
    return sendPage(c, await NewTerritoryPage({ c }));
  });
  app.post('/territories', async (c) => {
    const values = await readForm(c);
    try {
      const input = parseForm(TerritoryBody, { ...emptyToUndefined(values), parent: values.parent || null });
      const territory = await createTerritory(c.get('deps'), c.get('viewer'), input);
      return c.redirect(`/territories/${territory.slug}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || ![400, 409].includes(error.status)) throw error;
      const errors = error.status === 409 ? { slug: c.get('t')('territories.slugTaken') } : errorsByField(error.extra.issues, error.message);
      return sendPage(c, await NewTerritoryPage({ c, values, errors }), error.status as 400 | 409);
    }
  });
  app.get('/territories/:slug', async (c) => sendPage(c, await TerritoryPage({ c, slug: c.req.param('slug') })));
}
