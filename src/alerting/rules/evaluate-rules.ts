import { createHash } from 'node:crypto';
import { canonicalLabels } from '../signals/merge-samples.js';
import { effectiveWindow, observedSignals, windowedSignals } from '../signals/signal-catalog.js';
import type { ActiveCondition, AlertRule, ComparisonOperator, Labels, SignalSeries } from '../types.js';
import { renderTemplate } from './render-template.js';

export { renderTemplate } from './render-template.js';

/** Fewer requests than this behind a ratio or a p95 is no evidence (a rule's minSamples overrides it). */
export const defaultMinSamples = 10;

/**
 * The conditions that hold now: for each enabled rule, every merged series
 * of its signal and window whose labels carry the rule's matchers and whose
 * value compares true with the threshold. Pure: the engine decides what a
 * condition means for an alert's lifecycle.
 */
export function evaluateRules(rules: readonly AlertRule[], series: readonly SignalSeries[]): ActiveCondition[] {
  const conditions: ActiveCondition[] = [];
  for (const rule of rules) {
    if (rule.enabled === false) continue;
    const window = effectiveWindow(rule.signal, rule.windowSeconds);
    const minSamples = rule.minSamples ?? defaultMinSamples;
    for (const one of series) {
      if (one.signal !== rule.signal || one.windowSeconds !== window || !hasLabels(one.labels, rule.matchers)) continue;
      if (observedSignals.has(rule.signal) && (one.observations ?? 0) < minSamples) continue;
      if (!compare(one.value, rule.op, rule.threshold)) continue;
      const labels: Labels = { ...one.labels, ...rule.labels, alertname: rule.id, severity: rule.severity, scope: scopeOf(one.labels) };
      conditions.push({
        ruleId: rule.id,
        fingerprint: alertFingerprint(rule.id, labels),
        labels,
        severity: rule.severity,
        value: one.value,
        summary: { vi: renderTemplate(rule.summary.vi, labels, one.value), en: renderTemplate(rule.summary.en, labels, one.value) },
        ...(rule.runbook !== undefined && { runbook: renderTemplate(rule.runbook, labels, one.value) }),
        forSeconds: rule.forSeconds,
      });
    }
  }
  return conditions;
}

/** The windows (seconds) the sampler must compute for these rules, ascending. */
export function ruleWindows(rules: readonly AlertRule[]): number[] {
  const windows = rules.filter((rule) => rule.enabled !== false && windowedSignals.has(rule.signal)).map((rule) => effectiveWindow(rule.signal, rule.windowSeconds));
  return [...new Set(windows)].sort((a, b) => a - b);
}

/** The alert instance's stable id: the same rule and labels on any replica, in any evaluation, give the same fingerprint. */
export function alertFingerprint(ruleId: string, labels: Labels): string {
  return createHash('sha256').update(JSON.stringify([ruleId, canonicalLabels(labels)])).digest('hex').slice(0, 32);
}

/** What the alert is about: one operation, one connector, or the gateway as a whole. */
export function scopeOf(labels: Labels): 'operation' | 'connector' | 'gateway' {
  if (labels.operation !== undefined) return 'operation';
  if (labels.connector !== undefined) return 'connector';
  return 'gateway';
}

function hasLabels(labels: Labels, matchers: Labels | undefined): boolean {
  return Object.entries(matchers ?? {}).every(([name, value]) => labels[name] === value);
}

export function compare(value: number, op: ComparisonOperator, threshold: number): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
