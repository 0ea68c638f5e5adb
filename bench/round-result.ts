import type { GeneratorStats } from './paced-load.js';

/** What one benchmark round measured: written by run.ts, tabulated by report.ts. */
export interface TargetSummary {
  okPerSecond: number;
  /** Gateway CPU time (user + system) per answer, in ms: saturation runs through the gateway only. */
  cpuMsPerRequest?: number;
  /** Admin edits committed on this gateway during the run (scale runs, bench/admin-churn.ts). */
  adminChanges?: number;
  p50: number;
  p99: number;
  count: number;
  statuses: Record<string, number>;
  errors: number;
  /** Paced runs: how well the load generator kept its schedule. */
  generator?: GeneratorStats;
  /** The gateway's fixed-rate run: where the time went, from its own metrics. */
  inside?: InsideTimings;
}

/** Means over one run, from the gateway's Prometheus histograms (their sums and counts are exact). */
export interface InsideTimings {
  /** lgsp_request_duration_seconds: arrival to response, inside the gateway, ms. */
  requestMeanMs: number;
  /** lgsp_audit_write_duration_seconds: waiting for the audit record's commit, ms. */
  auditWriteMeanMs: number;
  /** lgsp_audit_commit_batch_records: records per group-commit transaction. */
  recordsPerCommit: number;
}

export interface RoundResult {
  round: number;
  saturation: Partial<Record<'direct' | 'nginx' | 'gateway' | 'gatewayOpen', TargetSummary>>;
  fixedRate: Partial<Record<'direct' | 'nginx' | 'gateway', TargetSummary>>;
  isolation: { healthy: TargetSummary; hanging: TargetSummary; hangingB: TargetSummary; hangingB503p50: number };
  failFast: TargetSummary;
  memory: {
    beforeBytes: number;
    peakBytes: number;
    /** The V8 heap's used and reserved bytes, and buffers outside it, 1.2 s into the run (every request in flight by then). */
    atPeak?: { heapUsed: number; heapTotal: number; external: number };
    statuses: Record<string, number>;
    errors: number;
  };
  /** Cost as the work grows (absent with --no-scale): the same paced lookup on each scale gateway. */
  scale?: {
    runs: Partial<Record<ScaleGatewayName, TargetSummary>>;
    /** CPU the scale gateways used together while the round's other runs were measured, in shares of one core. */
    idleCpuShare: number;
  };
}

/** The baseline (6 connectors, 1 consumer) and the two variants, each one variable away from it. */
export type ScaleGatewayName = 'baseline' | 'consumers' | 'connectors';
