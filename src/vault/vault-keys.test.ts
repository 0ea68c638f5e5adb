import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorDescriptors } from '../../connectors/registry.js';
import { composeConfigSchema } from '../config/compose-config-schema.js';
import { loadConfig, readConfigDocument } from '../config/load-config.js';
import { assertProductionReady } from '../config/production-guard.js';
import { ProblemError } from '../errors/problem-error.js';
import { fromProjectRoot } from '../paths.js';
import { certificateExpiry } from './certificate-expiry.js';
import { credentialFingerprint, fingerprintKeyFrom } from './fingerprint.js';
import { MasterKeyring } from './master-keyring.js';

const base64Key = () => randomBytes(32).toString('base64');
const overlapMs = 86_400_000;

describe('vault master keys', () => {
  it('reads inline keys and mounted files (trailing newline allowed), wraps with the active one, opens with any', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-vault-keys-'));
    const file = join(dir, 'k2');
    const k2 = base64Key();
    writeFileSync(file, `${k2}\n`);
    const k1 = base64Key();
    const ring = MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', key: k1 }, { id: 'k2', file }], activeKeyId: 'k2', overlapMs });
    expect(ring.active.id).toBe('k2');
    expect(ring.active.key.toString('base64')).toBe(k2);
    expect(ring.material('k1').key.toString('base64')).toBe(k1);
    expect(ring.ids()).toEqual(['k1', 'k2']);
    expect(() => ring.material('k3')).toThrow(/'k3' is not configured/);
  });

  it('refuses bad keys naming the key id, never the value', () => {
    const messageOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ProblemError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const short = randomBytes(16).toString('base64');
    expect(messageOf(() => MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', key: short }], activeKeyId: 'k1', overlapMs }))).toMatch(/'k1' must be 32 random bytes/);
    expect(messageOf(() => MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', key: short }], activeKeyId: 'k1', overlapMs }))).not.toContain(short);
    expect(messageOf(() => MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', file: '/nonexistent/k1' }], activeKeyId: 'k1', overlapMs }))).toMatch(/cannot read \/nonexistent\/k1 \(ENOENT\)/);
    expect(messageOf(() => MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', key: base64Key() }], activeKeyId: 'k2', overlapMs }))).toMatch(/activeKeyId 'k2' is not among/);
    expect(messageOf(() => MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', key: base64Key() }, { id: 'k1', key: base64Key() }], activeKeyId: 'k1', overlapMs }))).toMatch(/twice/);
    expect(messageOf(() => MasterKeyring.fromConfig({ masterKeys: [{ id: 'k1', key: base64Key() }], activeKeyId: 'k1', overlapMs }, ['k1']))).toMatch(/retired/);
  });
});

describe('credential fingerprint', () => {
  const config = (vault?: { fingerprintKey?: string }) => ({
    audit: { subjectHashKey: 's'.repeat(40) } as never,
    ...(vault && { vault: { masterKeys: [{ id: 'k1', key: base64Key() }], activeKeyId: 'k1', overlapMs, ...vault } }),
  });

  it('is keyed, covers the secret fields only, and does not depend on the master key', () => {
    const key = fingerprintKeyFrom(config({}));
    // Another master key, same stable secret: the same fingerprint key.
    expect(fingerprintKeyFrom(config({})).equals(key)).toBe(true);
    expect(fingerprintKeyFrom(config()).equals(key)).toBe(true);
    expect(fingerprintKeyFrom(config({ fingerprintKey: 'f'.repeat(40) })).equals(key)).toBe(false);
    const fields = { clientId: 'a', clientSecret: 'secret-value' };
    const print = credentialFingerprint(key, fields, ['clientSecret']);
    expect(print).toMatch(/^hmac-sha256:[0-9a-f]{16}$/);
    expect(credentialFingerprint(key, { clientSecret: 'secret-value', clientId: 'b' }, ['clientSecret'])).toBe(print);
    expect(credentialFingerprint(key, { ...fields, clientSecret: 'other' }, ['clientSecret'])).not.toBe(print);
    expect(credentialFingerprint(randomBytes(32), fields, ['clientSecret'])).not.toBe(print);
  });
});

describe('certificate expiry', () => {
  it('is undefined without a certificate and refuses what is not one', () => {
    expect(certificateExpiry({ password: 'x' })).toBeUndefined();
    expect(() => certificateExpiry({ clientCertificate: 42 })).toThrow(ProblemError);
    expect(() => certificateExpiry({ clientCertificate: 'not a certificate' })).toThrow(ProblemError);
  });
});

describe('vault configuration', () => {
  const schema = composeConfigSchema(connectorDescriptors);
  const { devIdp: _devIdp, sandboxes: _sandboxes, ...defaults } = readConfigDocument(fromProjectRoot('config/default.yaml'));
  const production = (document: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
    loadConfig({ schema, document: { ...document, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' } }, env });
  const complaintsOf = (run: () => void) => {
    try {
      run();
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('default.yaml carries a development key that opens a keyring, with the 24 h overlap', () => {
    const config = loadConfig({ schema, document: defaults, env: {} });
    expect(config.vault).toMatchObject({ activeKeyId: 'dev-only-2026', overlapMs: 86_400_000 });
    expect(MasterKeyring.fromConfig(config.vault!).active.id).toBe('dev-only-2026');
  });

  it('takes master keys from the environment, and production refuses the development key and a missing vault', () => {
    const fromEnv = production(defaults, { LGSP__VAULT__MASTER_KEYS: '[{"id":"k2","file":"/run/secrets/k2"}]', LGSP__VAULT__ACTIVE_KEY_ID: 'k2' });
    expect(fromEnv.vault).toEqual({ masterKeys: [{ id: 'k2', file: '/run/secrets/k2' }], activeKeyId: 'k2', overlapMs: 86_400_000 });
    expect(complaintsOf(() => assertProductionReady(fromEnv))).not.toContain('vault');
    expect(complaintsOf(() => assertProductionReady(production(defaults)))).toContain('vault.masterKeys (dev-only-2026)');
    const { vault: _vault, ...withoutVault } = defaults;
    expect(complaintsOf(() => assertProductionReady(production(withoutVault)))).toContain('vault (required');
  });

  it('refuses a key that is not base64 of 32 bytes, and an entry with both key and file', () => {
    expect(complaintsOf(() => production(defaults, { LGSP__VAULT__MASTER_KEYS: '[{"id":"k2","key":"short"}]', LGSP__VAULT__ACTIVE_KEY_ID: 'k2' }))).toContain('vault.masterKeys.0.key');
    expect(complaintsOf(() => production(defaults, { LGSP__VAULT__MASTER_KEYS: `[{"id":"k2","key":"${base64Key()}","file":"/k"}]`, LGSP__VAULT__ACTIVE_KEY_ID: 'k2' }))).toContain('vault.masterKeys.0');
  });
});
