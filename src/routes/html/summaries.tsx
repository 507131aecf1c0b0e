import type { Context, Hono } from 'hono';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/env.js';
import { getSummary, type SummaryQuery as Query } from '../../summaries/quantitative.js';
import { AssessmentBody, SummaryQuery } from '../api/schemas.js';
import { createAssessment, getAssessment } from '../../summaries/assessments.js';
import { requireViewer } from '../../http/guards.js';
import { errorsByField } from '../../views/render.js';
import { Layout, formatDate } from '../../views/layout.js';
import { sendPage } from '../../views/render.js';
import { SummaryDashboard } from '../../views/summary.js';
import { narrative } from '../../summaries/narrative.js';
import { emptyToUndefined, parseForm, readForm } from './forms.js';
import { listTerritories } from '../../services/territories.js';
import { localisedTaxonomy } from '../../services/criteria.js';

/** The dashboard's query from the page's (month inputs give YYYY-MM); bad values fall back to the defaults. */
export function dashboardQuery(c: Context<AppEnv>, fixed: Partial<Query>): { query: Query; raw: Record<string, string | undefined> } {
  const raw = emptyToUndefined(c.req.query()) as Record<string, string | undefined>;
  const asDay = (v?: string) => (v && /^\d{4}-\d{2}$/.test(v) ? `${v}-01` : v);
  const candidate = { from: asDay(raw.from), to: asDay(raw.to), compareFrom: asDay(raw.compareFrom), compareTo: asDay(raw.compareTo), compareTerritory: raw.compareTerritory, actorKind: raw.actorKind, timeline: raw.timeline };
  const parsed = SummaryQuery.safeParse(candidate);
  const query = { ...(parsed.success ? parsed.data : {}), ...fixed };
  const exported = { territory: fixed.territory, group: fixed.group ? String(fixed.group) : undefined, from: query.from, to: query.to, compareFrom: query.compareFrom, compareTo: query.compareTo, compareTerritory: query.compareTerritory, actorKind: query.actorKind, timeline: query.timeline };
  return { query, raw: exported };
}

/** The dashboard for a scope, or nothing if its period is refused (the page still shows). */
export async function Dashboard({ c, fixed, basePath }: { c: Context<AppEnv>; fixed: Partial<Query>; basePath: string }) {
  const { query, raw } = dashboardQuery(c, fixed);
  const deps = c.get('deps');
  const locale = c.get('locale');
  // A refused period or an unknown territory to compare with: the scope's default dashboard instead.
  const summary = await getSummary(deps, query, locale).catch((error) => {
    if (error instanceof AppError && (error.status === 400 || error.status === 404)) return getSummary(deps, fixed, locale);
    throw error;
  });
  const options = fixed.group ? undefined : {
    territories: await listTerritories(deps),
    actorKinds: (await localisedTaxonomy(deps, locale)).actorKinds,
  };
  return <SummaryDashboard c={c} summary={summary} basePath={basePath} query={raw} narrative={summary.qualitative.narrative} options={options} />;
}

async function AssessmentPage({ c, id }: { c: Context<AppEnv>; id: number }) {
  const t = c.get('t');
  const assessment = await getAssessment(c.get('deps'), id, c.get('locale'));
  const previous = assessment.previous;
  // The frozen summary, shown with the previous period as its comparison.
  const summary = {
    ...assessment.summary,
    comparison: {
      scope: assessment.summary.scope,
      period: previous.period,
      totals: previous.totals,
      deltas: {
        choices: assessment.summary.totals.choices === null || previous.totals.choices === null ? null : assessment.summary.totals.choices - previous.totals.choices,
        actors: assessment.summary.totals.actors === null || previous.totals.actors === null ? null : assessment.summary.totals.actors - previous.totals.actors,
      },
      byDimension: assessment.summary.byDimension.map((d: { code: string; label: string; count: number | null }, i: number) => ({
        code: d.code, label: d.label, count: previous.byDimension[i].count, delta: d.count === null || previous.byDimension[i].count === null ? null : d.count - previous.byDimension[i].count,
      })),
      suppressed: previous.suppressed,
    },
  };
  return (
    <Layout c={c} title={t('assessment.pageTitle', { name: assessment.territory.name })}>
      <nav aria-label={t('territories.breadcrumb')} class="breadcrumb"><ol><li><a href={`/territories/${assessment.territory.slug}`}>{assessment.territory.name}</a></li><li aria-current="page">{t('assessment.title')}</li></ol></nav>
      <h1>{t('assessment.pageTitle', { name: assessment.territory.name })}</h1>
      <p class="meta">{t('assessment.madeBy', { author: assessment.author ?? '—', date: formatDate(c, assessment.createdAt) })}</p>
      <p>{t('assessment.frozen')}</p>
      <SummaryDashboard c={c} summary={summary} basePath={assessment.url} query={{}} frozen narrative={narrative(summary, summary.qualitative, c.get('t'), c.get('locale'))} />
      <section aria-labelledby="activities">
        <h2 id="activities">{t('assessment.activities')}</h2>
        <p>{t('assessment.chartersAdopted', { count: assessment.activities.chartersAdopted?.length ?? 0 })} · {t('assessment.workshopsHeld', { count: assessment.activities.workshopsHeld?.length ?? 0 })}</p>
        {assessment.activities.chartersAdopted?.length ? (
          <ul>{(assessment.activities.chartersAdopted as { title: string; url: string; adoptedAt: string }[]).map((ch) => (
            <li><a href={ch.url}>{ch.title}</a> · {formatDate(c, ch.adoptedAt)}</li>
          ))}</ul>
        ) : null}
        {assessment.activities.workshopsHeld?.length ? (
          <ul>{(assessment.activities.workshopsHeld as { title: string; url: string; startsAt: string; participants: number }[]).map((w) => (
            <li><a href={w.url}>{w.title}</a> · {formatDate(c, w.startsAt)} · {t('workshops.registeredCount', { count: w.participants })}</li>
          ))}</ul>
        ) : null}
      </section>
      <p class="no-print"><button type="button" class="secondary" data-print hidden>{t('assessment.print')}</button></p>
    </Layout>
  );
}

export function summaryPages(app: Hono<AppEnv>) {
  app.get('/assessments/:id{[0-9]+}', async (c) => sendPage(c, await AssessmentPage({ c, id: Number(c.req.param('id')) })));

  app.post('/assessments', async (c) => {
    requireViewer(c);
    const values = await readForm(c);
    const asDay = (v?: string) => (v && /^\d{4}-\d{2}$/.test(v) ? `${v}-01` : v ?? '');
    try {
      const input = parseForm(AssessmentBody, { territory: values.territory ?? '', from: asDay(values.from), to: asDay(values.to) });
      const id = await createAssessment(c.get('deps'), c.get('viewer'), input);
      return c.redirect(`/assessments/${id}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      throw new AppError(400, 'validation_failed', Object.values(errorsByField(c, error.extra.issues, error.message)).join(' '));
    }
  });

  app.get('/summaries', async (c) => {
    const t = c.get('t');
    return sendPage(c, (
      <Layout c={c} title={t('dashboard.networkTitle')}>
        <h1>{t('dashboard.networkTitle')}</h1>
        <p>{t('dashboard.networkIntro')}</p>
        {await Dashboard({ c, fixed: {}, basePath: '/summaries' })}
      </Layout>
    ));
  });
}
