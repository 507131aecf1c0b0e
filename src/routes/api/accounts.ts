import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { type Limits, limitByIp, requireViewer, limitConfirmationLinks } from '../../http/guards.js';
import { endSession, startSession } from '../../http/session-cookie.js';
import { AppError } from '../../errors.js';
import { listAudit } from '../../services/audit.js';
import { blockAccount, listAccounts, unblockAccount } from '../../services/moderation.js';
import {
  createAccessToken, endOtherSessions, endSessionById, getProfile, listSessions, sendEmailVerification, sendLockoutNotice, verifyEmail, listAccessTokens, normaliseEmail, revokeAccessToken, signUp, updateProfile, verifyCredentials,
} from '../../services/accounts.js';
import { BlockBody, DeleteAccountBody, LoginBody, ProfileBody, RegisterBody, TokenBody, VerifyEmailBody } from './schemas.js';
import { deleteAccountByAdmin, deleteMyAccount } from '../../services/account-deletion.js';
import { idOf } from './ids.js';

const UserOut = z.object({ id: z.number(), email: z.string(), name: z.string(), role: z.string(), locale: z.string() });
const presentUser = (u: { id: number; email: string; name: string; role: string; locale: string }) => ({ id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale });

export function accountRoutes(api: ApiRoutes, limits: Limits) {
  api.add({
    method: 'post', path: '/api/auth/register', tag: 'accounts', body: RegisterBody,
    summary: 'Create an account; optional consent defaults for new choices: defaultVisibility (private unless chosen) and countInSummaries (true unless false). '
      + 'Where the instance sends e-mail: 202 with a neutral message whether or not the address already has an account (a link to confirm it, or a notice to its owner); log in next. '
      + 'Without e-mail: 201, logged in at once, and 409 for an address already used.',
    responses: {
      201: { description: 'Registered and logged in (instance without e-mail)', schema: z.object({ user: UserOut, csrfToken: z.string() }) },
      202: { description: 'Check your inbox (instance with e-mail), whether or not the address was known', schema: z.object({ message: z.string() }) },
      409: { description: 'Email already used (instance without e-mail)' }, 429: { description: 'Too many registrations' },
    },
  }, async (c, { body }) => {
    limitByIp(c, limits, 'register', limits.rules.registerPerIp);
    const { user, signIn } = await signUp(c.get('deps'), body);
    if (!user || !signIn) return c.json({ message: c.get('t')('register.checkInboxBody', { email: normaliseEmail(body.email) }) }, 202);
    const csrfToken = await startSession(c, user.id);
    return c.json({ user: presentUser(user), csrfToken }, 201);
  });

  api.add({
    method: 'post', path: '/api/auth/verify-email', tag: 'accounts', summary: 'Confirm an e-mail address with the token from the link sent at sign-up', body: VerifyEmailBody,
    responses: { 200: { description: 'Confirmed' }, 400: { description: 'Invalid or expired token' } },
  }, async (c, { body }) => {
    await verifyEmail(c.get('deps'), body.token);
    return c.json({ ok: true });
  });

  api.add({
    method: 'post', path: '/api/me/verification', tag: 'accounts', summary: 'Send a new confirmation link to my e-mail address (nothing when it is confirmed already)', auth: true,
    responses: { 200: { description: 'Sent' }, 429: { description: 'Too many links asked for' } },
  }, async (c) => {
    const viewer = requireViewer(c);
    limitConfirmationLinks(c, limits, viewer);
    await sendEmailVerification(c.get('deps'), viewer.user.id);
    return c.json({ ok: true });
  });

  api.add({
    method: 'post', path: '/api/auth/login', tag: 'accounts', summary: 'Log in: sets the session cookie', body: LoginBody,
    responses: { 200: { description: 'Logged in', schema: z.object({ user: UserOut, csrfToken: z.string() }) }, 401: { description: 'Wrong email or password' }, 429: { description: 'Too many attempts' } },
  }, async (c, { body }) => {
    const user = await loginAttempt(c.get('deps'), limits, c.get('clientIp'), body.email, body.password);
    const csrfToken = await startSession(c, user.id);
    return c.json({ user: presentUser(user), csrfToken });
  });

  api.add({
    method: 'post', path: '/api/auth/logout', tag: 'accounts', summary: 'Log out (ends this session)',
    responses: { 200: { description: 'Logged out' } },
  }, async (c) => {
    await endSession(c);
    return c.json({ ok: true });
  });

  api.add({
    method: 'get', path: '/api/me', tag: 'accounts', summary: 'My profile, actors and memberships', auth: true,
    responses: { 200: { description: 'Profile' } },
  }, async (c) => {
    const viewer = requireViewer(c);
    const profile = await getProfile(c.get('deps'), viewer);
    return c.json({
      user: { ...presentUser(profile.user), timeZone: profile.user.time_zone, createdAt: profile.user.created_at, emailVerified: profile.user.emailVerified,
        defaultVisibility: profile.user.defaultVisibility, countInSummaries: profile.user.countInSummaries },
      actors: profile.actors.map((a) => ({ slug: a.slug, name: a.name, kind: a.kind, primary: Boolean(a.is_primary), territory: a.territorySlug, page: `actor/${a.slug}` })),
      memberships: profile.memberships.map((m) => ({ territory: m.slug, name: m.name, role: m.role, status: m.status })),
      csrfToken: c.get('csrfToken'),
    });
  });

  api.add({
    method: 'patch', path: '/api/me', tag: 'accounts', summary: 'Edit my profile (name, language, time zone, territory, password) and consent defaults: defaultVisibility (what my new choices start as) and countInSummaries (whether they count in anonymous summaries); existing choices keep their own settings', auth: true, body: ProfileBody,
    responses: { 200: { description: 'Updated' } },
  }, async (c, { body }) => {
    await updateProfile(c.get('deps'), requireViewer(c), body);
    return c.json({ ok: true });
  });

  api.add({
    method: 'get', path: '/api/me/sessions', tag: 'accounts', summary: 'Where I am signed in: each browser session, newest activity first, the current one marked', auth: true,
    responses: { 200: { description: '{sessions:[{id, createdAt, lastSeenAt, expiresAt, device:{browser, system}, current}]}' } },
  }, async (c) => c.json({ sessions: await listSessions(c.get('deps'), requireViewer(c), c.get('sessionToken')) }));

  api.add({
    method: 'delete', path: '/api/me/sessions/{id}', tag: 'accounts', summary: 'End one of my sessions (that browser is signed out)', auth: true,
    responses: { 200: { description: 'Ended' }, 404: { description: 'No such session of mine' } },
  }, async (c, { params }) => {
    await endSessionById(c.get('deps'), requireViewer(c), params.id);
    return c.json({ ok: true });
  });

  api.add({
    method: 'delete', path: '/api/me/sessions', tag: 'accounts', summary: 'Log out everywhere else: end every session but this one (all of them when called with a token)', auth: true,
    responses: { 200: { description: '{ended}' } },
  }, async (c) => c.json({ ended: await endOtherSessions(c.get('deps'), requireViewer(c), c.get('sessionToken')) }));

  api.add({
    method: 'get', path: '/api/admin/audit', tag: 'accounts', summary: 'The audit log, newest first (admins): who did what to which object', auth: true,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().min(1).optional(), action: z.string().max(60).optional() }),
    responses: { 200: { description: '{entries:[{id, action, target, details, createdAt, by}], actions, nextBefore}' }, 403: { description: 'Not an admin' } },
  }, async (c, { query }) => c.json(await listAudit(c.get('deps'), c.get('viewer'), query)));

  api.add({
    method: 'get', path: '/api/admin/users', tag: 'accounts', summary: 'Accounts, newest first, optionally matching q in name or e-mail (admins)', auth: true,
    query: z.object({ q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0) }),
    responses: { 200: { description: '{accounts:[{id, name, email, role, createdAt, blockedAt}], more}' }, 403: { description: 'Not an admin' } },
  }, async (c, { query }) => c.json(await listAccounts(c.get('deps'), c.get('viewer'), query)));

  api.add({
    method: 'post', path: '/api/admin/users/{id}/block', tag: 'accounts', summary: 'Block an account (admins): no more logins, its sessions end and its tokens are revoked; the reason goes to the audit log', auth: true,
    body: BlockBody,
    responses: { 200: { description: 'Blocked' }, 404: { description: 'No such account' }, 409: { description: 'Your own account' } },
  }, async (c, { body }) => {
    await blockAccount(c.get('deps'), c.get('viewer'), idOf(c.req.param('id') ?? ''), body.reason);
    return c.json({ ok: true });
  });

  api.add({
    method: 'delete', path: '/api/admin/users/{id}/block', tag: 'accounts', summary: 'Unblock an account (admins)', auth: true,
    responses: { 200: { description: 'Unblocked' }, 404: { description: 'No such account' } },
  }, async (c) => {
    await unblockAccount(c.get('deps'), c.get('viewer'), idOf(c.req.param('id') ?? ''));
    return c.json({ ok: true });
  });

  api.add({
    method: 'delete', path: '/api/me', tag: 'accounts', summary: 'Delete my account for good (my password confirms): my journal, sessions, tokens and registrations go; what I wrote in the wiki stays as “a former member”', auth: true,
    body: DeleteAccountBody,
    responses: { 200: { description: '{deleted: true, choices}' }, 400: { description: 'Wrong password' } },
  }, async (c, { body }) => {
    const result = await deleteMyAccount(c.get('deps'), c.get('viewer'), body.password);
    if (c.get('sessionToken')) await endSession(c);
    return c.json({ deleted: true, ...result });
  });

  api.add({
    method: 'delete', path: '/api/admin/users/{id}', tag: 'accounts', summary: 'Delete an account at its owner’s request (admins; the reason goes to the audit log)', auth: true, body: BlockBody,
    responses: { 200: { description: '{deleted: true, choices}' }, 404: { description: 'No such account' } },
  }, async (c, { body }) => c.json({ deleted: true, ...(await deleteAccountByAdmin(c.get('deps'), c.get('viewer'), idOf(c.req.param('id') ?? ''), body.reason)) }));

  api.add({
    method: 'post', path: '/api/auth/tokens', tag: 'accounts', summary: 'Create a personal access token (shown once)', auth: true, body: TokenBody,
    responses: { 201: { description: 'Created', schema: z.object({ id: z.number(), name: z.string(), token: z.string(), createdAt: z.string() }) } },
  }, async (c, { body }) => c.json(await createAccessToken(c.get('deps'), requireViewer(c), body.name), 201));

  api.add({
    method: 'get', path: '/api/auth/tokens', tag: 'accounts', summary: 'My access tokens (without their secrets)', auth: true,
    responses: { 200: { description: 'Tokens' } },
  }, async (c) => {
    const tokens = await listAccessTokens(c.get('deps'), requireViewer(c));
    return c.json({ tokens: tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at })) });
  });

  api.add({
    method: 'delete', path: '/api/auth/tokens/{id}', tag: 'accounts', summary: 'Revoke an access token', auth: true,
    responses: { 200: { description: 'Revoked' }, 404: { description: 'No such token' } },
  }, async (c, { params }) => {
    await revokeAccessToken(c.get('deps'), requireViewer(c), Number(params.id) || 0);
    return c.json({ ok: true });
  });
}

/** Login with both limits: attempts per IP, and failed attempts per account (lockout window). */
export async function loginAttempt(deps: Parameters<typeof verifyCredentials>[0], limits: Limits, ip: string, email: string, password: string) {
  limits.limiter.hit('login-ip', ip, limits.rules.loginPerIp, 'Too many login attempts from this address: wait and try again.');
  const account = normaliseEmail(email);
  const wait = limits.limiter.retryAfter('login-failed', account, limits.rules.failedLoginPerAccount);
  if (wait) throw new AppError(429, 'rate_limited', 'Too many failed logins for this account: it is locked for a few minutes.', { retryAfterSeconds: wait });
  const user = await verifyCredentials(deps, email, password);
  if (!user) {
    limits.limiter.hit('login-failed', account, limits.rules.failedLoginPerAccount);
    // This failure locked the account: its owner hears of it, once per lock.
    const locked = limits.limiter.retryAfter('login-failed', account, limits.rules.failedLoginPerAccount);
    if (locked) await sendLockoutNotice(deps, email, Math.ceil(locked / 60));
    throw new AppError(401, 'unauthenticated', 'Wrong email or password.');
  }
  limits.limiter.reset('login-failed', account);
  return user;
}
