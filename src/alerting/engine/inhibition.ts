import { compileMatchers } from '../matchers.js';
import type { AlertState, InhibitRule, Labels } from '../types.js';

export interface InhibitableAlert {
  id: string;
  state: AlertState;
  labels: Labels;
}

/**
 * Ids of the alerts muted by an inhibit rule: an alert matching a rule's
 * targetMatchers while another alert matching its sourceMatchers is firing
 * or acknowledged (acknowledged still means "this is down") with equal
 * values for every label in `equal` (a missing label is '', as in
 * Alertmanager). An alert never inhibits itself.
 */
export function inhibitedAlertIds(alerts: ReadonlyArray<InhibitableAlert>, rules: readonly InhibitRule[]): Set<string> {
  const inhibited = new Set<string>();
  for (const rule of rules) {
    const isSource = compileMatchers(rule.sourceMatchers);
    const isTarget = compileMatchers(rule.targetMatchers);
    const sources = alerts.filter((alert) => (alert.state === 'firing' || alert.state === 'acknowledged') && isSource(alert.labels));
    if (sources.length === 0) continue;
    for (const target of alerts) {
      if (inhibited.has(target.id) || !isTarget(target.labels)) continue;
      const muted = sources.some(
        (source) => source.id !== target.id && rule.equal.every((label) => (source.labels[label] ?? '') === (target.labels[label] ?? '')),
      );
      if (muted) inhibited.add(target.id);
    }
  }
  return inhibited;
}
