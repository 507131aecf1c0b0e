import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './env.js';
import { SESSION_COOKIE } from './middleware.js';
import { createSession, csrfTokenFor, destroySession } from '../services/accounts.js';

const isHttps = (c: Context<AppEnv>) =>
  new URL(c.req.url).protocol === 'https:' || c.get('deps').config.publicUrl?.startsWith('https:') === true;

/** Starts a fresh session (rotating any previous one) and sets the cookie; returns the CSRF token. */
export async function startSession(c: Context<AppEnv>, userId: number): Promise<string> {
  const deps = c.get('deps');
  const token = await createSession(deps, userId, c.req.header('user-agent') ?? null, c.get('sessionToken'));
  setCookie(c, SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'Lax', secure: isHttps(c), maxAge: deps.config.sessionAbsoluteDays * 86_400,
  });
  return csrfTokenFor(token);
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = c.get('sessionToken');
  if (token) await destroySession(c.get('deps'), token);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}
