import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configuredRules } from '../../src/alerting/rules/configured-rules.js';
import { prometheusGroupName, toPrometheusRules } from '../../src/alerting/rules/prometheus-export.js';
import { chartDir, generatedChartFiles } from '../../scripts/support/helm-chart-generated.js';
import { renderChart } from '../support/helm-template.js';
import { configDocument, containerEnvironment, find, gatewayContainer, loadAsTheGatewayDoes, productionExample, render, requiredValues, testSecretData } from './chart-support.js';

/**
 * The chart's parts derived from the gateway cannot drift from it: the generated files are what
 * `npm run helm:generate` writes now, and the PrometheusRule the chart renders for a configuration
 * holds exactly the rules `npm run alerts:export` exports for that configuration.
 */
type Doc = Record<string, any>;

const example = productionExample();
const monitoringOn = { metrics: { prometheusRule: { enabled: true } } };
const paygov = { config: { connectors: { paygov: { baseUrl: 'https://paygov.example.gov.vn/api', credentials: { partnerCode: 'LGSP-PROVINCE' } } } }, secrets: { extraEnv: [...(example.secrets as Doc).extraEnv, { env: 'LGSP__CONNECTORS__PAYGOV__CREDENTIALS__SECRET_KEY', key: 'paygov-secret-key' }] } };

describe('generated parts of the chart', () => {
  it.each(Object.keys(generatedChartFiles()))('%s is what npm run helm:generate writes (run it after changing the gateway)', (path) => {
    expect(readFileSync(join(chartDir, path), 'utf8')).toBe(generatedChartFiles()[path]);
  });
});

describe.each([
  ['no connector', [requiredValues, monitoringOn]],
  ['the production example', [example]],
  ['the production example with the payment platform', [example, paygov]],
])('the PrometheusRule for %s', (_name, values) => {
  it('holds exactly the rules the exporter gives for the loaded configuration', () => {
    const chart = render(values);
    const config = loadAsTheGatewayDoes(configDocument(chart), containerEnvironment(gatewayContainer(chart), 'lgsp-gateway-secrets', testSecretData()));
    const exported = parseYaml(toPrometheusRules(configuredRules(config).map((effective) => effective.rule))) as { groups: Array<{ name: string; rules: Doc[] }> };
    const rendered = find(chart, 'PrometheusRule').spec.groups as Array<{ name: string; rules: Doc[] }>;
    const byAlert = (rules: Doc[]) => [...rules].sort((a, b) => String(a.alert).localeCompare(String(b.alert)));
    expect(rendered.map((group) => group.name)).toEqual([prometheusGroupName]);
    expect(byAlert(rendered[0]!.rules)).toEqual(byAlert(exported.groups[0]!.rules));
    expect(rendered[0]!.rules.length).toBeGreaterThan(3);
    // Prometheus's own template syntax arrives untouched (the files are data, not Helm templates).
    expect(rendered[0]!.rules.some((rule) => String(rule.annotations.summary).includes('{{ $labels.connector }}') || String(rule.annotations.summary).includes('{{ $value'))).toBe(true);
  });
});

describe('a configuration the chart cannot know the rules of', () => {
  it('is refused unless metrics.prometheusRule.groups brings the exported rules', () => {
    const ownRules = { config: { alerting: { rules: [{ id: 'land.latency-p95', signal: 'latency_p95_seconds', matchers: { connector: 'land' }, op: '>', threshold: 5, windowSeconds: 600, forSeconds: 600, severity: 'warning', summary: { vi: 'chậm', en: 'slow' } }] } } };
    expect(() => render([requiredValues, monitoringOn, ownRules])).toThrow(/config\.alerting has rules of its own/);
    expect(() => render([requiredValues, monitoringOn, { config: { alerting: { defaultRules: false } } }])).toThrow(/config\.alerting has rules of its own/);
    const groups = [{ name: 'lgsp-gateway', rules: [{ alert: 'land.latency-p95', expr: 'vector(1) > 0', labels: { severity: 'warning' }, annotations: { summary: '{{ $value }}' } }] }];
    expect(find(render([requiredValues, monitoringOn, ownRules, { metrics: { prometheusRule: { groups } } }]), 'PrometheusRule').spec.groups).toEqual(groups);
  });

  it('a connector the chart has no rules for fails the render, naming it (after a new connector, before helm:generate)', () => {
    expect(() => render([requiredValues, monitoringOn, { config: { connectors: { 'not-yet-charted': { baseUrl: 'https://x.example.gov.vn', credentials: {} } } } }])).toThrow(/additional properties \(not-yet-charted\)/);
    const copy = mkdtempSync(join(tmpdir(), 'lgsp-chart-'));
    try {
      cpSync(chartDir, copy, { recursive: true });
      rmSync(join(copy, 'rules/connectors/public-service-portal.yaml'));
      expect(() => renderChart({ chartDir: copy, values: [example] })).toThrow(/config\.connectors\.public-service-portal: the chart has no alert rules for it \(rules\/connectors\/public-service-portal\.yaml\)/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
