import { WatchButton } from '../../views/watch-button.js';
import { findWatch } from '../../services/watchlist.js';
import type { Context, Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import { readerZone } from '../../http/reader-zone.js';
import type { MessageKey } from '../../i18n/index.js';
import { ACTOR_KINDS } from '../../services/accounts.js';
import { listTerritories } from '../../services/territories.js';
import { localisedTaxonomy } from '../../services/criteria.js';
import { dayIn, disambiguationOf, formatSpan, formatTimes } from '../../services/workshop-time.js';
import {
  type WorkshopView, canOrganise, conclusionsOf, createWorkshop, getWorkshop, listRegistrations, listWorkshops, register, saveConclusions, unregister, updateWorkshop, workshopFacets,
} from '../../services/workshops.js';
import { ConclusionsBody, TopicBody, WorkshopBody, WorkshopQuery } from '../api/schemas.js';
import { listTopics, markInterest, proposeTopic, topicToWorkshop } from '../../services/topics.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout } from '../../views/layout.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { LANGUAGE_CHOICES, languageName } from '../../views/languages.js';
import { emptyToUndefined, parseForm, readForm, readFormList } from './forms.js';
import { TerritoryOptions, TimeZoneList } from '../../views/form-options.js';

// Workshops: the list (upcoming/past, filters, times in the reader's zone), a programme per event,
// a page per workshop (register, join link for registrants, calendar file, conclusions), and the
// organiser's form. Every time names its zone; the organiser's time is shown alongside.

const idParam = (c: Context<AppEnv>) => Number(c.req.param('id')) || 0;
const isFormError = (error: unknown): error is AppError => error instanceof AppError && (error.status === 400 || error.status === 409);

/** Actor kinds are named by the taxonomy, in the reader's language. */
async function kindLabels(c: Context<AppEnv>): Promise<(kind: string) => string> {
  const kinds = (await localisedTaxonomy(c.get('deps'), c.get('locale'))).actorKinds;
  return (kind) => kinds.find((k) => k.code === kind)?.label ?? kind;
}

function When({ c, w }: { c: Context<AppEnv>; w: WorkshopView }) {
  const t = c.get('t');
  const locale = c.get('locale');
  const mine = formatSpan(w.startsAt, w.endsAt, w.local.timeZone, locale);
  return (
    <p class="when">
      <time datetime={w.startsAt}>{mine}</time>
      {w.local.timeZone !== w.timeZone ? <><br /><span class="meta">{t('workshops.organiserTime', { time: formatTimes(w.startsAt, w.endsAt, w.timeZone, locale), zone: w.timeZone })}</span></> : null}
    </p>
  );
}

function Seats({ c, w }: { c: Context<AppEnv>; w: WorkshopView }) {
  const t = c.get('t');
  if (w.capacity === null) return <span>{t('workshops.registeredCount', { count: w.registered })}</span>;
  return <span>{t('workshops.seats', { left: w.seatsLeft ?? 0, capacity: w.capacity })}{w.waiting ? ` · ${t('workshops.waitingCount', { count: w.waiting })}` : ''}</span>;
}

function WorkshopCard({ c, w, kindLabel }: { c: Context<AppEnv>; w: WorkshopView; kindLabel: (kind: string) => string }) {
  const t = c.get('t');
  return (
    <article class="choice-card workshop-card">
      <h2><a href={w.url}>{w.title}</a></h2>
      <When c={c} w={w} />
      <p class="meta">
        {t('workshops.languagesList', { list: w.languages.map((l) => languageName(c, l)).join(', ') })}
        {w.theme ? <> · {t('workshops.themeIs', { theme: w.theme })}</> : null}
        {w.actorKind ? <> · {t('workshops.forKind', { kind: kindLabel(w.actorKind) })}</> : null}
        {w.territory ? <> · <a href={`/territories/${w.territory.slug}`}>{w.territory.name}</a></> : null}
        {' · '}<Seats c={c} w={w} />
      </p>
      {w.myRegistration ? <p class="badge">{t(w.myRegistration === 'registered' ? 'workshops.youRegistered' : 'workshops.youWait')}</p> : null}
    </article>
  );
}

function ZoneNote({ c, zone, refused }: { c: Context<AppEnv>; zone: string | null; refused: string | null }) {
  const t = c.get('t');
  return (
    <>
      {refused ? <p class="notice" role="alert">{t('issue.timeZone')}</p> : null}
      <p class="hint" data-zone-known={zone ? 'yes' : 'no'}>{zone ? t('workshops.shownIn', { zone }) : t('workshops.shownInOrganiser')}</p>
    </>
  );
}

async function WorkshopListPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const raw = emptyToUndefined(c.req.query()) as Record<string, string | undefined>;
  // ?lang= switches the site's language: the working-language filter is ?language= here.
  const parsed = WorkshopQuery.safeParse({ ...raw, lang: raw.language });
  const filters = parsed.success ? parsed.data : {};
  const when = filters.when ?? 'upcoming';
  const { zone, refused } = readerZone(c);
  const [workshops, facets, territories, kindLabel] = await Promise.all([listWorkshops(deps, c.get('viewer'), { ...filters, when }, zone), workshopFacets(deps), listTerritories(deps), kindLabels(c)]);
  const keep = (extra: Record<string, string>) => `/workshops?${new URLSearchParams({ ...Object.fromEntries(Object.entries(raw).filter(([k, v]) => v && k !== 'lang') as [string, string][]), ...extra })}`;
  return (
    <Layout c={c} title={t('workshops.title')}>
      <h1>{t('workshops.title')}</h1>
      <p>{t('workshops.intro')}</p>
      <p class="actions">{canOrganise(c.get('viewer')) ? <a class="button" href="/workshops/new">{t('workshops.new')}</a> : null} <a href="/topics">{t('topics.link')}</a></p>
      <nav class="tabs" aria-label={t('workshops.when')}>
        <ul>
          <li><a href={keep({ when: 'upcoming' })} aria-current={when === 'upcoming' ? 'page' : undefined}>{t('workshops.upcoming')}</a></li>
          <li><a href={keep({ when: 'past' })} aria-current={when === 'past' ? 'page' : undefined}>{t('workshops.past')}</a></li>
        </ul>
      </nav>
      <form method="get" action="/workshops" class="filters" aria-label={t('workshops.filters')}>
        <input type="hidden" name="when" value={when} />
        <div>
          <label for="w-lang">{t('workshops.language')}</label>
          <select id="w-lang" name="language"><option value="">{t('workshops.any')}</option>{LANGUAGE_CHOICES.map((l) => <option value={l} selected={filters.lang === l}>{languageName(c, l)}</option>)}</select>
        </div>
        <div>
          <label for="w-theme">{t('workshops.theme')}</label>
          <select id="w-theme" name="theme"><option value="">{t('workshops.any')}</option>{facets.themes.map((x) => <option value={x} selected={filters.theme === x}>{x}</option>)}</select>
        </div>
        <div>
          <label for="w-kind">{t('workshops.actorKind')}</label>
          <select id="w-kind" name="actorKind"><option value="">{t('workshops.any')}</option>{ACTOR_KINDS.map((k) => <option value={k} selected={filters.actorKind === k}>{kindLabel(k)}</option>)}</select>
        </div>
        <div>
          <label for="w-territory">{t('workshops.territory')}</label>
          <select id="w-territory" name="territory"><option value="">{t('workshops.any')}</option><TerritoryOptions territories={territories} selected={filters.territory} /></select>
        </div>
        {facets.events.length ? (
          <div>
            <label for="w-event">{t('workshops.event')}</label>
            <select id="w-event" name="event"><option value="">{t('workshops.any')}</option>{facets.events.map((x) => <option value={x} selected={filters.event === x}>{x}</option>)}</select>
          </div>
        ) : null}
        <div>
          <label for="w-tz">{t('workshops.timeZone')}</label>
          <input id="w-tz" name="tz" list="time-zones" value={raw.tz ?? ''} placeholder={zone ?? 'Europe/Brussels'} autocomplete="off" />
          <TimeZoneList />
        </div>
        <div class="filter-actions"><button type="submit">{t('choices.apply')}</button> <a href="/workshops">{t('choices.reset')}</a></div>
      </form>
      <ZoneNote c={c} zone={zone} refused={refused} />
      {facets.events.map((event) => <p class="meta"><a href={`/workshops/program?${new URLSearchParams({ event, ...(raw.tz ? { tz: raw.tz } : {}) })}`}>{t('workshops.programOf', { event })}</a></p>)}
      {workshops.length ? workshops.map((w) => <WorkshopCard c={c} w={w} kindLabel={kindLabel} />) : <p>{t('workshops.none')}</p>}
    </Layout>
  );
}

async function ProgramPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const event = c.req.query('event') ?? '';
  const { zone, refused } = readerZone(c);
  const workshops = event ? await listWorkshops(c.get('deps'), c.get('viewer'), { event, limit: 500 }, zone) : [];
  if (!workshops.length) throw new AppError(404, 'not_found', t('workshops.noProgram'));
  const days = new Map<string, WorkshopView[]>();
  for (const w of workshops) {
    const day = dayIn(w.startsAt, w.local.timeZone);
    days.set(day, [...(days.get(day) ?? []), w]);
  }
  const dayLabel = (day: string) => new Intl.DateTimeFormat(c.get('locale'), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  return (
    <Layout c={c} title={t('workshops.programOf', { event })}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/workshops">{t('workshops.title')}</a></li><li aria-current="page">{event}</li></ol></nav>
      <h1>{t('workshops.programOf', { event })}</h1>
      <form method="get" action="/workshops/program" class="inline-form" aria-label={t('workshops.timeZone')}>
        <input type="hidden" name="event" value={event} />
        <label for="p-tz">{t('workshops.timeZone')}</label>
        <input id="p-tz" name="tz" list="time-zones" value={c.req.query('tz') ?? ''} placeholder={zone ?? 'Europe/Brussels'} autocomplete="off" />
        <TimeZoneList />
        <button type="submit" class="secondary">{t('choices.apply')}</button>
      </form>
      <ZoneNote c={c} zone={zone} refused={refused} />
      {[...days.entries()].map(([day, list]) => (
        <section aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`}>{dayLabel(day)}</h2>
          <ul class="program">
            {list.map((w) => (
              <li>
                <strong>{formatTimes(w.startsAt, w.endsAt, w.local.timeZone, c.get('locale'))}</strong> <a href={w.url}>{w.title}</a>
                <span class="meta"> · {w.languages.map((l) => l.toUpperCase()).join(' & ')}{w.local.timeZone !== w.timeZone ? ` · ${t('workshops.organiserTime', { time: formatTimes(w.startsAt, w.endsAt, w.timeZone, c.get('locale')), zone: w.timeZone })}` : ''}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

async function WorkshopPage({ c, notice, errors, conclusionsDraft }: { c: Context<AppEnv>; notice?: string; errors?: Record<string, string>; conclusionsDraft?: string }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const viewer = c.get('viewer');
  const { zone, refused } = readerZone(c);
  const w = await getWorkshop(deps, viewer, idParam(c), zone);
  const [conclusions, registrations, kindLabel, watch] = await Promise.all([
    conclusionsOf(deps, w), w.canManage ? listRegistrations(deps, viewer, w.id) : Promise.resolve(null), kindLabels(c), findWatch(deps, viewer, 'workshop', String(w.id)),
  ]);
  return (
    <Layout c={c} title={w.title}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/workshops">{t('workshops.title')}</a></li>{w.event ? <li><a href={`/workshops/program?event=${encodeURIComponent(w.event)}`}>{w.event}</a></li> : null}<li aria-current="page">{w.title}</li></ol></nav>
      <h1>{w.title}</h1>
      <WatchButton c={c} kind="workshop" target={String(w.id)} watch={watch} />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <ErrorSummary c={c} errors={errors} />
      <When c={c} w={w} />
      <ZoneNote c={c} zone={zone} refused={refused} />
      {w.canManage ? <p><a href={`/workshops/${w.id}/edit`}>{t('workshops.edit')}</a></p> : null}
      {/* Taking part comes first, so that on a phone the one main action is on the first screen. */}
      <section aria-labelledby="take-part" class="take-part">
        <h2 id="take-part">{t('workshops.takePart')}</h2>
        {w.past ? <p>{t('workshops.over')}</p> : !viewer ? (
          <p><a href={`/login?next=${encodeURIComponent(w.url)}`}>{t('workshops.loginToRegister')}</a></p>
        ) : w.myRegistration ? (
          <>
            <p>{t(w.myRegistration === 'registered' ? 'workshops.youRegistered' : 'workshops.youWait')}</p>
            <form method="post" action={`/workshops/${w.id}/unregister`} class="inline"><CsrfField c={c} /><button type="submit" class="secondary">{t(w.myRegistration === 'registered' ? 'workshops.unregister' : 'workshops.leaveLine')}</button></form>
          </>
        ) : (
          <form method="post" action={`/workshops/${w.id}/register`} class="inline"><CsrfField c={c} /><button type="submit">{w.seatsLeft === 0 ? t('workshops.joinLine') : t('workshops.register')}</button></form>
        )}
        {w.joinUrl ? <p><a class="button secondary" href={w.joinUrl} rel="noopener noreferrer">{t('workshops.join')}</a> <span class="meta">{w.joinUrl}</span></p>
          : w.hasJoinUrl && !w.past ? <p class="hint">{t('workshops.joinHidden')}</p> : null}
        <p><a href={w.calendarUrl} download={`workshop-${w.id}.ics`}>{t('workshops.calendar')}</a></p>
      </section>
      <dl class="facts">
        <div><dt>{t('workshops.languages')}</dt><dd>{w.languages.map((l) => languageName(c, l)).join(', ')}</dd></div>
        {w.theme ? <div><dt>{t('workshops.theme')}</dt><dd>{w.theme}</dd></div> : null}
        {w.actorKind ? <div><dt>{t('workshops.actorKind')}</dt><dd>{kindLabel(w.actorKind)}</dd></div> : null}
        {w.territory ? <div><dt>{t('workshops.territory')}</dt><dd><a href={`/territories/${w.territory.slug}`}>{w.territory.name}</a></dd></div> : null}
        <div><dt>{t('workshops.duration')}</dt><dd>{t('workshops.minutes', { count: w.durationMinutes })}</dd></div>
        <div><dt>{t('workshops.places')}</dt><dd><Seats c={c} w={w} /></dd></div>
        {w.organiser ? <div><dt>{t('workshops.organiser')}</dt><dd>{w.organiser}</dd></div> : null}
      </dl>
      {w.descriptionHtml ? <TrustedHtml class="prose" html={w.descriptionHtml} /> : null}
      {registrations ? (
        <section aria-labelledby="registrations">
          <h2 id="registrations">{t('workshops.registrations', { count: registrations.length })}</h2>
          {registrations.length ? <ol>{registrations.map((r) => <li>{r.name}{r.status === 'waiting' ? ` (${t('workshops.waiting')})` : ''}</li>)}</ol> : <p>{t('workshops.noRegistrations')}</p>}
        </section>
      ) : null}
      <section aria-labelledby="conclusions">
        <h2 id="conclusions">{t('workshops.conclusions')}</h2>
        {conclusions ? <TrustedHtml class="prose" html={conclusions.revision.html} /> : <p>{t('workshops.noConclusions')}</p>}
        {conclusions ? <p class="meta"><a href={`/wiki/${w.conclusionsPath}`}>{t('workshops.conclusionsPage')}</a> · <a href={`/wiki/${w.conclusionsPath}/revisions`}>{t('workshops.conclusionsHistory')}</a></p> : null}
        {w.canManage ? <p><a class="button secondary" href={`/charters/new?workshop=${w.id}`}>{t('workshops.draftCharter')}</a></p> : null}
        {w.canManage ? (
          <form method="post" action={`/workshops/${w.id}/conclusions`} class="stack">
            <CsrfField c={c} />
            <label for="conclusions-text">{t('workshops.writeConclusions')}</label>
            <textarea class="source" id="conclusions-text" name="markdown" rows={8}>{conclusionsDraft ?? conclusions?.revision.markdown ?? ''}</textarea>
            <FieldErrors errors={errors} name="markdown" />
            <button type="submit">{t('workshops.saveConclusions')}</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

/** The organiser's form: a new workshop, or (with `editing`) changes to one. */
async function NewWorkshopPage({ c, values: given = {}, languages, errors, editing }: { c: Context<AppEnv>; values?: Record<string, string>; languages?: string[]; errors?: Record<string, string>; editing?: WorkshopView }) {
  const t = c.get('t');
  if (editing && !Object.keys(given).length) {
    given = {
      title: editing.title, description: editing.description, startsAt: editing.organiserLocal.start, timeZone: editing.timeZone, durationMinutes: String(editing.durationMinutes),
      // A start in the hour that happens twice keeps the one it was.
      disambiguation: disambiguationOf(editing.startsAt, editing.timeZone) ?? '',
      theme: editing.theme ?? '', actorKind: editing.actorKind ?? '', territory: editing.territory?.slug ?? '', event: editing.event ?? '', capacity: editing.capacity === null ? '' : String(editing.capacity), joinUrl: editing.joinUrl ?? '',
    };
    languages ??= editing.languages;
  }
  // From an open-space topic: its title and description to start from.
  const topicId = Number(given.topic ?? c.req.query('topic')) || null;
  const topic = topicId ? (await listTopics(c.get('deps'), null, 'open')).find((x) => x.id === topicId) : undefined;
  const values: Record<string, string> = { ...(topic ? { title: topic.title, description: topic.description } : {}), ...given };
  const [territories, kindLabel] = await Promise.all([listTerritories(c.get('deps')), kindLabels(c)]);
  const zone = values.timeZone ?? c.get('viewer')?.user.time_zone ?? '';
  const chosen = new Set(languages ?? [c.get('locale')]);
  return (
    <Layout c={c} title={editing ? t('workshops.edit') : t('workshops.new')} robots="noindex">
      <h1>{editing ? t('workshops.editTitle', { title: editing.title }) : t('workshops.new')}</h1>
      {topic ? <p>{t('topics.fromTopic', { title: topic.title, count: topic.interest })}</p> : null}
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action={editing ? `/workshops/${editing.id}/edit` : '/workshops'} class="stack">
        <CsrfField c={c} />
        {topic ? <input type="hidden" name="topic" value={String(topic.id)} /> : null}
        <label for="title">{t('workshops.fieldTitle')}</label>
        <input id="title" name="title" required maxlength={200} value={values.title ?? ''} aria-invalid={errors?.title ? 'true' : undefined} />
        <FieldErrors errors={errors} name="title" />
        <label for="description">{t('workshops.fieldDescription')}</label>
        <textarea id="description" name="description" rows={5}>{values.description ?? ''}</textarea>
        <div class="field-row">
          <div>
            <label for="startsAt">{t('workshops.fieldStart')}</label>
            <input id="startsAt" name="startsAt" type="datetime-local" required value={values.startsAt ?? ''} aria-describedby="start-hint" aria-invalid={errors?.startsAt ? 'true' : undefined} />
            <FieldErrors errors={errors} name="startsAt" />
          </div>
          <div>
            <label for="timeZone">{t('workshops.fieldTimeZone')}</label>
            <input id="timeZone" name="timeZone" required list="time-zones" data-browser-zone value={zone} placeholder="Europe/Brussels" autocomplete="off" aria-describedby="start-hint" aria-invalid={errors?.timeZone ? 'true' : undefined} />
            <TimeZoneList />
            <FieldErrors errors={errors} name="timeZone" />
          </div>
          <div>
            <label for="durationMinutes">{t('workshops.fieldDuration')}</label>
            <input id="durationMinutes" name="durationMinutes" type="number" min={5} max={10080} required value={values.durationMinutes ?? '120'} />
            <FieldErrors errors={errors} name="durationMinutes" />
          </div>
        </div>
        <p class="hint" id="start-hint">{t('workshops.startHint')}</p>
        <fieldset>
          <legend>{t('workshops.fieldDisambiguation')}</legend>
          <label class="choice-option"><input type="radio" name="disambiguation" value="" checked={!values.disambiguation} /> {t('workshops.disambiguationAsk')}</label>
          <label class="choice-option"><input type="radio" name="disambiguation" value="earlier" checked={values.disambiguation === 'earlier'} /> {t('workshops.disambiguationEarlier')}</label>
          <label class="choice-option"><input type="radio" name="disambiguation" value="later" checked={values.disambiguation === 'later'} /> {t('workshops.disambiguationLater')}</label>
        </fieldset>
        <fieldset aria-describedby={errors?.languages ? 'languages-error' : undefined}>
          <legend>{t('workshops.languages')}</legend>
          {LANGUAGE_CHOICES.map((l) => <label class="choice-option"><input type="checkbox" name="languages" value={l} checked={chosen.has(l)} /> {languageName(c, l)}</label>)}
          <FieldErrors errors={errors} name="languages" />
        </fieldset>
        <div class="field-row">
          <div>
            <label for="theme">{t('workshops.theme')}</label>
            <input id="theme" name="theme" maxlength={100} value={values.theme ?? ''} />
          </div>
          <div>
            <label for="actorKind">{t('workshops.actorKind')}</label>
            <select id="actorKind" name="actorKind"><option value="">{t('workshops.everyone')}</option>{ACTOR_KINDS.map((k) => <option value={k} selected={values.actorKind === k}>{kindLabel(k)}</option>)}</select>
          </div>
          <div>
            <label for="territory">{t('workshops.territory')}</label>
            <select id="territory" name="territory"><option value="">{t('workshops.anywhere')}</option><TerritoryOptions territories={territories} selected={values.territory} /></select>
          </div>
        </div>
        <label for="event">{t('workshops.event')}</label>
        <input id="event" name="event" maxlength={200} value={values.event ?? ''} aria-describedby="event-hint" />
        <p class="hint" id="event-hint">{t('workshops.eventHint')}</p>
        <div class="field-row">
          <div>
            <label for="capacity">{t('workshops.fieldCapacity')}</label>
            <input id="capacity" name="capacity" type="number" min={1} value={values.capacity ?? ''} />
            <FieldErrors errors={errors} name="capacity" />
          </div>
          <div>
            <label for="joinUrl">{t('workshops.fieldJoinUrl')}</label>
            <input id="joinUrl" name="joinUrl" type="url" maxlength={500} value={values.joinUrl ?? ''} placeholder="https://" />
            <FieldErrors errors={errors} name="joinUrl" />
          </div>
        </div>
        <button type="submit">{editing ? t('workshops.save') : t('workshops.create')}</button>
      </form>
    </Layout>
  );
}

async function TopicsPage({ c, errors, values = {} }: { c: Context<AppEnv>; errors?: Record<string, string>; values?: Record<string, string> }) {
  const t = c.get('t');
  const viewer = c.get('viewer');
  const [open, scheduled] = await Promise.all([listTopics(c.get('deps'), viewer, 'open'), listTopics(c.get('deps'), viewer, 'scheduled')]);
  const notice = c.req.query('proposed') ? t('topics.proposed') : undefined;
  return (
    <Layout c={c} title={t('topics.title')}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/workshops">{t('workshops.title')}</a></li><li aria-current="page">{t('topics.title')}</li></ol></nav>
      <h1>{t('topics.title')}</h1>
      <p>{t('topics.intro')}</p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {open.length ? (
        <ol class="topics">
          {open.map((topic) => (
            <li id={`topic-${topic.id}`}>
              <h2>{topic.title}</h2>
              {topic.descriptionHtml ? <TrustedHtml class="prose" html={topic.descriptionHtml} /> : null}
              <p class="meta">{t('topics.interest', { count: topic.interest })}{topic.proposer ? ` · ${t('topics.proposedBy', { name: topic.proposer })}` : ''}</p>
              {viewer ? (
                <form method="post" action={`/topics/${topic.id}/interest`} class="inline">
                  <CsrfField c={c} />
                  <input type="hidden" name="interested" value={topic.interested ? 'no' : 'yes'} />
                  <button type="submit" class="secondary" aria-pressed={topic.interested ? 'true' : 'false'}>{t(topic.interested ? 'topics.interested' : 'topics.markInterest')}</button>
                </form>
              ) : null}
              {canOrganise(viewer) ? <> <a href={`/workshops/new?topic=${topic.id}`}>{t('topics.makeWorkshop')}</a></> : null}
            </li>
          ))}
        </ol>
      ) : <p>{t('topics.none')}</p>}
      {viewer ? (
        <section aria-labelledby="propose-title">
          <h2 id="propose-title">{t('topics.propose')}</h2>
          <ErrorSummary c={c} errors={errors} />
          <form method="post" action="/topics" class="stack">
            <CsrfField c={c} />
            <label for="topic-title">{t('topics.fieldTitle')}</label>
            <input id="topic-title" name="title" required maxlength={200} value={values.title ?? ''} />
            <FieldErrors errors={errors} name="title" />
            <label for="topic-description">{t('topics.fieldDescription')}</label>
            <textarea id="topic-description" name="description" rows={3}>{values.description ?? ''}</textarea>
            <button type="submit">{t('topics.submit')}</button>
          </form>
        </section>
      ) : <p><a href="/login?next=/topics">{t('topics.loginToPropose')}</a></p>}
      {scheduled.length ? (
        <section aria-labelledby="scheduled-title">
          <h2 id="scheduled-title">{t('topics.scheduled')}</h2>
          <ul>{scheduled.map((topic) => <li>{topic.title} → <a href={topic.workshop!.url}>{topic.workshop!.title}</a></li>)}</ul>
        </section>
      ) : null}
    </Layout>
  );
}

export function workshopPages(app: Hono<AppEnv>) {
  app.get('/topics', async (c) => sendPage(c, await TopicsPage({ c })));

  app.post('/topics', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      await proposeTopic(c.get('deps'), c.get('viewer'), parseForm(TopicBody, emptyToUndefined(values)));
      return c.redirect('/topics?proposed=1', 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await TopicsPage({ c, values, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });

  app.post('/topics/:id{[0-9]+}/interest', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    await markInterest(c.get('deps'), c.get('viewer'), idParam(c), values.interested !== 'no');
    return c.redirect(`/topics#topic-${idParam(c)}`, 303);
  });

  app.get('/workshops', async (c) => sendPage(c, await WorkshopListPage({ c })));
  app.get('/workshops/program', async (c) => sendPage(c, await ProgramPage({ c })));

  app.get('/workshops/new', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/workshops/new', 303);
    if (!canOrganise(c.get('viewer'))) throw new AppError(403, 'forbidden', c.get('t')('workshops.denied'));
    return sendPage(c, await NewWorkshopPage({ c }));
  });

  app.post('/workshops', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    const languages = await readFormList(c, 'languages');
    try {
      const v = emptyToUndefined(values) as Record<string, string | undefined>;
      const input = parseForm(WorkshopBody, { ...v, languages, disambiguation: v.disambiguation || undefined, capacity: v.capacity ?? null, joinUrl: v.joinUrl ?? null });
      const topic = Number(v.topic) || null;
      const id = topic ? await topicToWorkshop(c.get('deps'), c.get('viewer'), topic, input) : await createWorkshop(c.get('deps'), c.get('viewer'), input);
      return c.redirect(`/workshops/${id}?created=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await NewWorkshopPage({ c, values, languages, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });

  const editable = async (c: Context<AppEnv>) => {
    const w = await getWorkshop(c.get('deps'), requireViewer(c), idParam(c), null);
    if (!w.canManage) throw new AppError(403, 'forbidden', c.get('t')('workshops.denied'));
    return w;
  };
  app.get('/workshops/:id{[0-9]+}/edit', async (c) => {
    if (!c.get('viewer')) return c.redirect(`/login?next=/workshops/${idParam(c)}/edit`, 303);
    return sendPage(c, await NewWorkshopPage({ c, editing: await editable(c) }));
  });
  app.post('/workshops/:id{[0-9]+}/edit', async (c) => {
    const editing = await editable(c);
    const values = await readForm(c);
    const languages = await readFormList(c, 'languages');
    try {
      const v = emptyToUndefined(values) as Record<string, string | undefined>;
      const input = parseForm(WorkshopBody, { ...v, languages, disambiguation: v.disambiguation || undefined, capacity: v.capacity ?? null, joinUrl: v.joinUrl ?? null, theme: v.theme ?? null, actorKind: v.actorKind ?? null, territory: v.territory ?? null, event: v.event ?? null });
      await updateWorkshop(c.get('deps'), c.get('viewer'), editing.id, input);
      return c.redirect(`/workshops/${editing.id}?saved=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await NewWorkshopPage({ c, values, languages, editing, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });

  app.get('/workshops/:id{[0-9]+}', async (c) => {
    const t = c.get('t');
    const flag = ['created', 'registered', 'waiting', 'unregistered', 'saved', 'concluded'].find((k) => c.req.query(k));
    const notices: Record<string, MessageKey> = { created: 'workshops.created', registered: 'workshops.youRegistered', waiting: 'workshops.youWait', unregistered: 'workshops.unregistered', saved: 'workshops.saved', concluded: 'workshops.conclusionsSaved' };
    return sendPage(c, await WorkshopPage({ c, notice: flag ? t(notices[flag]) : undefined }));
  });

  app.post('/workshops/:id{[0-9]+}/register', async (c) => {
    requireViewer(c);
    try {
      const result = await register(c.get('deps'), c.get('viewer'), idParam(c));
      return c.redirect(`/workshops/${idParam(c)}?${result.status}=1`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await WorkshopPage({ c, errors: { form: error.message } }), error.status);
    }
  });

  app.post('/workshops/:id{[0-9]+}/unregister', async (c) => {
    requireViewer(c);
    await unregister(c.get('deps'), c.get('viewer'), idParam(c));
    return c.redirect(`/workshops/${idParam(c)}?unregistered=1`, 303);
  });

  app.post('/workshops/:id{[0-9]+}/conclusions', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(ConclusionsBody, { markdown: values.markdown ?? '' });
      await saveConclusions(c.get('deps'), c.get('viewer'), idParam(c), input.markdown);
      return c.redirect(`/workshops/${idParam(c)}?concluded=1#conclusions`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await WorkshopPage({ c, errors: errorsByField(c, error.extra.issues, error.message), conclusionsDraft: values.markdown }), 400);
    }
  });
}
