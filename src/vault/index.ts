/** The credential vault (issue 13): what the admin API, the connector runtime and the scripts use. */
export { CredentialVault, vaultSweepActor, type CredentialVaultDeps } from './credential-vault.js';
export { MasterKeyring, registerMasterKey } from './master-keyring.js';
export { credentialFingerprint, fingerprintKeyFrom, fingerprintInfo } from './fingerprint.js';
export { certificateExpiry, clientCertificateField } from './certificate-expiry.js';
export { rewrapAll, type RewrapOptions } from './rewrap.js';
export type * from './types.js';
