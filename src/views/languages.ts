import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';

/** Working languages offered as checkboxes and filters (workshops, tools); the API takes any language code. */
export const LANGUAGE_CHOICES = ['fr', 'en', 'pt', 'es', 'it', 'de', 'nl'];

/** A language's name in the reader's language ("pt" → "portugais" for a French reader). */
export function languageName(c: Context<AppEnv>, code: string): string {
  try {
    return new Intl.DisplayNames([c.get('locale')], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
