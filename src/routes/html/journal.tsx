import { mayPublish } from '../../services/publishing.js';
import { listNotices } from '../../services/notices.js';
import { NoticeList } from '../../views/notice-list.js';
import type { Context, Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import type { MessageKey } from '../../i18n/index.js';
import { createActor, inviteRepresentative, myActors } from '../../services/actors.js';
import { ACTOR_KINDS } from '../../services/accounts.js';
import { getProfile } from '../../services/accounts.js';
import {
  CHOICE_LEVELS, CHOICE_STATUSES, type ChoiceFilters, type ChoiceView, addResult, choiceHistory, createChoice, deleteChoice, deleteResult, followUps,
  getChoice, listChoices, unitSuggestions, updateChoice,
} from '../../services/choices.js';
import { type LocalisedTaxonomy, localisedTaxonomy } from '../../services/criteria.js';
import { listTerritories } from '../../services/territories.js';
import { ActorBody, ChoiceBody, ChoicePatchBody, ChoiceQuery, RepresentativeBody, ResultBody } from '../api/schemas.js';
import { ChoiceCard, ChoiceForm, ComponentChips, ResultFields, formatDay, formatQuantity, statusLabel, visibilityLabel } from '../../views/journal.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { ReportForm } from '../../views/report-form.js';
import { ConfirmEmailNotice } from '../../views/confirm-email.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { emptyToUndefined, parseForm, readForm, readFormList } from './forms.js';
import { zodIssues } from '../../i18n/issues.js';
import { TerritoryOptions } from '../../views/form-options.js';

const levelLabeller = (taxonomy: LocalisedTaxonomy) => (code: string) => taxonomy.levels.find((l) => l.code === code)?.label ?? code;
const idParam = (c: Context<AppEnv>) => Number(c.req.param('id')) || 0;
const today = (c: Context<AppEnv>) => c.get('deps').clock.now().toISOString().slice(0, 10);

/** Form field names for API issue paths (results.0.quantity → resultQuantity). */
function formErrors(c: Context<AppEnv>, error: AppError): Record<string, string> {
  const issues = (error.extra.issues ?? []).map((issue) => {
    const match = /^(?:results\.0|body)\.?(\w*)/.exec(issue.path);
    if (!match) return issue;
    const field = match[1] || 'text';
    return { ...issue, path: `result${field.charAt(0).toUpperCase()}${field.slice(1)}` };
  });
  return errorsByField(c, issues, error.message);
}

const quantityOf = (raw: string | undefined) => (raw === undefined || raw.trim() === '' ? undefined : Number(raw.trim().replace(/\s/g, '').replace(',', '.')));

function choiceInputFromForm(values: Record<string, string>, components: string[], day: string) {
  const v = emptyToUndefined(values) as Record<string, string | undefined>;
  const hasResult = Boolean(v.resultText || v.resultQuantity);
  return {
    title: v.title ?? '',
    description: v.description,
    madeOn: v.madeOn ?? '',
    level: v.level,
    components,
    territory: v.territory ?? '',
    visibility: v.visibility,
    countInSummaries: values.countInSummaries === 'on',
    status: v.status ?? null,
    lang: v.lang,
    actor: v.actor,
    followUpInDays: v.followUpInDays === 'never' ? null : v.followUpInDays ? Number(v.followUpInDays) : undefined,
    results: hasResult ? [{ observedOn: v.resultObservedOn ?? day, text: v.resultText, quantity: quantityOf(v.resultQuantity), unit: v.resultUnit }] : undefined,
  };
}

async function formContext(c: Context<AppEnv>) {
  const deps = c.get('deps');
  const viewer = requireViewer(c);
  const [taxonomy, territories, actors, units, profile] = await Promise.all([
    localisedTaxonomy(deps, c.get('locale')), listTerritories(deps), myActors(deps, viewer), unitSuggestions(deps), getProfile(deps, viewer),
  ]);
  return { taxonomy, territories, actors, units, homeTerritory: profile.actors[0]?.territorySlug ?? '', consent: {
    // Before the address is confirmed (where that is asked), nothing starts as public: it would be refused.
    visibility: profile.user.defaultVisibility === 'public' && !mayPublish(deps, profile.user.emailVerified) ? 'private' : profile.user.defaultVisibility,
    countInSummaries: profile.user.countInSummaries,
  } };
}

async function NewChoicePage({ c, values, components, errors }: { c: Context<AppEnv>; values?: Record<string, string>; components?: string[]; errors?: Record<string, string> }) {
  const t = c.get('t');
  const ctx = await formContext(c);
  // The person's consent defaults are preselected; they can still choose otherwise for this choice.
  const initial = values ?? { madeOn: today(c), territory: ctx.homeTerritory, level: 'individual', actor: c.req.query('actor') ?? '',
    visibility: ctx.consent.visibility, countInSummaries: ctx.consent.countInSummaries ? 'on' : 'off' };
  return (
    <Layout c={c} title={t('choice.new')} robots="noindex">
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/me">{t('journal.title')}</a></li><li aria-current="page">{t('choice.new')}</li></ol></nav>
      <h1>{t('choice.new')}</h1>
      <p>{t('choice.newIntro')}</p>
      <ErrorSummary c={c} errors={errors} />
      <ChoiceForm c={c} action="/choices" mode="create" taxonomy={ctx.taxonomy} territories={ctx.territories} actors={ctx.actors} units={ctx.units} values={initial} components={components ?? []} errors={errors} />
    </Layout>
  );
}

function valuesOf(choice: ChoiceView): Record<string, string> {
  const followUpDays = choice.followUpOn ? String(Math.round((Date.parse(choice.followUpOn) - Date.parse(choice.madeOn)) / 86_400_000)) : 'never';
  return {
    title: choice.title, description: choice.description, madeOn: choice.madeOn, level: choice.level, territory: choice.territory.slug,
    visibility: choice.visibility, countInSummaries: choice.countInSummaries ? 'on' : 'off', status: choice.status ?? '', lang: choice.lang, followUpInDays: followUpDays,
  };
}

async function EditChoicePage({ c, choice, values, components, errors }: { c: Context<AppEnv>; choice: ChoiceView; values?: Record<string, string>; components?: string[]; errors?: Record<string, string> }) {
  const t = c.get('t');
  const ctx = await formContext(c);
  return (
    <Layout c={c} title={t('choice.edit', { title: choice.title })} robots="noindex">
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/me">{t('journal.title')}</a></li><li><a href={choice.url}>{choice.title}</a></li><li aria-current="page">{t('choice.editShort')}</li></ol></nav>
      <h1>{t('choice.edit', { title: choice.title })}</h1>
      <ErrorSummary c={c} errors={errors} />
      <ChoiceForm c={c} action={`${choice.url}/edit`} mode="edit" taxonomy={ctx.taxonomy} territories={ctx.territories} actors={ctx.actors} units={ctx.units}
        values={values ?? valuesOf(choice)} components={components ?? choice.components.map((comp) => comp.code)} errors={errors} />
    </Layout>
  );
}

async function ChoicePage({ c, choice, resultValues, errors, notice }: { c: Context<AppEnv>; choice: ChoiceView; resultValues?: Record<string, string>; errors?: Record<string, string>; notice?: string }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const [taxonomy, units] = await Promise.all([localisedTaxonomy(deps, c.get('locale')), choice.canEdit ? unitSuggestions(deps) : Promise.resolve([])]);
  const levelLabel = levelLabeller(taxonomy);
  return (
    <Layout c={c} title={choice.title} robots={choice.visibility === 'public' ? undefined : 'noindex'}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb">
        <ol>
          <li><a href="/choices">{t('choices.title')}</a></li>
          <li><a href={`/territories/${choice.territory.slug}`}>{choice.territory.name}</a></li>
          <li aria-current="page">{choice.title}</li>
        </ol>
      </nav>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <h1 lang={choice.lang}>{choice.title}</h1>
      <p class="meta">
        <time datetime={choice.madeOn}>{formatDay(c, choice.madeOn)}</time> · <a href={`/wiki/actor/${choice.actor.slug}`}>{choice.actor.name}</a> · <a href={`/territories/${choice.territory.slug}`}>{choice.territory.name}</a> · {levelLabel(choice.level)}
        {choice.status ? <>{' '}<span class={`badge status-${choice.status}`}>{statusLabel(c, choice.status)}</span></> : null}
        {' '}<span class={`badge visibility-${choice.visibility}`}>{visibilityLabel(c, choice.visibility)}</span>
        {!choice.countInSummaries ? <> <span class="badge">{t('choice.notCounted')}</span></> : null}
      </p>
      <ComponentChips components={choice.components} />
      {choice.descriptionHtml ? <div lang={choice.lang}><TrustedHtml class="prose" html={choice.descriptionHtml} /></div> : null}
      {!choice.canEdit && choice.visibility !== 'private' ? <ReportForm c={c} kind="choice" ref={String(choice.id)} label={t('report.choice')} /> : null}
      {choice.canEdit ? (
        <p class="actions">
          <a class="button" href={`${choice.url}/edit`}>{t('choice.editShort')}</a>
          <a href={`${choice.url}/history`}>{t('choice.history')}</a>
          <a href={`${choice.url}/delete`} class="danger-link">{t('choice.delete')}</a>
        </p>
      ) : <p><a href={`${choice.url}/history`}>{t('choice.history')}</a></p>}
      {choice.canEdit && choice.needsFollowUp ? <p class="notice">{t('choice.followUpDue')}</p> : null}
      <section aria-labelledby="results">
        <h2 id="results">{t('result.title')}</h2>
        {choice.results.length ? (
          <ul class="result-list">
            {choice.results.map((r) => (
              <li id={`result-${r.id}`} lang={choice.lang}>
                <strong><time datetime={r.observedOn}>{formatDay(c, r.observedOn)}</time></strong>
                {r.quantity !== null ? <> · <span class="quantity">{formatQuantity(c, r.quantity, r.unit)}</span></> : null}
                {r.text ? <p>{r.text}</p> : null}
                {choice.canEdit ? (
                  <form method="post" action={`${choice.url}/results/${r.id}/delete`} class="inline">
                    <CsrfField c={c} />
                    <button type="submit" class="link-button">{t('result.remove')}</button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : <p>{t('result.none')}</p>}
        {choice.canEdit ? (
          <form method="post" action={`${choice.url}/results`} class="stack narrow" id="add-result">
            <h3>{t('result.add')}</h3>
            <ErrorSummary c={c} errors={errors} />
            <CsrfField c={c} />
            <ResultFields c={c} values={resultValues ?? { resultObservedOn: today(c) }} errors={errors} units={units} />
            <button type="submit">{t('result.save')}</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

async function HistoryPage({ c, choice }: { c: Context<AppEnv>; choice: ChoiceView }) {
  const t = c.get('t');
  const revisions = await choiceHistory(c.get('deps'), c.get('viewer'), choice.id);
  const fieldLabel = (field: string) => t(`choiceField.${field}` as MessageKey);
  return (
    <Layout c={c} title={t('choice.historyOf', { title: choice.title })} robots="noindex">
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href={choice.url}>{choice.title}</a></li><li aria-current="page">{t('choice.history')}</li></ol></nav>
      <h1>{t('choice.historyOf', { title: choice.title })}</h1>
      <div class="table-wrap">
        <table>
          <caption>{t('choice.history')}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">{t('history.when')}</th><th scope="col">{t('history.who')}</th><th scope="col">{t('history.what')}</th></tr></thead>
          <tbody>
            {revisions.map((r) => (
              <tr>
                <td>{r.number}</td>
                <td>{formatDate(c, r.createdAt)}</td>
                <td>{r.author ?? '—'}</td>
                <td>{t(`choiceAction.${r.action}` as MessageKey)}{r.changed.length ? `: ${r.changed.map(fieldLabel).join(', ')}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

function filterQuery(filters: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function BrowsePage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const raw = c.req.query();
  const parsed = ChoiceQuery.safeParse(emptyToUndefined(raw));
  let filters: ChoiceFilters = parsed.success ? parsed.data : {};
  let errors = parsed.success ? undefined : errorsByField(c, zodIssues(parsed.error), t('form.errors'));
  const list = () => listChoices(deps, c.get('viewer'), filters, c.get('locale'));
  // A filter the service refuses (unknown component, stale cursor) is shown on the form, with the unfiltered list.
  const page = await list().catch(async (error) => {
    if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 404)) throw error;
    errors = errorsByField(c, error.extra.issues ?? [], error.message);
    filters = {};
    return list();
  });
  const [taxonomy, territories] = await Promise.all([localisedTaxonomy(deps, c.get('locale')), listTerritories(deps)]);
  const kept = { territory: filters.territory, dimension: filters.dimension, component: filters.component, level: filters.level, status: filters.status, from: filters.from, to: filters.to, actor: filters.actor };
  const levelLabel = levelLabeller(taxonomy);
  return (
    <Layout c={c} title={t('choices.title')} feed={{ title: t('choices.feedTitle'), href: `/feeds/choices.atom${filterQuery(kept)}` }}>
      <h1>{t('choices.title')}</h1>
      <p>{t('choices.intro')}</p>
      {c.get('viewer') ? <p><a class="button" href="/choices/new">{t('choice.new')}</a></p> : null}
      <ErrorSummary c={c} errors={errors} />
      <form method="get" action="/choices" class="filters" aria-label={t('choices.filters')}>
        <div>
          <label for="f-territory">{t('choice.territory')}</label>
          <select id="f-territory" name="territory"><option value="">{t('choices.any')}</option><TerritoryOptions territories={territories} selected={filters.territory} /></select>
        </div>
        <div>
          <label for="f-dimension">{t('choices.dimension')}</label>
          <select id="f-dimension" name="dimension"><option value="">{t('choices.any')}</option>{taxonomy.dimensions.map((d) => <option value={d.code} selected={filters.dimension?.toUpperCase() === d.code}>{d.code} — {d.label}</option>)}</select>
        </div>
        <div>
          <label for="f-component">{t('choices.component')}</label>
          <select id="f-component" name="component"><option value="">{t('choices.any')}</option>{taxonomy.dimensions.flatMap((d) => d.components).map((comp) => <option value={comp.code} selected={filters.component === comp.code}>{comp.code} — {comp.label}</option>)}</select>
        </div>
        <div>
          <label for="f-level">{t('choice.level')}</label>
          <select id="f-level" name="level"><option value="">{t('choices.any')}</option>{CHOICE_LEVELS.map((l) => <option value={l} selected={filters.level === l}>{levelLabel(l)}</option>)}</select>
        </div>
        <div>
          <label for="f-status">{t('choice.status')}</label>
          <select id="f-status" name="status"><option value="">{t('choices.any')}</option>{CHOICE_STATUSES.map((s) => <option value={s} selected={filters.status === s}>{statusLabel(c, s)}</option>)}</select>
        </div>
        <div>
          <label for="f-from">{t('choices.from')}</label>
          <input id="f-from" name="from" type="date" value={filters.from ?? ''} />
        </div>
        <div>
          <label for="f-to">{t('choices.to')}</label>
          <input id="f-to" name="to" type="date" value={filters.to ?? ''} />
        </div>
        {filters.actor ? <input type="hidden" name="actor" value={filters.actor} /> : null}
        <div class="filter-actions"><button type="submit">{t('choices.apply')}</button> <a href="/choices">{t('choices.reset')}</a></div>
      </form>
      <p class="meta">
        <a href={`/api/choices.csv${filterQuery(kept)}`} download="choices.csv">{t('choices.csv')}</a> · <a href={`/api/results.csv${filterQuery(kept)}`} download="results.csv">{t('choices.resultsCsv')}</a> · <a href={`/feeds/choices.atom${filterQuery(kept)}`}>{t('feed.atom')}</a>
      </p>
      {page.choices.length ? page.choices.map((choice) => <ChoiceCard c={c} choice={choice} levelLabel={levelLabel} headingLevel={2} />) : <p>{t('choices.none')}</p>}
      <nav class="pager" aria-label={t('choices.pages')}>
        {filters.cursor ? <a href={`/choices${filterQuery(kept)}`}>{t('choices.first')}</a> : null}
        {page.nextCursor ? <a href={`/choices${filterQuery(kept, { cursor: page.nextCursor })}`} rel="next">{t('choices.next')}</a> : null}
      </nav>
    </Layout>
  );
}

async function JournalPage({ c, notice, actorErrors }: { c: Context<AppEnv>; notice?: string; actorErrors?: Record<string, string> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const viewer = requireViewer(c);
  const cursor = c.req.query('cursor');
  const [profile, taxonomy, due, mine, actors, territories] = await Promise.all([
    getProfile(deps, viewer), localisedTaxonomy(deps, c.get('locale')), followUps(deps, viewer, c.get('locale')),
    listChoices(deps, viewer, { actor: 'me', cursor, limit: 20 }, c.get('locale')).catch((error) => {
      if (error instanceof AppError && error.status === 400) return { choices: [], nextCursor: null };
      throw error;
    }),
    myActors(deps, viewer), listTerritories(deps),
  ]);
  const notices = (await listNotices(deps, viewer, { limit: 20 })).filter((n) => !n.read);
  const levelLabel = levelLabeller(taxonomy);
  return (
    <Layout c={c} title={t('journal.title')} robots="noindex">
      <h1>{t('journal.title')}</h1>
      {c.req.query('welcome') ? <p class="notice" role="status">{t('me.welcome', { name: profile.user.name })}</p> : null}
      <ConfirmEmailNotice c={c} email={profile.user.email} verified={profile.user.emailVerified} />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <p class="actions"><a class="button" href="/choices/new">{t('choice.new')}</a> <a href="/me/settings">{t('me.settings')}</a></p>
      {notices.length ? (
        <section aria-labelledby="notices" class="notice">
          <h2 id="notices">{t('notices.title', { count: notices.length })}</h2>
          <NoticeList c={c} notices={notices} />
          <form method="post" action="/me/notifications/read" class="inline"><CsrfField c={c} /><input type="hidden" name="next" value="/me" /><button type="submit" class="secondary">{t('notices.markRead')}</button></form>
        </section>
      ) : null}
      <section aria-labelledby="follow-ups">
        <h2 id="follow-ups">{t('journal.followUps')}</h2>
        {due.length ? (
          <ul>
            {due.map((choice) => (
              <li><a href={`${choice.url}#add-result`}>{choice.title}</a> <span class="meta">· {t('journal.madeOn', { date: formatDay(c, choice.madeOn) })}</span></li>
            ))}
          </ul>
        ) : <p>{t('journal.noFollowUps')}</p>}
      </section>
      <section aria-labelledby="my-choices">
        <h2 id="my-choices">{t('journal.myChoices')}</h2>
        {mine.choices.length ? mine.choices.map((choice) => <ChoiceCard c={c} choice={choice} levelLabel={levelLabel} />) : <p>{t('journal.empty')}</p>}
        <nav class="pager" aria-label={t('choices.pages')}>
          {cursor ? <a href="/me">{t('choices.first')}</a> : null}
          {mine.nextCursor ? <a href={`/me?cursor=${encodeURIComponent(mine.nextCursor)}`} rel="next">{t('choices.next')}</a> : null}
        </nav>
        <p class="meta"><a href="/api/choices.csv?actor=me" download="my-choices.csv">{t('journal.csv')}</a> · <a href="/api/results.csv?actor=me" download="my-results.csv">{t('choices.resultsCsv')}</a></p>
      </section>
      <section aria-labelledby="my-actors">
        <h2 id="my-actors">{t('journal.actors')}</h2>
        <p>{t('journal.actorsIntro')}</p>
        <ul>
          {actors.map((a) => (
            <li>
              <a href={`/wiki/actor/${a.slug}`}>{t('me.personalPage', { name: a.name })}</a> <span class="meta">{taxonomy.actorKinds.find((k) => k.code === a.kind)?.label ?? a.kind}</span>
              {!a.primary ? <> · <a href={`/choices/new?actor=${a.slug}`}>{t('journal.logFor', { name: a.name })}</a></> : null}
            </li>
          ))}
        </ul>
        {profile.memberships.length ? <p>{t('journal.territories')}: {profile.memberships.map((m, i) => <>{i ? ', ' : ''}<a href={`/territories/${m.slug}`}>{m.name}</a>{m.status === 'pending' ? <> ({t('membership.pending')})</> : null}</>)}</p> : null}
        <details open={Boolean(actorErrors) || undefined}>
          <summary>{t('journal.newActor')}</summary>
          <ErrorSummary c={c} errors={actorErrors} />
          <form method="post" action="/me/actors" class="stack narrow">
            <CsrfField c={c} />
            <label for="actor-name">{t('field.name')}</label>
            <input id="actor-name" name="name" required maxlength={120} />
            <FieldErrors errors={actorErrors} name="name" />
            <label for="actor-kind">{t('field.actorKind')}</label>
            <select id="actor-kind" name="kind">{ACTOR_KINDS.filter((k) => k !== 'citizen').map((k) => <option value={k}>{taxonomy.actorKinds.find((x) => x.code === k)?.label ?? k}</option>)}</select>
            <label for="actor-territory">{t('field.territory')}</label>
            <select id="actor-territory" name="territory"><option value="">{t('field.noTerritory')}</option><TerritoryOptions territories={territories} /></select>
            <button type="submit">{t('journal.createActor')}</button>
          </form>
        </details>
        {actors.filter((a) => !a.primary).length ? (
          <details>
            <summary>{t('journal.addRepresentative')}</summary>
            <form method="post" action="/me/representatives" class="stack narrow">
              <CsrfField c={c} />
              <label for="rep-actor">{t('choice.actor')}</label>
              <select id="rep-actor" name="actor">{actors.filter((a) => !a.primary).map((a) => <option value={a.slug}>{a.name}</option>)}</select>
              <label for="rep-email">{t('field.email')}</label>
              <input id="rep-email" name="email" type="email" required />
              <button type="submit">{t('journal.addRepresentativeButton')}</button>
            </form>
          </details>
        ) : null}
      </section>
    </Layout>
  );
}

async function loadChoice(c: Context<AppEnv>) {
  return getChoice(c.get('deps'), c.get('viewer'), idParam(c), c.get('locale'));
}

const isFormError = (error: unknown): error is AppError => error instanceof AppError && (error.status === 400 || error.status === 409);

export function journalPages(app: Hono<AppEnv>) {
  app.get('/me', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/me', 303);
    return sendPage(c, await JournalPage({ c, notice: c.req.query('deleted') ? c.get('t')('choice.deleted') : undefined }));
  });

  app.post('/me/actors', async (c) => {
    const viewer = requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(ActorBody, { ...emptyToUndefined(values), territory: values.territory || null });
      const actor = await createActor(c.get('deps'), viewer, input);
      return sendPage(c, await JournalPage({ c, notice: c.get('t')('journal.actorCreated', { name: actor.name }) }), 201);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await JournalPage({ c, actorErrors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });

  app.post('/me/representatives', async (c) => {
    const viewer = requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(RepresentativeBody, { email: values.email ?? '' });
      await inviteRepresentative(c.get('deps'), viewer, values.actor ?? '', input.email);
      return sendPage(c, await JournalPage({ c, notice: c.get('t')('journal.representativeInvited') }));
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await JournalPage({ c, actorErrors: errorsByField(c, error.extra.issues, error.message) }), error.status as 400 | 409);
    }
  });

  app.get('/choices', async (c) => sendPage(c, await BrowsePage({ c })));

  app.get('/choices/new', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/choices/new', 303);
    return sendPage(c, await NewChoicePage({ c }));
  });

  app.post('/choices', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    const components = await readFormList(c, 'components');
    try {
      const input = parseForm(ChoiceBody, choiceInputFromForm(values, components, today(c)));
      const choice = await createChoice(c.get('deps'), c.get('viewer'), input, c.get('locale'));
      return c.redirect(`${choice.url}?saved=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await NewChoicePage({ c, values: { ...values, countInSummaries: values.countInSummaries === 'on' ? 'on' : 'off' }, components, errors: formErrors(c, error) }), 400);
    }
  });

  app.get('/choices/:id{[0-9]+}', async (c) => {
    const choice = await loadChoice(c);
    return sendPage(c, await ChoicePage({ c, choice, notice: c.req.query('saved') ? c.get('t')('choice.saved') : undefined }));
  });

  app.get('/choices/:id{[0-9]+}/history', async (c) => sendPage(c, await HistoryPage({ c, choice: await loadChoice(c) })));

  app.get('/choices/:id{[0-9]+}/edit', async (c) => {
    if (!c.get('viewer')) return c.redirect(`/login?next=/choices/${idParam(c)}/edit`, 303);
    const choice = await loadChoice(c);
    if (!choice.canEdit) throw new AppError(403, 'forbidden', c.get('t')('choice.notYours'));
    return sendPage(c, await EditChoicePage({ c, choice }));
  });

  app.post('/choices/:id{[0-9]+}/edit', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    const components = await readFormList(c, 'components');
    const { actor: _actor, results: _results, ...input } = choiceInputFromForm(values, components, today(c));
    try {
      const patch = parseForm(ChoicePatchBody, input);
      const choice = await updateChoice(c.get('deps'), c.get('viewer'), idParam(c), patch, c.get('locale'));
      return c.redirect(`${choice.url}?saved=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const choice = await loadChoice(c);
      return sendPage(c, await EditChoicePage({ c, choice, values: { ...values, countInSummaries: values.countInSummaries === 'on' ? 'on' : 'off' }, components, errors: formErrors(c, error) }), 400);
    }
  });

  app.post('/choices/:id{[0-9]+}/results', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      const v = emptyToUndefined(values) as Record<string, string | undefined>;
      const input = parseForm(ResultBody, { observedOn: v.resultObservedOn ?? '', text: v.resultText, quantity: quantityOf(v.resultQuantity), unit: v.resultUnit });
      const choice = await addResult(c.get('deps'), c.get('viewer'), idParam(c), input, c.get('locale'));
      return c.redirect(`${choice.url}?saved=1#results`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const choice = await loadChoice(c);
      const errors = formErrors(c, new AppError(400, 'validation_failed', error.message, { issues: (error.extra.issues ?? []).map((i) => ({ ...i, path: `results.0.${i.path === 'body' ? 'text' : i.path.replace(/^body\./, '')}` })) }));
      return sendPage(c, await ChoicePage({ c, choice, resultValues: values, errors }), 400);
    }
  });

  app.post('/choices/:id{[0-9]+}/results/:resultId{[0-9]+}/delete', async (c) => {
    const choice = await deleteResult(c.get('deps'), c.get('viewer'), idParam(c), Number(c.req.param('resultId')), c.get('locale'));
    return c.redirect(`${choice.url}#results`, 303);
  });

  app.get('/choices/:id{[0-9]+}/delete', async (c) => {
    const t = c.get('t');
    const choice = await loadChoice(c);
    if (!choice.canEdit) throw new AppError(403, 'forbidden', t('choice.notYours'));
    return sendPage(c, (
      <Layout c={c} title={t('choice.deleteTitle', { title: choice.title })} robots="noindex">
        <h1>{t('choice.deleteTitle', { title: choice.title })}</h1>
        <p>{t('choice.deleteWarning', { count: choice.results.length })}</p>
        <form method="post" action={`${choice.url}/delete`} class="actions">
          <CsrfField c={c} />
          <button type="submit" class="danger">{t('choice.deleteConfirm')}</button>
          <a href={choice.url}>{t('form.cancel')}</a>
        </form>
      </Layout>
    ));
  });

  app.post('/choices/:id{[0-9]+}/delete', async (c) => {
    await deleteChoice(c.get('deps'), c.get('viewer'), idParam(c));
    return c.redirect('/me?deleted=1', 303);
  });
}
