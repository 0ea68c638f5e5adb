import type { UpstreamAddressPolicy } from '../connector-kit/upstream-address-guard.js';
import type { GatewayConfig } from './gateway-config.js';

/**
 * The upstream address guard's policy from the `upstreams` section: enforced
 * in production unless the deployment says otherwise, never by default in
 * embedded mode (its sandboxes listen on loopback).
 */
export function upstreamAddressPolicy(config: Pick<GatewayConfig, 'mode' | 'upstreams'>): UpstreamAddressPolicy {
  // Older callers (tests building a GatewayConfig by hand) may have no section: the mode's default then.
  const upstreams = config.upstreams ?? { allowedHosts: [], allowedCidrs: [] };
  return {
    enforce: upstreams.enforceAllowlist ?? config.mode === 'production',
    allowedHosts: upstreams.allowedHosts ?? [],
    allowedCidrs: upstreams.allowedCidrs ?? [],
  };
}
