import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorOutcomes } from '../../src/alerting/signals/signal-catalog.js';
import { chartDir } from '../../scripts/support/helm-chart-generated.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { metricFamilies } from '../support/exposition-lint.js';

/**
 * The chart's Grafana dashboard asks only for what the gateway exports: every metric its queries
 * name is a family of a running gateway's /metrics (ops listener; the embedded stack with every
 * connector, so payment and connector metrics are registered), and every label it groups or filters
 * by is one of that metric's labels or one Prometheus adds to the target.
 */
type Doc = Record<string, any>;

/** Labels Prometheus (the ServiceMonitor's target) attaches to every series. */
const targetLabels = new Set(['namespace', 'pod', 'instance', 'job', 'service', 'container', 'endpoint']);

const dashboard = JSON.parse(readFileSync(join(chartDir, 'dashboards/lgsp-gateway.json'), 'utf8')) as Doc;
const panels = (dashboard.panels as Doc[]).filter((panel) => panel.type !== 'row');
const queries: string[] = [
  ...panels.flatMap((panel) => (panel.targets as Doc[]).map((target) => String(target.expr))),
  ...(dashboard.templating.list as Doc[]).filter((variable) => variable.type === 'query').map((variable) => String(variable.query.query)),
];

let harness: Harness;
let families: Set<string>;
let labelsOf: Map<string, Set<string>>;

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite' });
  const exposition = await (await fetch(`${harness.opsUrl}/metrics`)).text();
  families = new Set(metricFamilies(exposition));
  const registered = harness.stack.gateway.metrics.registry.getMetricsAsArray() as unknown as Array<{ name: string; labelNames?: readonly string[]; type?: string }>;
  labelsOf = new Map(registered.map((metric) => [metric.name, new Set(metric.labelNames ?? [])]));
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

/** The family a series name belongs to: itself, or a histogram's _bucket / _count / _sum. */
function familyOf(series: string): string | undefined {
  if (families.has(series)) return series;
  const base = series.replace(/_(bucket|count|sum)$/, '');
  return base !== series && families.has(base) ? base : undefined;
}

describe('the Grafana dashboard (helm/lgsp-gateway/dashboards/lgsp-gateway.json)', () => {
  it('is a dashboard with panels, each asking the chosen Prometheus data source', () => {
    expect(dashboard.uid).toBe('lgsp-gateway');
    expect(panels.length).toBeGreaterThan(20);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length).toBeGreaterThan(0);
    }
  });

  it('names only metrics the gateway exports (checked against a running gateway\'s /metrics)', () => {
    const named = [...new Set(queries.flatMap((query) => query.match(/\blgsp_[a-z0-9_]+/g) ?? []))];
    expect(named.length).toBeGreaterThan(30);
    expect(families.size).toBeGreaterThan(50);
    expect(named.filter((series) => !familyOf(series))).toEqual([]);
  });

  it('groups and filters only by labels those metrics have (or the scrape target\'s)', () => {
    const problems: string[] = [];
    for (const query of queries) {
      const metrics = [...new Set((query.match(/\blgsp_[a-z0-9_]+/g) ?? []).map((series) => familyOf(series)!))];
      const available = new Set([...targetLabels, ...metrics.flatMap((metric) => [...(labelsOf.get(metric) ?? [])])]);
      if (/_bucket\b/.test(query)) available.add('le');
      const byLabels = [...query.matchAll(/\bby \(([^)]*)\)/g)].flatMap((match) => match[1]!.split(',').map((label) => label.trim()));
      const matcherLabels = [...query.matchAll(/\b(lgsp_[a-z0-9_]+)\{([^}]*)\}/g)].flatMap((match) => [...match[2]!.matchAll(/([a-z_]+)\s*(=~|!~|!=|=)/g)].map((m) => m[1]!));
      const labelValues = [...query.matchAll(/label_values\([^,]+,\s*([a-z_]+)\)/g)].map((match) => match[1]!);
      for (const label of [...byLabels, ...matcherLabels, ...labelValues]) if (!available.has(label)) problems.push(`${label} in ${query}`);
    }
    expect(problems).toEqual([]);
  });

  it('counts as errors the outcomes the gateway\'s error-rate alert counts', () => {
    const errorQuery = queries.find((query) => query.includes('outcome=~'))!;
    expect(/outcome=~"([^"]+)"/.exec(errorQuery)![1]!.split('|').sort()).toEqual([...errorOutcomes].sort());
  });
});
