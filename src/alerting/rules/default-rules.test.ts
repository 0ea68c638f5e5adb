import { signalCatalog } from '../signals/signal-catalog.js';
import type { SignalSeries } from '../types.js';
import { defaultRules } from './default-rules.js';
import { evaluateRules } from './evaluate-rules.js';
import { validateAlertRule } from './rule-validation.js';

const connectors = ['population', 'land', 'business-registry'];
const perConnector = ['probe-down', 'breaker-open', 'error-rate', 'latency-p95', 'contract-violations', 'credential-expiring', 'credential-expiring-soon'];
/** Letters only Vietnamese uses (with its tone marks), e.g. ả ệ ố ư đ. */
const vietnameseLetters = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

describe('defaultRules', () => {
  const rules = defaultRules(connectors);

  it('gives every connector its rules, matched on that connector, and the gateway rules once', () => {
    for (const connector of connectors) {
      for (const suffix of perConnector) {
        const found = rules.filter((rule) => rule.id === `${connector}.${suffix}`);
        expect(found).toHaveLength(1);
        expect(found[0]!.matchers).toEqual({ connector });
      }
    }
    for (const id of ['audit-unavailable', 'outbox-dead-messages', 'outbox-backlog-age', 'rate-limit-fallback']) {
      expect(rules.filter((rule) => rule.id === id)).toHaveLength(1);
    }
    expect(rules).toHaveLength(connectors.length * perConnector.length + 4);
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    expect(defaultRules([])).toHaveLength(4);
  });

  it('adds the payment rules (gateway-wide, once) only when the payment platform is configured', () => {
    expect(rules.filter((rule) => rule.id.startsWith('payments.'))).toEqual([]);
    const withPayments = defaultRules([...connectors, 'paygov']);
    expect(withPayments.filter((rule) => rule.id.startsWith('payments.')).map((rule) => rule.id)).toEqual(['payments.anomaly', 'payments.ipn-unauthentic']);
    expect(withPayments).toHaveLength((connectors.length + 1) * perConnector.length + 4 + 2);
    const byId = new Map(withPayments.map((rule) => [rule.id, rule]));
    expect(byId.get('payments.anomaly')).toMatchObject({ signal: 'payment_anomalies', op: '>', threshold: 0, windowSeconds: 3600, forSeconds: 0, severity: 'critical' });
    expect(byId.get('payments.anomaly')).not.toHaveProperty('matchers');
    expect(byId.get('payments.anomaly')!.runbook).toContain('/admin/v1/payments/<reference>');
    expect(byId.get('payments.anomaly')!.runbook).toContain('/admin/v1/payments/reconciliation?date=');
    expect(byId.get('payments.ipn-unauthentic')).toMatchObject({ signal: 'payment_ipn_unauthentic', op: '>', threshold: 0, windowSeconds: 900, severity: 'warning' });
    for (const rule of withPayments.filter((candidate) => candidate.id.startsWith('payments.'))) {
      expect(validateAlertRule(rule)).toEqual({ ok: true, rule });
      expect(rule.summary.vi).toMatch(vietnameseLetters);
      expect(rule.summary.en).not.toMatch(vietnameseLetters);
    }
    // Rendered: the kind and the verdict are labels; the reference is not (the runbook says where to find it).
    const conditions = evaluateRules(withPayments.filter((rule) => rule.id.startsWith('payments.')), [
      { signal: 'payment_anomalies', labels: { kind: 'late_failure_after_paid' }, windowSeconds: 3600, value: 1 },
      { signal: 'payment_anomalies', labels: { kind: 'second_payment' }, windowSeconds: 3600, value: 0 },
      { signal: 'payment_ipn_unauthentic', labels: { verdict: 'refused_checksum' }, windowSeconds: 900, value: 3 },
    ]);
    expect(conditions.map((condition) => [condition.ruleId, condition.labels, condition.summary.en])).toEqual([
      ['payments.anomaly', { kind: 'late_failure_after_paid', alertname: 'payments.anomaly', severity: 'critical', scope: 'gateway' }, 'Online payments: anomalies of kind late_failure_after_paid need a human (1 in the last hour; nothing was applied automatically).'],
      ['payments.ipn-unauthentic', { verdict: 'refused_checksum', alertname: 'payments.ipn-unauthentic', severity: 'warning', scope: 'gateway' }, 'Payment callbacks (IPN) refused as refused_checksum (3 in the last 15 minutes): forged, or the partner code or secret is out of step with Paygov.'],
    ]);
    for (const condition of conditions) {
      for (const text of [condition.summary.vi, condition.summary.en, condition.runbook ?? '']) expect(text).not.toMatch(/\{[a-z_:]+\}/);
    }
  });

  it('are valid rules with both languages, Vietnamese with its diacritics, and a runbook', () => {
    for (const rule of rules) {
      expect(validateAlertRule(rule)).toEqual({ ok: true, rule });
      expect(rule.summary.vi.trim().length).toBeGreaterThan(10);
      expect(rule.summary.en.trim().length).toBeGreaterThan(10);
      expect(rule.summary.vi).toMatch(vietnameseLetters);
      expect(rule.summary.vi).not.toBe(rule.summary.en);
      expect(rule.summary.en).not.toMatch(vietnameseLetters);
      expect(rule.runbook).toMatch(vietnameseLetters);
    }
  });

  it('have the thresholds, windows and severities of the design', () => {
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    expect(byId.get('land.probe-down')).toMatchObject({ signal: 'probe_up', op: '==', threshold: 0, forSeconds: 60, severity: 'critical' });
    expect(byId.get('land.breaker-open')).toMatchObject({ signal: 'breaker_open', op: '==', threshold: 1, forSeconds: 30, severity: 'critical' });
    expect(byId.get('land.error-rate')).toMatchObject({ signal: 'error_ratio', op: '>', threshold: 0.1, windowSeconds: 300, minSamples: 20, forSeconds: 120, severity: 'warning' });
    expect(byId.get('land.latency-p95')).toMatchObject({ signal: 'latency_p95_seconds', op: '>', threshold: 2, windowSeconds: 300, minSamples: 20, forSeconds: 300, severity: 'warning' });
    expect(byId.get('land.contract-violations')).toMatchObject({ signal: 'contract_violations', op: '>', threshold: 0, windowSeconds: 900, forSeconds: 0, severity: 'warning' });
    expect(byId.get('land.credential-expiring')).toMatchObject({ op: '<', threshold: 14 * 86_400, forSeconds: 0, severity: 'warning' });
    expect(byId.get('land.credential-expiring-soon')).toMatchObject({ op: '<', threshold: 3 * 86_400, severity: 'critical' });
    expect(byId.get('audit-unavailable')).toMatchObject({ signal: 'audit_unavailable', op: '==', threshold: 1, forSeconds: 0, severity: 'critical' });
    expect(byId.get('outbox-dead-messages')).toMatchObject({ signal: 'outbox_dead_messages', op: '>', threshold: 0, severity: 'warning' });
    expect(byId.get('outbox-backlog-age')).toMatchObject({ signal: 'outbox_oldest_pending_age_seconds', op: '>', threshold: 900, forSeconds: 60, severity: 'warning' });
    expect(byId.get('rate-limit-fallback')).toMatchObject({ signal: 'rate_limit_fallback', op: '>', threshold: 0, windowSeconds: 300, severity: 'warning' });
  });

  it('render their summaries without a placeholder left over', () => {
    // One series per signal, with every label of the signal, and values that make each default hold.
    const values: Record<string, number> = { probe_up: 0, breaker_open: 1, error_ratio: 0.5, latency_p95_seconds: 3, credential_expires_in_seconds: 3600, audit_unavailable: 1, outbox_oldest_pending_age_seconds: 1000 };
    const series: SignalSeries[] = (Object.keys(signalCatalog) as Array<keyof typeof signalCatalog>).map((signal) => ({
      signal,
      labels: Object.fromEntries(signalCatalog[signal].labels.map((name) => [name, name === 'connector' ? 'land' : `some-${name}`])),
      windowSeconds: signal === 'contract_violations' ? 900 : signalCatalog[signal].windowed ? 300 : 0,
      value: values[signal] ?? 2,
      observations: 100,
    }));
    const conditions = evaluateRules(defaultRules(['land']), series);
    expect(conditions.map((condition) => condition.ruleId).sort()).toEqual(
      ['audit-unavailable', 'outbox-backlog-age', 'outbox-dead-messages', 'rate-limit-fallback', ...perConnector.map((suffix) => `land.${suffix}`)].sort(),
    );
    for (const condition of conditions) {
      for (const text of [condition.summary.vi, condition.summary.en, condition.runbook ?? '']) expect(text).not.toMatch(/\{[a-z_:]+\}/);
    }
    expect(conditions.find((condition) => condition.ruleId === 'land.error-rate')!.summary).toEqual({
      vi: 'Tỷ lệ lỗi của land / some-operation là 50%.',
      en: 'Error rate of land / some-operation is 50%.',
    });
  });
});
