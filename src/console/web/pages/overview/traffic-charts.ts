import type uPlot from 'uplot';
import { h } from '../../dom.js';
import { defineMessages, formatDateTime, formatDuration, formatNumber, formatPercent } from '../../i18n.js';
import { tickLabel } from './clock.js';
import type { TrafficHistory, TrafficPoint } from './connector-model.js';

const t = defineMessages({
  vi: {
    requests: 'Yêu cầu mỗi phút',
    errors: 'Tỷ lệ lỗi',
    p95: 'Độ trễ p95',
    time: 'Thời gian',
    chartHint: 'Biểu đồ theo từng kết nối; số liệu mới nhất của mỗi kết nối có trong các ô ở trên.',
    noPoints: 'Chưa có số liệu: điểm đầu tiên có sau {interval} kể từ khi cổng khởi động.',
  },
  en: {
    requests: 'Requests per minute',
    errors: 'Error rate',
    p95: 'p95 latency',
    time: 'Time',
    chartHint: 'One line per connector; each connector’s newest figures are in the tiles above.',
    noPoints: 'No figures yet: the first point comes {interval} after the gateway starts.',
  },
});

type UPlotClass = typeof uPlot;

let library: Promise<UPlotClass> | undefined;
/** uPlot, served by this gateway (no CDN), loaded the first time a chart is drawn. */
function loadUPlot(): Promise<UPlotClass> {
  library ??= (import('/console/assets/vendor/uPlot.esm.js' as string) as Promise<{ default: UPlotClass }>).then((module) => module.default);
  return library;
}

/** Distinguishable on white, also in greyscale order; a connector keeps its colour while the page is shown. */
const palette = ['#0b4f9c', '#a01414', '#1e6b34', '#7a4a00', '#6b2d8f', '#00727a', '#4a5565', '#c2185b', '#8f6a00', '#2f4f9e'];

interface Metric {
  key: 'requests' | 'errors' | 'p95';
  value: (point: TrafficPoint) => number | null;
  format: (value: number) => string;
  /** The y scale never shrinks below this (a flat line at 0 stays readable). */
  floor: number;
}

const metrics: Metric[] = [
  { key: 'requests', value: (point) => point.requestsPerMinute, format: (value) => formatNumber(value, { maximumFractionDigits: 1 }), floor: 1 },
  { key: 'errors', value: (point) => point.errorRate, format: (value) => formatPercent(value), floor: 0.05 },
  { key: 'p95', value: (point) => point.p95Ms, format: (value) => formatDuration(value), floor: 100 },
];

const chartHeight = 170;
const timeZone = 'Asia/Ho_Chi_Minh';

/**
 * The last hour of this replica's traffic, one chart per measure (requests
 * per minute, error rate, p95 latency) with a line per connector. `update`
 * redraws with new data; the charts are kept (and resized) while the page
 * is shown and dropped when it goes.
 */
export class TrafficCharts {
  readonly element: HTMLElement;
  private readonly charts = new Map<Metric['key'], { plot: uPlot; target: HTMLElement; seriesKey: string }>();
  private readonly targets = new Map<Metric['key'], HTMLElement>();
  private readonly empty = h('p', { class: 'empty', hidden: true });

  constructor(
    signal: AbortSignal,
    /** A connector's name for the legend. */
    private readonly titles: (connector: string) => string,
  ) {
    const hintId = 'traffic-chart-hint';
    this.element = h(
      'div',
      { class: 'traffic-charts' },
      h('p', { class: 'hint', id: hintId }, t('chartHint')),
      this.empty,
      ...metrics.map((metric) => {
        const titleId = `chart-${metric.key}`;
        const target = h('div', { class: 'chart-canvas' });
        this.targets.set(metric.key, target);
        return h('figure', { class: 'chart', 'aria-labelledby': titleId, 'aria-describedby': hintId }, h('figcaption', null, h('h3', { id: titleId }, t(metric.key))), target);
      }),
    );
    const onResize = () => this.resize();
    window.addEventListener('resize', onResize);
    signal.addEventListener(
      'abort',
      () => {
        window.removeEventListener('resize', onResize);
        for (const chart of this.charts.values()) chart.plot.destroy();
        this.charts.clear();
      },
      { once: true },
    );
  }

  async update(history: TrafficHistory): Promise<void> {
    const uPlotClass = await loadUPlot();
    const connectors = history.connectors.filter((entry) => entry.points.length > 0);
    const hasPoints = connectors.length > 0;
    this.empty.hidden = hasPoints;
    this.empty.textContent = t('noPoints', { interval: formatDuration(history.sampleIntervalMs) });
    if (!hasPoints) return;

    // Every connector gets a point at each tick: the union of times aligns them; a missing one is a gap.
    const times = [...new Set(connectors.flatMap((entry) => entry.points.map((point) => Date.parse(point.at))))].sort((a, b) => a - b);
    const index = new Map(times.map((time, position) => [time, position]));
    const seriesKey = connectors.map((entry) => entry.connector).join('|');

    for (const metric of metrics) {
      const columns = connectors.map((entry) => {
        const column: Array<number | null> = new Array<number | null>(times.length).fill(null);
        for (const point of entry.points) column[index.get(Date.parse(point.at))!] = metric.value(point);
        return column;
      });
      const data: uPlot.AlignedData = [times.map((time) => time / 1000), ...columns];
      const existing = this.charts.get(metric.key);
      if (existing && existing.seriesKey === seriesKey) {
        existing.plot.setData(data);
        continue;
      }
      existing?.plot.destroy();
      const target = this.targets.get(metric.key)!;
      target.replaceChildren();
      const plot = new uPlotClass(this.options(uPlotClass, metric, connectors.map((entry) => entry.connector), target), data, target);
      this.charts.set(metric.key, { plot, target, seriesKey });
    }
  }

  private options(uPlotClass: UPlotClass, metric: Metric, connectors: string[], target: HTMLElement): uPlot.Options {
    const show = (value: number | null | undefined) => (value === null || value === undefined ? '—' : metric.format(value));
    return {
      width: widthOf(target),
      height: chartHeight,
      tzDate: (seconds) => uPlotClass.tzDate(new Date(seconds * 1000), timeZone),
      scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(max ?? 0, metric.floor) * 1.1] } },
      series: [
        { label: t('time'), value: (_plot: uPlot, seconds: number | null) => (seconds === null ? '—' : formatDateTime(seconds * 1000)) },
        ...connectors.map((connector, position) => ({
          label: this.titles(connector),
          stroke: palette[position % palette.length]!,
          width: 2,
          // A lone window between gaps (a call now and then) has no line to show it: its point is drawn.
          points: { show: true, size: 5, filter: isolatedPoints },
          value: (_plot: uPlot, value: number | null) => show(value),
        })),
      ],
      // Times as the rest of the console writes them (province time, the console's language), not uPlot's English.
      axes: [{ values: (_plot, splits, _axis, _space, spacing) => splits.map((seconds) => tickLabel(seconds * 1000, spacing)) }, { size: 70, values: (_plot, splits) => splits.map((split) => metric.format(split)) }],
      cursor: { drag: { x: false, y: false } },
    };
  }

  private resize(): void {
    for (const chart of this.charts.values()) chart.plot.setSize({ width: widthOf(chart.target), height: chartHeight });
  }
}

/** Indices of values with no value on either side. */
function isolatedPoints(plot: uPlot, seriesIndex: number): number[] {
  const values = plot.data[seriesIndex] as ReadonlyArray<number | null | undefined>;
  const isolated: number[] = [];
  for (let index = 0; index < values.length; index += 1) {
    if (values[index] != null && values[index - 1] == null && values[index + 1] == null) isolated.push(index);
  }
  return isolated;
}

function widthOf(target: HTMLElement): number {
  return Math.max(320, Math.floor(target.clientWidth || target.parentElement?.clientWidth || 800));
}
