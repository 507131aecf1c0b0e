import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimit } from 'hono/body-limit';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import { type Locale, isLocale, negotiateLocale, translator } from '../i18n/index.js';
import { csrfTokenFor, resolveAccessToken, resolveSession } from '../services/accounts.js';
import type { AppEnv } from './env.js';

export const SESSION_COOKIE = 'sj_session';
export const LOCALE_COOKIE = 'sj_lang';
export const MAX_BODY_BYTES = 1024 * 1024;

/** Strict CSP: scripts and styles only from our own origin, no inline code, no eval, no framing. */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });

/** Rejects bodies over 1 MB whether or not they announce their length (chunked uploads included). */
export const limitBody = (): MiddlewareHandler<AppEnv> =>
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, 'payload_too_large', 'The request body is larger than 1 MB.');
    },
  });

/** Who is calling: a Bearer token (API clients) or the session cookie (browsers). */
export const authenticate = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const deps = c.get('deps');
  const authorization = c.req.header('authorization');
  c.set('viewer', null);
  c.set('sessionToken', null);
  c.set('csrfToken', null);
  if (authorization) {
    const [scheme, token] = authorization.split(' ', 2);
    const viewer = scheme?.toLowerCase() === 'bearer' && token ? await resolveAccessToken(deps, token.trim()) : null;
    if (!viewer) throw new AppError(401, 'unauthenticated', 'The access token is not valid.');
    c.set('viewer', viewer);
    return next();
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const viewer = await resolveSession(deps, token);
    if (viewer) {
      c.set('viewer', viewer);
      c.set('sessionToken', token);
      c.set('csrfToken', csrfTokenFor(token));
    }
  }
  return next();
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * CSRF for cookie-authenticated writes, JSON and forms alike: a cross-site Origin or Sec-Fetch-Site is
 * always refused; otherwise the request must carry the session's token (X-CSRF-Token header or _csrf
 * field) or come from our own origin as the browser attests. Bearer requests carry no ambient
 * credentials and need none of this.
 */
export const csrfProtection = (publicUrl: string | null): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!UNSAFE.has(c.req.method) || c.req.header('authorization')) return next();
  // An unsubscribe link carries its own signed token and is posted by mail clients (RFC 8058) from
  // anywhere; it changes nothing but that person's e-mail settings.
  if (c.req.path.startsWith('/unsubscribe/')) return next();
  const ownOrigins = new Set([new URL(c.req.url).origin, ...(publicUrl ? [publicUrl] : [])]);
  const origin = c.req.header('origin');
  const fetchSite = c.req.header('sec-fetch-site');
  const crossSite = (origin !== undefined && !ownOrigins.has(origin)) || (fetchSite !== undefined && fetchSite !== 'same-origin');
  if (crossSite) throw new AppError(403, 'csrf_failed', 'Cross-site request refused.');
  const expected = c.get('csrfToken');
  if (!expected) return next(); // no session: nothing to ride on (login and registration are rate limited)
  let presented = c.req.header('x-csrf-token');
  if (!presented && /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '')) {
    const form = await c.req.parseBody();
    presented = typeof form._csrf === 'string' ? form._csrf : undefined;
  }
  const attestedSameOrigin = (origin !== undefined && ownOrigins.has(origin)) || fetchSite === 'same-origin';
  if (presented ? !sameToken(presented, expected) : !attestedSameOrigin) {
    throw new AppError(403, 'csrf_failed', 'Missing or invalid CSRF token: reload the page and try again.');
  }
  return next();
};

/** The reader's language: ?lang= (remembered in a cookie), then the cookie, the profile, Accept-Language. */
export const negotiateLanguage = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const asked = c.req.query('lang');
  let locale: Locale | null = null;
  if (isLocale(asked)) {
    locale = asked;
    if (!c.req.path.startsWith('/api/')) {
      setCookie(c, LOCALE_COOKIE, asked, { path: '/', maxAge: 365 * 86_400, sameSite: 'Lax', httpOnly: true, secure: new URL(c.req.url).protocol === 'https:' });
    }
  }
  const cookie = getCookie(c, LOCALE_COOKIE);
  locale ??= isLocale(cookie) ? cookie : null;
  const profile = c.get('viewer')?.user.locale;
  locale ??= isLocale(profile) ? profile : null;
  locale ??= negotiateLocale(c.req.header('accept-language')) ?? 'en';
  c.set('locale', locale);
  c.set('t', translator(locale));
  await next();
  c.header('Content-Language', locale);
  c.header('Vary', 'Accept-Language, Cookie', { append: true });
};

export function clientIp(c: { env: unknown; req: { header(name: string): string | undefined } }, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
