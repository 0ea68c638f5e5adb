import { X509Certificate } from 'node:crypto';
import { ProblemError } from '../../errors/problem-error.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { MasterKeyring } from '../master-keyring.js';
import { rewrapAll } from '../rewrap.js';
import { admin, dayMs, expectNoSecret, hourMs, makeCertificate, masterKey, openVault, overlapMs, planted, tableText, type VaultFixture } from './vault-harness.js';

const fieldsA = { clientId: 'province-client', clientSecret: planted.clientSecret, accessKey: 'access-a', secretKey: planted.secretKey };
const fieldsB = { clientId: 'province-client', clientSecret: `${planted.clientSecret}-b`, accessKey: 'access-b', secretKey: `${planted.secretKey}-b` };
const everySecret = [planted.clientSecret, planted.secretKey, planted.password, fieldsB.clientSecret, fieldsB.secretKey];

async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

const states = async (fixture: VaultFixture, connectorId: string) =>
  Object.fromEntries((await fixture.vault.list(connectorId)).map((view) => [view.version, view.state]));

/** Behaviour every store driver must show (PGlite for embedded mode, PostgreSQL for production). */
export function describeVaultContract(target: StoreTarget): void {
  afterAll(() => target.dispose());

  describe(`${target.driver} credential vault: only ciphertext at rest`, () => {
    it('stores no planted secret in any column, in plain, base64 or hex; views and usable() agree on what is set', async () => {
      const fixture = await openVault(target);
      const { vault, store } = fixture;
      await vault.stage('population', fieldsA, admin);
      await vault.activate('population', 1, admin);
      await vault.stage('population', fieldsB, admin);
      await vault.stage('portal', { username: 'province-account', password: planted.password }, admin);
      const text = await tableText(store, 'connector_credentials');
      expect(text).toContain('population');
      expectNoSecret(text, everySecret);
      // Not even the non-secret values: every field is encrypted; only names are stored.
      expect(text).not.toContain('province-client');
      expect(text).not.toContain('province-account');

      const [staged, active] = await vault.list('population');
      expect(staged).toMatchObject({ version: 2, state: 'staged', source: 'vault', fieldsSet: ['accessKey', 'clientId', 'clientSecret', 'secretKey'], createdBy: admin.actor });
      expect(active).toMatchObject({ version: 1, state: 'active', activatedBy: admin.actor });
      expect(staged!.fingerprint).toMatch(/^hmac-sha256:[0-9a-f]{16}$/);
      expect(staged!.fingerprint).not.toBe(active!.fingerprint);
      expectNoSecret(JSON.stringify(await vault.list('population')), everySecret);

      const usable = await vault.usable('population');
      expect(usable.active).toEqual({ version: 1, fields: fieldsA });
      expect(Object.isFrozen(usable.active!.fields)).toBe(true);
      expect((await vault.open('population', 2)).fields).toEqual(fieldsB);
    });

    it('the fingerprint covers the secret fields only: same secrets, same fingerprint', async () => {
      const { vault } = await openVault(target);
      const first = await vault.stage('population', fieldsA, admin);
      const renamedClient = await vault.stage('population', { ...fieldsA, clientId: 'other-client' }, admin);
      const otherSecret = await vault.stage('population', { ...fieldsA, secretKey: 'another' }, admin);
      expect(renamedClient.fingerprint).toBe(first.fingerprint);
      expect(otherSecret.fingerprint).not.toBe(first.fingerprint);
    });

    it('a ciphertext (or its whole envelope) moved to another row does not open', async () => {
      const { vault, store } = await openVault(target);
      await vault.stage('population', fieldsA, admin);
      await vault.activate('population', 1, admin);
      await vault.stage('population', fieldsB, admin);
      await vault.stage('other', fieldsB, admin);
      const copy = (columns: string, to: { connector: string; version: number }) =>
        store.query(
          `UPDATE connector_credentials dst SET ${columns.split(',').map((c) => `${c.trim()} = src.${c.trim()}`).join(', ')}
           FROM connector_credentials src WHERE src.connector_id = 'population' AND src.version = 1 AND dst.connector_id = $1 AND dst.version = $2`,
          [to.connector, to.version],
        );
      // The data alone, under the row's own data key: wrong key and wrong additional data.
      await copy('iv, auth_tag, ciphertext', { connector: 'population', version: 2 });
      expect((await problemOf(vault.open('population', 2))).code).toBe('LGSP_VAULT_UNAVAILABLE');
      // The whole envelope, into another version and into another connector: the additional data names the row.
      await copy('master_key_id, wrapped_key, iv, auth_tag, ciphertext', { connector: 'population', version: 2 });
      const moved = await problemOf(vault.open('population', 2));
      expect(moved.code).toBe('LGSP_VAULT_UNAVAILABLE');
      expectNoSecret(`${moved.message} ${moved.stack} ${JSON.stringify(moved.toProblem())}`, everySecret);
      await copy('master_key_id, wrapped_key, iv, auth_tag, ciphertext', { connector: 'other', version: 1 });
      expect((await problemOf(vault.open('other', 1))).code).toBe('LGSP_VAULT_UNAVAILABLE');
      // The original still opens.
      expect((await vault.open('population', 1)).fields).toEqual(fieldsA);
    });

    it('a database error while storing names no value', async () => {
      const { vault, store } = await openVault(target);
      await store.exec('ALTER TABLE connector_credentials ADD CONSTRAINT refuse_everything CHECK (version < 0) NOT VALID');
      let caught: unknown;
      await vault.stage('population', fieldsA, admin).catch((error: unknown) => (caught = error));
      expect(caught).toBeInstanceOf(Error);
      const error = caught as Error & Record<string, unknown>;
      const text = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${JSON.stringify(Object.getOwnPropertyNames(error).map((name) => error[name]))}`;
      expectNoSecret(text, everySecret);
      expect(text).not.toContain('Failing row');
      // Nothing half-done: no row, no audit entry, no version bump.
      expect((await store.query('SELECT * FROM connector_credentials')).rowCount).toBe(0);
      expect((await store.query("SELECT * FROM admin_audit_log WHERE resource_type = 'connector_credentials'")).rowCount).toBe(0);
    });
  });

  describe(`${target.driver} credential vault: rotation with overlap`, () => {
    it('a full cycle (stage, test, activate, stage + activate, rollback, sweep) leaves no secret in the admin audit log, one entry per change, a version bump per transaction', async () => {
      const fixture = await openVault(target);
      const { vault, store, clock } = fixture;
      const versions = [await vault.version()];
      const bumped = async () => versions.push(await vault.version());
      await vault.stage('population', fieldsA, admin), await bumped();
      await vault.recordTest('population', 1, { outcome: 'ok', detail: 'login accepted' }, admin), await bumped();
      await vault.activate('population', 1, admin), await bumped();
      clock.advance(hourMs);
      await vault.stage('population', fieldsB, admin), await bumped();
      await vault.recordTest('population', 2, { outcome: 'refused', detail: 'upstream answered 401' }, admin), await bumped();
      await vault.activate('population', 2, admin), await bumped();
      const rolledBack = await vault.rollback('population', admin);
      await bumped();
      // The sweep is scheduled for the end of the window: the one the rollback opened.
      const previous = (await vault.list('population')).find((view) => view.state === 'previous');
      expect(previous?.usableUntil).toBeDefined();
      expect((await vault.nextWindowEnd())?.toISOString()).toBe(previous!.usableUntil);
      expect(rolledBack.version).toBe(1);
      clock.advance(overlapMs + 1);
      expect(await vault.sweep()).toBe(1), await bumped();
      expect(await vault.sweep()).toBe(0);
      expect(await vault.nextWindowEnd()).toBeUndefined();
      expect(await vault.version()).toBe(versions.at(-1));
      for (let i = 1; i < versions.length; i += 1) expect(versions[i]).toBe(versions[i - 1]! + 1);

      const { rows } = await store.query<{ action: string; resource_id: string; before: { state?: string } | null; after: { state?: string } | null; actor: string }>(
        "SELECT action, resource_id, before, after, actor FROM admin_audit_log WHERE resource_type = 'connector_credentials' ORDER BY seq",
      );
      expect(rows.map((row) => [row.action, row.resource_id, row.before?.state, row.after?.state])).toEqual([
        ['create', 'population/v1', undefined, 'staged'],
        ['update', 'population/v1', 'staged', 'staged'], // test recorded
        ['update', 'population/v1', 'staged', 'active'],
        ['create', 'population/v2', undefined, 'staged'],
        ['update', 'population/v2', 'staged', 'staged'],
        ['update', 'population/v1', 'active', 'previous'],
        ['update', 'population/v2', 'staged', 'active'],
        ['update', 'population/v2', 'active', 'previous'], // rollback
        ['update', 'population/v1', 'previous', 'active'],
        ['update', 'population/v2', 'previous', 'destroyed'], // sweep
      ]);
      expect(rows.at(-1)!.actor).toBe('system:credential-vault');
      expectNoSecret(await tableText(store, 'admin_audit_log'), everySecret);
      expectNoSecret(await tableText(store, 'connector_credentials'), everySecret);
      expect(await states(fixture, 'population')).toEqual({ 1: 'active', 2: 'destroyed' });
      expect((await vault.get('population', 2))).toMatchObject({ lastTest: { outcome: 'refused', by: admin.actor, detail: 'upstream answered 401' }, destroyedAt: clock.current.toISOString() });
    });

    it('staged → active → previous: usable inside the overlap, absent from usable() after it even before the sweep, destroyed by the sweep', async () => {
      const fixture = await openVault(target);
      const { vault, store, clock } = fixture;
      await vault.stage('population', fieldsA, admin);
      expect(await vault.usable('population')).toEqual({});
      await vault.activate('population', 1, admin);
      clock.advance(hourMs);
      await vault.stage('population', fieldsB, admin);
      // Staged is not used yet.
      expect((await vault.usable('population')).active?.version).toBe(1);
      const activatedAt = clock.now();
      const v2 = await vault.activate('population', 2, admin);
      expect(v2).toMatchObject({ state: 'active', activatedAt: activatedAt.toISOString() });
      const until = new Date(activatedAt.getTime() + overlapMs);
      expect(await vault.get('population', 1)).toMatchObject({ state: 'previous', usableUntil: until.toISOString() });

      clock.advance(overlapMs - 1);
      const inside = await vault.usable('population');
      expect(inside.active).toEqual({ version: 2, fields: fieldsB });
      expect(inside.previous).toEqual({ version: 1, fields: fieldsA, usableUntil: until });
      expect((await vault.usableAll()).get('population')).toEqual(inside);
      expect(await vault.sweep()).toBe(0);

      clock.advance(1);
      expect(await vault.usable('population')).toEqual({ active: { version: 2, fields: fieldsB } });
      expect((await vault.usableAll()).get('population')).toEqual({ active: { version: 2, fields: fieldsB } });
      expect((await problemOf(vault.open('population', 1))).code).toBe('LGSP_CREDENTIAL_STATE');
      expect(await states(fixture, 'population')).toEqual({ 1: 'previous', 2: 'active' });

      expect(await vault.sweep()).toBe(1);
      expect(await vault.get('population', 1)).toMatchObject({ state: 'destroyed', destroyedAt: clock.current.toISOString() });
      const { rows } = await store.query('SELECT master_key_id, wrapped_key, iv, auth_tag, ciphertext, usable_until FROM connector_credentials WHERE version = 1');
      expect(rows).toEqual([{ master_key_id: null, wrapped_key: null, iv: null, auth_tag: null, ciphertext: null, usable_until: null }]);
      expect((await problemOf(vault.open('population', 1))).code).toBe('LGSP_CREDENTIAL_STATE');
    });

    it('a third activation destroys the version before the previous one at once', async () => {
      const fixture = await openVault(target);
      const { vault } = fixture;
      for (const version of [1, 2, 3]) {
        await vault.stage('population', { ...fieldsA, clientSecret: `${planted.clientSecret}-${version}` }, admin);
        await vault.activate('population', version, admin);
      }
      expect(await states(fixture, 'population')).toEqual({ 1: 'destroyed', 2: 'previous', 3: 'active' });
    });

    it('rollback inside the window swaps active and previous (each with a fresh window); refused after the window', async () => {
      const fixture = await openVault(target);
      const { vault, clock } = fixture;
      await vault.stage('population', fieldsA, admin);
      await vault.activate('population', 1, admin);
      await vault.stage('population', fieldsB, admin);
      await vault.activate('population', 2, admin);
      clock.advance(overlapMs / 2);
      const back = await vault.rollback('population', admin);
      expect(back).toMatchObject({ version: 1, state: 'active' });
      expect(await vault.get('population', 2)).toMatchObject({ state: 'previous', usableUntil: new Date(clock.current.getTime() + overlapMs).toISOString() });
      expect((await vault.usable('population')).active?.fields).toEqual(fieldsA);
      // Rolling forward again by activating the previous version inside its window.
      expect(await vault.activate('population', 2, admin)).toMatchObject({ version: 2, state: 'active' });

      clock.advance(overlapMs);
      const refused = await problemOf(vault.rollback('population', admin));
      expect(refused).toMatchObject({ code: 'LGSP_CREDENTIAL_STATE', status: 409 });
      expect((await problemOf(vault.activate('population', 1, admin))).code).toBe('LGSP_CREDENTIAL_STATE');
      expect((await vault.usable('population')).active?.version).toBe(2);
    });

    it('refuses transitions from the wrong state, unknown versions, and keeps one staged version at a time', async () => {
      const fixture = await openVault(target);
      const { vault } = fixture;
      expect((await problemOf(vault.activate('population', 1, admin))).code).toBe('LGSP_NOT_FOUND');
      expect((await problemOf(vault.open('population', 7))).code).toBe('LGSP_NOT_FOUND');
      expect((await problemOf(vault.rollback('population', admin))).code).toBe('LGSP_CREDENTIAL_STATE');
      await vault.stage('population', fieldsA, admin);
      await vault.activate('population', 1, admin);
      expect((await problemOf(vault.activate('population', 1, admin))).code).toBe('LGSP_CREDENTIAL_STATE');
      expect((await problemOf(vault.discard('population', 1, admin))).code).toBe('LGSP_CREDENTIAL_STATE');
      await vault.stage('population', fieldsB, admin);
      await vault.stage('population', { ...fieldsB, accessKey: 'third' }, admin);
      expect(await states(fixture, 'population')).toEqual({ 1: 'active', 2: 'destroyed', 3: 'staged' });
      expect(await vault.discard('population', 3, admin)).toMatchObject({ state: 'destroyed' });
      expect((await problemOf(vault.activate('population', 3, admin))).code).toBe('LGSP_CREDENTIAL_STATE');
      expect((await problemOf(vault.recordTest('population', 3, { outcome: 'ok' }, admin))).code).toBe('LGSP_CREDENTIAL_STATE');
      const invalid = await problemOf(vault.stage('population', {}, admin));
      expect(invalid.code).toBe('LGSP_VALIDATION_FAILED');
    });
  });

  describe(`${target.driver} credential vault: owners that go away, changes inside a caller's transaction`, () => {
    it('retire() destroys every live version of an owner (staged, active, previous) and leaves the others alone', async () => {
      const fixture = await openVault(target);
      const { vault } = fixture;
      await vault.activate('population', (await vault.stage('population', fieldsA, admin)).version, admin);
      await vault.activate('population', (await vault.stage('population', fieldsB, admin)).version, admin);
      await vault.stage('population', fieldsA, admin);
      await vault.stage('portal', { password: planted.password }, admin);
      expect(await states(fixture, 'population')).toEqual({ 1: 'previous', 2: 'active', 3: 'staged' });
      expect(await vault.retire('population', admin)).toBe(3);
      expect(await states(fixture, 'population')).toEqual({ 1: 'destroyed', 2: 'destroyed', 3: 'destroyed' });
      expect(await vault.usable('population')).toEqual({});
      expect(await states(fixture, 'portal')).toEqual({ 1: 'staged' });
      expect(await vault.retire('nobody', admin)).toBe(0);
      expectNoSecret(await tableText(fixture.store, 'connector_credentials'), [planted.clientSecret, planted.secretKey]);
    });

    it('within(tx): a stage and activation commit with the caller\'s writes, and roll back with them', async () => {
      const fixture = await openVault(target);
      await expect(
        fixture.store.transaction(async (tx) => {
          const bound = fixture.vault.within(tx);
          await bound.activate('population', (await bound.stage('population', fieldsA, admin)).version, admin);
          expect((await bound.list('population')).map((view) => view.state)).toEqual(['active']);
          throw new Error('caller failed');
        }),
      ).rejects.toThrow('caller failed');
      expect(await fixture.vault.list('population')).toEqual([]);
      expect((await fixture.store.query("SELECT 1 FROM admin_audit_log WHERE resource_type = 'connector_credentials'")).rowCount).toBe(0);
      await fixture.store.transaction(async (tx) => {
        const bound = fixture.vault.within(tx);
        await bound.activate('population', (await bound.stage('population', fieldsA, admin)).version, admin);
      });
      expect((await fixture.vault.usable('population')).active?.fields).toEqual(fieldsA);
    });
  });

  describe(`${target.driver} credential vault: expiry`, () => {
    it('reads the expiry from an uploaded certificate, caps a later explicit one, refuses an unreadable one without quoting it', async () => {
      // The certificate's dates are real ones: this vault runs on the real clock.
      const fixture = await openVault(target);
      const vault = fixture.vaultWith({ now: () => new Date() });
      const { certificate, key } = makeCertificate(10);
      const notAfter = new Date(new X509Certificate(certificate).validTo);
      expect(Math.abs(notAfter.getTime() - (Date.now() + 10 * dayMs))).toBeLessThan(hourMs);

      const mtls = { clientCertificate: certificate, clientKey: key };
      expect((await vault.stage('registry', mtls, admin)).expiresAt).toBe(notAfter.toISOString());
      expect((await vault.stage('registry', mtls, admin, { expiresAt: new Date(Date.now() + 400 * dayMs) })).expiresAt).toBe(notAfter.toISOString());
      const earlier = new Date(Date.now() + 3 * dayMs);
      expect((await vault.stage('registry', mtls, admin, { expiresAt: earlier })).expiresAt).toBe(earlier.toISOString());
      // The private key is a secret field and is stored encrypted like the rest.
      expect(await tableText(fixture.store, 'connector_credentials')).not.toContain(key.split('\n')[1]!);

      const garbage = '-----BEGIN CERTIFICATE-----\nPLANTEDnotacertificate\n-----END CERTIFICATE-----\n';
      const refused = await problemOf(vault.stage('registry', { clientCertificate: garbage, clientKey: key }, admin));
      expect(refused.code).toBe('LGSP_VALIDATION_FAILED');
      expect(refused.options.errors).toEqual([{ field: 'clientCertificate', message: expect.any(String) }]);
      expect(JSON.stringify(refused.toProblem()) + refused.message).not.toContain('PLANTEDnotacertificate');
    });

    it('expiring(): active and staged versions expiring within the time asked, soonest first', async () => {
      const fixture = await openVault(target);
      const { vault, clock } = fixture;
      await vault.stage('population', fieldsA, admin, { expiresAt: new Date(clock.current.getTime() + 20 * dayMs) });
      await vault.activate('population', 1, admin);
      await vault.stage('population', fieldsB, admin, { expiresAt: new Date(clock.current.getTime() + 5 * dayMs) });
      await vault.stage('portal', { username: 'u', password: planted.password }, admin);
      expect((await vault.expiring(7 * dayMs)).map((view) => `${view.connectorId}/v${view.version}`)).toEqual(['population/v2']);
      expect((await vault.expiring(30 * dayMs)).map((view) => `${view.connectorId}/v${view.version}`)).toEqual(['population/v2', 'population/v1']);
      clock.advance(25 * dayMs);
      // Already expired counts; an expired version is not activated.
      expect((await vault.expiring(0)).map((view) => view.version)).toEqual([2, 1]);
      expect((await problemOf(vault.activate('population', 2, admin))).message).toMatch(/expired/);
    });
  });

  describe(`${target.driver} credential vault: master-key rotation`, () => {
    it('rewrapAll moves every record to the active key and retires the old one, which no keyring opens with afterwards', async () => {
      const fixture = await openVault(target);
      const { vault, store, k1 } = fixture;
      await vault.stage('population', fieldsA, admin);
      await vault.activate('population', 1, admin);
      await vault.stage('population', fieldsB, admin);
      await vault.activate('population', 2, admin);
      await vault.stage('population', { ...fieldsB, accessKey: 'staged-3' }, admin);
      await vault.stage('portal', { username: 'u', password: planted.password }, admin);
      await vault.discard('portal', 1, admin);
      await vault.stage('portal', { username: 'u', password: planted.password }, admin);
      const before = await store.query<{ connector_id: string; version: number; wrapped_key: Uint8Array; ciphertext: Uint8Array }>(
        'SELECT connector_id, version, wrapped_key, ciphertext FROM connector_credentials WHERE ciphertext IS NOT NULL ORDER BY 1, 2',
      );

      const k2 = masterKey('k2');
      const both = new MasterKeyring([k1, k2], 'k2');
      const result = await rewrapAll(store, both, { retire: ['k1'], batchSize: 2 });
      expect(result).toEqual({ rewrapped: 4, retired: ['k1'] });

      const { rows } = await store.query<{ connector_id: string; version: number; state: string; master_key_id: string | null; wrapped_key: Uint8Array | null; ciphertext: Uint8Array | null }>(
        'SELECT connector_id, version, state, master_key_id, wrapped_key, ciphertext FROM connector_credentials ORDER BY 1, 2',
      );
      for (const row of rows) expect(row.master_key_id).toBe(row.state === 'destroyed' ? null : 'k2');
      // The data is untouched; only the wrapped data keys changed.
      const after = rows.filter((row) => row.ciphertext !== null);
      expect(after.map((row) => Buffer.from(row.ciphertext!).toString('hex'))).toEqual(before.rows.map((row) => Buffer.from(row.ciphertext).toString('hex')));
      after.forEach((row, i) => expect(Buffer.from(row.wrapped_key!).equals(Buffer.from(before.rows[i]!.wrapped_key))).toBe(false));
      expect((await store.query('SELECT key_id, state FROM vault_master_keys ORDER BY key_id')).rows).toEqual([
        { key_id: 'k1', state: 'retired' },
        { key_id: 'k2', state: 'active' },
      ]);
      const { rows: audit } = await store.query<{ resource_id: string; after: { state: string } }>("SELECT resource_id, after FROM admin_audit_log WHERE resource_type = 'vault_master_key'");
      expect(audit).toEqual([{ resource_id: 'k1', after: expect.objectContaining({ state: 'retired' }) }]);

      // With the new key every record opens to the same fields.
      const rotated = fixture.vaultWith({ keyring: both });
      expect((await rotated.open('population', 2)).fields).toEqual(fieldsB);
      expect((await rotated.usable('population')).previous?.fields).toEqual(fieldsA);

      // A keyring holding only k1 opens nothing: not under the key the records name, nor when a row is relabelled k1.
      const onlyK1 = fixture.vaultWith({ keyring: new MasterKeyring([k1], 'k1') });
      for (const row of after) expect((await problemOf(onlyK1.open(row.connector_id, Number(row.version)))).code).toBe('LGSP_VAULT_UNAVAILABLE');
      await store.query("UPDATE connector_credentials SET master_key_id = 'k1' WHERE connector_id = 'portal' AND version = 2");
      expect((await problemOf(onlyK1.open('portal', 2))).code).toBe('LGSP_VAULT_UNAVAILABLE');
      await store.query("UPDATE connector_credentials SET master_key_id = 'k2' WHERE connector_id = 'portal' AND version = 2");
      // Nor does it stage under k1: the store remembers the retirement.
      expect((await problemOf(onlyK1.stage('portal', { username: 'u', password: 'x' }, admin))).code).toBe('LGSP_VAULT_UNAVAILABLE');

      // A configuration that still holds k1 gets a keyring that refuses it as retired.
      const k1Config = { id: 'k1', key: k1.key.toString('base64') };
      const k2Config = { id: 'k2', key: k2.key.toString('base64') };
      const loaded = await MasterKeyring.load({ masterKeys: [k1Config, k2Config], activeKeyId: 'k2', overlapMs }, store);
      expect(() => loaded.material('k1')).toThrow(/retired/);
      expect(loaded.ids()).toEqual(['k2']);
      await expect(MasterKeyring.load({ masterKeys: [k1Config], activeKeyId: 'k1', overlapMs }, store)).rejects.toThrow(/retired/);
      // Running it again is harmless.
      expect(await rewrapAll(store, loaded, { retire: ['k1'] })).toEqual({ rewrapped: 0, retired: ['k1'] });
    });

    it('stops before retiring anything when a record is under a key the keyring does not hold', async () => {
      const fixture = await openVault(target);
      await fixture.vault.stage('population', fieldsA, admin);
      const stranger = new MasterKeyring([masterKey('k2'), masterKey('k3')], 'k2');
      expect((await problemOf(rewrapAll(fixture.store, stranger, { retire: ['k1'] }))).message).toMatch(/'k1' is not configured/);
      expect((await fixture.store.query("SELECT key_id FROM vault_master_keys WHERE state = 'retired'")).rowCount).toBe(0);
      expect((await fixture.vault.open('population', 1)).fields).toEqual(fieldsA);
      await expect(rewrapAll(fixture.store, stranger, { retire: ['k2'] })).rejects.toThrow(/active master key/);
    });
  });
}
