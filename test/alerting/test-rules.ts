import type { AlertRule } from '../../src/alerting/types.js';

/** A connector's probe-down rule with a short `for`, as the end-to-end tests configure it (the default waits 60 s). */
export function probeDownRule(connector: string, forSeconds: number): AlertRule {
  return {
    id: `${connector}.probe-down`,
    signal: 'probe_up',
    matchers: { connector },
    op: '==',
    threshold: 0,
    forSeconds,
    severity: 'critical',
    summary: { vi: 'Không kết nối được {connector}', en: '{connector} cannot be reached' },
    runbook: 'Check the link to {connector}',
  };
}
