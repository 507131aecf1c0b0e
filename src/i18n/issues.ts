import type { ZodError } from 'zod';
import type { ErrorIssue } from '../errors.js';
import { type MessageKey, type Translate, hasMessage } from './index.js';

// Validation issues carry a message key (or a short code) and its parameters; they are put into words
// in the reader's language only when shown: by app.onError for the JSON API, by errorsByField for forms.

const CODES: Record<string, MessageKey> = {
  not_found: 'issue.notFound',
  required: 'issue.required',
  invalid: 'issue.invalid',
  empty: 'issue.empty',
  reserved: 'issue.reserved',
  too_short: 'error.passwordShort',
  too_long: 'issue.passwordLong',
  too_common: 'error.passwordCommon',
  wrong: 'error.currentPassword',
};

const NOT_FOUND_BY_FIELD: Record<string, MessageKey> = {
  territory: 'issue.unknownTerritory', parent: 'issue.unknownTerritory', component: 'issue.unknownComponent', components: 'issue.unknownComponent', code: 'issue.unknownComponent',
  dimension: 'issue.unknownDimension', actor: 'issue.unknownActor', email: 'issue.unknownEmail',
};

/** Issues of a failed zod parse, each with a message key: the schema's own, or one for the kind of problem. */
export function zodIssues(error: ZodError): ErrorIssue[] {
  return error.issues.slice(0, 50).map((issue): ErrorIssue => {
    const path = issue.path.join('.') || '(body)';
    if (issue.message.startsWith('issue.')) return { path, message: issue.message };
    const raw = issue as unknown as { code: string; origin?: string; minimum?: number | bigint; maximum?: number | bigint; expected?: string; input?: unknown };
    const min = Number(raw.minimum ?? 0);
    const max = Number(raw.maximum ?? 0);
    switch (raw.code) {
      case 'invalid_type':
        if (raw.input === undefined || raw.input === null) return { path, message: 'issue.required' };
        return { path, message: raw.expected === 'number' ? 'issue.number' : 'issue.invalid' };
      case 'too_small':
        if (raw.origin === 'string') return min <= 1 ? { path, message: 'issue.required' } : { path, message: 'issue.tooShort', params: { min } };
        if (raw.origin === 'array' || raw.origin === 'set') return { path, message: 'issue.tooFew', params: { min } };
        return { path, message: 'issue.tooSmall', params: { min } };
      case 'too_big':
        if (raw.origin === 'string') return { path, message: 'issue.tooLong', params: { max } };
        if (raw.origin === 'array' || raw.origin === 'set') return { path, message: 'issue.tooMany', params: { max } };
        return { path, message: 'issue.tooBig', params: { max } };
      case 'invalid_value':
        return { path, message: 'issue.choose' };
      case 'invalid_format':
        return { path, message: 'issue.format' };
      default:
        return { path, message: issue.message };
    }
  });
}

/** Puts issues into words: keys and codes are translated, anything else is kept as written. */
export function translateIssues(t: Translate, issues: ErrorIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => {
    const field = issue.path.split('.')[0];
    let key: MessageKey | undefined;
    if (issue.message === 'not_found') key = NOT_FOUND_BY_FIELD[field] ?? CODES.not_found;
    else if (CODES[issue.message]) key = CODES[issue.message];
    else if (hasMessage(issue.message)) key = issue.message;
    const params = (issue.params ?? {}) as Record<string, string | number>;
    if (!key) return { path: issue.path, message: issue.message };
    try {
      return { path: issue.path, message: t(key, params) };
    } catch {
      // A message whose parameters are missing still says something rather than failing the request.
      return { path: issue.path, message: issue.message };
    }
  });
}
