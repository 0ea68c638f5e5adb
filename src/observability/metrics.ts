import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per gateway instance (tests run several in one process, so
 * nothing goes into prom-client's global registry).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lgsp_' });

  const labels = ['connector', 'operation', 'outcome'] as const;
  return {
    registry,
    requests: new Counter({ name: 'lgsp_requests_total', help: 'Operation calls by connector, operation and outcome', labelNames: labels, registers: [registry] }),
    requestDuration: new Histogram({
      name: 'lgsp_request_duration_seconds',
      help: 'Time from request arrival to response, per connector, operation and outcome',
      labelNames: labels,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'lgsp_breaker_state',
      help: 'Circuit breaker state per connector: 0 closed, 1 half-open, 2 open',
      labelNames: ['connector'],
      registers: [registry],
    }),
    breakerTransitions: new Counter({ name: 'lgsp_breaker_transitions_total', help: 'Breaker state changes', labelNames: ['connector', 'to'], registers: [registry] }),
    contractViolations: new Counter({
      name: 'lgsp_upstream_contract_violations_total',
      help: 'Upstream answers that broke their contract (contract drift)',
      labelNames: ['connector', 'operation'],
      registers: [registry],
    }),
    probeUp: new Gauge({
      name: 'lgsp_upstream_probe_up',
      help: 'Result of the last active health probe per connector: 1 answered, 0 failed',
      labelNames: ['connector'],
      registers: [registry],
    }),
    probeDuration: new Histogram({
      name: 'lgsp_upstream_probe_duration_seconds',
      help: 'Time one active health probe took (until its answer, failure or timeout)',
      labelNames: ['connector'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    probeFailures: new Counter({ name: 'lgsp_upstream_probe_failures_total', help: 'Failed active health probes per connector', labelNames: ['connector'], registers: [registry] }),
    auditWriteDuration: new Histogram({
      name: 'lgsp_audit_write_duration_seconds',
      help: 'Time to commit one audit record',
      labelNames: ['result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
