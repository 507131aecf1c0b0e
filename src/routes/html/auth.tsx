import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { Limits } from '../../http/guards.js';
import { limitByIp } from '../../http/guards.js';
import { AppError } from '../../errors.js';
import { LOCALES, LOCALE_NAMES } from '../../i18n/index.js';
import { normaliseEmail, signUp, verifyEmail } from '../../services/accounts.js';
import { localisedTaxonomy } from '../../services/criteria.js';
import { listTerritories } from '../../services/territories.js';
import { endSession, startSession } from '../../http/session-cookie.js';
import { loginAttempt } from '../api/accounts.js';
import { LoginBody, RegisterBody } from '../api/schemas.js';
import { CsrfField, ErrorSummary, FieldErrors, Layout } from '../../views/layout.js';
import { errorsByField, sendPage } from '../../views/render.js';
import { emptyToUndefined, parseForm, readForm, safeNext } from './forms.js';
import { MIN_PASSWORD_LENGTH } from '../../services/passwords.js';
import { TerritoryOptions } from '../../views/form-options.js';
import { ConsentFields, consentFromForm } from '../../views/consent-fields.js';

function LoginPage({ c, values = {}, errors }: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  return (
    <Layout c={c} title={t('login.title')} robots="noindex">
      <h1>{t('login.title')}</h1>
      {c.req.query('confirmed') ? <p class="notice" role="status">{t('me.emailConfirmed')}</p> : null}
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action="/login" class="stack narrow">
        <CsrfField c={c} />
        <input type="hidden" name="next" value={values.next ?? c.req.query('next') ?? '/me'} />
        <label for="email">{t('field.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={values.email ?? ''} aria-invalid={errors?.email ? 'true' : undefined} />
        <FieldErrors errors={errors} name="email" />
        <label for="password">{t('field.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">{t('login.submit')}</button>
      </form>
      <p>{t('login.noAccount')} <a href="/register">{t('nav.register')}</a></p>
    </Layout>
  );
}

/** What a sign-up answers where the instance sends e-mail: the same whether or not the address had an account. */
function CheckInboxPage({ c, email }: { c: Context<AppEnv>; email: string }) {
  const t = c.get('t');
  return (
    <Layout c={c} title={t('register.checkInbox')} robots="noindex">
      <h1>{t('register.checkInbox')}</h1>
      <p role="status">{t('register.checkInboxBody', { email })}</p>
      <p><a class="button" href="/login">{t('nav.login')}</a></p>
    </Layout>
  );
}

async function RegisterPage({ c, values = {}, errors }: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = c.get('t');
  const deps = c.get('deps');
  const [taxonomy, territories] = await Promise.all([localisedTaxonomy(deps, c.get('locale')).catch(() => null), listTerritories(deps)]);
  return (
    <Layout c={c} title={t('register.title')} robots="noindex">
      <h1>{t('register.title')}</h1>
      <p>{t('register.intro')}</p>
      <ErrorSummary c={c} errors={errors} />
      <form method="post" action="/register" class="stack narrow">
        <CsrfField c={c} />
        <label for="name">{t('field.name')}</label>
        <input id="name" name="name" required maxlength={120} autocomplete="name" value={values.name ?? ''} aria-invalid={errors?.name ? 'true' : undefined} />
        <FieldErrors errors={errors} name="name" />
        <label for="email">{t('field.email')}</label>
        <input id="email" name="email" type="email" required autocomplete="email" value={values.email ?? ''} aria-invalid={errors?.email ? 'true' : undefined} />
        <FieldErrors errors={errors} name="email" />
        <label for="password">{t('field.password')}</label>
        <input id="password" name="password" type="password" required minlength={MIN_PASSWORD_LENGTH} autocomplete="new-password" aria-describedby={errors?.password ? "password-hint password-error" : "password-hint"} aria-invalid={errors?.password ? 'true' : undefined} />
        <p class="hint" id="password-hint">{t('register.passwordHint', { min: MIN_PASSWORD_LENGTH })}</p>
        <FieldErrors errors={errors} name="password" />
        <label for="actorKind">{t('field.actorKind')}</label>
        <select id="actorKind" name="actorKind" required>
          {(taxonomy?.actorKinds ?? []).map((k) => <option value={k.code} selected={values.actorKind === k.code}>{k.label}</option>)}
        </select>
        <label for="territory">{t('field.territory')}</label>
        <select id="territory" name="territory">
          <option value="">{t('field.noTerritory')}</option>
          <TerritoryOptions territories={territories} selected={values.territory} />
        </select>
        <label for="locale">{t('field.language')}</label>
        <select id="locale" name="locale">
          {LOCALES.map((l) => <option value={l} selected={(values.locale ?? c.get('locale')) === l}>{LOCALE_NAMES[l]}</option>)}
        </select>
        <ConsentFields c={c} visibility={values.defaultVisibility ?? 'private'} countInSummaries={values.countInSummaries !== 'no'} errors={errors} />
        <button type="submit">{t('register.submit')}</button>
      </form>
    </Layout>
  );
}

function fieldMessages(c: Context<AppEnv>, error: AppError): Record<string, string> {
  const t = c.get('t');
  const translated = (error.extra.issues ?? []).map((issue) => ({
    path: issue.path,
    message: issue.message === 'too_short' ? t('error.passwordShort', { min: MIN_PASSWORD_LENGTH })
      : issue.message === 'too_common' ? t('error.passwordCommon')
      : issue.path === 'email' ? t('error.email')
      : issue.path === 'name' ? t('error.name')
      : issue.message,
  }));
  if (error.status === 409) return { email: t('error.emailTaken') };
  return errorsByField(c, translated, error.message);
}

export function authPages(app: Hono<AppEnv>, limits: Limits) {
  app.get('/login', (c) => sendPage(c, <LoginPage c={c} />));
  app.post('/login', async (c) => {
    const values = await readForm(c);
    try {
      const input = parseForm(LoginBody, values);
      const user = await loginAttempt(c.get('deps'), limits, c.get('clientIp'), input.email, input.password);
      await startSession(c, user.id);
      return c.redirect(safeNext(values.next), 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status === 429) throw error;
      const t = c.get('t');
      return sendPage(c, <LoginPage c={c} values={values} errors={{ email: error.status === 401 ? t('login.failed') : t('error.email') }} />, error.status === 401 ? 401 : 400);
    }
  });

  app.get('/register', async (c) => sendPage(c, await RegisterPage({ c })));
  app.post('/register', async (c) => {
    const values = await readForm(c);
    try {
      limitByIp(c, limits, 'register', limits.rules.registerPerIp);
      const input = parseForm(RegisterBody, { ...emptyToUndefined(values), ...consentFromForm(values) });
      const { user, signIn } = await signUp(c.get('deps'), input);
      if (!user || !signIn) return sendPage(c, <CheckInboxPage c={c} email={normaliseEmail(input.email)} />);
      await startSession(c, user.id);
      return c.redirect('/me?welcome=1', 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status === 429) throw error;
      return sendPage(c, await RegisterPage({ c, values, errors: fieldMessages(c, error) }), error.status === 409 ? 409 : 400);
    }
  });

  // The link from the confirmation e-mail: works signed in or not (it carries its own proof).
  app.get('/verify-email', async (c) => {
    await verifyEmail(c.get('deps'), c.req.query('token') ?? '');
    return c.redirect(c.get('viewer') ? '/me/settings?confirmed=1' : '/login?confirmed=1', 303);
  });

  app.post('/logout', async (c) => {
    await endSession(c);
    return c.redirect('/', 303);
  });
}
