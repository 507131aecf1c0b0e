import type { ActiveDataPoint, Chart, ChartConfiguration, ChartDataset, ChartOptions, Plugin, PointStyle, Scale, TooltipItem } from 'chart.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type ChartClass = typeof Chart;
let runtime: Promise<ChartClass> | undefined;

/**
 * Chart.js is loaded on demand, as its own chunk, the first time a chart is drawn: pages without charts
 * never download it. Only the pieces the summary charts use are registered (no pie, doughnut, time
 * scale, title…), so the chunk stays small.
 */
export function loadChartJs(): Promise<ChartClass> {
  runtime ??= (async () => {
    const { Chart, RadarController, BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, RadialLinearScale, Tooltip, Legend, Filler } = await import('chart.js');
    Chart.register(RadarController, BarController, LineController, BarElement, LineElement, PointElement, CategoryScale, LinearScale, RadialLinearScale, Tooltip, Legend, Filler);
    Chart.defaults.color = INK;
    Chart.defaults.font.family = FONT;
    Chart.defaults.font.size = 13;
    return Chart;
  })();
  runtime.catch(() => (runtime = undefined)); // offline for a moment: try again next time
  return runtime;
}

export const CHART_KINDS = ['radar', 'bar', 'horizontal-bar', 'line'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** One row of figures, as the server computed it: `null` is a figure withheld for privacy. */
export interface SeriesDataset {
  label: string;
  values: (number | null)[];
}

/** What the server asks to draw: labels along one axis, one dataset per compared period or scope. */
export interface Series {
  labels: string[];
  datasets: SeriesDataset[];
}

export interface ChartSpec {
  kind: ChartKind;
  series: Series;
  /** Tooltip text for a withheld figure, in the reader's language. */
  withheld: string;
  /** BCP 47 tag for number formatting (the page's lang). */
  locale?: string;
}

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
/** A second (third…) dataset also differs by point shape and line pattern, never by colour alone. */
const POINT_STYLES: PointStyle[] = ['circle', 'rectRot', 'triangle', 'rect', 'star', 'crossRot', 'cross', 'rectRounded'];
const DASHES: number[][] = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [12, 4], [1, 2], [6, 2, 2, 2]];
const INK = '#1b1f24';
/** Withheld figures are marked in grey hatching, a colour no dataset uses. */
const WITHHELD = '#6b737c';
const MUTED = '#555d66';
const GRID = '#dde3e9';
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";

/** Paints the canvas white under the chart, so the PNG download is not transparent. */
const whiteBackground: Plugin = {
  id: 'sjWhiteBackground',
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

const isBars = (kind: ChartKind) => kind === 'bar' || kind === 'horizontal-bar';
const isWithheld = (value: number | null | undefined) => value === null || value === undefined || !Number.isFinite(value);
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function translucent(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Diagonal hatching in the dataset's colour: bars of a compared dataset do not rely on colour alone. */
function hatch(colour: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const ctx = tile.getContext('2d');
  if (!ctx) return translucent(colour, 0.45);
  ctx.fillStyle = translucent(colour, 0.22);
  ctx.fillRect(0, 0, 8, 8);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
  ctx.moveTo(0, 8); ctx.lineTo(8, 0);
  ctx.moveTo(6, 10); ctx.lineTo(10, 6);
  ctx.stroke();
  return ctx.createPattern(tile, 'repeat') ?? translucent(colour, 0.45);
}

/** Breaks a long label into at most `maxLines` lines of about `max` characters (the tooltip and table keep it whole). */
export function wrapLabel(text: string, max: number, maxLines = 3): string | string[] {
  if (text.length <= max) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${lines[maxLines - 1].slice(0, Math.max(1, max - 1))}…`;
  }
  return lines.map((l) => (l.length > max + 4 ? `${l.slice(0, max)}…` : l));
}

/** Height follows the data on horizontal bars (one band per label); ~1 for radar, ~1.6 otherwise, taller on phones. */
export function aspectRatioFor(kind: ChartKind, width: number, series: Series): number {
  if (kind === 'radar') return 1;
  if (kind === 'horizontal-bar') {
    const needed = series.labels.length * (series.datasets.length * 14 + 14) + 70 + (series.datasets.length > 1 ? 30 : 0);
    return clamp(width / needed, 0.6, 1.6);
  }
  return width < 480 ? 1.1 : 1.6;
}

/**
 * Where a figure is withheld, a grey hatched marker of a small fixed height (never a zero-height bar
 * or an empty axis that would read as "nobody"), named in the legend and tooltips by `spec.withheld`.
 */
function withheldMarkers(spec: ChartSpec): ChartDataset | null {
  const { kind, series } = spec;
  const positions = series.labels.map((_, j) => series.datasets.some((d) => isWithheld(d.values[j])));
  if (!positions.some(Boolean)) return null;
  const shown = series.datasets.flatMap((d) => d.values).filter((v): v is number => !isWithheld(v));
  const height = Math.max(1, Math.max(0, ...shown) * 0.12);
  const data = positions.map((withheld) => (withheld ? height : null));
  if (isBars(kind)) {
    return { label: spec.withheld, data, backgroundColor: hatch(WITHHELD), borderColor: WITHHELD, borderWidth: 1, maxBarThickness: 48 } as ChartDataset<'bar'>;
  }
  return {
    label: spec.withheld, data, showLine: false, fill: false, borderColor: WITHHELD, backgroundColor: WITHHELD,
    pointStyle: 'crossRot', pointRadius: 8, pointHoverRadius: 10, pointBorderWidth: 3, pointBorderColor: WITHHELD,
  } as ChartDataset<'line'>;
}

function buildDatasets(spec: ChartSpec): ChartDataset[] {
  const markers = withheldMarkers(spec);
  return [...figureDatasets(spec), ...(markers ? [markers] : [])];
}

function figureDatasets(spec: ChartSpec): ChartDataset[] {
  const { kind, series } = spec;
  const bars = isBars(kind);
  return series.datasets.map((dataset, i): ChartDataset => {
    const colour = PALETTE[i % PALETTE.length];
    const withheld = series.labels.map((_, j) => isWithheld(dataset.values[j]));
    // A withheld figure is no figure (a gap, no bar): the withheld markers stand in its place.
    const data = series.labels.map((_, j) => (withheld[j] ? null : (dataset.values[j] as number)));
    if (bars) {
      return {
        label: dataset.label,
        data,
        backgroundColor: i === 0 ? colour : hatch(colour),
        borderColor: colour,
        borderWidth: withheld.map((w) => (w || i === 0 ? 0 : 2)),
        maxBarThickness: 48,
      } as ChartDataset<'bar'>;
    }
    return {
      label: dataset.label,
      data,
      borderColor: colour,
      backgroundColor: kind === 'radar' ? translucent(colour, i === 0 ? 0.18 : 0.08) : colour,
      pointBackgroundColor: colour,
      pointBorderColor: colour,
      pointStyle: POINT_STYLES[i % POINT_STYLES.length],
      pointRadius: 4,
      pointHoverRadius: 7,
      borderWidth: 2.5,
      borderDash: DASHES[i % DASHES.length],
      fill: kind === 'radar',
      spanGaps: false,
      tension: 0,
    } as ChartDataset<'line'>;
  });
}

function buildOptions(spec: ChartSpec, reduceMotion: boolean, width: number): ChartOptions {
  const { kind, series, withheld } = spec;
  const allValues = series.datasets.flatMap((d) => d.values).filter((v): v is number => !isWithheld(v));
  const precision = allValues.every((v) => Number.isInteger(v)) ? 0 : undefined;
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(spec.locale, { maximumFractionDigits: 2 });
  } catch {
    format = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  }
  const rawValue = (datasetIndex: number, index: number) => series.datasets[datasetIndex]?.values[index];
  const tooltip = {
    callbacks: {
      label(item: TooltipItem<keyof import('chart.js').ChartTypeRegistry>) {
        // The markers of withheld figures say only that.
        if (item.datasetIndex >= series.datasets.length) return withheld;
        const value = rawValue(item.datasetIndex, item.dataIndex);
        return `${item.dataset.label ?? ''}: ${isWithheld(value) ? withheld : format.format(value as number)}`;
      },
      // Points withheld on a line or radar are not drawn, so Chart.js leaves them out: name them here.
      footer(items: TooltipItem<keyof import('chart.js').ChartTypeRegistry>[]) {
        if (!items.length) return '';
        const index = items[0].dataIndex;
        const shown = new Set(items.map((item) => item.datasetIndex));
        return series.datasets
          .map((dataset, d) => (!shown.has(d) && isWithheld(dataset.values[index]) ? `${dataset.label}: ${withheld}` : ''))
          .filter(Boolean);
      },
    },
    footerFont: { weight: 'normal' as const },
  };
  const anyWithheld = series.datasets.some((d) => d.values.some(isWithheld));
  const legend = {
    display: series.datasets.length > 1 || anyWithheld,
    position: 'bottom' as const,
    labels: { usePointStyle: !isBars(kind), padding: 16, boxWidth: 28, boxHeight: 14, color: INK },
  };
  const common: ChartOptions = {
    responsive: true,
    maintainAspectRatio: true,
    aspectRatio: aspectRatioFor(kind, width, series),
    animation: reduceMotion ? false : { duration: 450 },
    locale: spec.locale,
    plugins: { legend, tooltip } as ChartOptions['plugins'],
    onResize(chart, size) {
      // Keep the height right for the width the chart now has (phones vs desktop); one extra resize at most.
      const ratio = aspectRatioFor(kind, size.width, series);
      if (Math.abs(ratio - (chart.options.aspectRatio ?? ratio)) > 0.01) {
        chart.options.aspectRatio = ratio;
        // After destroy() Chart.js drops its canvas: nothing left to resize then.
        requestAnimationFrame(() => (chart as { canvas: HTMLCanvasElement | null }).canvas && chart.resize());
      }
    },
  };
  if (kind === 'radar') {
    return {
      ...common,
      interaction: { mode: 'index', intersect: false, axis: 'xy' },
      scales: {
        r: {
          beginAtZero: true,
          ticks: { precision, color: MUTED, backdropColor: 'rgba(255, 255, 255, 0.85)', format: { maximumFractionDigits: 2 } },
          grid: { color: GRID },
          angleLines: { color: GRID },
          pointLabels: {
            color: INK,
            font: { size: 12 },
            callback(this: Scale, label: string) {
              return wrapLabel(label, clamp(Math.round(this.chart.width / 28), 8, 22));
            },
          },
        },
      },
    } as ChartOptions<'radar'> as ChartOptions;
  }
  const horizontal = kind === 'horizontal-bar';
  const category = {
    grid: { display: false },
    ticks: {
      color: INK,
      autoSkip: !horizontal,
      callback(this: Scale, value: string | number) {
        const label = this.getLabelForValue(Number(value));
        const max = horizontal
          ? clamp(Math.round((this.chart.width * 0.42) / 7.2), 10, 40)
          : clamp(Math.round(this.chart.width / Math.max(1, series.labels.length) / 7.5), 6, 24);
        return wrapLabel(label, max);
      },
    },
  };
  const linear = { beginAtZero: true, grid: { color: GRID }, ticks: { precision, color: MUTED } };
  return {
    ...common,
    indexAxis: horizontal ? 'y' : 'x',
    interaction: { mode: 'index', intersect: false, axis: horizontal ? 'y' : 'x' },
    scales: horizontal ? { y: category, x: linear } : { x: category, y: linear },
  } as ChartOptions<'bar'> as ChartOptions;
}

export function buildConfig(spec: ChartSpec, reduceMotion: boolean, width: number): ChartConfiguration {
  return {
    type: spec.kind === 'horizontal-bar' ? 'bar' : spec.kind,
    data: { labels: [...spec.series.labels], datasets: buildDatasets(spec) },
    options: buildOptions(spec, reduceMotion, width),
    plugins: [whiteBackground],
  } as ChartConfiguration;
}

/**
 * Chart.js behind a Lit reactive controller: creates the chart once the host has rendered its <canvas>,
 * updates it when the spec (kind, series, labels) changes, destroys it when the host leaves the page.
 * It draws exactly the series it is given; it never adds up or derives figures.
 */
export class ChartController implements ReactiveController {
  private chart: Chart | undefined;
  private generation = 0;
  private signature = '';
  private kind: ChartKind | undefined;
  private activeIndex = -1;
  private readonly motion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : undefined;
  private readonly onMotionChange = () => {
    if (!this.chart) return;
    this.chart.options.animation = this.reduceMotion ? false : { duration: 450 };
    this.chart.update('none');
  };

  /**
   * @param canvas the host's <canvas> (in its shadow root), or null when it draws none
   * @param spec what to draw, or null for nothing
   * @param onFailure called when Chart.js cannot be loaded (e.g. offline): the host should show its table
   */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly canvas: () => HTMLCanvasElement | null,
    private readonly spec: () => ChartSpec | null,
    private readonly onFailure: () => void = () => {},
  ) {
    host.addController(this);
  }

  private get reduceMotion() {
    return this.motion?.matches ?? false;
  }

  // Paper has another width: redraw at once, without animation, or the page prints a chart mid-way.
  private readonly onPrint = () => {
    if (!this.chart) return;
    this.chart.options.animation = false;
    this.chart.resize();
  };

  private readonly afterPrint = () => {
    if (!this.chart) return;
    this.chart.options.animation = this.reduceMotion ? false : { duration: 450 };
    this.chart.resize();
  };

  hostConnected() {
    this.motion?.addEventListener('change', this.onMotionChange);
    window.addEventListener('beforeprint', this.onPrint);
    window.addEventListener('afterprint', this.afterPrint);
    // Back on the page after a move: hostUpdated will create the chart again.
    if (!this.chart) this.host.requestUpdate();
  }

  hostDisconnected() {
    this.motion?.removeEventListener('change', this.onMotionChange);
    window.removeEventListener('beforeprint', this.onPrint);
    window.removeEventListener('afterprint', this.afterPrint);
    this.destroy();
  }

  hostUpdated() {
    const spec = this.spec();
    const canvas = this.canvas();
    if (!spec || !canvas || !this.host.isConnected) {
      this.destroy();
      return;
    }
    const signature = JSON.stringify([spec.kind, spec.series, spec.withheld, spec.locale]);
    if (this.chart && this.chart.canvas === canvas && signature === this.signature) return;
    if (this.chart && (this.chart.canvas !== canvas || this.kind !== spec.kind)) this.destroy();
    this.signature = signature;
    this.kind = spec.kind;
    this.activeIndex = -1;
    const generation = ++this.generation;
    loadChartJs().then(
      (ChartJs) => {
        // Superseded meanwhile (new series, destroyed, disconnected): draw nothing.
        if (generation !== this.generation || !this.host.isConnected || this.canvas() !== canvas) return;
        const width = canvas.parentElement?.clientWidth || this.host.clientWidth || 600;
        const config = buildConfig(spec, this.reduceMotion, width);
        if (!this.chart) {
          this.chart = new ChartJs(canvas, config);
        } else {
          this.chart.data = config.data;
          this.chart.options = config.options ?? {};
          this.chart.update();
        }
        this.host.toggleAttribute('drawn', true);
      },
      () => {
        if (generation === this.generation) this.onFailure();
      },
    );
  }

  /** True once Chart.js has drawn the current series (the host also carries a `drawn` attribute). */
  get drawn(): boolean {
    return Boolean(this.chart);
  }

  destroy() {
    this.generation++;
    this.host.removeAttribute('drawn');
    this.chart?.destroy();
    this.chart = undefined;
    this.signature = '';
    this.kind = undefined;
    this.activeIndex = -1;
  }

  /**
   * Keyboard exploration of the drawn chart: arrows move from label to label and show its tooltip,
   * Home/End jump to the ends, Escape hides it. Returns true when the key was used.
   */
  handleKey(event: KeyboardEvent): boolean {
    const chart = this.chart;
    const count = chart?.data.labels?.length ?? 0;
    if (!chart || !count) return false;
    let index = this.activeIndex;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        index = (index + 1) % count;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        index = index < 0 ? count - 1 : (index - 1 + count) % count;
        break;
      case 'Home':
        index = 0;
        break;
      case 'End':
        index = count - 1;
        break;
      case 'Escape':
        if (index < 0) return false;
        this.clearActive();
        return true;
      default:
        return false;
    }
    this.showIndex(index);
    return true;
  }

  clearActive() {
    this.activeIndex = -1;
    if (!this.chart) return;
    this.chart.setActiveElements([]);
    this.chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
    this.chart.update('none');
  }

  private showIndex(index: number) {
    const chart = this.chart;
    if (!chart) return;
    this.activeIndex = index;
    const active: ActiveDataPoint[] = [];
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      const value = dataset.data[index];
      if (chart.isDatasetVisible(datasetIndex) && value !== null && value !== undefined) active.push({ datasetIndex, index });
    });
    chart.setActiveElements(active);
    const area = chart.chartArea;
    chart.tooltip?.setActiveElements(active, { x: (area.left + area.right) / 2, y: (area.top + area.bottom) / 2 });
    chart.update('none');
  }

  /** The chart as a PNG data URL on white, with its title above when one is given. */
  toPNG(title = ''): string | null {
    const chart = this.chart;
    if (!chart) return null;
    const source = chart.canvas;
    if (!title.trim()) return chart.toBase64Image('image/png', 1);
    const scale = source.width / Math.max(1, chart.width);
    const out = document.createElement('canvas');
    const ctx = out.getContext('2d');
    if (!ctx) return chart.toBase64Image('image/png', 1);
    const fontSize = 16 * scale;
    const pad = 12 * scale;
    ctx.font = `700 ${fontSize}px ${FONT}`;
    const lines: string[] = [];
    let line = '';
    for (const word of title.trim().split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (line && ctx.measureText(next).width > source.width - 2 * pad) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    const lineHeight = fontSize * 1.3;
    const header = pad + lines.length * lineHeight + pad / 2;
    out.width = source.width;
    out.height = source.height + Math.ceil(header);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = INK;
    ctx.font = `700 ${fontSize}px ${FONT}`;
    ctx.textBaseline = 'top';
    lines.forEach((text, i) => ctx.fillText(text, pad, pad + i * lineHeight));
    ctx.drawImage(source, 0, Math.ceil(header));
    return out.toDataURL('image/png');
  }
}
