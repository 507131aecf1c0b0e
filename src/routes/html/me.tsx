import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { type Limits, requireViewer, limitConfirmationLinks } from '../../http/guards.js';
import { AppError } from '../../errors.js';
import { LOCALES, LOCALE_NAMES } from '../../i18n/index.js';
import { type SessionView, sendEmailVerification, createAccessToken, endOtherSessions, endSessionById, getProfile, listAccessTokens, listSessions, revokeAccessToken, updateProfile } from '../../services/accounts.js';
import { localisedTaxonomy } from '../../services/criteria.js';
import { listTerritories } from '../../services/territories.js';
import { encodePath } from '../../markdown/render.js';
import { ProfileBody, TokenBody } from '../api/schemas.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout, formatDate } from '../../views/layout.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { emptyToUndefined, parseForm, readForm } from './forms.js';
import { hasCalendarFeed, myWorkshops, renewCalendarFeed } from '../../services/workshops.js';
import { formatSpan } from '../../services/workshop-time.js';
import { readerZone } from '../../http/reader-zone.js';
import { publicOrigin } from '../origin.js';
import { TerritoryOptions, TimeZoneList } from '../../views/form-options.js';
import { ConfirmEmailNotice } from '../../views/confirm-email.js';
import { deleteMyAccount } from '../../services/account-deletion.js';
import { endSession } from '../../http/session-cookie.js';
import { ConsentSection } from '../../views/consent-fields.js';
import { answerInvitation, myInvitations } from '../../services/actors.js';
import { InvitationDecisionBody } from '../api/schemas.js';

interface MeState {
  notice?: string;
  newToken?: string;
  calendarUrl?: string;
  errors?: Record<string, string>;
  deleteErrors?: Record<string, string>;
}

async function MePage({ c, state = {} }: { c: Context<AppEnv>; state?: MeState }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const viewer = requireViewer(c);
  const [profile, tokens, territories, taxonomy, workshops, hasFeed, sessions, invitations] = await Promise.all([
    getProfile(deps, viewer), listAccessTokens(deps, viewer), listTerritories(deps), localisedTaxonomy(deps, c.get('locale')).catch(() => null),
    myWorkshops(deps, viewer, readerZone(c).zone), hasCalendarFeed(deps, viewer), listSessions(deps, viewer, c.get('sessionToken')), myInvitations(deps, viewer),
  ]);
  const deviceName = (device: SessionView['device']) => [device.browser, device.system].filter(Boolean).join(', ') || t('me.unknownDevice');
  const primary = profile.actors[0];
  return (
    <Layout c={c} title={t('me.settings')} robots="noindex">
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href="/me">{t('journal.title')}</a></li><li aria-current="page">{t('me.settings')}</li></ol></nav>
      <h1>{t('me.settings')}</h1>
      <p class="actions"><a href="/me/notifications/settings">{t('notifications.settings')}</a> · <a href="/me/watchlist">{t('watch.title')}</a></p>
      <ConfirmEmailNotice c={c} email={profile.user.email} verified={profile.user.emailVerified} />
      {viewer.user.role === 'admin' ? <p><a href="/admin/flags">{t('report.queue')}</a> · <a href="/admin/users">{t('admin.accounts')}</a> · <a href="/admin/audit">{t('admin.audit')}</a> · <a href="/admin/retention">{t('retention.title')}</a></p> : null}
      {state.notice ? <p class="notice" role="status">{state.notice}</p> : null}
      <ErrorSummary c={c} errors={state.errors} />
      <section aria-labelledby="me-pages">
        <h2 id="me-pages">{t('me.pages')}</h2>
        <ul>
          {profile.actors.map((a) => <li><a href={`/wiki/actor/${encodePath(a.slug)}`}>{t('me.personalPage', { name: a.name })}</a></li>)}
          {profile.memberships.map((m) => <li><a href={`/territories/${m.slug}`}>{m.name}</a> ({m.status === 'pending' ? t('membership.pending') : m.role === 'coordinator' ? t('role.coordinator') : t('role.member')})</li>)}
        </ul>
        {profile.memberships.some((m) => m.status === 'pending') ? <p class="hint">{t('membership.pendingHint')}</p> : null}
        <p>{t('me.role')}: <strong>{t(`role.${profile.user.role}`)}</strong></p>
      </section>
      {invitations.length ? (
        <section aria-labelledby="me-invitations">
          <h2 id="me-invitations">{t('invitation.title')}</h2>
          <ul>
            {invitations.map((inv) => (
              <li id={`invitation-${inv.id}`}>
                {t('invitation.item', { actor: inv.actor.name, by: inv.invitedBy ?? '—' })}
                <form method="post" action={`/me/invitations/${inv.id}`} class="inline">
                  <CsrfField c={c} />
                  <button type="submit" name="decision" value="accept">{t('invitation.accept')}</button>
                  <button type="submit" name="decision" value="decline" class="secondary">{t('invitation.decline')}</button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="me-profile">
        <h2 id="me-profile">{t('me.profile')}</h2>
        <form method="post" action="/me/settings" class="stack narrow">
          <CsrfField c={c} />
          <label for="name">{t('field.name')}</label>
          <input id="name" name="name" required maxlength={120} value={profile.user.name} />
          <FieldErrors errors={state.errors} name="name" />
          <label for="actorKind">{t('field.actorKind')}</label>
          <select id="actorKind" name="actorKind">
            {(taxonomy?.actorKinds ?? []).map((k) => <option value={k.code} selected={primary?.kind === k.code}>{k.label}</option>)}
          </select>
          <label for="territory">{t('field.territory')}</label>
          <select id="territory" name="territory">
            <option value="">{t('field.noTerritory')}</option>
            <TerritoryOptions territories={territories} selected={primary?.territorySlug} />
          </select>
          <label for="locale">{t('field.language')}</label>
          <select id="locale" name="locale">
            {LOCALES.map((l) => <option value={l} selected={profile.user.locale === l}>{LOCALE_NAMES[l]}</option>)}
          </select>
          <label for="timeZone">{t('field.timeZone')}</label>
          <input id="timeZone" name="timeZone" data-browser-zone value={profile.user.time_zone ?? ''} placeholder="Europe/Lisbon" list="time-zones" aria-describedby="tz-hint" />
          <TimeZoneList />
          <p class="hint" id="tz-hint">{t('me.timeZoneHint')}</p>
          <FieldErrors errors={state.errors} name="timeZone" />
          <button type="submit">{t('form.save')}</button>
        </form>
      </section>
      <ConsentSection c={c} visibility={profile.user.defaultVisibility} countInSummaries={profile.user.countInSummaries} />
      <section aria-labelledby="me-password">
        <h2 id="me-password">{t('me.password')}</h2>
        <form method="post" action="/me/password" class="stack narrow">
          <CsrfField c={c} />
          <label for="currentPassword">{t('field.currentPassword')}</label>
          <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required />
          <FieldErrors errors={state.errors} name="currentPassword" />
          <label for="newPassword">{t('field.newPassword')}</label>
          <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minlength={10} />
          <FieldErrors errors={state.errors} name="password" />
          <button type="submit">{t('me.changePassword')}</button>
        </form>
      </section>
      <section aria-labelledby="me-workshops">
        <h2 id="me-workshops">{t('workshops.myWorkshops')}</h2>
        {workshops.length ? (
          <ul>
            {workshops.map((w) => (
              <li>
                <a href={w.url}>{w.title}</a> — {formatSpan(w.startsAt, w.endsAt, w.local.timeZone, c.get('locale'))}
                {w.myRegistration === 'waiting' ? <> · <span class="badge">{t('workshops.waiting')}</span></> : null}
              </li>
            ))}
          </ul>
        ) : <p>{t('workshops.noneMine')}</p>}
        <h3>{t('workshops.calendarFeed')}</h3>
        <p>{t('workshops.calendarFeedIntro')}</p>
        {state.calendarUrl ? (
          <div class="notice" role="status">
            <p>{t('workshops.calendarFeedShown')}</p>
            <p><code class="token">{state.calendarUrl}</code></p>
          </div>
        ) : null}
        <form method="post" action="/me/calendar-feed" class="inline">
          <CsrfField c={c} />
          <button type="submit" class="secondary">{t(hasFeed ? 'workshops.calendarFeedRenew' : 'workshops.calendarFeedCreate')}</button>
        </form>
      </section>
      <section aria-labelledby="me-sessions">
        <h2 id="me-sessions">{t('me.sessions')}</h2>
        <p>{t('me.sessionsIntro')}</p>
        <table>
          <caption class="visually-hidden">{t('me.sessions')}</caption>
          <thead><tr><th scope="col">{t('me.device')}</th><th scope="col">{t('me.signedInOn')}</th><th scope="col">{t('me.lastActive')}</th><th scope="col"><span class="visually-hidden">{t('me.endSession')}</span></th></tr></thead>
          <tbody>
            {sessions.map((session) => (
              <tr>
                <td>{deviceName(session.device)}{session.current ? <> <strong>({t('me.thisDevice')})</strong></> : null}</td>
                <td>{formatDate(c, session.createdAt)}</td>
                <td>{formatDate(c, session.lastSeenAt)}</td>
                <td>
                  {session.current ? null : (
                    <form method="post" action={`/me/sessions/${session.id}/end`} class="inline">
                      <CsrfField c={c} />
                      <button type="submit" class="danger" aria-label={t('me.endSessionNamed', { device: deviceName(session.device) })}>{t('me.endSession')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {sessions.some((session) => !session.current) ? (
          <form method="post" action="/me/sessions/end-others" class="stack narrow">
            <CsrfField c={c} />
            <button type="submit" class="danger">{t('me.endOtherSessions')}</button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="me-export">
        <h2 id="me-export">{t('export.title')}</h2>
        <p>{t('export.intro')}</p>
        {/* A plain link: the API route accepts the session cookie and answers with an attachment, no JavaScript needed. */}
        <p><a class="button" href="/api/me/export" download>{t('export.download')}</a></p>
        <p><a href="/help/export-format">{t('export.formatLink')}</a></p>
      </section>
      <section aria-labelledby="me-delete">
        <h2 id="me-delete">{t('me.deleteAccount')}</h2>
        <p>{t('me.deleteIntro')}</p>
        <ErrorSummary c={c} errors={state.deleteErrors} />
        <form method="post" action="/me/delete" class="stack narrow">
          <CsrfField c={c} />
          <label for="delete-password">{t('me.deletePassword')}</label>
          <input id="delete-password" name="password" type="password" autocomplete="current-password" required aria-describedby={state.deleteErrors ? 'password-error' : undefined} />
          <FieldErrors errors={state.deleteErrors} name="password" />
          <button type="submit" class="danger">{t('me.deleteForGood')}</button>
        </form>
      </section>
      <section aria-labelledby="me-tokens">
        <h2 id="me-tokens">{t('me.tokens')}</h2>
        <p>{t('me.tokensIntro')}</p>
        {state.newToken ? (
          <div class="notice" role="status">
            <p>{t('me.tokenCreated')}</p>
            <p><code class="token">{state.newToken}</code></p>
          </div>
        ) : null}
        {tokens.length ? (
          <table>
            <caption class="visually-hidden">{t('me.tokens')}</caption>
            <thead><tr><th scope="col">{t('field.name')}</th><th scope="col">{t('me.created')}</th><th scope="col">{t('me.lastUsed')}</th><th scope="col"><span class="visually-hidden">{t('me.revoke')}</span></th></tr></thead>
            <tbody>
              {tokens.map((tok) => (
                <tr>
                  <td>{tok.name}</td>
                  <td>{formatDate(c, tok.created_at)}</td>
                  <td>{tok.last_used_at ? formatDate(c, tok.last_used_at) : t('me.never')}</td>
                  <td>
                    <form method="post" action={`/me/tokens/${tok.id}/revoke`} class="inline">
                      <CsrfField c={c} />
                      <button type="submit" class="danger" aria-label={t('me.revokeNamed', { name: tok.name })}>{t('me.revoke')}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p>{t('me.noTokens')}</p>}
        <form method="post" action="/me/tokens" class="stack narrow">
          <CsrfField c={c} />
          <label for="token-name">{t('me.tokenName')}</label>
          <input id="token-name" name="name" required maxlength={100} />
          <button type="submit">{t('me.createToken')}</button>
        </form>
      </section>
    </Layout>
  );
}

const translateIssues = (c: Context<AppEnv>, error: AppError) => {
  const t = c.get('t');
  return errorsByField(c, (error.extra.issues ?? []).map((i) => ({
    path: i.path,
    message: i.message === 'too_short' ? t('error.passwordShort', { min: 10 }) : i.message === 'too_common' ? t('error.passwordCommon') : i.message === 'wrong' ? t('error.currentPassword') : i.message === 'invalid' && i.path === 'timeZone' ? t('error.timeZone') : i.message,
  })), error.message);
};

export function mePages(app: Hono<AppEnv>, limits: Limits) {
  app.get('/me/settings', async (c) => {
    if (!c.get('viewer')) return c.redirect('/login?next=/me/settings', 303);
    return sendPage(c, await MePage({ c }));
  });

  const withErrors = (handler: (c: Context<AppEnv>) => Promise<MeState | Response>) => async (c: Context<AppEnv>) => {
    requireViewer(c);
    try {
      const state = await handler(c);
      if (state instanceof Response) return state;
      return sendPage(c, await MePage({ c, state }));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 429 || error.status === 401) throw error;
      return sendPage(c, await MePage({ c, state: { errors: translateIssues(c, error) } }), 400);
    }
  };

  app.post('/me/settings', withErrors(async (c) => {
    const values = await readForm(c);
    const input = parseForm(ProfileBody.pick({ name: true, locale: true, timeZone: true, actorKind: true, territory: true }), { ...emptyToUndefined(values), territory: values.territory || null, timeZone: values.timeZone || null });
    await updateProfile(c.get('deps'), requireViewer(c), input);
    // The new language applies at once: drop any ?lang cookie choice in favour of the profile.
    return c.redirect(`/me/settings?lang=${input.locale ?? c.get('locale')}`, 303);
  }));

  app.post('/me/password', withErrors(async (c) => {
    const values = await readForm(c);
    await updateProfile(c.get('deps'), requireViewer(c), { currentPassword: values.currentPassword ?? '', newPassword: values.newPassword ?? '' });
    return c.redirect('/login?next=/me/settings', 303);
  }));

  app.post('/me/tokens', withErrors(async (c) => {
    const input = parseForm(TokenBody, await readForm(c));
    const token = await createAccessToken(c.get('deps'), requireViewer(c), input.name);
    return { newToken: token.token };
  }));

  app.post('/me/calendar-feed', withErrors(async (c) => {
    const token = await renewCalendarFeed(c.get('deps'), requireViewer(c));
    return { calendarUrl: `${publicOrigin(c)}/feeds/calendar/${token}.ics` };
  }));

  app.post('/me/sessions/:id/end', withErrors(async (c) => {
    await endSessionById(c.get('deps'), requireViewer(c), c.req.param('id') ?? '');
    return { notice: c.get('t')('me.sessionEnded') };
  }));

  app.post('/me/delete', async (c) => {
    const values = await readForm(c);
    try {
      await deleteMyAccount(c.get('deps'), requireViewer(c), values.password ?? '');
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return sendPage(c, await MePage({ c, state: { deleteErrors: { password: c.get('t')('error.currentPassword') } } }), 400);
    }
    await endSession(c);
    return c.redirect('/?deleted=1', 303);
  });

  app.post('/me/verification', async (c) => {
    const viewer = requireViewer(c);
    limitConfirmationLinks(c, limits, viewer);
    await sendEmailVerification(c.get('deps'), viewer.user.id);
    return c.redirect('/me/settings?resent=1', 303);
  });

  app.post('/me/sessions/end-others', withErrors(async (c) => {
    const ended = await endOtherSessions(c.get('deps'), requireViewer(c), c.get('sessionToken'));
    return { notice: c.get('t')('me.otherSessionsEnded', { count: ended }) };
  }));

  app.post('/me/invitations/:id', withErrors(async (c) => {
    const input = parseForm(InvitationDecisionBody, await readForm(c));
    await answerInvitation(c.get('deps'), requireViewer(c), Number(c.req.param('id')) || 0, input.decision);
    return { notice: c.get('t')(input.decision === 'accept' ? 'invitation.accepted' : 'invitation.declined') };
  }));

  app.post('/me/tokens/:id/revoke', withErrors(async (c) => {
    await revokeAccessToken(c.get('deps'), requireViewer(c), Number(c.req.param('id')) || 0);
    return { notice: c.get('t')('me.tokenRevoked') };
  }));
}
