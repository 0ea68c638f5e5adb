import { defineConnector, healthProbeContext, UpstreamError } from '../../src/connector-kit/index.js';
import { createPaygovClient, paygovCredentialSchema, paygovSettingsSchema, type PaygovClient, type PaygovClientContext, type PaygovCredentials } from './client.js';

/** A reference the platform never holds (ours are letters and digits only, and start otherwise). */
export const probeReference = 'PROBE0000000000000';

/**
 * The national portal's payment platform (Paygov): see README.md beside this
 * file. First slice: the connector and its sandbox only; NOT in
 * connectors/registry.ts yet, and no operations (the payments API, the IPN
 * endpoint and reconciliation come in the next slice).
 */
export const paygovConnector = defineConnector({
  id: 'paygov',
  title: 'National payment platform (Paygov)',
  upstream: "National Public Service Portal's payment platform (Paygov), JSON messages sealed with a SHA-256 checksum (MaXacThuc)",
  protocol: 'rest',
  // No login: every message carries its own checksum, computed with the secretKey credential.
  authScheme: 'none',
  credentialSchema: paygovCredentialSchema,
  settingsSchema: paygovSettingsSchema,
  resilience: {},
  createClient: async (context) => createPaygovClient({ ...context, credentials: checksumCredentialsOf(context) }),
  sandbox: { port: 8207, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // QUERY of a reference that does not exist: cheap, and a '00'/'04' answer proves our partner code and checksum (a bad one is MaLoi 01/03 → auth).
    await client.query(probeReference, healthProbeContext(signal));
  },
  operations: [],
});

export type { PaygovClient };

/**
 * The kit's ConnectorClientContext hands a connector no credentials (an
 * UpstreamAuth gives headers only), but this upstream authenticates by a
 * checksum over the body with a shared secret. Until the next slice adds a
 * way for the core to pass it (README.md, "Credentials in the client"), a
 * context that carries `credentials` is used as is; any other fails as auth,
 * without the secret in the message.
 */
function checksumCredentialsOf(context: object): PaygovCredentials {
  const credentials = (context as Partial<PaygovClientContext>).credentials;
  if (!credentials || typeof credentials.partnerCode !== 'string' || typeof credentials.secretKey !== 'string' || credentials.secretKey === '') {
    throw new UpstreamError('auth', 'paygov needs its partner code and checksum secret in the client context (not wired into the gateway yet)');
  }
  return { partnerCode: credentials.partnerCode, secretKey: credentials.secretKey };
}
