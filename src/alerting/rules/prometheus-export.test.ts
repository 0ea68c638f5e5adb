import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { signalCatalog } from '../signals/signal-catalog.js';
import type { AlertRule, SignalName } from '../types.js';
import { defaultRules } from './default-rules.js';
import { toGoTemplate, toPrometheusRules } from './prometheus-export.js';

interface RulesFile {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }> }>;
}

/** promtool is not an npm package: the test machine has it from Debian's `prometheus` package. Missing, the test fails and says so. */
function promtool(): string {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'promtool');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error("promtool is not on PATH: install Debian's prometheus package (apt-get install prometheus), which provides /usr/bin/promtool, to check the exported rules");
}

const workDirs: string[] = [];
afterAll(() => workDirs.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

function writeFiles(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'lgsp-alerts-export-'));
  workDirs.push(directory);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

function runPromtool(args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(promtool(), args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** One extra rule per signal and operator, beyond what the defaults use, so that every PromQL shape is checked. */
function everyShape(): AlertRule[] {
  const ops: AlertRule['op'][] = ['>', '>=', '<', '<=', '==', '!='];
  return (Object.keys(signalCatalog) as SignalName[]).map((signal, index) => ({
    id: `shape.${signal.replaceAll('_', '-')}`,
    signal,
    ...(signalCatalog[signal].labels.includes('connector') && { matchers: { connector: 'la"nd\\x' } }),
    op: ops[index % ops.length]!,
    threshold: index === 0 ? 0.5 : index * 7,
    ...(signalCatalog[signal].windowed && { windowSeconds: 90 }),
    forSeconds: index * 45,
    severity: 'info',
    labels: { team: 'ops' },
    summary: { vi: `Tín hiệu ${signal}: {value} {{ literal }}`, en: `Signal ${signal}: {value:percent} {value:duration}` },
  }));
}

describe('toPrometheusRules', () => {
  const rules = [...defaultRules(['land', 'population']), { ...defaultRules(['cadastre'])[0]!, enabled: false }];

  it('writes YAML with one alerting rule per enabled rule: expression, for, labels and both summaries', () => {
    const file = parse(toPrometheusRules(rules)) as RulesFile;
    expect(file.groups).toHaveLength(1);
    const exported = file.groups[0]!.rules;
    expect(exported.map((rule) => rule.alert)).toEqual(defaultRules(['land', 'population']).map((rule) => rule.id));
    const probe = exported.find((rule) => rule.alert === 'land.probe-down')!;
    expect(probe).toEqual({
      alert: 'land.probe-down',
      expr: 'min by (connector) (lgsp_upstream_probe_up{connector="land"}) == 0',
      for: '1m',
      labels: { alertname: 'land.probe-down', severity: 'critical', scope: 'connector' },
      annotations: {
        summary: 'Upstream {{ $labels.connector }} is not answering health probes.',
        summary_vi: 'Hệ thống nguồn {{ $labels.connector }} không trả lời kiểm tra sức khỏe (health probe).',
        runbook: expect.stringContaining('lgsp_upstream_probe_failures_total'),
      },
    });
    expect(exported.find((rule) => rule.alert === 'land.breaker-open')!.expr).toBe('max by (connector) (lgsp_breaker_state{connector="land"}) == 2');
    expect(exported.find((rule) => rule.alert === 'land.credential-expiring')!.expr).toBe(
      'min by (connector) (lgsp_credential_expiry_timestamp_seconds{connector="land"}) - time() < 1209600',
    );
    expect(exported.find((rule) => rule.alert === 'land.contract-violations')).not.toHaveProperty('for');
    expect(exported.find((rule) => rule.alert === 'land.error-rate')!.expr).toContain('>= 20');
  });

  it('translates placeholders to Go templates and escapes literal braces', () => {
    expect(toGoTemplate('{connector}/{operation} {value} {value:percent} {value:duration} {{x}}')).toBe(
      '{{ $labels.connector }}/{{ $labels.operation }} {{ $value }} {{ $value | humanizePercentage }} {{ $value | humanizeDuration }} {{ "{{" }}x{{ "}}" }}',
    );
  });

  it('passes promtool check rules (the defaults and every signal with every operator)', () => {
    const directory = writeFiles({ 'rules.yml': toPrometheusRules([...rules, ...everyShape()]) });
    const result = runPromtool(['check', 'rules', 'rules.yml'], directory);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fires as Prometheus evaluates it: probe down only after `for`, error rate only with enough requests (promtool test rules)', () => {
    const unitTests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '30s',
          input_series: [
            // Replica a loses the upstream at 2m; replica b still reaches it: the merged probe (min) is down.
            { series: 'lgsp_upstream_probe_up{connector="land", instance="a"}', values: '1 1 1 1 0x20' },
            { series: 'lgsp_upstream_probe_up{connector="land", instance="b"}', values: '1x24' },
            { series: 'lgsp_upstream_probe_up{connector="population", instance="a"}', values: '1x24' },
          ],
          alert_rule_test: [
            { eval_time: '1m', alertname: 'land.probe-down', exp_alerts: [] },
            // Down since 2m: pending at 2m30s (30 s < for 60 s).
            { eval_time: '2m30s', alertname: 'land.probe-down', exp_alerts: [] },
            {
              eval_time: '3m',
              alertname: 'land.probe-down',
              exp_alerts: [
                {
                  exp_labels: { connector: 'land', alertname: 'land.probe-down', severity: 'critical', scope: 'connector' },
                  exp_annotations: {
                    summary: 'Upstream land is not answering health probes.',
                    summary_vi: 'Hệ thống nguồn land không trả lời kiểm tra sức khỏe (health probe).',
                    runbook: rules.find((rule) => rule.id === 'land.probe-down')!.runbook!.replaceAll('{connector}', 'land'),
                  },
                },
              ],
            },
            { eval_time: '5m', alertname: 'population.probe-down', exp_alerts: [] },
          ],
        },
        {
          interval: '1m',
          input_series: [
            // parcel: 10 successes and 5 upstream errors a minute (a third fail); quiet: half fail, but 2 calls a minute are no evidence.
            { series: 'lgsp_requests_total{connector="land", operation="parcel", outcome="success"}', values: '0+10x20' },
            { series: 'lgsp_requests_total{connector="land", operation="parcel", outcome="upstream_error"}', values: '0+5x20' },
            { series: 'lgsp_requests_total{connector="land", operation="parcel", outcome="client_error"}', values: '0x20' },
            { series: 'lgsp_requests_total{connector="land", operation="quiet", outcome="success"}', values: '0+1x20' },
            { series: 'lgsp_requests_total{connector="land", operation="quiet", outcome="upstream_timeout"}', values: '0+1x20' },
            // population: only successes (no error series at all): a ratio of 0, no alert.
            { series: 'lgsp_requests_total{connector="population", operation="citizen", outcome="success"}', values: '0+50x20' },
          ],
          alert_rule_test: [
            { eval_time: '2m', alertname: 'land.error-rate', exp_alerts: [] },
            {
              eval_time: '10m',
              alertname: 'land.error-rate',
              exp_alerts: [
                {
                  exp_labels: { connector: 'land', operation: 'parcel', alertname: 'land.error-rate', severity: 'warning', scope: 'operation' },
                  exp_annotations: {
                    summary: 'Error rate of land / parcel is 33.33%.',
                    summary_vi: 'Tỷ lệ lỗi của land / parcel là 33.33%.',
                    runbook: rules.find((rule) => rule.id === 'land.error-rate')!.runbook!,
                  },
                },
              ],
            },
            { eval_time: '10m', alertname: 'population.error-rate', exp_alerts: [] },
          ],
        },
      ],
    };
    const directory = writeFiles({ 'rules.yml': toPrometheusRules(rules), 'rules.test.yml': stringify(unitTests) });
    const result = runPromtool(['test', 'rules', 'rules.test.yml'], directory);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('exports the payment rules (when paygov is configured) so that Prometheus fires them as the built-in channel does (promtool test rules)', () => {
    const paymentRules = defaultRules(['paygov']).filter((rule) => rule.id.startsWith('payments.'));
    const exported = (parse(toPrometheusRules(paymentRules)) as RulesFile).groups[0]!.rules;
    expect(exported.map((rule) => [rule.alert, rule.expr])).toEqual([
      ['payments.anomaly', 'sum by (kind) (increase(lgsp_payment_anomalies_total[1h])) > 0'],
      ['payments.ipn-unauthentic', 'sum by (verdict) (increase(lgsp_payment_ipn_total{verdict=~"refused_checksum|refused_partner"}[15m])) > 0'],
    ]);
    const anomaly = paymentRules.find((rule) => rule.id === 'payments.anomaly')!;
    const unitTests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            // Two replicas; the counters start at 0 for every kind and verdict (payment-metrics.ts zeroes them).
            { series: 'lgsp_payment_anomalies_total{kind="late_failure_after_paid", instance="a"}', values: '0x10 1x80' },
            { series: 'lgsp_payment_anomalies_total{kind="late_failure_after_paid", instance="b"}', values: '0x90' },
            { series: 'lgsp_payment_anomalies_total{kind="second_payment", instance="a"}', values: '0x90' },
            { series: 'lgsp_payment_ipn_total{verdict="refused_checksum", instance="a"}', values: '0x5 3x85' },
            { series: 'lgsp_payment_ipn_total{verdict="refused_amount", instance="a"}', values: '0x5 9x85' },
            { series: 'lgsp_payment_ipn_total{verdict="applied", instance="b"}', values: '0+5x90' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'payments.anomaly', exp_alerts: [] },
            {
              eval_time: '15m',
              alertname: 'payments.anomaly',
              exp_alerts: [
                {
                  exp_labels: { kind: 'late_failure_after_paid', alertname: 'payments.anomaly', severity: 'critical', scope: 'gateway' },
                  exp_annotations: {
                    summary: anomaly.summary.en.replace('{kind}', 'late_failure_after_paid').replace('{value}', '1'),
                    summary_vi: anomaly.summary.vi.replace('{kind}', 'late_failure_after_paid').replace('{value}', '1'),
                    runbook: anomaly.runbook!,
                  },
                },
              ],
            },
            // An hour after the last anomaly, the alert resolves by itself.
            { eval_time: '85m', alertname: 'payments.anomaly', exp_alerts: [] },
            {
              eval_time: '10m',
              alertname: 'payments.ipn-unauthentic',
              exp_alerts: [
                {
                  exp_labels: { verdict: 'refused_checksum', alertname: 'payments.ipn-unauthentic', severity: 'warning', scope: 'gateway' },
                  exp_annotations: {
                    summary: 'Payment callbacks (IPN) refused as refused_checksum (3 in the last 15 minutes): forged, or the partner code or secret is out of step with Paygov.',
                    summary_vi: paymentRules[1]!.summary.vi.replace('{verdict}', 'refused_checksum').replace('{value}', '3'),
                    runbook: paymentRules[1]!.runbook!,
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const directory = writeFiles({ 'rules.yml': toPrometheusRules(paymentRules), 'rules.test.yml': stringify(unitTests) });
    const result = runPromtool(['test', 'rules', 'rules.test.yml'], directory);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
