import type { Context } from 'hono';
import { unauthenticated } from '../errors.js';
import type { Viewer } from '../services/deps.js';
import type { AppEnv } from './env.js';
import type { RateLimiter, RateRule } from './rate-limit.js';

export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.get('viewer');
  if (!viewer) throw unauthenticated();
  return viewer;
}

export interface Limits {
  limiter: RateLimiter;
  rules: ReturnType<typeof import('./rate-limit.js').rateRules>;
}

export function limitByIp(c: Context<AppEnv>, limits: Limits, bucket: string, rule: RateRule): void {
  limits.limiter.hit(bucket, c.get('clientIp'), rule);
}

/** The per-IP rule, and for a signed-in caller the per-account one as well. */
export function limitByIpAndAccount(c: Context<AppEnv>, limits: Limits, bucket: string, perIp: RateRule, perAccount: RateRule): void {
  limits.limiter.hit(bucket, c.get('clientIp'), perIp);
  const viewer = c.get('viewer');
  if (viewer) limits.limiter.hit(`${bucket}-account`, String(viewer.user.id), perAccount);
}

/** New confirmation links: a few an hour per account, whichever page or route asks. */
export function limitConfirmationLinks(c: Context<AppEnv>, limits: Limits, viewer: Viewer): void {
  limits.limiter.hit('verification', String(viewer.user.id), limits.rules.verificationPerAccount, 'Too many links asked for: wait a little.');
}
