export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'email_unverified'
  | 'invalid_token'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'edit_conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'internal_error';

export interface ErrorIssue {
  path: string;
  /** A message key (issue.*), a short code (not_found, required…) or plain words. */
  message: string;
  params?: Record<string, string | number>;
}

/** The one error type services throw; `app.onError` renders it as `{error:{code,message,…}}`. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { issues?: ErrorIssue[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found.`);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Log in first.');
export const invalid = (message: string, issues?: ErrorIssue[]) =>
  new AppError(400, 'validation_failed', message, issues ? { issues } : {});
