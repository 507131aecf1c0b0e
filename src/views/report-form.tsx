import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { CsrfField } from './layout.js';

/** "Report this": a folded form that sends a report to the moderators (signed-in readers only). */
export function ReportForm({ c, kind, ref, label }: { c: Context<AppEnv>; kind: 'page' | 'comment' | 'choice'; ref: string; label: string }) {
  if (!c.get('viewer')) return null;
  const t = c.get('t');
  const id = `report-${kind}-${ref.replace(/[^a-z0-9-]/gi, '-')}`;
  return (
    <details class="report">
      <summary>{label}</summary>
      <form method="post" action="/flags" class="stack narrow">
        <CsrfField c={c} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="ref" value={ref} />
        <input type="hidden" name="next" value={c.req.path} />
        <label for={id}>{t('report.why')}</label>
        <textarea id={id} name="reason" rows={3} required maxlength={1000}></textarea>
        <button type="submit">{t('report.send')}</button>
      </form>
    </details>
  );
}
