import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../http/env.js';
import { LOCALES, LOCALE_NAMES } from '../i18n/index.js';

export interface LayoutProps {
  c: Context<AppEnv>;
  title: string;
  children: Child;
  /** Adds <link rel=alternate> for feed readers. */
  feed?: { title: string; href: string };
  robots?: string;
}

/** Current URL with ?lang= swapped, so the switcher works without JavaScript and keeps the page. */
function withLang(c: Context<AppEnv>, lang: string): string {
  const url = new URL(c.req.url);
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export function Layout({ c, title, children, feed, robots }: LayoutProps) {
  const t = c.get('t');
  const locale = c.get('locale');
  const viewer = c.get('viewer');
  const assets = c.get('assets');
  const csrf = c.get('csrfToken');
  const unread = c.get('unreadNotices') ?? 0;
  const path = c.req.path;
  const nav = [
    { href: '/', label: t('nav.home') },
    { href: '/recent-changes', label: t('nav.recentChanges') },
    { href: '/choices', label: t('nav.choices') },
    { href: '/groups', label: t('nav.groups') },
    { href: '/workshops', label: t('nav.workshops') },
    { href: '/charters', label: t('nav.charters') },
    { href: '/tools', label: t('nav.tools') },
    { href: '/summaries', label: t('nav.summaries') },
    { href: '/territories', label: t('nav.territories') },
    { href: '/criteria', label: t('nav.criteria') },
  ];
  // The section a page belongs to: its link says so (aria-current "page" on the page itself, "true" below
  // it), and on a phone its name stands beside the menu button.
  const within = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  const current = (href: string) => (path === href ? 'page' : within(href) ? 'true' : undefined);
  const sections = [
    ...nav.filter((item) => item.href !== '/'),
    { href: '/me/notifications', label: t('nav.notifications') },
    { href: '/me', label: t('me.title') },
    { href: '/search', label: t('search.title') },
  ];
  const section = sections.find((item) => within(item.href)) ?? (path === '/' ? nav[0] : undefined);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Spiral Journal`}</title>
        <link rel="icon" href="data:," />
        {csrf ? <meta name="csrf-token" content={csrf} /> : null}
        {robots ? <meta name="robots" content={robots} /> : null}
        <link rel="alternate" type="application/atom+xml" title={t('feed.recent')} href="/feeds/recent.atom" />
        {feed ? <link rel="alternate" type="application/atom+xml" title={feed.title} href={feed.href} /> : null}
        {assets.styles.map((href) => <link rel="stylesheet" href={href} />)}
        {assets.script ? <script type="module" src={assets.script}></script> : null}
      </head>
      <body>
        <a class="skip-link" href="#main">{t('nav.skip')}</a>
        <header class="site-header">
          <div class="identity">
            <a class="brand" href="/">Spiral Journal</a>
            {section ? <span class="current-section">{section.label}</span> : null}
          </div>
          {viewer ? (
            <a href="/me/notifications" class="bell" aria-current={path === '/me/notifications' ? 'page' : undefined}>
              <svg aria-hidden="true" focusable="false" class="icon" viewBox="0 0 24 24" width="16" height="16"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" /></svg> <span class="bell-label">{t('nav.notifications')}</span>
              {unread ? <> <span class="badge"><span aria-hidden="true">{unread > 99 ? '99+' : unread}</span><span class="visually-hidden">{t('nav.unread', { count: unread })}</span></span></> : null}
            </a>
          ) : <a href="/login" class="bar-login" aria-current={path === '/login' ? 'page' : undefined}>{t('nav.login')}</a>}
          <form class="search-form" role="search" action="/search" method="get">
            <label class="visually-hidden" for="site-search">{t('search.label')}</label>
            <input id="site-search" type="search" name="q" placeholder={t('search.placeholder')} value={path === '/search' ? c.req.query('q') ?? '' : ''} />
            <button type="submit">{t('search.button')}</button>
          </form>
          {/* On a phone the navigation folds into this disclosure, which works without JavaScript; on a wide screen
              the stylesheet shows its content as a horizontal bar and hides the button. */}
          <details class="site-menu">
            <summary><svg aria-hidden="true" focusable="false" class="icon" viewBox="0 0 24 24" width="16" height="16"><path fill="currentColor" d="M3 5h18v2H3Zm0 6h18v2H3Zm0 6h18v2H3Z" /></svg> <span>{t('nav.menu')}</span></summary>
            <div class="menu-panel">
              <nav aria-label={t('nav.main')} class="main-nav">
                <ul>
                  {nav.map((item) => (
                    <li><a href={item.href} aria-current={current(item.href)}>{item.label}</a></li>
                  ))}
                  {viewer ? (
                    <>
                      <li><a href="/me" aria-current={current('/me')}>{t('nav.me', { name: viewer.user.name })}</a></li>
                      <li>
                        <form method="post" action="/logout" class="inline">
                          <input type="hidden" name="_csrf" value={csrf ?? ''} />
                          <button type="submit" class="link-button">{t('nav.logout')}</button>
                        </form>
                      </li>
                    </>
                  ) : (
                    <li><a href="/register" aria-current={current('/register')}>{t('nav.register')}</a></li>
                  )}
                </ul>
              </nav>
              <nav aria-label={t('nav.language')} class="lang-nav">
                <ul>
                  {LOCALES.map((l) => (
                    <li><a href={withLang(c, l)} lang={l} hreflang={l} aria-current={l === locale ? 'true' : undefined}>{LOCALE_NAMES[l]}</a></li>
                  ))}
                </ul>
              </nav>
            </div>
          </details>
        </header>
        <main id="main" tabindex={-1}>
          {c.req.query('reported') ? <p class="notice" role="status">{t('report.thanks')}</p> : null}
          {c.req.query('deleted') && !viewer ? <p class="notice" role="status">{t('me.accountDeleted')}</p> : null}
          {children}
        </main>
        <footer class="site-footer">
          <p>{t('footer.about')} · <a href="/feeds/recent.atom">{t('feed.atom')}</a> · <a href="/api/openapi.json">API</a> · <a href="/privacy">{t('privacy.link')}</a></p>
        </footer>
      </body>
    </html>
  );
}

/** Formats an ISO timestamp for the reader (their locale, UTC unless their profile says otherwise); `day` leaves the time out. */
export function formatDate(c: Context<AppEnv>, iso: string, precision: 'minute' | 'day' = 'minute'): string {
  const zone = c.get('viewer')?.user.time_zone ?? 'UTC';
  return dateFormatter(c.get('locale'), zone, precision).format(new Date(iso));
}

// Building an Intl formatter costs far more than using one: keep one per language, zone and precision.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: string, zone: string, precision: 'minute' | 'day'): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${precision}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, precision === 'day'
      ? { year: 'numeric', month: 'short', day: 'numeric', timeZone: zone }
      : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short' });
    if (dateFormatters.size > 500) dateFormatters.clear();
    dateFormatters.set(key, formatter);
  }
  return formatter;
}

export function CsrfField({ c }: { c: Context<AppEnv> }) {
  return <input type="hidden" name="_csrf" value={c.get('csrfToken') ?? ''} />;
}

export function FieldErrors({ errors, name }: { errors?: Record<string, string>; name: string }) {
  const message = errors?.[name];
  return message ? <p class="field-error" id={`${name}-error`}>{message}</p> : null;
}

export function ErrorSummary({ c, errors }: { c: Context<AppEnv>; errors?: Record<string, string> }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>{c.get('t')('form.errors')}</h2>
      <ul>{Object.entries(errors).map(([field, message]) => <li><a href={`#${field === 'form' ? 'main' : field}`}>{message}</a></li>)}</ul>
    </div>
  );
}
