import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { ErrorIssue } from '../errors.js';
import { translateIssues } from '../i18n/issues.js';

/** Sends a server-rendered page with its doctype. Views are synchronous JSX: escaped by default. */
export function sendPage(c: Context<AppEnv>, node: unknown, status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 = 200) {
  c.header('Cache-Control', 'private, no-cache');
  return c.html(`<!DOCTYPE html>${String(node)}`, status);
}

/** Field → message map (in the reader's language) from validation issues, for re-rendering a form with its errors. */
export function errorsByField(c: Context<AppEnv>, issues: ErrorIssue[] | undefined, fallback: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of translateIssues(c.get('t'), issues ?? [])) out[issue.path.split('.')[0] || 'form'] ??= issue.message;
  if (!Object.keys(out).length) out.form = fallback;
  return out;
}
