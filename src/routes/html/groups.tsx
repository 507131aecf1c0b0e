import { WatchButton } from '../../views/watch-button.js';
import { findWatch } from '../../services/watchlist.js';
import type { Context, Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import { LOCALES, LOCALE_NAMES, type MessageKey } from '../../i18n/index.js';
import { localisedTaxonomy } from '../../services/criteria.js';
import {
  GROUP_KINDS, MEANINGS, QUESTIONS, addGroupMember, addGroupSession, addStatement, correctStatementLanguage, createGroup, deleteStatement, getGroup, listGroups, listStatements,
} from '../../services/groups.js';
import { listTerritories } from '../../services/territories.js';
import { GroupBody, GroupMemberBody, GroupSessionBody, StatementBody, StatementPatchBody } from '../api/schemas.js';
import { ComponentChips, CriteriaPicker, formatDay } from '../../views/journal.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout } from '../../views/layout.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { emptyToUndefined, parseForm, readForm, readFormList } from './forms.js';
import { Dashboard } from './summaries.js';
import { TerritoryOptions, TextLanguageOptions } from '../../views/form-options.js';

const kindLabel = (c: Context<AppEnv>, kind: string) => c.get('t')(`groupKind.${kind}` as MessageKey);
const questionLabel = (c: Context<AppEnv>, question: string) => c.get('t')(`question.${question}` as MessageKey);
const mayCreateGroups = (c: Context<AppEnv>) => ['admin', 'facilitator', 'coordinator'].includes(c.get('viewer')?.user.role ?? '');
const idParam = (c: Context<AppEnv>) => Number(c.req.param('id')) || 0;
const isFormError = (error: unknown): error is AppError => error instanceof AppError && (error.status === 400 || error.status === 409);

async function GroupListPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const kind = GROUP_KINDS.find((k) => k === c.req.query('kind'));
  const territory = c.req.query('territory') || undefined;
  const groups = await listGroups(c.get('deps'), { kind, territory });
  return (
    <Layout c={c} title={t('groups.title')} feed={kind && kind !== 'mixed' ? { title: kindLabel(c, kind), href: `/feeds/groups/${kind}.atom` } : undefined}>
      <h1>{t('groups.title')}</h1>
      <p>{t('groups.intro')}</p>
      {mayCreateGroups(c) ? <p><a class="button" href="/groups/new">{t('groups.new')}</a></p> : null}
      <nav class="tabs" aria-label={t('groups.kinds')}>
        <ul>
          <li><a href="/groups" aria-current={!kind ? 'page' : undefined}>{t('groups.all')}</a></li>
          {GROUP_KINDS.map((k) => <li><a href={`/groups?kind=${k}`} aria-current={kind === k ? 'page' : undefined}>{kindLabel(c, k)}</a></li>)}
        </ul>
      </nav>
      <p class="meta"><a href="/feeds/groups/homogeneous.atom">{t('groups.feedHomogeneous')}</a> · <a href="/feeds/groups/coordination.atom">{t('groups.feedCoordination')}</a></p>
      {groups.length ? (
        <ul class="group-list">
          {groups.map((g) => (
            <li>
              <a href={g.url}>{g.name}</a> <span class="meta">· {kindLabel(c, g.kind)} · <a href={`/territories/${g.territory.slug}`}>{g.territory.name}</a> · {t('groups.statementCount', { count: g.statements })}</span>
              {g.profile ? <p class="hint">{g.profile}</p> : null}
            </li>
          ))}
        </ul>
      ) : <p>{t('groups.none')}</p>}
    </Layout>
  );
}

async function NewGroupPage({ c, values = {}, errors }: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  const territories = await listTerritories(c.get('deps'));
  const territory = values.territory ?? c.req.query('territory') ?? '';
  return (
    <Layout c={c} title={t('groups.new')} robots="noindex">
      <h1>{t('groups.new')}</h1>
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action="/groups" class="stack narrow">
        <CsrfField c={c} />
        <label for="name">{t('field.name')}</label>
        <input id="name" name="name" required maxlength={120} value={values.name ?? ''} />
        <FieldErrors errors={errors} name="name" />
        <fieldset>
          <legend>{t('groups.kind')}</legend>
          {GROUP_KINDS.map((k) => <label class="choice-option"><input type="radio" name="kind" value={k} checked={(values.kind ?? 'homogeneous') === k} /> <strong>{kindLabel(c, k)}</strong> — <span class="hint">{t(`groupKind.${k}Hint` as MessageKey)}</span></label>)}
        </fieldset>
        <label for="territory">{t('choice.territory')}</label>
        <select id="territory" name="territory" required>
          <option value="">{t('choice.chooseTerritory')}</option>
          <TerritoryOptions territories={territories} selected={territory} />
        </select>
        <FieldErrors errors={errors} name="territory" />
        <label for="profile">{t('groups.profile')}</label>
        <textarea id="profile" name="profile" rows={3} maxlength={2000} aria-describedby="profile-hint">{values.profile ?? ''}</textarea>
        <p class="hint" id="profile-hint">{t('groups.profileHint')}</p>
        <label for="lang">{t('groups.lang')}</label>
        <select id="lang" name="lang">{LOCALES.map((l) => <option value={l} selected={(values.lang ?? c.get('locale')) === l}>{LOCALE_NAMES[l]}</option>)}</select>
        <button type="submit">{t('groups.create')}</button>
      </form>
    </Layout>
  );
}

interface GroupPageState {
  values?: Record<string, string>;
  components?: string[];
  errors?: Record<string, string>;
  notice?: string;
}

async function GroupPage({ c, state = {} }: { c: Context<AppEnv>; state?: GroupPageState }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const id = idParam(c);
  const locale = c.get('locale');
  const dimension = /^[A-H]$/i.test(c.req.query('dimension') ?? '') ? c.req.query('dimension')!.toUpperCase() : undefined;
  const view = c.req.query('view') === 'dimension' ? 'dimension' : 'question';
  const [group, statements, taxonomy] = await Promise.all([
    getGroup(deps, c.get('viewer'), id), listStatements(deps, id, locale, { dimension }), localisedTaxonomy(deps, locale),
  ]);
  const values = state.values ?? { question: c.req.query('question') ?? 'wellbeing', sessionOn: group.sessions.at(-1)?.heldOn ?? '' };
  const meaningLabel = (code: string) => taxonomy.name && (t(`meaning.${code}` as MessageKey));
  const StatementItem = ({ s }: { s: (typeof statements)[number] }) => (
    <li id={`statement-${s.id}`} lang={s.lang}>
      <p>{s.text}</p>
      <div class="meta">
        {s.meaning ? <span class="badge" title={meaningLabel(s.meaning.code)}>{s.meaning.code} · {s.meaning.label}</span> : null}
        {s.sessionOn ? <> <time datetime={s.sessionOn}>{formatDay(c, s.sessionOn)}</time></> : null}
        {view === 'dimension' ? <> · {questionLabel(c, s.question)}</> : null}
      </div>
      {s.components.length ? <ComponentChips components={s.components} /> : <p class="hint">{t('statement.unclassified')}</p>}
      {group.canRecord ? (
        <>
          <form method="post" action={`/groups/${group.id}/statements/${s.id}/language`} class="inline">
            <CsrfField c={c} />
            <label for={`lang-${s.id}`}>{t('statement.language')}</label>{' '}
            <select id={`lang-${s.id}`} name="lang"><TextLanguageOptions c={c} selected={s.lang} detect={false} /></select>{' '}
            <button type="submit" class="link-button">{t('statement.correctLanguage')}</button>
          </form>{' '}
          <form method="post" action={`/groups/${group.id}/statements/${s.id}/delete`} class="inline">
            <CsrfField c={c} />
            <button type="submit" class="link-button">{t('statement.remove')}</button>
          </form>
        </>
      ) : null}
    </li>
  );
  const watch = await findWatch(deps, c.get('viewer'), 'group', String(group.id));
  return (
    <Layout c={c} title={group.name} feed={group.kind !== 'mixed' ? { title: kindLabel(c, group.kind), href: `/feeds/groups/${group.kind}.atom` } : undefined}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb">
        <ol><li><a href="/groups">{t('groups.title')}</a></li><li><a href={`/territories/${group.territory.slug}`}>{group.territory.name}</a></li><li aria-current="page">{group.name}</li></ol>
      </nav>
      {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
      <h1>{group.name}</h1>
      <WatchButton c={c} kind="group" target={String(group.id)} watch={watch} />
      <p class="meta">{kindLabel(c, group.kind)} · <a href={`/territories/${group.territory.slug}`}>{group.territory.name}</a> · {LOCALE_NAMES[group.lang as 'en'] ?? group.lang} · {t('groups.statementCount', { count: statements.length })}</p>
      {group.profile ? <p>{group.profile}</p> : null}
      <div class="columns">
        <section aria-labelledby="members">
          <h2 id="members">{t('groups.members')}</h2>
          {group.members.length ? <ul>{group.members.map((m) => <li><a href={`/wiki/actor/${m.slug}`}>{m.name}</a>{m.role === 'facilitator' ? <span class="meta"> · {t('groups.facilitator')}</span> : null}</li>)}</ul> : <p>{t('groups.noMembers')}</p>}
          {group.canRecord ? (
            <form method="post" action={`/groups/${group.id}/members`} class="inline-form">
              <CsrfField c={c} />
              <label for="member-email">{t('groups.addMember')}</label>
              <input id="member-email" name="email" type="email" required placeholder={t('field.email')} />
              <button type="submit" class="secondary">{t('groups.add')}</button>
            </form>
          ) : null}
        </section>
        <section aria-labelledby="sessions">
          <h2 id="sessions">{t('groups.sessions')}</h2>
          {group.sessions.length ? <ul>{group.sessions.map((s) => <li><time datetime={s.heldOn}>{formatDay(c, s.heldOn)}</time>{s.notes ? ` — ${s.notes}` : ''}</li>)}</ul> : <p>{t('groups.noSessions')}</p>}
          {group.canRecord ? (
            <form method="post" action={`/groups/${group.id}/sessions`} class="inline-form">
              <CsrfField c={c} />
              <label for="held-on">{t('groups.addSession')}</label>
              <input id="held-on" name="heldOn" type="date" required />
              <input name="notes" maxlength={2000} placeholder={t('groups.sessionNotes')} aria-label={t('groups.sessionNotes')} />
              <button type="submit" class="secondary">{t('groups.add')}</button>
            </form>
          ) : null}
        </section>
      </div>
      {await Dashboard({ c, fixed: { group: group.id }, basePath: `/groups/${group.id}` })}
      <nav class="tabs" aria-label={t('groups.views')}>
        <ul>
          <li><a href={`/groups/${group.id}`} aria-current={view === 'question' && !dimension ? 'page' : undefined}>{t('groups.byQuestion')}</a></li>
          <li><a href={`/groups/${group.id}?view=dimension`} aria-current={view === 'dimension' ? 'page' : undefined}>{t('groups.byDimension')}</a></li>
        </ul>
      </nav>
      {dimension ? <p class="notice">{t('groups.filteredBy', { dimension: `${dimension} — ${taxonomy.dimensions.find((d) => d.code === dimension)?.label ?? ''}` })} <a href={`/groups/${group.id}`}>{t('choices.reset')}</a></p> : null}
      {view === 'question'
        ? QUESTIONS.map((q) => {
          const list = statements.filter((s) => s.question === q);
          return (
            <section aria-labelledby={`q-${q}`}>
              <h2 id={`q-${q}`}>{questionLabel(c, q)} <span class="meta">({list.length})</span></h2>
              {list.length ? <ul class="statements">{list.map((s) => <StatementItem s={s} />)}</ul> : <p class="hint">{t('groups.noStatements')}</p>}
            </section>
          );
        })
        : taxonomy.dimensions.map((d) => {
          const list = statements.filter((s) => s.components.some((comp) => comp.dimension.code === d.code));
          return (
            <section aria-labelledby={`d-${d.code}`}>
              <h2 id={`d-${d.code}`}><span class="code">{d.code}</span> {d.label} <span class="meta">({list.length})</span></h2>
              {list.length ? <ul class="statements">{list.map((s) => <StatementItem s={s} />)}</ul> : <p class="hint">{t('groups.noStatements')}</p>}
            </section>
          );
        })}
      {group.canRecord ? (
        <section aria-labelledby="record-title" id="record">
          <h2 id="record-title">{t('statement.record')}</h2>
          <ErrorSummary c={c} errors={state.errors} />
          <form method="post" action={`/groups/${group.id}/statements`} class="stack" aria-labelledby="record-title">
            <CsrfField c={c} />
            <label for="question">{t('statement.question')}</label>
            <select id="question" name="question">{QUESTIONS.map((q) => <option value={q} selected={values.question === q}>{questionLabel(c, q)}</option>)}</select>
            <label for="text">{t('statement.text')}</label>
            <textarea id="text" name="text" rows={3} required maxlength={2000} aria-describedby="text-hint">{values.text ?? ''}</textarea>
            <p class="hint" id="text-hint">{t('statement.textHint')}</p>
            <FieldErrors errors={state.errors} name="text" />
            <div class="field-row">
              <div>
                <label for="lang">{t('choice.lang')}</label>
                <select id="lang" name="lang"><TextLanguageOptions c={c} selected={values.lang} detect /></select>
              </div>
              <div>
                <label for="meaning">{t('statement.meaning')}</label>
                <select id="meaning" name="meaning">
                  <option value="">{t('statement.noMeaning')}</option>
                  {MEANINGS.map((m) => <option value={m} selected={values.meaning === m}>{m} — {t(`meaning.${m}` as MessageKey)}</option>)}
                </select>
              </div>
              <div>
                <label for="sessionOn">{t('statement.sessionOn')}</label>
                <input id="sessionOn" name="sessionOn" type="date" value={values.sessionOn ?? ''} />
                <FieldErrors errors={state.errors} name="sessionOn" />
              </div>
            </div>
            <CriteriaPicker c={c} taxonomy={taxonomy} selected={new Set(state.components ?? [])} errors={state.errors} legend={t('statement.components')} />
            <button type="submit">{t('statement.save')}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export function groupPages(app: Hono<AppEnv>) {
  app.get('/groups', async (c) => sendPage(c, await GroupListPage({ c })));

  app.get('/groups/new', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/groups/new', 303);
    if (!mayCreateGroups(c)) throw new AppError(403, 'forbidden', c.get('t')('groups.denied'));
    return sendPage(c, await NewGroupPage({ c }));
  });

  app.post('/groups', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(GroupBody, emptyToUndefined(values));
      const id = await createGroup(c.get('deps'), c.get('viewer'), input);
      return c.redirect(`/groups/${id}`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await NewGroupPage({ c, values, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });

  app.get('/groups/:id{[0-9]+}', async (c) => sendPage(c, await GroupPage({ c, state: { notice: c.req.query('recorded') ? c.get('t')('statement.saved') : undefined } })));

  app.post('/groups/:id{[0-9]+}/statements', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    const components = await readFormList(c, 'components');
    try {
      const v = emptyToUndefined(values) as Record<string, string | undefined>;
      const input = parseForm(StatementBody, { question: v.question, text: v.text ?? '', lang: v.lang, meaning: v.meaning ?? null, sessionOn: v.sessionOn ?? null, components });
      await addStatement(c.get('deps'), c.get('viewer'), idParam(c), input, c.get('locale'));
      // Back to an empty form on the same question: facilitators record many statements in a row.
      return c.redirect(`/groups/${idParam(c)}?recorded=1&question=${input.question}#record`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await GroupPage({ c, state: { values, components, errors: errorsByField(c, error.extra.issues, error.message) } }), 400);
    }
  });

  app.post('/groups/:id{[0-9]+}/statements/:statementId{[0-9]+}/language', async (c) => {
    const statementId = Number(c.req.param('statementId'));
    const input = parseForm(StatementPatchBody, await readForm(c));
    await correctStatementLanguage(c.get('deps'), c.get('viewer'), idParam(c), statementId, input.lang);
    return c.redirect(`/groups/${idParam(c)}#statement-${statementId}`, 303);
  });

  app.post('/groups/:id{[0-9]+}/statements/:statementId{[0-9]+}/delete', async (c) => {
    await deleteStatement(c.get('deps'), c.get('viewer'), idParam(c), Number(c.req.param('statementId')));
    return c.redirect(`/groups/${idParam(c)}`, 303);
  });

  app.post('/groups/:id{[0-9]+}/members', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(GroupMemberBody, emptyToUndefined(values));
      await addGroupMember(c.get('deps'), c.get('viewer'), idParam(c), input);
      return c.redirect(`/groups/${idParam(c)}#members`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await GroupPage({ c, state: { errors: errorsByField(c, error.extra.issues, error.message) } }), 400);
    }
  });

  app.post('/groups/:id{[0-9]+}/sessions', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(GroupSessionBody, emptyToUndefined(values));
      await addGroupSession(c.get('deps'), c.get('viewer'), idParam(c), input);
      return c.redirect(`/groups/${idParam(c)}#sessions`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return sendPage(c, await GroupPage({ c, state: { errors: errorsByField(c, error.extra.issues, error.message) } }), 400);
    }
  });
}
