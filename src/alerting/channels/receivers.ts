import type { ConfigReceiver } from '../../config/gateway-config.js';
import { matchesAll } from '../matchers.js';
import { receiverSecretFields } from '../schemas.js';
import type { Labels, ReceiverView, Severity } from '../types.js';
import { resolveSecretReference } from '../../connector-runtime/config-credentials.js';

/**
 * The receivers in force: those of the config file (read-only, `source:
 * 'config'`), then those administrators stored. The config file wins an id:
 * a stored receiver with the id of a config one is ignored.
 */
export function effectiveReceivers(config: readonly ConfigReceiver[], stored: readonly ReceiverView[]): ReceiverView[] {
  const configIds = new Set(config.map((receiver) => receiver.id));
  return [...config.map(configReceiverView), ...stored.filter((receiver) => !configIds.has(receiver.id))];
}

export function configReceiverView(receiver: ConfigReceiver): ReceiverView {
  const secretFields = receiverSecretFields[receiver.kind] as readonly string[];
  return {
    id: receiver.id,
    kind: receiver.kind,
    settings: { ...receiver.settings },
    route: receiver.route ?? {},
    enabled: receiver.enabled ?? true,
    source: 'config',
    secretsSet: secretFields.filter((field) => receiver.secrets?.[field] !== undefined).sort(),
  };
}

/**
 * The secrets of a config receiver, references resolved (values, { fromEnv },
 * { fromFile }). Only its kind's secret fields; an error names the field and
 * the reference, never a value.
 */
export function configReceiverSecrets(receiver: ConfigReceiver, env: NodeJS.ProcessEnv): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const field of receiverSecretFields[receiver.kind] as readonly string[]) {
    secrets[field] = resolveSecretReference(receiver.secrets?.[field], `alerting.receivers.${receiver.id}.secrets.${field}`, env);
  }
  return secrets;
}

/** Alertmanager's routing, one route per receiver: enabled, the severity listed (when a list is given), every matcher matching. */
export function receiverTakes(receiver: ReceiverView, alert: { severity: Severity; labels: Labels }): boolean {
  if (!receiver.enabled) return false;
  const severities = receiver.route.severities;
  if (severities && severities.length > 0 && !severities.includes(alert.severity)) return false;
  return matchesAll(receiver.route.matchers, alert.labels);
}
