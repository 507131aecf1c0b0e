import { WatchButton } from '../../views/watch-button.js';
import { findWatch } from '../../services/watchlist.js';
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
import { listChoices } from '../../services/choices.js';
import { localisedTaxonomy } from '../../services/criteria.js';
import { listGroups } from '../../services/groups.js';
import { PHASES, canRateIndicators, listIndicators, putIndicator } from '../../services/indicators.js';
import { IndicatorBody } from '../api/schemas.js';
import { Dashboard } from './summaries.js';
import { canAssess, listAssessments } from '../../summaries/assessments.js';
import { ChoiceCard, formatDay } from '../../views/journal.js';
import { TerritoryOptions } from '../../views/form-options.js';
import { MemberDecisionBody } from '../api/schemas.js';
import { decideMembership, listMembers, managesMembers } from '../../services/memberships.js';
import { requireViewer } from '../../http/guards.js';

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
          <TerritoryOptions territories={territories} selected={parent} />
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
  const locale = c.get('locale');
  const [assessments, canAssessHere] = await Promise.all([listAssessments(deps, slug), canAssess(deps, c.get('viewer'), info.territory.id)]);
  const [page, changes, choices, groups, indicators, taxonomy, canRate] = await Promise.all([
    getPage(deps, info.pagePath).catch(() => null), recentChanges(deps, { limit: 10, territorySlug: slug }),
    listChoices(deps, c.get('viewer'), { territory: slug, limit: 10 }, locale), listGroups(deps, { territory: slug }),
    listIndicators(deps, slug, locale), localisedTaxonomy(deps, locale), canRateIndicators(deps, c.get('viewer'), slug),
  ]);
  const levelLabel = (code: string) => taxonomy.levels.find((l) => l.code === code)?.label ?? code;
  const watch = await findWatch(deps, c.get('viewer'), 'territory', info.territory.slug);
  const requests = (await managesMembers(deps, c.get('viewer'), info.territory.id)) ? await listMembers(deps, c.get('viewer'), slug, 'pending') : null;
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
      <WatchButton c={c} kind="territory" target={info.territory.slug} watch={watch} />
      {await Dashboard({ c, fixed: { territory: slug }, basePath: `/territories/${slug}` })}
      <section aria-labelledby="territory-assessments">
        <h2 id="territory-assessments">{t('assessment.title')}</h2>
        {assessments.due && canAssessHere ? <p class="notice">{t('assessment.due')}</p> : null}
        {assessments.assessments.length ? (
          <ul>{assessments.assessments.map((a) => <li><a href={a.url}>{t('assessment.item', { from: formatDay(c, a.period.from), to: formatDay(c, a.period.to) })}</a></li>)}</ul>
        ) : <p>{t('assessment.none')}</p>}
        {canAssessHere ? (
          <form method="post" action="/assessments" class="inline-form">
            <CsrfField c={c} />
            <input type="hidden" name="territory" value={slug} />
            <label for="a-from">{t('choices.from')}</label><input id="a-from" name="from" type="month" required />
            <label for="a-to">{t('choices.to')}</label><input id="a-to" name="to" type="month" required />
            <button type="submit" class="secondary">{t('assessment.create')}</button>
          </form>
        ) : null}
      </section>
      {/* The page usually opens with its own title: the overview already has it as its heading. */}
      {page ? <TrustedHtml class="prose" html={page.revision.html.replace(/^\s*<h1[^>]*>[\s\S]*?<\/h1>\s*/, '')} /> : null}
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
      {requests ? (
        <section aria-labelledby="members-title" id="members">
          <h2 id="members-title">{t('membership.requests')}</h2>
          <p class="hint">{t('membership.requestsIntro')}</p>
          {requests.length ? (
            <ul>
              {requests.map((m) => (
                <li>
                  <a href={`/wiki/actor/${encodePath(m.actor)}`}>{m.name}</a> <span class="meta">{t('membership.since', { date: formatDay(c, m.since.slice(0, 10)) })}</span>
                  <form method="post" action={`/territories/${slug}/members`} class="inline">
                    <CsrfField c={c} />
                    <input type="hidden" name="actor" value={m.actor} />
                    <button type="submit" name="decision" value="approve">{t('membership.approve')}</button>
                    <button type="submit" name="decision" value="decline" class="secondary">{t('membership.decline')}</button>
                  </form>
                </li>
              ))}
            </ul>
          ) : <p>{t('membership.noRequests')}</p>}
        </section>
      ) : null}
      <section aria-labelledby="territory-choices">
        <h2 id="territory-choices">{t('territories.choices')}</h2>
        {choices.choices.length ? choices.choices.map((choice) => <ChoiceCard c={c} choice={choice} levelLabel={levelLabel} />) : <p>{t('territories.noChoices')}</p>}
        <p><a href={`/choices?territory=${slug}`}>{t('territories.allChoices')}</a> · <a href={`/api/choices.csv?territory=${slug}`} download={`choices-${slug}.csv`}>{t('choices.csv')}</a> · <a href={`/feeds/choices.atom?territory=${slug}`}>{t('feed.atom')}</a>{c.get('viewer') ? <> · <a href="/choices/new">{t('choice.new')}</a></> : null}</p>
      </section>
      <section aria-labelledby="territory-indicators">
        <h2 id="territory-indicators">{t('indicators.title')}</h2>
        {/* Levels and their history are charted in the dashboard above; here is where they are rated. */}
        {indicators.indicators.some((i) => i.current) ? <p><a href="#chart-indicators-title">{t('dashboard.indicators')}</a></p> : null}
        {!indicators.indicators.some((i) => i.current) ? <p>{t('indicators.none')}</p> : null}
        {canRate ? <p><a class="button secondary" href={`/territories/${slug}/indicators`}>{t('indicators.rate')}</a></p> : null}
      </section>
      <section aria-labelledby="territory-groups">
        <h2 id="territory-groups">{t('groups.title')}</h2>
        {groups.length ? <ul>{groups.map((g) => <li><a href={g.url}>{g.name}</a> <span class="meta">· {t(`groupKind.${g.kind}` as MessageKey)} · {t('groups.statementCount', { count: g.statements })}</span></li>)}</ul> : <p>{t('groups.none')}</p>}
        {['admin', 'facilitator', 'coordinator'].includes(c.get('viewer')?.user.role ?? '') ? <p><a href={`/groups/new?territory=${slug}`}>{t('groups.new')}</a></p> : null}
      </section>
      <section aria-labelledby="changes">
        <h2 id="changes">{t('territories.recentChanges')}</h2>
        {changes.length ? (
          <ul>{changes.map((ch) => <li><a href={`/wiki/${encodePath(ch.path)}`}>{ch.title}</a> · {ch.author ?? '—'} · <time datetime={ch.created_at}>{formatDate(c, ch.created_at)}</time></li>)}</ul>
        ) : <p>{t('territories.noChanges')}</p>}
      </section>
    </Layout>
  );
}

async function IndicatorFormPage({ c, slug, values = {}, errors }: { c: Context<AppEnv>; slug: string; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const [info, taxonomy, current] = await Promise.all([getTerritory(deps, slug), localisedTaxonomy(deps, c.get('locale')), listIndicators(deps, slug, c.get('locale'))]);
  const code = values.code ?? c.req.query('component') ?? '';
  const existing = current.indicators.find((i) => i.component.code === code);
  const descriptor = (n: number) => values[`descriptor${n}`] ?? existing?.descriptors[n - 1] ?? '';
  return (
    <Layout c={c} title={t('indicators.rateIn', { name: info.territory.name })} robots="noindex">
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href={`/territories/${slug}`}>{info.territory.name}</a></li><li aria-current="page">{t('indicators.title')}</li></ol></nav>
      <h1>{t('indicators.rateIn', { name: info.territory.name })}</h1>
      <p>{t('indicators.intro')}</p>
      <form method="get" action={`/territories/${slug}/indicators`} class="inline-form">
        <label for="pick-component">{t('choices.component')}</label>
        <select id="pick-component" name="component">{taxonomy.dimensions.flatMap((d) => d.components).map((comp) => <option value={comp.code} selected={code === comp.code}>{comp.code} — {comp.label}</option>)}</select>
        <button type="submit" class="secondary">{t('indicators.open')}</button>
      </form>
      <ErrorSummary c={c} errors={errors} />
      {code ? (
        <form method="post" action={`/territories/${slug}/indicators`} class="stack">
          <CsrfField c={c} />
          <input type="hidden" name="code" value={code} />
          <fieldset>
            <legend>{t('indicators.descriptors')}</legend>
            <p class="hint">{t('indicators.descriptorsHint')}</p>
            {taxonomy.scale.map((s) => (
              <>
                <label for={`descriptor${s.level}`}>{s.level} — {s.label}</label>
                <textarea id={`descriptor${s.level}`} name={`descriptor${s.level}`} rows={2} maxlength={1000}>{descriptor(s.level)}</textarea>
              </>
            ))}
            <FieldErrors errors={errors} name="descriptors" />
          </fieldset>
          <fieldset>
            <legend>{t('indicators.rating')}</legend>
            <p class="hint">{t('indicators.ratingHint')}</p>
            {taxonomy.scale.map((s) => <label class="choice-option"><input type="radio" name="level" value={String(s.level)} checked={values.level === String(s.level)} /> {s.level} — {s.label}</label>)}
            <FieldErrors errors={errors} name="level" />
            <label for="ratedOn">{t('indicators.ratedOn')}</label>
            <input id="ratedOn" name="ratedOn" type="date" value={values.ratedOn ?? c.get('deps').clock.now().toISOString().slice(0, 10)} />
            <FieldErrors errors={errors} name="ratedOn" />
            <label for="phase">{t('indicators.phase')}</label>
            <select id="phase" name="phase">{PHASES.map((p) => <option value={p} selected={(values.phase ?? 'ex-post') === p}>{t(`phase.${p}` as MessageKey)}</option>)}</select>
            <label for="note">{t('indicators.note')}</label>
            <input id="note" name="note" maxlength={2000} value={values.note ?? ''} />
          </fieldset>
          <button type="submit">{t('form.save')}</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function territoryPages(app: Hono<AppEnv>) {
  app.get('/territories/:slug/indicators', async (c) => {
    const slug = c.req.param('slug');
    if (!c.get('viewer')) return c.redirect(`/login?next=/territories/${slug}/indicators`, 303);
    if (!(await canRateIndicators(c.get('deps'), c.get('viewer'), slug))) throw new AppError(403, 'forbidden', c.get('t')('indicators.denied'));
    return sendPage(c, await IndicatorFormPage({ c, slug }));
  });
  app.post('/territories/:slug/indicators', async (c) => {
    const slug = c.req.param('slug');
    const values = await readForm(c);
    try {
      const descriptors = [1, 2, 3, 4, 5].map((n) => values[`descriptor${n}`] ?? '');
      const input = parseForm(IndicatorBody, {
        level: values.level ? Number(values.level) : undefined,
        ratedOn: values.level ? values.ratedOn : undefined,
        phase: values.phase || undefined,
        note: values.note || undefined,
        descriptors: descriptors.some((d) => d.trim()) ? descriptors : undefined,
      });
      await putIndicator(c.get('deps'), c.get('viewer'), slug, values.code ?? '', input, c.get('locale'));
      return c.redirect(`/territories/${slug}#territory-indicators`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return sendPage(c, await IndicatorFormPage({ c, slug, values, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });
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
      const errors = error.status === 409 ? { slug: c.get('t')('territories.slugTaken') } : errorsByField(c, error.extra.issues, error.message);
      return sendPage(c, await NewTerritoryPage({ c, values, errors }), error.status as 400 | 409);
    }
  });
  app.post('/territories/:slug/members', async (c) => {
    const slug = c.req.param('slug');
    const values = await readForm(c);
    const input = parseForm(MemberDecisionBody, values);
    await decideMembership(c.get('deps'), requireViewer(c), slug, values.actor ?? '', input.decision);
    return c.redirect(`/territories/${slug}#members`, 303);
  });

  app.get('/territories/:slug', async (c) => sendPage(c, await TerritoryPage({ c, slug: c.req.param('slug') })));
}
