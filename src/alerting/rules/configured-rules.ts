import type { GatewayConfig } from '../../config/gateway-config.js';
import type { AlertRule, EffectiveRule } from '../types.js';
import { defaultRules } from './default-rules.js';
import { effectiveRules } from './rule-store.js';

/**
 * The rules a deployment's configuration gives, before any administrator's
 * change: the shipped defaults for every configured connector (unless
 * alerting.defaultRules is false) and the config file's rules over them.
 * The stored (admin) rules go on top: effectiveRules(..., stored).
 */
export function configuredRules(config: Pick<GatewayConfig, 'connectors' | 'alerting'>, stored: readonly AlertRule[] = []): EffectiveRule[] {
  const defaults = config.alerting.defaultRules ? defaultRules(Object.keys(config.connectors)) : [];
  return effectiveRules(defaults, config.alerting.rules, stored);
}
