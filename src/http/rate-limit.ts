import { AppError } from '../errors.js';
import type { Clock } from '../clock.js';

export interface RateRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window counters kept in memory (one process serves a network of this size). Each bucket
 * name has its own rule; keys are an IP or an account.
 */
export class RateLimiter {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly clock: Clock) {}

  /** Counts one hit and throws 429 with Retry-After once the rule's limit is passed. */
  hit(bucket: string, key: string, rule: RateRule, message = 'Too many requests: wait a moment and try again.'): void {
    const blocked = this.check(bucket, key, rule, true);
    if (blocked) throw new AppError(429, 'rate_limited', message, { retryAfterSeconds: blocked });
  }

  /** Seconds until the bucket opens again, or 0 when it is open (without counting a hit). */
  retryAfter(bucket: string, key: string, rule: RateRule): number {
    return this.check(bucket, key, rule, false);
  }

  reset(bucket: string, key: string): void {
    this.counters.delete(`${bucket}:${key}`);
  }

  private check(bucket: string, key: string, rule: RateRule, count: boolean): number {
    const now = this.clock.now().getTime();
    const id = `${bucket}:${key}`;
    let entry = this.counters.get(id);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + rule.windowMs };
      this.counters.set(id, entry);
      if (this.counters.size > 100_000) this.sweep(now);
    }
    if (entry.count >= rule.limit) return Math.max(1, Math.ceil((entry.resetAt - now) / 1000));
    if (count) entry.count++;
    return 0;
  }

  private sweep(now: number): void {
    for (const [id, entry] of this.counters) if (entry.resetAt <= now) this.counters.delete(id);
  }
}

/**
 * Per-IP rules, and per-account limits on volume (writes, searches), are multiplied by RATE_LIMIT_SCALE
 * (load tests raise it); the failed-login lockout is not, whatever the scale.
 */
export function rateRules(scale: number) {
  const perIp = (limit: number, windowMs: number): RateRule => ({ limit: Math.max(1, Math.round(limit * scale)), windowMs });
  const perAccount = perIp;
  return {
    loginPerIp: perIp(30, 15 * 60_000),
    failedLoginPerAccount: { limit: 5, windowMs: 15 * 60_000 } as RateRule,
    registerPerIp: perIp(10, 60 * 60_000),
    writesPerIp: perIp(120, 60_000),
    // One account behind many addresses (a script, a botnet) is limited too.
    writesPerAccount: perAccount(120, 60_000),
    searchPerIp: perIp(120, 60_000),
    searchPerAccount: perAccount(120, 60_000),
    verificationPerAccount: { limit: 5, windowMs: 60 * 60_000 } as RateRule,
    // "Export my data" reads a whole account: a few downloads an hour are plenty.
    exportPerAccount: perAccount(10, 60 * 60_000),
    // The criteria picker asks as people type (debounced): generous, but bounded.
    suggestPerIp: perIp(300, 60_000),
  };
}
