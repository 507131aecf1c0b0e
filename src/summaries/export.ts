import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../services/choice-exports.js';
import type { getSummary } from './quantitative.js';

// The summary as one long CSV table (one figure per row), described by a data dictionary.

type Summary = Awaited<ReturnType<typeof getSummary>>;

export const SUMMARY_CSV_COLUMNS = [
  { name: 'scope', description: 'network, territory:<slug> or group:<id> — what the figures cover (child territories included)' },
  { name: 'period_from', description: 'first day of the period (whole months)' },
  { name: 'period_to', description: 'last day of the period (whole months)' },
  { name: 'section', description: 'totals | dimension | component | month | week | actor_kind | level | question | result | blind_spot | indicator | comparison_total | comparison_dimension' },
  { name: 'code', description: 'what the row counts: a dimension letter, component code, month (YYYY-MM), week (its first day in the period, YYYY-MM-DD), actor kind, level, question, unit, or the name of a total (choices, actors, statements, results)' },
  { name: 'label', description: 'the code in the reader’s language' },
  { name: 'count', description: 'number of distinct choices (a choice counts once per component and once per dimension it touches), actors, statements or results, as published: perturbed by at most ±2 (cell-key perturbation, the same for the same records every time), never below 3 unless 0; empty when withheld' },
  { name: 'share', description: 'count divided by the number of distinct choices (or statements for groups) in the scope and period, 0–1; empty when withheld' },
  { name: 'sum', description: 'results only: quantities added up in this unit, as published (within ±5 % of the total)' },
  { name: 'suppressed', description: 'true when the figure rests on fewer than 3 distinct actors and is withheld' },
  { name: 'status', description: 'shown (a published figure) | zero (nobody did it) | withheld (fewer than 3 established actors, or the whole breakdown of a scope that has fewer) — empty cells are never zeros' },
] as const;

export function summaryCsv(summary: Summary): string {
  const scope = summary.scope.kind === 'network' ? 'network' : summary.scope.kind === 'group' ? `group:${summary.scope.id}` : `territory:${summary.scope.slug}`;
  const rows: (string | number | boolean | null)[][] = [];
  const row = (section: string, code: string, label: string, count: number | null, share: number | null = null, sum: number | null = null, suppressed = false) =>
    rows.push([scope, summary.period.from, summary.period.to, section, code, label, count, share, sum, suppressed, count === null ? 'withheld' : count === 0 ? 'zero' : 'shown']);
  for (const [name, value] of Object.entries(summary.totals)) row('totals', name, name, value as number | null, null, null, value === null);
  for (const d of summary.byDimension) row('dimension', d.code, d.label, d.count, d.share, null, d.suppressed);
  for (const c of summary.byComponent) row('component', c.code, c.label, c.count, c.share, null, c.suppressed);
  for (const m of summary.timeline) row(summary.timelineGrain, m.period, m.period, m.count, m.share, null, m.suppressed);
  for (const k of summary.byActorKind) row('actor_kind', k.code, k.label, k.count, k.share, null, k.suppressed);
  for (const l of summary.byLevel) row('level', l.code, l.label, l.count, l.share, null, l.suppressed);
  if ('byQuestion' in summary) for (const q of summary.byQuestion) row('question', q.code, q.label, q.count, q.share, null, q.suppressed);
  for (const r of summary.results) row('result', r.unit, r.unit, r.count, null, r.sum, r.suppressed);
  for (const b of summary.blindSpots) row('blind_spot', b.code, b.label, 0);
  for (const i of summary.indicators) if (i.current) row('indicator', i.component.code, i.component.label, i.current.level);
  if (summary.comparison) {
    for (const [name, value] of Object.entries(summary.comparison.totals)) row('comparison_total', name, name, value as number | null, null, null, value === null);
    for (const d of summary.comparison.byDimension) row('comparison_dimension', d.code, d.label, d.count, null, null, d.count === null);
  }
  const cells = rows.map((r) => r.map((v) => (v === null ? '' : typeof v === 'string' ? safeCell(v) : v)));
  return `\uFEFF${stringify(cells, { header: true, columns: SUMMARY_CSV_COLUMNS.map((c) => c.name), record_delimiter: '\r\n', cast: { boolean: (b) => (b ? 'true' : 'false') } })}`;
}
