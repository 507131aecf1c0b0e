import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { CsrfField } from './layout.js';

/** Until the address is confirmed (where that is asked): what it means, and a button for a new link. Confirmed: a thank-you once. */
export function ConfirmEmailNotice({ c, email, verified }: { c: Context<AppEnv>; email: string; verified: boolean }) {
  const t = c.get('t');
  if (verified) return c.req.query('confirmed') ? <p class="notice" role="status">{t('me.emailConfirmed')}</p> : null;
  // An instance that sends no e-mail asks for no confirmation.
  if (!c.get('deps').config.requireEmailVerification) return null;
  return (
    <div class="notice" role="status">
      <p>{t('me.confirmEmail', { email })}</p>
      {c.req.query('resent') ? <p>{t('me.confirmationSent')}</p> : (
        <form method="post" action="/me/verification" class="inline">
          <CsrfField c={c} />
          <button type="submit">{t('me.resendConfirmation')}</button>
        </form>
      )}
    </div>
  );
}
