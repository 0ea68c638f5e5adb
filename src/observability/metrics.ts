import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Default gauges named like counters; each has a per-type gauge without the suffix. */
const offendingDefaultGauges = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * One registry per gateway instance (tests run several in one process, so
 * nothing goes into prom-client's global registry).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lgsp_' });
  // prom-client names three gauges `*_total`, which Prometheus keeps for counters (`promtool check metrics`
  // warns, and rate() over them is meaningless). Their per-type gauges stay: the total is sum() over them.
  for (const name of offendingDefaultGauges) registry.removeSingleMetric(`lgsp_${name}`);

  const labels = ['connector', 'operation', 'outcome'] as const;
  /** Readers of every connector's bulkhead, read at scrape time (the hot path sets nothing). */
  const bulkheadSources: Array<() => Array<{ connector: string; inFlight: number; queued: number }>> = [];
  const bulkheadReadings = () => bulkheadSources.flatMap((read) => read());
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
    upstreamRejections: new Counter({
      name: 'lgsp_upstream_rejections_total',
      help: 'Upstream calls not made or cut short by the gateway, by reason: open (breaker), bulkhead_full, deadline (the request ran out of time)',
      labelNames: ['connector', 'reason'],
      registers: [registry],
    }),
    upstreamRetries: new Counter({
      name: 'lgsp_upstream_retries_total',
      help: 'Repeated attempts of idempotent upstream calls, by the failure that caused them (timeout, connection, fault, http_<status>)',
      labelNames: ['connector', 'operation', 'reason'],
      registers: [registry],
    }),
    bulkheadSources,
    bulkheadInFlight: new Gauge({
      name: 'lgsp_upstream_bulkhead_in_flight',
      help: 'Upstream calls in flight per connector (bounded by its bulkhead maxConcurrent)',
      labelNames: ['connector'],
      registers: [registry],
      collect() {
        for (const reading of bulkheadReadings()) this.set({ connector: reading.connector }, reading.inFlight);
      },
    }),
    bulkheadQueued: new Gauge({
      name: 'lgsp_upstream_bulkhead_queued',
      help: 'Upstream calls waiting for a bulkhead slot per connector (bounded by its maxQueue)',
      labelNames: ['connector'],
      registers: [registry],
      collect() {
        for (const reading of bulkheadReadings()) this.set({ connector: reading.connector }, reading.queued);
      },
    }),
    contractViolations: new Counter({
      name: 'lgsp_upstream_contract_violations_total',
      help: 'Upstream answers that broke their contract (contract drift)',
      labelNames: ['connector', 'operation'],
      registers: [registry],
    }),
    probeUp: new Gauge({
      name: 'lgsp_upstream_probe_up',
      help: 'Result of the last active health probe per connector: 1 answered, 0 failed (with replicas sharing probes: the same on every replica)',
      labelNames: ['connector'],
      registers: [registry],
    }),
    probeDuration: new Histogram({
      name: 'lgsp_upstream_probe_duration_seconds',
      help: 'Time one active health probe took (until its answer, failure or timeout), observed by the replica that ran it',
      labelNames: ['connector'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    probeFailures: new Counter({ name: 'lgsp_upstream_probe_failures_total', help: 'Failed active health probes per connector (counted by the replica that ran the probe)', labelNames: ['connector'], registers: [registry] }),
    // Label-free: per connector, probe_up already tells what was adopted; this says that the replicas share their probes at all.
    probeResultsAdopted: new Counter({
      name: 'lgsp_upstream_probe_results_adopted_total',
      help: 'Health probe results this replica took over from the replica that ran the probe (shared through the store) instead of probing itself',
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'lgsp_cache_hits_total',
      help: 'Answers served fresh from the response cache, per connector, operation and layer (local: this process, shared: Redis)',
      labelNames: ['connector', 'operation', 'layer'],
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'lgsp_cache_misses_total',
      help: 'Cacheable calls that had to ask the upstream (nothing usable cached)',
      labelNames: ['connector', 'operation'],
      registers: [registry],
    }),
    cacheStaleServes: new Counter({
      name: 'lgsp_cache_stale_serves_total',
      help: 'Stale answers served from the response cache: reason revalidating (stale-while-revalidate) or upstream_failed (stale-if-error)',
      labelNames: ['connector', 'operation', 'reason'],
      registers: [registry],
    }),
    auditWriteDuration: new Histogram({
      name: 'lgsp_audit_write_duration_seconds',
      help: 'Time to commit one audit record',
      labelNames: ['result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    auditCommitBatchSize: new Histogram({
      name: 'lgsp_audit_commit_batch_records',
      help: 'Audit records per group-commit transaction, by result (failed = every record of the batch was refused: alert)',
      labelNames: ['result'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers: [registry],
    }),
    auditCheckpoints: new Counter({
      name: 'lgsp_audit_checkpoints_total',
      help: 'Signed audit chain checkpoints per stream and result (written, failed)',
      labelNames: ['stream', 'result'],
      registers: [registry],
    }),
    auditPartitionsCreated: new Counter({
      name: 'lgsp_audit_partitions_created_total',
      help: 'Monthly audit_records partitions created by maintenance; late="true" means its month had already begun (audit inserts for it failed until then: alert)',
      labelNames: ['late'],
      registers: [registry],
    }),
    auditPartitionMonthsAhead: new Gauge({
      name: 'lgsp_audit_partition_months_ahead',
      help: 'Consecutive months after the current one that have an audit_records partition (-1: not even the current month; alert below 1)',
      registers: [registry],
    }),
    auditRetentionDroppedPartitions: new Counter({
      name: 'lgsp_audit_retention_dropped_partitions_total',
      help: 'Monthly audit_records partitions dropped by retention',
      registers: [registry],
    }),
    auditRetentionDeletedRows: new Counter({
      name: 'lgsp_audit_retention_deleted_rows_total',
      help: 'Admin audit log rows deleted by retention',
      labelNames: ['stream'],
      registers: [registry],
    }),
    auditMaintenanceFailures: new Counter({
      name: 'lgsp_audit_maintenance_failures_total',
      help: 'Failed audit maintenance runs, by task (partitions, retention)',
      labelNames: ['task'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
