import type { Context } from 'hono';
import type { ZodType } from 'zod';
import type { AppEnv } from '../../http/env.js';
import { AppError } from '../../errors.js';
import { zodIssues } from '../../i18n/issues.js';

/** Text fields of a submitted form (files and the CSRF field left out). */
export async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && key !== '_csrf') out[key] = value;
  return out;
}

/** Every value of a repeated field (checkboxes sharing a name). */
export async function readFormList(c: Context<AppEnv>, name: string): Promise<string[]> {
  const body = await c.req.parseBody({ all: true });
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
}

/** Validates form values with the same schema as the JSON API; throws the same 400 AppError. */
export function parseForm<T>(schema: ZodType<T>, values: unknown): T {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    throw new AppError(400, 'validation_failed', 'The form has errors.', {
      issues: zodIssues(parsed.error),
    });
  }
  return parsed.data;
}

/** Only same-site relative targets, so ?next= cannot send people elsewhere. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || /[\s\\\u0000-\u001f\u007f]/.test(next)) return '/';
  // Resolved against a placeholder origin, it must stay on it (browsers ignore tabs, and // is another host).
  const url = new URL(next, 'http://same.invalid');
  return url.origin === 'http://same.invalid' && !next.startsWith('//') ? `${url.pathname}${url.search}${url.hash}` : '/';
}

export const emptyToUndefined = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? undefined : v]));
