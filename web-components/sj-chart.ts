import { LitElement, css, html, nothing } from 'lit';
import type { ComplexAttributeConverter } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CHART_KINDS, ChartController } from './chart-controller.js';
import type { ChartKind, ChartSpec, Series } from './chart-controller.js';

/** Reads the `series` attribute: `{labels:[…], datasets:[{label, values:[number|null…]}]}`; anything else → null (no chart). */
export function parseSeries(value: string | null): Series | null {
  if (!value) return null;
  try {
    const raw = JSON.parse(value) as unknown;
    if (!raw || typeof raw !== 'object') return null;
    const { labels, datasets } = raw as { labels?: unknown; datasets?: unknown };
    if (!Array.isArray(labels) || !Array.isArray(datasets) || !labels.length || !datasets.length) return null;
    const names = labels.map((l) => String(l ?? ''));
    const rows = datasets.map((d) => {
      const { label, values } = (d ?? {}) as { label?: unknown; values?: unknown };
      const list = Array.isArray(values) ? values : [];
      return {
        label: String(label ?? ''),
        values: names.map((_, i) => (typeof list[i] === 'number' && Number.isFinite(list[i]) ? (list[i] as number) : null)),
      };
    });
    return { labels: names, datasets: rows };
  } catch {
    return null;
  }
}

const seriesConverter: ComplexAttributeConverter<Series | null> = {
  fromAttribute: (value) => parseSeries(value),
  toAttribute: (value) => (value ? JSON.stringify(value) : null),
};

/** One CSV cell per RFC 4180; text that a spreadsheet would run as a formula gets a leading apostrophe. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The series as CSV: first column the label, one column per dataset, withheld figures left empty, BOM first. */
export function seriesCsv(series: Series, firstHeader = ''): string {
  const rows: (string | number | null)[][] = [[firstHeader, ...series.datasets.map((d) => d.label)]];
  series.labels.forEach((label, i) => rows.push([label, ...series.datasets.map((d) => d.values[i] ?? null)]));
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/**
 * Enhances a server-rendered data table with a chart (Chart.js, through ChartController): the server
 * sends the figures in `series` and every visible string in attributes, already in the reader's
 * language; the component only draws them. The summary is the canvas's label and is shown as text: a
 * light-DOM child with slot="summary" if the server gives one (so it also shows without JavaScript),
 * else a paragraph made from the `summary` attribute. The other children (the table) stay the data
 * source for screen readers, folded behind a toggle. Without JavaScript they are simply shown.
 * `chart-title` is not shown (the page titles the chart); it heads the downloaded PNG.
 */
@customElement('sj-chart')
export class SjChart extends LitElement {
  static override styles = css`
    :host { display: block; min-width: 0; color: #1b1f24; }
    .plot { position: relative; width: 100%; max-width: 100%; background: #fff; }
    .plot.radar { max-width: 34rem; margin-inline: auto; }
    canvas { display: block; max-width: 100%; border-radius: 0.25rem; }
    canvas:focus-visible, button:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    .summary, ::slotted([slot='summary']) { margin: 0.75rem 0; max-width: 70ch; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
    button { font: inherit; min-height: 44px; padding: 0.45rem 0.9rem; border-radius: 0.4rem; border: 2px solid #1d4e89; background: #fff; color: #1d4e89; cursor: pointer; }
    button:hover { background: #153a66; border-color: #153a66; color: #fff; }
    button[aria-expanded='true'] { background: #1d4e89; color: #fff; }
    .data { overflow-x: auto; }
    @media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
    /* On paper the figures travel with the chart; buttons cannot be pressed. */
    @media print { .actions { display: none; } .data[hidden] { display: block !important; } canvas { max-width: 100% !important; height: auto !important; } }
  `;

  /** radar | bar | horizontal-bar | line (anything else draws bars). */
  @property() type: string = 'bar';
  @property({ attribute: 'chart-title' }) chartTitle = '';
  @property({ converter: seriesConverter }) series: Series | null = null;
  @property() summary = '';
  /** Download name without extension. */
  @property() filename = 'chart';
  @property({ attribute: 'label-show-table' }) labelShowTable = '';
  @property({ attribute: 'label-hide-table' }) labelHideTable = '';
  @property({ attribute: 'label-download-png' }) labelDownloadPng = '';
  @property({ attribute: 'label-download-csv' }) labelDownloadCsv = '';
  @property({ attribute: 'label-withheld' }) labelWithheld = '';
  /** Header of the CSV's first column (e.g. "Dimension"); empty by default. */
  @property({ attribute: 'label-category' }) labelCategory = '';

  @state() private tableOpen = false;
  /** Chart.js could not be loaded (offline): the table is the chart. */
  @state() private failed = false;

  private readonly chart = new ChartController(
    this,
    () => this.renderRoot?.querySelector('canvas') ?? null,
    () => this.spec(),
    () => (this.failed = true),
  );

  private get kind(): ChartKind {
    return (CHART_KINDS as readonly string[]).includes(this.type) ? (this.type as ChartKind) : 'bar';
  }

  private spec(): ChartSpec | null {
    if (!this.series) return null;
    const locale = this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || undefined;
    return { kind: this.kind, series: this.series, withheld: this.labelWithheld || '—', locale };
  }

  private get safeName(): string {
    return this.filename.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '').slice(0, 120) || 'chart';
  }

  private save(href: string, name: string) {
    const link = document.createElement('a');
    link.href = href;
    link.download = name;
    link.hidden = true;
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
  }

  private downloadPng() {
    const url = this.chart.toPNG(this.chartTitle);
    if (url) this.save(url, `${this.safeName}.png`);
  }

  private downloadCsv() {
    if (!this.series) return;
    const blob = new Blob([seriesCsv(this.series, this.labelCategory)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    this.save(url, `${this.safeName}.csv`);
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  private onKey(event: KeyboardEvent) {
    if (this.chart.handleKey(event)) event.preventDefault();
  }

  override render() {
    // No usable figures, or no Chart.js: leave the server's content as it is.
    if (!this.series || this.failed) return html`<slot name="summary"></slot><slot></slot>`;
    // The table folds away only when the server gave the toggle its words.
    const foldable = Boolean(this.labelShowTable);
    const open = !foldable || this.tableOpen;
    return html`
      <div class="plot ${this.kind}">
        <canvas role="img" aria-label=${this.summary || this.chartTitle || nothing} tabindex="0"
          @keydown=${this.onKey} @blur=${() => this.chart.clearActive()}></canvas>
      </div>
      <slot name="summary">${this.summary ? html`<p class="summary">${this.summary}</p>` : nothing}</slot>
      <div class="actions">
        ${foldable
          ? html`<button type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls="data"
              @click=${() => (this.tableOpen = !this.tableOpen)}>${open ? this.labelHideTable || this.labelShowTable : this.labelShowTable}</button>`
          : nothing}
        <button type="button" @click=${this.downloadPng}>${this.labelDownloadPng || 'PNG'}</button>
        <button type="button" @click=${this.downloadCsv}>${this.labelDownloadCsv || 'CSV'}</button>
      </div>
      <div id="data" class="data" ?hidden=${!open}><slot></slot></div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sj-chart': SjChart;
  }
}
