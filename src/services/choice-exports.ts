import { stringify } from 'csv-stringify/sync';
import { Feed } from 'feed';
import { cleanText, feedHtmlText } from '../text/clean.js';
import type { Locale } from '../i18n/index.js';
import { type ChoiceFilters, type ChoiceView, allChoices, listChoices } from './choices.js';
import type { Deps, Viewer } from './deps.js';

// Exports of a choice list: the same filters and the same visibility rule as the list itself.

export const CHOICE_CSV_COLUMNS = [
  'id', 'made_on', 'title', 'description', 'level', 'status', 'visibility', 'territory', 'actor', 'actor_kind', 'components', 'dimensions',
  'results', 'result_quantities', 'lang', 'url',
] as const;

export const RESULT_CSV_COLUMNS = ['choice_id', 'choice_title', 'made_on', 'territory', 'observed_on', 'text', 'quantity', 'unit', 'url'] as const;

/**
 * The results of the same list, one row per result: quantities are numbers (a spreadsheet adds them
 * up as they are, negatives included), with their text, date and unit; only text cells are guarded.
 */
export async function resultsCsv(deps: Deps, viewer: Viewer | null, filters: ChoiceFilters, locale: Locale, origin: string): Promise<string> {
  const rows: (string | number)[][] = [];
  for await (const choice of allChoices(deps, viewer, { ...filters, cursor: undefined }, locale)) {
    for (const r of choice.results) {
      rows.push([choice.id, safeCell(choice.title), choice.madeOn, choice.territory.slug, r.observedOn, safeCell(r.text), r.quantity ?? '', safeCell(r.unit ?? ''), `${origin}${choice.url}`]);
    }
  }
  return `\uFEFF${stringify(rows, { header: true, columns: [...RESULT_CSV_COLUMNS], record_delimiter: '\r\n' })}`;
}

/** Spreadsheets run cells that start with = + - @ as formulas: such text cells get a leading apostrophe. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const quantityLine = (choice: ChoiceView) => choice.results.filter((r) => r.quantity !== null).map((r) => `${r.quantity} ${r.unit ?? ''}`.trim()).join('; ');

export async function choicesCsv(deps: Deps, viewer: Viewer | null, filters: ChoiceFilters, locale: Locale, origin: string): Promise<string> {
  const rows: string[][] = [];
  for await (const choice of allChoices(deps, viewer, { ...filters, cursor: undefined }, locale)) {
    rows.push([
      String(choice.id), choice.madeOn, safeCell(choice.title), safeCell(choice.description), choice.level, choice.status ?? '', choice.visibility,
      choice.territory.slug, safeCell(choice.actor.name), choice.actor.kind, choice.components.map((c) => c.code).join(' '),
      [...new Set(choice.components.map((c) => c.dimension.code))].join(' '), String(choice.results.length), safeCell(quantityLine(choice)), choice.lang,
      `${origin}${choice.url}`,
    ]);
  }
  // A byte-order mark so spreadsheet programs read the accents of FR/PT text as UTF-8.
  return `\uFEFF${stringify(rows, { header: true, columns: [...CHOICE_CSV_COLUMNS], record_delimiter: '\r\n' })}`;
}

export async function choicesAtom(deps: Deps, viewer: Viewer | null, filters: ChoiceFilters, locale: Locale, origin: string, selfUrl: string, title: string): Promise<string> {
  const { choices } = await listChoices(deps, viewer, { ...filters, cursor: undefined, limit: 50 }, locale);
  const feed = new Feed({
    title,
    description: 'Right choices logged in the co-responsibility journal.',
    id: selfUrl,
    link: selfUrl.replace('/feeds/choices.atom', '/choices'),
    language: locale,
    updated: choices.length ? new Date(choices.reduce((a, c) => (c.updatedAt > a ? c.updatedAt : a), choices[0].updatedAt)) : new Date(0),
    generator: 'Spiral Journal',
    copyright: 'Contributors to Spiral Journal',
    feedLinks: { atom: selfUrl },
  });
  for (const choice of choices) {
    const results = choice.results.map((r) => `${r.observedOn}: ${[r.text, r.quantity !== null ? `${r.quantity} ${r.unit ?? ''}` : ''].filter(Boolean).join(' — ')}`);
    feed.addItem({
      title: feedHtmlText(choice.title),
      id: `${origin}${choice.url}`,
      link: `${origin}${choice.url}`,
      date: new Date(choice.updatedAt),
      published: new Date(choice.createdAt),
      description: feedHtmlText(`${choice.madeOn} · ${choice.territory.name} · ${choice.components.map((c) => `${c.code} ${c.label}`).join(', ')}`),
      content: choice.descriptionHtml + (results.length ? `<ul>${results.map((r) => `<li>${feedHtmlText(r)}</li>`).join('')}</ul>` : ''),
      author: [{ name: cleanText(choice.actor.name) }],
      category: choice.components.map((c) => ({ term: c.code, name: c.label })),
    });
  }
  return feed.atom1();
}
