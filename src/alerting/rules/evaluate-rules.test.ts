import type { AlertRule, SignalSeries } from '../types.js';
import { alertFingerprint, evaluateRules, renderTemplate, ruleWindows } from './evaluate-rules.js';

const rule = (overrides: Partial<AlertRule>): AlertRule => ({
  id: 'r',
  signal: 'probe_up',
  op: '==',
  threshold: 0,
  forSeconds: 60,
  severity: 'critical',
  summary: { vi: '{connector} không trả lời ({value})', en: '{connector} down ({value})' },
  ...overrides,
});

describe('evaluateRules', () => {
  it('gives one condition per matching series, with alertname, severity, scope, the series and rule labels', () => {
    const series: SignalSeries[] = [
      { signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 0 },
      { signal: 'probe_up', labels: { connector: 'population' }, windowSeconds: 0, value: 1 },
      { signal: 'breaker_open', labels: { connector: 'land' }, windowSeconds: 0, value: 0 },
    ];
    const conditions = evaluateRules([rule({ id: 'probe', labels: { team: 'ops' }, runbook: 'check {connector}' })], series);
    expect(conditions).toEqual([
      {
        ruleId: 'probe',
        fingerprint: alertFingerprint('probe', { connector: 'land', team: 'ops', alertname: 'probe', severity: 'critical', scope: 'connector' }),
        labels: { connector: 'land', team: 'ops', alertname: 'probe', severity: 'critical', scope: 'connector' },
        severity: 'critical',
        value: 0,
        summary: { vi: 'land không trả lời (0)', en: 'land down (0)' },
        runbook: 'check land',
        forSeconds: 60,
      },
    ]);
  });

  it('keeps series whose labels contain the matchers, skips disabled rules', () => {
    const series: SignalSeries[] = [
      { signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 0 },
      { signal: 'probe_up', labels: { connector: 'population' }, windowSeconds: 0, value: 0 },
    ];
    expect(evaluateRules([rule({ matchers: { connector: 'population' } })], series).map((c) => c.labels.connector)).toEqual(['population']);
    expect(evaluateRules([rule({ enabled: false })], series)).toEqual([]);
    expect(evaluateRules([rule({ matchers: { connector: 'nowhere' } })], series)).toEqual([]);
  });

  it('reads windowed signals at the rule window (default 300) and requires minSamples observations (default 10)', () => {
    const ratio = (windowSeconds: number, value: number, observations: number): SignalSeries => ({
      signal: 'error_ratio',
      labels: { connector: 'land', operation: 'parcel' },
      windowSeconds,
      value,
      observations,
    });
    const errorRate = rule({ signal: 'error_ratio', op: '>', threshold: 0.1, summary: { vi: 'lỗi {value:percent}', en: 'errors {value:percent}' } });
    expect(evaluateRules([errorRate], [ratio(60, 0.9, 100)])).toEqual([]);
    const [condition] = evaluateRules([errorRate], [ratio(300, 0.5, 10)]);
    expect(condition).toMatchObject({ value: 0.5, summary: { en: 'errors 50%' }, labels: { scope: 'operation', operation: 'parcel' } });
    // 9 requests are no evidence.
    expect(evaluateRules([errorRate], [ratio(300, 0.5, 9)])).toEqual([]);
    expect(evaluateRules([{ ...errorRate, windowSeconds: 60, minSamples: 100 }], [ratio(60, 0.5, 99), ratio(300, 0.5, 1000)])).toEqual([]);
    expect(evaluateRules([{ ...errorRate, windowSeconds: 60, minSamples: 100 }], [ratio(60, 0.5, 100)])).toHaveLength(1);
    // Increases have no observations: minSamples does not apply.
    const violations = rule({ signal: 'contract_violations', op: '>', threshold: 0, windowSeconds: 900 });
    expect(evaluateRules([violations], [{ signal: 'contract_violations', labels: { connector: 'land', operation: 'parcel' }, windowSeconds: 900, value: 1 }])).toHaveLength(1);
  });

  it('compares with each operator and says gateway scope for unlabelled series', () => {
    const series: SignalSeries[] = [{ signal: 'audit_unavailable', labels: {}, windowSeconds: 0, value: 1 }];
    const fires = (op: AlertRule['op'], threshold: number) => evaluateRules([rule({ signal: 'audit_unavailable', op, threshold, summary: { vi: 'x', en: 'x' } })], series).length === 1;
    expect([fires('==', 1), fires('!=', 1), fires('>', 0), fires('>', 1), fires('>=', 1), fires('<', 1), fires('<=', 1), fires('<', 2)]).toEqual([true, false, true, false, true, false, true, true]);
    expect(evaluateRules([rule({ signal: 'audit_unavailable', op: '==', threshold: 1 })], series)[0]!.labels.scope).toBe('gateway');
  });
});

describe('alertFingerprint', () => {
  it('is 32 hex characters, independent of label order, different per rule and labels', () => {
    const fingerprint = alertFingerprint('land.probe-down', { connector: 'land', severity: 'critical' });
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(alertFingerprint('land.probe-down', { severity: 'critical', connector: 'land' })).toBe(fingerprint);
    expect(alertFingerprint('land.breaker-open', { connector: 'land', severity: 'critical' })).not.toBe(fingerprint);
    expect(alertFingerprint('land.probe-down', { connector: 'land', severity: 'warning' })).not.toBe(fingerprint);
  });
});

describe('ruleWindows', () => {
  it('lists the distinct windows of enabled windowed rules, the default included, ascending', () => {
    expect(
      ruleWindows([
        rule({ signal: 'error_ratio' }),
        rule({ signal: 'latency_p95_seconds', windowSeconds: 300 }),
        rule({ signal: 'contract_violations', windowSeconds: 900 }),
        rule({ signal: 'cache_stale_serves', windowSeconds: 60 }),
        rule({ signal: 'rate_limit_fallback', windowSeconds: 3600, enabled: false }),
        rule({ signal: 'probe_up' }),
      ]),
    ).toEqual([60, 300, 900]);
  });
});

describe('renderTemplate', () => {
  it('replaces labels and the value, with percent and duration formats, and leaves unknown placeholders as written', () => {
    const labels = { connector: 'land', operation: 'parcel' };
    expect(renderTemplate('{connector}/{operation}: {value}', labels, 0.123456)).toBe('land/parcel: 0.1235');
    expect(renderTemplate('{value:percent}', labels, 0.153)).toBe('15.3%');
    expect(renderTemplate('{value:duration}', labels, 2 * 86_400 + 3 * 3_600 + 59)).toBe('2d 3h');
    expect(renderTemplate('{value:duration}', labels, 1.5)).toBe('1.5s');
    expect(renderTemplate('{value:duration}', labels, 754)).toBe('12m 34s');
    expect(renderTemplate('{value}', labels, 1209600)).toBe('1209600');
    expect(renderTemplate('{target} {connector:percent}', labels, 1)).toBe('{target} {connector:percent}');
  });
});
