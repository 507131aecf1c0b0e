import type { Context } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { translator } from '../../i18n/index.js';
import { Layout } from '../../views/layout.js';

export function renderErrorPage(c: Context<AppEnv>, status: number, message: string): string {
  // Errors raised before the language middleware ran still get a translator and assets.
  if (!c.get('t')) {
    c.set('t', translator('en'));
    c.set('locale', 'en');
  }
  if (!c.get('assets')) c.set('assets', { script: null, styles: [] });
  const t = c.get('t');
  const heading = status === 404 ? t('error.notFoundTitle') : status === 403 ? t('error.forbiddenTitle') : status === 401 ? t('error.loginTitle') : status === 429 ? t('error.tooManyTitle') : t('error.title');
  return '<!DOCTYPE html>' + String(
    <Layout c={c} title={heading} robots="noindex">
      <h1>{heading}</h1>
      <p>{message}</p>
      {status === 401 ? <p><a href={`/login?next=${encodeURIComponent(c.req.path)}`}>{t('nav.login')}</a></p> : <p><a href="/">{t('error.home')}</a></p>}
    </Layout>
  );
}
