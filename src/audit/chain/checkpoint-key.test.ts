import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorDescriptors } from '../../../connectors/registry.js';
import { composeConfigSchema } from '../../config/compose-config-schema.js';
import { ConfigError, loadConfig, readConfigDocument } from '../../config/load-config.js';
import { assertProductionReady } from '../../config/production-guard.js';
import { fromProjectRoot } from '../../paths.js';
import { checkpointKeyId, loadCheckpointKeys, loadVerificationKeys } from './checkpoint-key.js';

const ed25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('audit checkpoint keys', () => {
  it('uses the configured PEM, also with its line breaks written as \\n (environment), and names it by its SPKI fingerprint', async () => {
    const pem = ed25519Pem();
    const keys = await loadCheckpointKeys({ signingKey: pem.replace(/\n/g, '\\n') });
    const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    expect(keys.signing.keyId).toBe(createHash('sha256').update(spki).digest('hex'));
    expect([...keys.verifying.keys()]).toEqual([keys.signing.keyId]);
  });

  it('refuses a key that is not Ed25519', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(loadCheckpointKeys({ signingKey: rsa })).rejects.toThrow(/must be an Ed25519 key/);
  });

  it('creates the development key file once (0600), even when several processes start together', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'lgsp-ckey-')), 'nested', 'key.pem');
    const loaded = await Promise.all([1, 2, 3].map(() => loadCheckpointKeys({ keyFile })));
    expect(new Set(loaded.map((keys) => keys.signing.keyId)).size).toBe(1);
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect((await loadCheckpointKeys({ keyFile })).signing.keyId).toBe(loaded[0]!.signing.keyId);
  });

  it('verification keys: the configured key, trusted earlier keys and an auditor’s own, never creating one', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'lgsp-ckey-')), 'absent.pem');
    expect((await loadVerificationKeys({ keyFile: missing })).size).toBe(0);
    const current = ed25519Pem();
    const earlier = createPublicKey(ed25519Pem()).export({ type: 'spki', format: 'pem' }).toString();
    const auditors = createPublicKey(current).export({ type: 'spki', format: 'pem' }).toString();
    const keys = await loadVerificationKeys({ signingKey: current, trustedPublicKeys: [earlier] }, [auditors]);
    expect([...keys.keys()].sort()).toEqual([checkpointKeyId(createPublicKey(current)), checkpointKeyId(createPublicKey(earlier))].sort());
  });

  it('production refuses to start without a signing key, or with the development key file', () => {
    const schema = composeConfigSchema(connectorDescriptors);
    const { devIdp: _devIdp, sandboxes: _sandboxes, ...rest } = readConfigDocument(fromProjectRoot('config/default.yaml'));
    const production = (env: NodeJS.ProcessEnv) =>
      loadConfig({ schema, document: { ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' } }, env });
    const messageOf = (env: NodeJS.ProcessEnv) => {
      try {
        assertProductionReady(production(env));
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(messageOf({})).toContain('audit.checkpoints.signingKey (required');
    expect(messageOf({})).toContain('audit.checkpoints.keyFile (development only');
    const withKey = messageOf({ LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY: ed25519Pem() });
    expect(withKey).not.toContain('audit.checkpoints.signingKey');
    expect(production({ LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY: 'x' }).audit.checkpoints).toMatchObject({ signingKey: 'x', intervalMs: 60000, trustedPublicKeys: [], tsaTimeoutMs: 5000 });
  });
});
