import { validateAlertRule } from './rule-validation.js';

const valid = {
  id: 'land.error-rate',
  signal: 'error_ratio',
  matchers: { connector: 'land' },
  op: '>',
  threshold: 0.2,
  windowSeconds: 600,
  minSamples: 50,
  forSeconds: 120,
  severity: 'warning',
  labels: { team: 'land-office' },
  summary: { vi: 'Tỷ lệ lỗi {connector} {operation}: {value:percent}', en: 'Error rate {connector} {operation}: {value:percent}' },
  runbook: 'Check {connector}',
};

const errorsOf = (value: unknown) => {
  const result = validateAlertRule(value);
  return result.ok ? [] : result.errors;
};

describe('validateAlertRule', () => {
  it('accepts a valid rule and returns it', () => {
    expect(validateAlertRule(valid)).toEqual({ ok: true, rule: valid });
    expect(validateAlertRule({ id: 'audit', signal: 'audit_unavailable', op: '==', threshold: 1, forSeconds: 0, severity: 'critical', summary: { vi: 'Kiểm toán', en: 'Audit' } }).ok).toBe(true);
  });

  it('names the fields the schema refuses', () => {
    expect(errorsOf({ ...valid, id: 'Bad Id' })).toEqual([expect.objectContaining({ field: 'id' })]);
    expect(errorsOf({ ...valid, signal: 'cpu' })).toEqual([expect.objectContaining({ field: 'signal' })]);
    expect(errorsOf({ ...valid, summary: { vi: 'x' } })).toEqual([expect.objectContaining({ field: 'summary.en' })]);
    expect(errorsOf({ ...valid, colour: 'red' })).toEqual([expect.objectContaining({ field: 'colour' })]);
    const { forSeconds: _omitted, ...withoutFor } = valid;
    expect(errorsOf(withoutFor)).toEqual([expect.objectContaining({ field: 'forSeconds' })]);
    expect(errorsOf({ ...valid, windowSeconds: 10 })).toEqual([expect.objectContaining({ field: 'windowSeconds' })]);
    expect(errorsOf('rule')).toEqual([expect.objectContaining({ field: '' })]);
  });

  it('refuses a window or minSamples on a signal that has none', () => {
    const probe = { id: 'p', signal: 'probe_up', op: '==', threshold: 0, forSeconds: 60, severity: 'critical', summary: { vi: 'Mất kết nối {connector}', en: '{connector} down' } };
    expect(errorsOf({ ...probe, windowSeconds: 300 })).toEqual([expect.objectContaining({ field: 'windowSeconds' })]);
    expect(errorsOf({ ...probe, minSamples: 5 })).toEqual([expect.objectContaining({ field: 'minSamples' })]);
    // Increases have a window but no request count behind them.
    expect(errorsOf({ ...probe, signal: 'contract_violations', op: '>', windowSeconds: 900, minSamples: 5 })).toEqual([expect.objectContaining({ field: 'minSamples' })]);
  });

  it('refuses matchers and placeholders naming labels the signal does not have, and reserved labels', () => {
    expect(errorsOf({ ...valid, matchers: { target: 'x' } })).toEqual([expect.objectContaining({ field: 'matchers.target' })]);
    expect(errorsOf({ ...valid, signal: 'probe_up', windowSeconds: undefined, minSamples: undefined, op: '==', threshold: 0 })).toEqual([
      expect.objectContaining({ field: 'summary.vi', message: expect.stringContaining('{operation}') }),
      expect.objectContaining({ field: 'summary.en', message: expect.stringContaining('{operation}') }),
    ]);
    expect(errorsOf({ ...valid, labels: { severity: 'info' } })).toEqual([expect.objectContaining({ field: 'labels.severity' })]);
    expect(errorsOf({ ...valid, runbook: '{value:hex}' })).toEqual([expect.objectContaining({ field: 'runbook' })]);
    // A rule's own label can be used in its texts.
    expect(validateAlertRule({ ...valid, runbook: 'call {team}' }).ok).toBe(true);
  });
});
