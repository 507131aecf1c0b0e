import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { MessageKey } from '../i18n/index.js';
import { VISIBILITIES } from '../services/choices.js';
import { PRIVACY_THRESHOLD } from '../../db/summary-store.js';
import { CsrfField, FieldErrors } from './layout.js';

// Consent, asked the same way at sign-up and in settings: what new choices start as, and whether they
// count in the anonymous summaries. Plain radio buttons: it works without JavaScript.

const visibilityKey = (v: string) => `consent.visibility${v.charAt(0).toUpperCase()}${v.slice(1)}` as MessageKey;

/** Form values (radio buttons) as the API's fields; anything unexpected is passed on for validation to refuse. */
export function consentFromForm(values: Record<string, string>) {
  const count = values.countInSummaries;
  return {
    defaultVisibility: values.defaultVisibility || undefined,
    countInSummaries: count === 'yes' ? true : count === 'no' ? false : count || undefined,
  };
}

export function ConsentFields({ c, visibility, countInSummaries, errors }: { c: Context<AppEnv>; visibility: string; countInSummaries: boolean; errors?: Record<string, string> }) {
  const t = c.get('t');
  return (
    <>
      <fieldset id="defaultVisibility">
        <legend>{t('consent.visibilityLegend')}</legend>
        {VISIBILITIES.map((v) => (
          <label class="choice-option"><input type="radio" name="defaultVisibility" value={v} checked={visibility === v} /> {t(visibilityKey(v))}</label>
        ))}
        <p class="hint">{t('consent.visibilityHint')}</p>
        <FieldErrors errors={errors} name="defaultVisibility" />
      </fieldset>
      <fieldset id="countInSummaries">
        <legend>{t('consent.countLegend')}</legend>
        <label class="choice-option"><input type="radio" name="countInSummaries" value="yes" checked={countInSummaries} /> {t('consent.countYes')}</label>
        <label class="choice-option"><input type="radio" name="countInSummaries" value="no" checked={!countInSummaries} /> {t('consent.countNo')}</label>
        <p class="hint">{t('consent.countHint', { threshold: PRIVACY_THRESHOLD })}</p>
        <FieldErrors errors={errors} name="countInSummaries" />
      </fieldset>
      <p class="hint"><a href="/privacy">{t('consent.privacyLink')}</a></p>
    </>
  );
}

/** The settings page's section: its own small form, posted to /me/consent. */
export function ConsentSection({ c, visibility, countInSummaries }: { c: Context<AppEnv>; visibility: string; countInSummaries: boolean }) {
  const t = c.get('t');
  return (
    <section aria-labelledby="privacy-choices">
      <h2 id="privacy-choices">{t('consent.title')}</h2>
      {c.req.query('consent') === 'saved' ? <p class="notice" role="status">{t('consent.saved')}</p> : null}
      <form method="post" action="/me/consent" class="stack narrow">
        <CsrfField c={c} />
        <ConsentFields c={c} visibility={visibility} countInSummaries={countInSummaries} />
        <button type="submit">{t('consent.save')}</button>
      </form>
    </section>
  );
}
