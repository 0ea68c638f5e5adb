import { isReceiverOwner, receiverOwnerSecretFields } from '../alerting/channels/receiver-owner.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import { secretFieldsOf } from '../connector-runtime/credential-schema.js';
import type { Store } from '../store/store.js';
import { CredentialVault } from './credential-vault.js';
import { fingerprintKeyFrom } from './fingerprint.js';
import { MasterKeyring } from './master-keyring.js';

/**
 * The gateway's vault: the master keys from the configuration (retired ones
 * refused, the active one registered), the fingerprint key, and each
 * connector's secret fields from its credential schema (alert receivers,
 * owners `alert-receiver:<id>`, have theirs from the receiver schemas).
 */
export async function openCredentialVault(options: { config: GatewayConfig; store: Store; connectors: ReadonlyArray<ConnectorDescriptor<any>> }): Promise<CredentialVault> {
  const vaultConfig = options.config.vault;
  if (!vaultConfig) throw new Error('openCredentialVault needs a vault section');
  const secretFields = new Map(options.connectors.map((connector) => [connector.id, secretFieldsOf(connector.credentialSchema)]));
  return new CredentialVault({
    store: options.store,
    keyring: await MasterKeyring.load(vaultConfig, options.store),
    fingerprintKey: fingerprintKeyFrom(options.config),
    overlapMs: vaultConfig.overlapMs,
    secretFieldsOf: (ownerId) => (isReceiverOwner(ownerId) ? receiverOwnerSecretFields : (secretFields.get(ownerId) ?? [])),
  });
}
