import type { RatePolicy } from '../../contracts/types.generated.js';
import type { ContractViolation } from '../contracts/contract-registry.js';

/**
 * What a quota must mean beyond its schema (a JSON Schema cannot compare two
 * fields): the burst reserve refills no faster than the steady allowance,
 * otherwise the "burst" would be a second steady limit. Checked where a
 * policy enters the store (admin API, access seed), so the rate limiter never
 * meets one it refuses on the request path.
 */
export function ratePolicyViolations(policy: RatePolicy | undefined, field: string): ContractViolation[] {
  if (policy?.burstWindowSeconds === undefined || policy.burstWindowSeconds >= policy.windowSeconds) return [];
  return [{ field: `${field}.burstWindowSeconds`, message: `must be at least windowSeconds (${policy.windowSeconds})` }];
}
