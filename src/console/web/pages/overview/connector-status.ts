import type { ConnectorHealth } from './connector-model.js';

export type ConnectorStatus = 'healthy' | 'degraded' | 'breaker-open' | 'disabled' | 'maintenance';
export type Tone = 'ok' | 'warn' | 'bad' | 'off';

/** Why a connector is not simply healthy, for the tile to say in words. */
export type StatusReason =
  | { kind: 'probe-failed'; failures: number; error?: string }
  | { kind: 'half-open' }
  | { kind: 'error-rate'; rate: number };

export interface StatusVerdict {
  status: ConnectorStatus;
  tone: Tone;
  reasons: StatusReason[];
}

/**
 * Like the default error-rate alert (10 %), but over the newest window only:
 * the tile shows now, the alert waits for its `for`. Fewer calls than this
 * is no evidence (one failed call of one would be 100 %).
 */
export const degradedErrorRate = 0.1;
export const minCallsForErrorRate = 5;

/**
 * The tile's status: an administrator's setting first (disabled,
 * maintenance: nothing is expected of the upstream), then the breaker (open:
 * calls are refused), then the signs of trouble (failing probe, half-open
 * breaker, error rate) make it degraded.
 */
export function connectorStatus(health: ConnectorHealth): StatusVerdict {
  if (health.availability === 'disabled') return { status: 'disabled', tone: 'off', reasons: [] };
  if (health.availability === 'maintenance') return { status: 'maintenance', tone: 'off', reasons: [] };
  const reasons: StatusReason[] = [];
  if (health.probe.status === 'failed') reasons.push({ kind: 'probe-failed', failures: health.probe.consecutiveFailures, ...(health.probe.error !== undefined && { error: health.probe.error }) });
  if (health.breaker === 'open') return { status: 'breaker-open', tone: 'bad', reasons };
  if (health.breaker === 'half-open') reasons.push({ kind: 'half-open' });
  const rate = errorRateOf(health);
  if (rate !== undefined && rate >= degradedErrorRate) reasons.push({ kind: 'error-rate', rate });
  return reasons.length > 0 ? { status: 'degraded', tone: 'warn', reasons } : { status: 'healthy', tone: 'ok', reasons };
}

/** The newest traffic window's error rate, or else the breaker's rolling window's; undefined with too few calls. */
function errorRateOf(health: ConnectorHealth): number | undefined {
  const traffic = health.traffic;
  if (traffic && traffic.errorRate !== null && traffic.requests >= minCallsForErrorRate) return traffic.errorRate;
  if (health.recentErrorRate !== null && health.recentCalls >= minCallsForErrorRate) return health.recentErrorRate;
  return undefined;
}
