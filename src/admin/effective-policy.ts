import type { CallPolicy, ResiliencePolicy } from '../resilience/policy.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';

/** The policy in force for one connector, shared by the health and the resilience admin routes (its own module: they import each other otherwise). */
export interface EffectivePolicy extends ResiliencePolicy {
  /** Operation id → its attempt timeout and retry budget. */
  operations: Record<string, CallPolicy>;
}

export interface PolicySource {
  upstreams: Pick<UpstreamCaller, 'policies'>;
}

export function effectivePolicy(source: PolicySource, connectorId: string): EffectivePolicy {
  const { connector, operations } = source.upstreams.policies(connectorId);
  return { ...connector, operations: Object.fromEntries(operations) };
}
