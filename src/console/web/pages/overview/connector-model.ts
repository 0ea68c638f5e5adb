/**
 * GET /admin/v1/connectors and /connectors/history as the overview reads them
 * (src/admin/connector-health-router.ts, src/observability/connector-history.ts).
 */
export interface TrafficPoint {
  at: string;
  requests: number;
  errors: number;
  requestsPerMinute: number;
  errorRate: number | null;
  p95Ms: number | null;
}

export type BreakerState = 'closed' | 'half-open' | 'open';

export interface ProbeReport {
  status: 'pending' | 'ok' | 'failed' | 'disabled';
  errorKind?: string;
  error?: string;
  latencyMs?: number;
  checkedAt?: string;
  consecutiveFailures: number;
}

export interface ConnectorHealth {
  connector: string;
  title: string;
  /** available, disabled or maintenance (an administrator's setting). */
  availability: string;
  breaker: BreakerState;
  probe: ProbeReport;
  recentErrorRate: number | null;
  recentCalls: number;
  recentWindowMs: number;
  /** This replica's newest traffic window; null before the first closes, absent without traffic history. */
  traffic?: TrafficPoint | null;
}

export interface TrafficHistory {
  replica: string;
  sampleIntervalMs: number;
  minutes: number;
  connectors: Array<{ connector: string; points: TrafficPoint[] }>;
}
