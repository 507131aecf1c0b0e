import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { requireViewer } from '../../http/guards.js';
import type { Locale } from '../../i18n/index.js';
import { updateProfile } from '../../services/accounts.js';
import { getRetention, sessionIdleMinutes } from '../../services/retention.js';
import { PRIVACY_THRESHOLD } from '../../../db/summary-store.js';
import { MAX_COUNT_NOISE, MAX_SUM_NOISE } from '../../summaries/perturbation.js';
import { ProfileBody } from '../api/schemas.js';
import { consentFromForm } from '../../views/consent-fields.js';
import { Layout } from '../../views/layout.js';
import { sendPage } from '../../views/render.js';
import { parseForm, readForm } from './forms.js';

// The privacy page says what the site really does: the small-count threshold is the summaries' own
// constant, and the retention periods and session limits are those in force, read at each request.

/** A period in the reader's language ("7 days", "7 jours", "12 horas"), in the largest whole unit. */
function period(locale: Locale, minutes: number): string {
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value as number);
}

async function PrivacyPage({ c }: { c: Context<AppEnv> }) {
  const t = c.get('t');
  const locale = c.get('locale');
  const { config } = c.get('deps');
  const retention = await getRetention(c.get('deps'));
  const days = (n: number) => period(locale, n * 1440);
  const idleMinutes = sessionIdleMinutes(config, retention);
  return (
    <Layout c={c} title={t('privacy.title')}>
      <h1>{t('privacy.title')}</h1>
      <p class="lead">{t('privacy.intro')}</p>

      <section aria-labelledby="privacy-stored">
        <h2 id="privacy-stored">{t('privacy.storedTitle')}</h2>
        <ul>
          <li>{t('privacy.storedAccount')}</li>
          <li>{t('privacy.storedJournal')}</li>
          <li>{t('privacy.storedWiki')}</li>
          <li>{t('privacy.storedSessions')}</li>
          <li>{t('privacy.storedOutbox')}</li>
          <li>{t('privacy.storedNotifications')}</li>
          <li>{t('privacy.storedAudit')}</li>
          <li>{t('privacy.storedAddress')}</li>
        </ul>
      </section>

      <section aria-labelledby="privacy-who">
        <h2 id="privacy-who">{t('privacy.whoTitle')}</h2>
        <ul>
          <li>{t('privacy.whoPrivate')}</li>
          <li>{t('privacy.whoTerritory')}</li>
          <li>{t('privacy.whoPublic')}</li>
          <li>{t('privacy.whoWiki')}</li>
          <li>{t('privacy.whoCoordinators')}</li>
          <li>{t('privacy.whoAdmins')}</li>
        </ul>
        <p>{t('privacy.whoDefaults')} <a href="/me/settings#privacy-choices">{t('privacy.whoDefaultsLink')}</a></p>
      </section>

      <section aria-labelledby="privacy-summaries">
        <h2 id="privacy-summaries">{t('privacy.summariesTitle')}</h2>
        <p>{t('privacy.summariesCount')}</p>
        <p><strong>{t('privacy.summariesThreshold', { threshold: PRIVACY_THRESHOLD })}</strong></p>
        <p id="published-figures">{t('privacy.perturbation', { noise: MAX_COUNT_NOISE, sumNoise: MAX_SUM_NOISE * 100 })}</p>
        <p>{t('privacy.newAccounts', { days: c.get('deps').config.newAccountDays, threshold: PRIVACY_THRESHOLD })}</p>
        <p>{t('privacy.summariesWords')}</p>
      </section>

      <section aria-labelledby="privacy-cookies">
        <h2 id="privacy-cookies">{t('privacy.cookiesTitle')}</h2>
        <ul>
          <li><code>sj_session</code> — {t('privacy.cookieSession', { days: days(config.sessionAbsoluteDays) })}</li>
          <li><code>sj_lang</code> — {t('privacy.cookieLanguage')}</li>
          <li><code>tz</code> — {t('privacy.cookieZone')}</li>
        </ul>
        <p>{t('privacy.cookiesNone')}</p>
      </section>

      <section aria-labelledby="privacy-retention">
        <h2 id="privacy-retention">{t('privacy.retentionTitle')}</h2>
        <ul>
          <li>{t('privacy.retentionJournal')}</li>
          <li>{t('privacy.retentionSessions', { idle: period(locale, idleMinutes), absolute: days(config.sessionAbsoluteDays) })}</li>
          <li>{retention.outboxDays === null ? t('privacy.retentionOutboxForever') : t('privacy.retentionOutbox', { period: days(retention.outboxDays) })}</li>
          <li>{retention.readNotificationsDays === null ? t('privacy.retentionNotificationsForever') : t('privacy.retentionNotifications', { period: days(retention.readNotificationsDays) })}</li>
          <li>{retention.auditDays === null ? t('privacy.retentionAuditForever') : t('privacy.retentionAudit', { period: days(retention.auditDays) })}</li>
        </ul>
        <p>{t('privacy.retentionBackups')}</p>
      </section>

      <section aria-labelledby="privacy-export">
        <h2 id="privacy-export">{t('privacy.exportTitle')}</h2>
        <p>{t('privacy.export')} <a href="/me/settings#your-data">{t('privacy.exportLink')}</a></p>
        <p>{t('privacy.exportApi')} <code>GET /api/me/export</code></p>
      </section>

      <section aria-labelledby="privacy-delete">
        <h2 id="privacy-delete">{t('privacy.deleteTitle')}</h2>
        <p>{t('privacy.delete')} <a href="/me/settings#me-delete">{t('privacy.deleteLink')}</a></p>
        <p>{t('privacy.deleteApi')} <code>DELETE /api/me</code></p>
        <p>{t('privacy.deleteByAdmin')}</p>
      </section>
    </Layout>
  );
}

export function privacyPages(app: Hono<AppEnv>) {
  app.get('/privacy', async (c) => sendPage(c, await PrivacyPage({ c })));

  // The settings page's consent form (src/views/consent-fields.tsx): radio buttons, so only a forged
  // request can be invalid, and it gets the plain 400 page.
  app.post('/me/consent', async (c) => {
    const viewer = requireViewer(c);
    const input = parseForm(ProfileBody.pick({ defaultVisibility: true, countInSummaries: true }), consentFromForm(await readForm(c)));
    await updateProfile(c.get('deps'), viewer, input);
    return c.redirect('/me/settings?consent=saved#privacy-choices', 303);
  });
}
