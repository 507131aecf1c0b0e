import { WatchButton } from '../../views/watch-button.js';
import { findWatch } from '../../services/watchlist.js';
import type { Context, Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import type { MessageKey } from '../../i18n/index.js';
import {
  type CharterView, createCharter, decide, decideAmendment, getCharter, joinCharter, listCharters, proposeAmendment, proposeVersion, signCharter,
} from '../../services/charters.js';
import { canOrganise, conclusionsOf, getWorkshop } from '../../services/workshops.js';
import { AmendmentBody, AmendmentDecisionBody, ApprovalBody, CharterBody, CharterVersionBody } from '../api/schemas.js';
import { DiffView } from '../../views/diff-view.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { TrustedHtml } from '../../views/trusted-html.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { emptyToUndefined, parseForm, readForm } from './forms.js';
import { myActors } from '../../services/actors.js';

// Charters: the list, a charter's page (current version, what changed, who approved, amendments,
// approve/object, join, sign once adopted) and the drafter's form. Every action is a plain form.

const idParam = (c: Context<AppEnv>) => Number(c.req.param('id')) || 0;
const isFormError = (error: unknown): error is AppError => error instanceof AppError && [400, 403, 409].includes(error.status);
const statusLabel = (c: Context<AppEnv>, status: string) => c.get('t')(`charters.status.${status}` as MessageKey);
const decisionLabel = (c: Context<AppEnv>, decision: string) => c.get('t')(`charters.decision.${decision}` as MessageKey);

async function CharterListPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const charters = await listCharters(c.get('deps'));
  return (
    <Layout c={c} title={t('charters.title')}>
      <h1>{t('charters.title')}</h1>
      <p>{t('charters.intro')}</p>
      {canOrganise(c.get('viewer')) ? <p><a class="button" href="/charters/new">{t('charters.new')}</a></p> : null}
      {charters.length ? (
        <ul class="group-list">
          {charters.map((ch) => (
            <li>
              <a href={ch.url}>{ch.title}</a> <span class={`badge status-${ch.status}`}>{statusLabel(c, ch.status)}</span>
              <p class="meta">{t('charters.versionN', { number: ch.currentVersion })} · {t('charters.participantCount', { count: ch.participants })}{ch.adoptedAt ? ` · ${t('charters.adoptedOn', { date: formatDate(c, ch.adoptedAt) })}` : ''}</p>
            </li>
          ))}
        </ul>
      ) : <p>{t('charters.none')}</p>}
    </Layout>
  );
}

type PageState = { notice?: string; errors?: Record<string, string>; values?: Record<string, string> };

async function CharterPage({ c, state = {} }: { c: Context<AppEnv>; state?: PageState }) {
  const t = c.get('t');
  const requested = Number(c.req.query('version')) || undefined;
  const ch: CharterView = await getCharter(c.get('deps'), c.get('viewer'), idParam(c), requested);
  const me = ch.viewer;
  const isCurrent = ch.version.number === ch.currentVersion;
  const values = state.values ?? {};
  const open = ch.status === 'draft';
  // Once adopted, I may sign for myself or for an organisation I represent.
  const actors = ch.status === 'adopted' && c.get('viewer') ? await myActors(c.get('deps'), c.get('viewer')) : [];
  const watch = await findWatch(c.get('deps'), c.get('viewer'), 'charter', String(ch.id));
  return (
    <Layout c={c} title={ch.title}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/charters">{t('charters.title')}</a></li><li aria-current="page">{ch.title}</li></ol></nav>
      <h1>{ch.title}</h1>
      <WatchButton c={c} kind="charter" target={String(ch.id)} watch={watch} />
      <p>
        <span class={`badge status-${ch.status}`}>{statusLabel(c, ch.status)}</span>{' '}
        {ch.adoptedAt ? t('charters.adoptedOn', { date: formatDate(c, ch.adoptedAt) }) : t('charters.approvedCount', { approved: ch.approvals.approved, participants: ch.approvals.participants })}
        {ch.workshop ? <> · <a href={ch.workshop.url}>{ch.workshop.title}</a></> : null}
      </p>
      {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
      <ErrorSummary c={c} errors={state.errors} />
      <section aria-labelledby="text-title">
        <h2 id="text-title">{t('charters.versionN', { number: ch.version.number })}{isCurrent ? ` (${t('charters.current')})` : ''}</h2>
        {!isCurrent ? <p class="notice">{t('charters.oldVersion')} <a href={ch.url}>{t('charters.readCurrent')}</a></p> : null}
        <p class="meta">{ch.version.author ?? '—'} · {formatDate(c, ch.version.createdAt)}{ch.version.summary ? ` · ${ch.version.summary}` : ''}</p>
        <TrustedHtml class="prose charter-text" html={ch.version.html} />
        {ch.diff ? (
          <details>
            <summary>{t('charters.changes', { number: ch.version.number - 1 })}</summary>
            <DiffView c={c} parts={ch.diff} />
          </details>
        ) : null}
        {ch.versions.length > 1 ? <p class="meta">{t('charters.versions')}: {ch.versions.map((v, i) => <>{i ? ' · ' : ''}<a href={`${ch.url}?version=${v.number}`} aria-current={v.number === ch.version.number ? 'page' : undefined}>{v.number}</a></>)}</p> : null}
      </section>

      {open && me?.participant && isCurrent ? (
        <section aria-labelledby="decide-title" class="take-part" id="decide">
          <h2 id="decide-title">{t('charters.yourDecision', { number: ch.currentVersion })}</h2>
          <p>{t('charters.yourDecisionNow', { decision: decisionLabel(c, me.decision ?? 'pending') })}</p>
          <form method="post" action={`${ch.url}/approvals`} class="stack">
            <CsrfField c={c} />
            <input type="hidden" name="version" value={String(ch.currentVersion)} />
            <fieldset>
              <legend>{t('charters.decisionLegend')}</legend>
              <label class="choice-option"><input type="radio" name="decision" value="approve" checked={values.decision !== 'object'} /> {t('charters.approve')}</label>
              <label class="choice-option"><input type="radio" name="decision" value="object" checked={values.decision === 'object'} /> {t('charters.object')}</label>
            </fieldset>
            <label for="comment">{t('charters.comment')}</label>
            <textarea id="comment" name="comment" rows={3} aria-describedby="comment-hint">{values.comment ?? ''}</textarea>
            <p class="hint" id="comment-hint">{t('charters.commentHint')}</p>
            <FieldErrors errors={state.errors} name="comment" />
            <button type="submit">{t('charters.send')}</button>
          </form>
        </section>
      ) : null}
      {open && me && !me.participant ? (
        <form method="post" action={`${ch.url}/participants`} class="inline"><CsrfField c={c} /><button type="submit" class="secondary">{t('charters.join')}</button></form>
      ) : null}

      <section aria-labelledby="participants-title">
        <h2 id="participants-title">{ch.status === 'adopted' ? t('charters.signatories') : t('charters.participants')}</h2>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('charters.participants')}</caption>
            <thead><tr><th scope="col">{t('field.name')}</th><th scope="col">{t('charters.decisionOn', { number: ch.currentVersion })}</th><th scope="col">{t('charters.comment')}</th></tr></thead>
            <tbody>{ch.participants.map((p) => <tr><th scope="row">{p.name}</th><td>{decisionLabel(c, p.decision)}</td><td>{p.comment ?? ''}</td></tr>)}</tbody>
          </table>
        </div>
        {ch.status === 'adopted' && ch.signatories.some((s) => s.as === 'actor') ? (
          <p>{t('charters.signedBy')}: {ch.signatories.filter((s) => s.as === 'actor').map((s) => s.name).join(', ')}</p>
        ) : null}
        {actors.length ? (
          <form method="post" action={`${ch.url}/signatures`} class="inline-form">
            <CsrfField c={c} />
            <label for="sign-as">{t('charters.signAs')}</label>
            <select id="sign-as" name="actor">{actors.map((a) => <option value={a.slug}>{a.name}</option>)}</select>
            <button type="submit" class="secondary">{t('charters.sign')}</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="amendments-title">
        <h2 id="amendments-title">{t('charters.amendments')}</h2>
        {ch.amendments.length ? (
          <ol class="amendments">
            {ch.amendments.map((a) => (
              <li id={`amendment-${a.id}`}>
                <p><strong>{a.author ?? '—'}</strong> · {t('charters.onVersion', { number: a.baseVersion })} · <span class="badge">{t(`charters.amendment.${a.status}` as MessageKey)}</span></p>
                {a.rationale ? <p>{t('charters.rationale')}: {a.rationale}</p> : null}
                <details><summary>{t('charters.proposedText')}</summary><pre class="diff">{a.text}</pre></details>
                {a.reason ? <p class="meta">{t('charters.declinedBecause', { reason: a.reason })}</p> : null}
                {a.status === 'open' && open && me?.drafter ? (
                  <form method="post" action={`${ch.url}/amendments/${a.id}/decision`} class="inline-form">
                    <CsrfField c={c} />
                    <label for={`reason-${a.id}`}>{t('charters.reason')}</label>
                    <input id={`reason-${a.id}`} name="reason" maxlength={5000} />
                    <button type="submit" name="decision" value="accept">{t('charters.accept')}</button>
                    <button type="submit" name="decision" value="decline" class="secondary">{t('charters.decline')}</button>
                  </form>
                ) : null}
              </li>
            ))}
          </ol>
        ) : <p>{t('charters.noAmendments')}</p>}
        {open && me?.participant ? (
          <form method="post" action={`${ch.url}/amendments`} class="stack">
            <CsrfField c={c} />
            <label for="amendment-text">{t('charters.amendmentText')}</label>
            <textarea class="source" id="amendment-text" name="text" rows={8}>{values.text ?? ch.version.markdown}</textarea>
            <FieldErrors errors={state.errors} name="text" />
            <label for="rationale">{t('charters.rationale')}</label>
            <input id="rationale" name="rationale" maxlength={5000} value={values.rationale ?? ''} />
            <button type="submit" class="secondary">{t('charters.propose')}</button>
          </form>
        ) : null}
        {open && me?.drafter ? (
          <details>
            <summary>{t('charters.newVersion')}</summary>
            <form method="post" action={`${ch.url}/versions`} class="stack">
              <CsrfField c={c} />
              <label for="version-text">{t('charters.text')}</label>
              <textarea class="source" id="version-text" name="markdown" rows={10}>{ch.version.markdown}</textarea>
              <label for="version-summary">{t('charters.summary')}</label>
              <input id="version-summary" name="summary" maxlength={500} />
              <button type="submit">{t('charters.publishVersion')}</button>
            </form>
          </details>
        ) : null}
      </section>
    </Layout>
  );
}

async function NewCharterPage({ c, values = {}, errors }: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  const workshopId = Number(values.workshop ?? c.req.query('workshop')) || null;
  // Drafted from a workshop: its title and its conclusions as the first text.
  const workshop = workshopId ? await getWorkshop(c.get('deps'), c.get('viewer'), workshopId, null).catch(() => null) : null;
  const conclusions = workshop && !values.markdown ? await conclusionsOf(c.get('deps'), workshop) : null;
  return (
    <Layout c={c} title={t('charters.new')} robots="noindex">
      <h1>{t('charters.new')}</h1>
      {workshop ? <p>{t('charters.fromWorkshop', { title: workshop.title })}</p> : null}
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action="/charters" class="stack">
        <CsrfField c={c} />
        {workshop ? <input type="hidden" name="workshop" value={String(workshop.id)} /> : null}
        <label for="title">{t('charters.fieldTitle')}</label>
        <input id="title" name="title" required maxlength={200} value={values.title ?? (workshop ? t('charters.titleFrom', { title: workshop.title }) : '')} />
        <FieldErrors errors={errors} name="title" />
        <label for="markdown">{t('charters.text')}</label>
        <textarea class="source" id="markdown" name="markdown" rows={12} required>{values.markdown ?? conclusions?.revision.markdown ?? ''}</textarea>
        <FieldErrors errors={errors} name="markdown" />
        <button type="submit">{t('charters.create')}</button>
      </form>
    </Layout>
  );
}

export function charterPages(app: Hono<AppEnv>) {
  app.get('/charters', async (c) => sendPage(c, await CharterListPage({ c })));

  app.get('/charters/new', async (c) => {
    if (!c.get('viewer')) return c.redirect(`/login?next=${encodeURIComponent(c.req.url.replace(/^https?:\/\/[^/]+/, ''))}`, 303);
    return sendPage(c, await NewCharterPage({ c }));
  });

  app.post('/charters', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    try {
      const input = parseForm(CharterBody, emptyToUndefined(values));
      const id = await createCharter(c.get('deps'), c.get('viewer'), input);
      return c.redirect(`/charters/${id}?created=1`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return sendPage(c, await NewCharterPage({ c, values, errors: errorsByField(c, error.extra.issues, error.message) }), 400);
    }
  });

  const notices: Record<string, MessageKey> = { created: 'charters.created', decided: 'charters.decided', adopted: 'charters.adoptedNotice', proposed: 'charters.proposed', version: 'charters.versionPublished', joined: 'charters.joined', signed: 'charters.signed', amendment: 'charters.amendmentDecided' };
  app.get('/charters/:id{[0-9]+}', async (c) => {
    const flag = Object.keys(notices).find((k) => c.req.query(k));
    return sendPage(c, await CharterPage({ c, state: { notice: flag ? c.get('t')(notices[flag]) : undefined } }));
  });

  // Every action: run it, go back to the charter with a notice; a refusal shows the page with why, input kept.
  const action = (path: string, run: (c: Context<AppEnv>, values: Record<string, string>) => Promise<string>) =>
    app.post(`/charters/:id{[0-9]+}${path}`, async (c) => {
      requireViewer(c);
      const values = await readForm(c);
      try {
        const flag = await run(c, values);
        return c.redirect(`/charters/${idParam(c)}?${flag}=1`, 303);
      } catch (error) {
        if (!isFormError(error)) throw error;
        const errors = error.extra.issues ? errorsByField(c, error.extra.issues, error.message) : { form: error.message };
        return sendPage(c, await CharterPage({ c, state: { errors, values } }), error.status);
      }
    });

  action('/approvals', async (c, values) => {
    const input = parseForm(ApprovalBody, { version: values.version, decision: values.decision, comment: values.comment });
    const result = await decide(c.get('deps'), c.get('viewer'), idParam(c), input);
    return result.status === 'adopted' ? 'adopted' : 'decided';
  });
  action('/participants', async (c) => {
    await joinCharter(c.get('deps'), c.get('viewer'), idParam(c));
    return 'joined';
  });
  action('/amendments', async (c, values) => {
    await proposeAmendment(c.get('deps'), c.get('viewer'), idParam(c), parseForm(AmendmentBody, { text: values.text ?? '', rationale: values.rationale }));
    return 'proposed';
  });
  action('/amendments/:amendmentId{[0-9]+}/decision', async (c, values) => {
    await decideAmendment(c.get('deps'), c.get('viewer'), idParam(c), Number(c.req.param('amendmentId')), parseForm(AmendmentDecisionBody, { decision: values.decision, reason: values.reason }));
    return 'amendment';
  });
  action('/versions', async (c, values) => {
    await proposeVersion(c.get('deps'), c.get('viewer'), idParam(c), parseForm(CharterVersionBody, { markdown: values.markdown ?? '', summary: values.summary }));
    return 'version';
  });
  action('/signatures', async (c, values) => {
    await signCharter(c.get('deps'), c.get('viewer'), idParam(c), values.actor || undefined);
    return 'signed';
  });
}
