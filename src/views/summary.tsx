import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { ThemeView, getSummary } from '../summaries/quantitative.js';
import { LOCALE_NAMES, type Locale, type MessageKey } from '../i18n/index.js';
import { formatDay } from './journal.js';
import { TerritoryOptions } from './form-options.js';
import { PRIVACY_METHOD } from '../summaries/perturbation.js';

// The dashboard of a scope (territory, network, group): every chart is an <sj-chart> drawing exactly
// the series the server gives, around an HTML table of the same figures (the page works without
// JavaScript and with a screen reader).

type Summary = Awaited<ReturnType<typeof getSummary>>;

interface Series {
  labels: string[];
  datasets: { label: string; values: (number | null)[] }[];
}

export function formatCount(c: Context<AppEnv>, value: number | null | undefined): string {
  if (value === null || value === undefined) return c.get('t')('dashboard.withheld');
  return new Intl.NumberFormat(c.get('locale'), { maximumFractionDigits: 2 }).format(value);
}

export function formatShare(c: Context<AppEnv>, share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return new Intl.NumberFormat(c.get('locale'), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

function monthLabel(c: Context<AppEnv>, month: string): string {
  return new Intl.DateTimeFormat(c.get('locale'), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** "A (58 %), H (58 %), B (44 %)": the largest shown figures, for the text alternative of a chart. */
function topList(c: Context<AppEnv>, items: { label: string; count: number | null; share?: number | null }[], n = 3): string {
  return items.filter((i) => i.count).sort((a, b) => (b.count ?? 0) - (a.count ?? 0)).slice(0, n)
    .map((i) => (i.share !== undefined && i.share !== null ? `${i.label} (${formatShare(c, i.share)})` : `${i.label} (${formatCount(c, i.count)})`)).join(', ');
}

/**
 * A chart around its data table. Zero (nobody did it), withheld (too few actors to show) and no data
 * are told apart: a chart whose figures are all withheld, or all zero, is a sentence saying so (the
 * table stays); where only some are withheld, the chart marks them and its text alternative says how
 * many, and that what it names (the busiest month, the top dimension) is among the figures shown.
 */
function Chart({ c, id, type, title, series, summary, filename, children, counting, allWithheld = false }: {
  c: Context<AppEnv>; id: string; type: string; title: string; series: Series; summary: string; filename: string; children: unknown;
  /** What the chart counts, for its messages: 'choices' or 'statements'. */
  counting: 'choices' | 'statements';
  /** The scope's whole breakdown is withheld (a chart of top items would otherwise look empty). */
  allWithheld?: boolean;
}) {
  const t = c.get('t');
  const unit = counting;
  const values = series.datasets[0]?.values ?? [];
  const withheld = values.filter((v) => v === null).length;
  if (allWithheld || (values.length && withheld === values.length)) {
    return (
      <figure class="chart chart-withheld" aria-labelledby={`${id}-title`}>
        <figcaption id={`${id}-title`}>{title}</figcaption>
        <p class="chart-note" role="note">{t('dashboard.chartWithheld', { threshold: PRIVACY_METHOD.threshold, unit })}</p>
        {children}
      </figure>
    );
  }
  if (values.every((v) => v === 0)) {
    return (
      <figure class="chart chart-empty" aria-labelledby={`${id}-title`}>
        <figcaption id={`${id}-title`}>{title}</figcaption>
        <p class="chart-note" role="note">{t('dashboard.chartEmpty', { unit })}</p>
        {children}
      </figure>
    );
  }
  const text = withheld ? `${summary} ${t('dashboard.partialNote', { count: withheld, threshold: PRIVACY_METHOD.threshold })}` : summary;
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <sj-chart
        type={type}
        chart-title={title}
        series={JSON.stringify(series)}
        summary={text}
        filename={filename}
        label-show-table={t('dashboard.showTable')}
        label-hide-table={t('dashboard.hideTable')}
        label-download-png={t('dashboard.downloadPng')}
        label-download-csv={t('dashboard.downloadCsv')}
        label-withheld={t('dashboard.withheld')}
      >
        <p class="chart-summary">{text}</p>
        {children}
      </sj-chart>
    </figure>
  );
}

function FigureTable({ c, caption, head, rows }: { c: Context<AppEnv>; caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead><tr>{head.map((h) => <th scope="col">{h}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr><th scope="row">{r[0]}</th>{r.slice(1).map((cell) => <td>{cell}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

export interface DashboardChoices {
  /** Territories to compare with, in tree order. */
  territories: { slug: string; name: string; depth: number }[];
  actorKinds: { code: string; label: string }[];
}

export function SummaryDashboard({ c, summary, basePath, narrative, query, frozen = false, options }: { c: Context<AppEnv>; summary: Summary; basePath: string; narrative?: string; query: Record<string, string | undefined>; frozen?: boolean; options?: DashboardChoices }) {
  const t = c.get('t');
  const scopeName = summary.scope.kind === 'network' ? t('dashboard.network') : (summary.scope.name ?? '');
  const periodLabel = `${monthLabel(c, summary.period.from.slice(0, 7))} – ${monthLabel(c, summary.period.to.slice(0, 7))}`;
  const datasetLabel = `${scopeName}, ${periodLabel}`;
  const comparison = summary.comparison;
  const comparisonLabel = comparison
    ? `${comparison.scope.kind === 'network' ? t('dashboard.network') : comparison.scope.name}, ${monthLabel(c, comparison.period.from.slice(0, 7))} – ${monthLabel(c, comparison.period.to.slice(0, 7))}`
    : '';
  const filename = `summary-${summary.scope.kind === 'territory' ? summary.scope.slug : summary.scope.kind === 'group' ? `group-${summary.scope.id}` : 'network'}-${summary.period.from.slice(0, 7)}`;
  const exportQuery = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]).toString();
  const isGroup = summary.scope.kind === 'group';
  const unitOfCount = isGroup ? t('dashboard.statements') : t('dashboard.choices');
  const dimensions = summary.byDimension;
  const topComponents = [...summary.byComponent].filter((x) => x.count).sort((a, b) => (b.count ?? 0) - (a.count ?? 0)).slice(0, 10);
  const rated = summary.indicators.flatMap((i) => (i.current ? [{ ...i, current: i.current }] : []));
  const weekly = summary.timelineGrain === 'week';
  const periodName = (p: string) => (weekly ? formatDay(c, p) : monthLabel(c, p));
  const timelineTitle = t(weekly ? 'dashboard.timelineWeekly' : 'dashboard.timeline', { unit: unitOfCount });
  const arrow = (delta: number | null) => (delta === null ? '' : delta > 0 ? `▲ +${formatCount(c, delta)}` : delta < 0 ? `▼ ${formatCount(c, delta)}` : '＝ 0');
  return (
    <section class="dashboard" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">{t('dashboard.title', { scope: scopeName, period: periodLabel })}</h2>
      {frozen ? null : <form method="get" action={basePath} class="filters" aria-label={t('dashboard.period')}>
        <div><label for="d-from">{t('choices.from')}</label><input id="d-from" name="from" type="month" value={summary.period.from.slice(0, 7)} /></div>
        <div><label for="d-to">{t('choices.to')}</label><input id="d-to" name="to" type="month" value={summary.period.to.slice(0, 7)} /></div>
        {!isGroup ? (
          <>
            <div><label for="d-compare-from">{t('dashboard.compareFrom')}</label><input id="d-compare-from" name="compareFrom" type="month" value={query.compareFrom?.slice(0, 7) ?? ''} /></div>
            <div><label for="d-compare-to">{t('dashboard.compareTo')}</label><input id="d-compare-to" name="compareTo" type="month" value={query.compareTo?.slice(0, 7) ?? ''} /></div>
            {options ? (
              <>
                <div>
                  <label for="d-compare-territory">{t('dashboard.compareTerritory')}</label>
                  <select id="d-compare-territory" name="compareTerritory">
                    <option value="">{t('dashboard.noComparison')}</option>
                    <TerritoryOptions territories={options.territories.filter((x) => x.slug !== query.territory)} selected={query.compareTerritory} />
                  </select>
                </div>
                <div>
                  <label for="d-actor-kind">{t('dashboard.actorKind')}</label>
                  <select id="d-actor-kind" name="actorKind">
                    <option value="">{t('dashboard.allActorKinds')}</option>
                    {options.actorKinds.map((k) => <option value={k.code} selected={k.code === query.actorKind}>{k.label}</option>)}
                  </select>
                </div>
              </>
            ) : null}
          </>
        ) : null}
        <div class="filter-actions"><button type="submit">{t('choices.apply')}</button></div>
      </form>}
      {narrative ? <p class="narrative">{narrative}</p> : null}
      <dl class="totals">
        {isGroup ? null : <div><dt>{t('dashboard.choices')}</dt><dd>{formatCount(c, summary.totals.choices)}</dd></div>}
        {isGroup ? null : <div><dt>{t('dashboard.actors')}</dt><dd>{formatCount(c, summary.totals.actors)}</dd></div>}
        <div><dt>{t('dashboard.statements')}</dt><dd>{formatCount(c, summary.totals.statements)}</dd></div>
        {isGroup ? null : <div><dt>{t('dashboard.results')}</dt><dd>{formatCount(c, summary.totals.results)}</dd></div>}
      </dl>
      {comparison ? (
        <p class="comparison">{t('dashboard.comparedWith', { other: comparisonLabel })}: {t('dashboard.choices')} {formatCount(c, comparison.totals.choices)} ({arrow(comparison.deltas.choices)}) · {t('dashboard.actors')} {formatCount(c, comparison.totals.actors)} ({arrow(comparison.deltas.actors)})</p>
      ) : null}
      {summary.suppressed ? <p class="hint">{t('dashboard.suppressedNote', { count: summary.suppressed, threshold: summary.threshold })}</p> : null}
      <p class="hint">{t('dashboard.privacyMethod', { noise: summary.privacy.maxNoise, threshold: summary.privacy.threshold })} <a href={summary.privacy.explained}>{t('dashboard.privacyMore')}</a></p>
      <div class="charts">
        <Chart c={c} counting={isGroup ? 'statements' : 'choices'} allWithheld={summary.breakdownWithheld} id="chart-dimensions" type="radar" title={t('dashboard.byDimension', { unit: unitOfCount })} filename={`${filename}-dimensions`}
          series={{ labels: dimensions.map((d) => `${d.code} — ${d.label}`), datasets: [{ label: datasetLabel, values: dimensions.map((d) => d.count) }, ...(comparison ? [{ label: comparisonLabel, values: comparison.byDimension.map((d) => d.count) }] : [])] }}
          summary={t('dashboard.dimensionsSummary', { top: topList(c, dimensions.map((d) => ({ label: `${d.code} ${d.label}`, count: d.count, share: d.share }))) || '—' })}>
          <FigureTable c={c} caption={t('dashboard.byDimension', { unit: unitOfCount })} head={[t('choices.dimension'), t('dashboard.count'), t('dashboard.share'), ...(comparison ? [comparisonLabel] : [])]}
            rows={dimensions.map((d, i) => [`${d.code} — ${d.label}`, formatCount(c, d.count), formatShare(c, d.share), ...(comparison ? [`${formatCount(c, comparison.byDimension[i].count)} ${arrow(comparison.byDimension[i].delta)}`] : [])])} />
        </Chart>
        <Chart c={c} counting={isGroup ? 'statements' : 'choices'} allWithheld={summary.breakdownWithheld} id="chart-components" type="horizontal-bar" title={t('dashboard.topComponents', { unit: unitOfCount })} filename={`${filename}-components`}
          series={{ labels: topComponents.map((x) => `${x.code} ${x.label}`), datasets: [{ label: datasetLabel, values: topComponents.map((x) => x.count) }] }}
          summary={t('dashboard.componentsSummary', { top: topList(c, topComponents.map((x) => ({ label: `${x.code} ${x.label}`, count: x.count, share: x.share }))) || '—' })}>
          <FigureTable c={c} caption={t('dashboard.topComponents', { unit: unitOfCount })} head={[t('choices.component'), t('dashboard.count'), t('dashboard.share')]}
            rows={topComponents.map((x) => [`${x.code} ${x.label}`, formatCount(c, x.count), formatShare(c, x.share)])} />
        </Chart>
        <Chart c={c} counting={isGroup ? 'statements' : 'choices'} allWithheld={summary.breakdownWithheld} id="chart-timeline" type="line" title={timelineTitle} filename={`${filename}-${weekly ? 'weeks' : 'months'}`}
          series={{ labels: summary.timeline.map((m) => periodName(m.period)), datasets: [{ label: datasetLabel, values: summary.timeline.map((m) => m.count) }] }}
          summary={t(weekly ? 'dashboard.timelineWeeklySummary' : 'dashboard.timelineSummary', { top: topList(c, summary.timeline.map((m) => ({ label: periodName(m.period), count: m.count })), 1) || '—' })}>
          <FigureTable c={c} caption={timelineTitle} head={[weekly ? t('dashboard.week') : t('dashboard.month'), t('dashboard.count')]}
            rows={summary.timeline.map((m) => [periodName(m.period), formatCount(c, m.count)])} />
        </Chart>
        {'byQuestion' in summary ? (
          <Chart c={c} counting={isGroup ? 'statements' : 'choices'} allWithheld={summary.breakdownWithheld} id="chart-questions" type="bar" title={t('dashboard.byQuestion')} filename={`${filename}-questions`}
            series={{ labels: summary.byQuestion.map((q) => q.label), datasets: [{ label: datasetLabel, values: summary.byQuestion.map((q) => q.count) }] }}
            summary={t('dashboard.questionsSummary', { top: topList(c, summary.byQuestion) || '—' })}>
            <FigureTable c={c} caption={t('dashboard.byQuestion')} head={[t('statement.question'), t('dashboard.count'), t('dashboard.share')]}
              rows={summary.byQuestion.map((q) => [q.label, formatCount(c, q.count), formatShare(c, q.share)])} />
          </Chart>
        ) : null}
        {summary.byActorKind.length ? (
          <Chart c={c} counting={isGroup ? 'statements' : 'choices'} allWithheld={summary.breakdownWithheld} id="chart-kinds" type="bar" title={t('dashboard.byActorKind')} filename={`${filename}-actor-kinds`}
            series={{ labels: summary.byActorKind.map((k) => k.label), datasets: [{ label: datasetLabel, values: summary.byActorKind.map((k) => k.count) }] }}
            summary={t('dashboard.kindsSummary', { top: topList(c, summary.byActorKind) || '—' })}>
            <FigureTable c={c} caption={t('dashboard.byActorKind')} head={[t('field.actorKind'), t('dashboard.count'), t('dashboard.share')]}
              rows={summary.byActorKind.map((k) => [k.label, formatCount(c, k.count), formatShare(c, k.share)])} />
          </Chart>
        ) : null}
        {summary.byLevel.length ? (
          <Chart c={c} counting={isGroup ? 'statements' : 'choices'} allWithheld={summary.breakdownWithheld} id="chart-levels" type="bar" title={t('dashboard.byLevel')} filename={`${filename}-levels`}
            series={{ labels: summary.byLevel.map((l) => l.label), datasets: [{ label: datasetLabel, values: summary.byLevel.map((l) => l.count) }] }}
            summary={t('dashboard.levelsSummary', { top: topList(c, summary.byLevel) || '—' })}>
            <FigureTable c={c} caption={t('dashboard.byLevel')} head={[t('choice.level'), t('dashboard.count'), t('dashboard.share')]}
              rows={summary.byLevel.map((l) => [l.label, formatCount(c, l.count), formatShare(c, l.share)])} />
          </Chart>
        ) : null}
        {rated.length ? (
          <Chart c={c} counting={isGroup ? 'statements' : 'choices'} id="chart-indicators" type="horizontal-bar" title={t('dashboard.indicators')} filename={`${filename}-indicators`}
            series={{ labels: rated.map((i) => `${i.component.code} ${i.component.label}`), datasets: [{ label: scopeName, values: rated.map((i) => i.current.level) }] }}
            summary={t('dashboard.indicatorsSummary', { count: rated.length, top: [...rated].sort((a, b) => b.current.level - a.current.level).slice(0, 3).map((i) => `${i.component.code} ${i.component.label} (${i.current.level}/5)`).join(', ') })}>
            <FigureTable c={c} caption={t('dashboard.indicators')} head={[t('choices.component'), t('dashboard.level'), t('dashboard.ratedOn'), t('indicators.history')]}
              rows={rated.map((i) => [
                `${i.component.code} ${i.component.label}`,
                `${i.current.level}/5 · ${i.current.label}${i.current.descriptor ? ` — ${i.current.descriptor}` : ''}`,
                `${formatDay(c, i.current.ratedOn)} · ${t(`phase.${i.current.phase}` as MessageKey)}`,
                i.history.map((h) => `${formatDay(c, h.ratedOn)}: ${h.level}/5`).join(' · '),
              ])} />
          </Chart>
        ) : null}
      </div>
      {!isGroup ? (
        <section aria-labelledby="results-by-unit">
          <h3 id="results-by-unit">{t('dashboard.resultsByUnit')}</h3>
          {summary.results.length ? (
            <FigureTable c={c} caption={t('dashboard.resultsByUnit')} head={[t('result.unit'), t('dashboard.sum'), t('dashboard.results')]}
              rows={summary.results.map((r) => [r.unit, formatCount(c, r.sum), formatCount(c, r.count)])} />
          ) : <p>{t('dashboard.noResults')}</p>}
        </section>
      ) : null}
      <Themes c={c} themes={summary.qualitative.themes} found={summary.qualitative.themesFound} threshold={summary.threshold} />
      <section aria-labelledby="qualitative-title" class="qualitative">
        <h3 id="qualitative-title">{t('dashboard.words')}</h3>
        {(summary.qualitative.terms.all ?? []).length ? (
          <p>{t('dashboard.characteristicTerms')}: {(summary.qualitative.terms.all ?? []).map((term, i) => <>{i ? ', ' : ''}<span class="term" lang={term.lang}>{term.term}</span></>)}</p>
        ) : <p class="hint">{t('dashboard.noTerms')}</p>}
        <dl class="terms-by-dimension">
          {dimensions.filter((d) => (summary.qualitative.terms[d.code] ?? []).length).map((d) => (
            <div><dt>{d.code} — {d.label}</dt><dd>{(summary.qualitative.terms[d.code] ?? []).slice(0, 6).map((term, i) => <>{i ? ', ' : ''}<span lang={term.lang}>{term.term}</span></>)}</dd></div>
          ))}
        </dl>
        {summary.qualitative.emerging.length ? <p>{t('dashboard.emerging')}: {summary.qualitative.emerging.map((e, i) => <>{i ? ', ' : ''}<span lang={e.lang}>{e.term}</span>{e.status === 'new' ? <> ({t('theme.status.new')})</> : null}</>)}</p> : null}
        {(summary.qualitative.quotes.all ?? []).length ? (
          <>
            <h4>{t('dashboard.quotes')}</h4>
            <ul class="quotes">
              {(summary.qualitative.quotes.all ?? []).map((q) => <li><Quote c={c} quote={q} /></li>)}
            </ul>
          </>
        ) : null}
        {summary.qualitative.pairs.length ? (
          <FigureTable c={c} caption={t('dashboard.pairs')} head={[t('dashboard.pair'), t('dashboard.count')]}
            rows={summary.qualitative.pairs.map((p) => [`${p.a} ${p.aLabel} + ${p.b} ${p.bLabel}`, formatCount(c, p.count)])} />
        ) : null}
      </section>
      <section aria-labelledby="blind-spots">
        <h3 id="blind-spots">{t('dashboard.blindSpots')}</h3>
        {summary.breakdownWithheld ? <p class="hint">{t('dashboard.blindSpotsWithheld', { threshold: summary.threshold })}</p> : (
          <>
            <p class="hint">{t('dashboard.blindSpotsIntro', { count: summary.blindSpots.length })}</p>
            <details>
              <summary>{t('dashboard.showBlindSpots', { count: summary.blindSpots.length })}</summary>
              <ul class="chips">{summary.blindSpots.map((b) => <li><a href={`/criteria/${b.code}`}>{b.label} <span class="code">{b.code}</span></a></li>)}</ul>
            </details>
          </>
        )}
      </section>
      <details class="all-components">
        <summary>{t('dashboard.allComponents')}</summary>
        <FigureTable c={c} caption={t('dashboard.allComponents')} head={[t('choices.component'), t('dashboard.count'), t('dashboard.share')]}
          rows={summary.byComponent.map((x) => [`${x.code} ${x.label}`, formatCount(c, x.count), formatShare(c, x.share)])} />
      </details>
      {frozen ? null : <p class="meta">
        <a href={`/api/summaries.csv?${exportQuery}`} download={`${filename}.csv`}>{t('dashboard.csv')}</a> · <a href={`/api/summaries?${exportQuery}`}>JSON</a> · <a href="/api/summaries/dictionary">{t('dashboard.dictionary')}</a>
      </p>}
    </section>
  );
}


/** A quote: its title apart from its text, both in the text's language, and a link to the source. */
function Quote({ c, quote }: { c: Context<AppEnv>; quote: { title?: string; text: string; lang: string; url: string } }) {
  return (
    <figure class="quote" lang={quote.lang}>
      {quote.title ? <figcaption><strong>{quote.title}</strong></figcaption> : null}
      {quote.text ? <blockquote><p>{quote.text}</p></blockquote> : null}
      <a href={quote.url} lang={c.get('locale')}>{c.get('t')('dashboard.source')}</a>
    </figure>
  );
}

/** The scope's top themes: what people write about, across languages (GET /api/summaries/themes has them all). */
function Themes({ c, themes, found, threshold }: { c: Context<AppEnv>; themes: ThemeView[]; found: number; threshold: number }) {
  const t = c.get('t');
  const search = new URL(c.req.url).search;
  return (
    <section aria-labelledby="themes-title" class="themes">
      <h3 id="themes-title">{t('theme.title')}</h3>
      {themes.length ? <p class="hint">{t('theme.intro', { found, threshold, largest: found > themes.length ? themes.length : 0 })} <a href={`/api/summaries/themes${search}`}>{t('theme.all')}</a></p>
        : <p class="hint">{t('theme.none', { threshold })}</p>}
      {themes.map((theme) => (
        <article class="theme" aria-labelledby={`theme-${theme.id}`}>
          <h4 id={`theme-${theme.id}`}>{theme.label} {theme.status !== 'stable' ? <span class={`badge status-${theme.status}`}>{t(`theme.status.${theme.status}` as MessageKey)}</span> : null}</h4>
          <p class="meta">
            {t('theme.size', { size: theme.size, actors: theme.actors })} · {theme.languages.map((l) => LOCALE_NAMES[l as Locale] ?? l).join(', ')}
            {theme.growth !== null && theme.status !== 'stable' ? <> · {t('theme.growth', { growth: theme.growth })}</> : null}
          </p>
          {theme.phrases.length ? <p>{t('theme.phrases')}: {theme.phrases.map((phrase, i) => <>{i ? ', ' : ''}<span class="term" lang={theme.phraseLanguages[i]}>{phrase}</span></>)}</p> : null}
          {theme.components.length ? <ul class="chips" aria-label={t('choice.components')}>{theme.components.map((comp) => <li><a href={`/criteria/${comp.code}`}>{comp.label} <span class="code">{comp.code}</span></a></li>)}</ul> : null}
          {theme.quotes.length ? <ul class="quotes">{theme.quotes.map((q) => <li><Quote c={c} quote={q} /></li>)}</ul> : null}
        </article>
      ))}
    </section>
  );
}
