import type { StoreTarget } from '../../../store/test-support/store-targets.js';
import { CredentialVault } from '../../../vault/credential-vault.js';
import { admin, expectNoSecret, fingerprintKey, openVault, overlapMs, tableText } from '../../../vault/test-support/vault-harness.js';
import type { ProblemError } from '../../../errors/problem-error.js';
import { isReceiverOwner, receiverOwnerSecretFields } from '../receiver-owner.js';
import { ReceiverStore, validateReceiverInput } from '../receiver-store.js';

export const plantedReceiverSecrets = { webhook: 'PLANTED-whsec-Ωmega-1', webhook2: 'PLANTED-whsec-rotated-2', botToken: '123456:PLANTED-bot-tokén-3' } as const;

async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  try {
    await promise;
  } catch (error) {
    return error as ProblemError;
  }
  throw new Error('expected a problem');
}

/** Behaviour every store driver must show. */
export function describeReceiverStoreContract(storeTarget: StoreTarget): void {
  afterAll(() => storeTarget.dispose());

  const open = async () => {
    const fixture = await openVault(storeTarget);
    // The gateway's vault answers the receivers' secret fields for alert-receiver: owners (open-vault.ts).
    const vault = new CredentialVault({
      store: fixture.store,
      keyring: fixture.keyring,
      fingerprintKey,
      overlapMs,
      now: fixture.clock.now,
      secretFieldsOf: (owner) => (isReceiverOwner(owner) ? receiverOwnerSecretFields : []),
    });
    const receivers = new ReceiverStore({ store: fixture.store, vault });
    const version = async () => Number((await fixture.store.query<{ version: number }>('SELECT version FROM alerting_config_version')).rows[0]!.version);
    const auditEntries = async () =>
      (await fixture.store.query<{ action: string; resource_id: string; before: unknown; after: unknown }>(
        "SELECT action, resource_id, before, after FROM admin_audit_log WHERE resource_type = 'alert_receiver' ORDER BY occurred_at, resource_id",
      )).rows;
    const everything = async () =>
      [
        await tableText(fixture.store, 'alert_receivers'),
        await tableText(fixture.store, 'admin_audit_log'),
        await tableText(fixture.store, 'connector_credentials'),
      ].join('\n');
    return { ...fixture, vault, receivers, version, auditEntries, everything };
  };
  const planted = Object.values(plantedReceiverSecrets);

  describe(`${storeTarget.driver} receiver store`, () => {
    it('creates a webhook receiver: its secret goes to the vault; views, rows and the audit entry name the secret field, never its value', async () => {
      const { receivers, version, auditEntries, everything, vault } = await open();
      const before = await version();
      const { receiver, created } = await receivers.put(
        'ops-hook',
        { kind: 'webhook', settings: { url: 'https://hooks.example.gov.vn/lgsp' }, route: { severities: ['critical'] }, secrets: { secret: plantedReceiverSecrets.webhook } },
        admin,
      );
      expect(created).toBe(true);
      expect(receiver).toEqual({
        id: 'ops-hook',
        kind: 'webhook',
        settings: { url: 'https://hooks.example.gov.vn/lgsp' },
        route: { severities: ['critical'] },
        enabled: true,
        source: 'admin',
        secretsSet: ['secret'],
        updatedAt: expect.any(String),
        updatedBy: admin.actor,
      });
      expect(await receivers.get('ops-hook')).toEqual(receiver);
      expect(await receivers.list()).toEqual([receiver]);
      expect(await receivers.secretsOf('ops-hook')).toEqual({ secret: plantedReceiverSecrets.webhook });
      expect(await version()).toBe(before + 1);
      expect(await auditEntries()).toEqual([{ action: 'create', resource_id: 'ops-hook', before: null, after: JSON.parse(JSON.stringify(receiver)) }]);
      expect((await vault.list('alert-receiver:ops-hook')).map((view) => view.state)).toEqual(['active']);
      expectNoSecret(JSON.stringify(await receivers.list()), planted);
      expectNoSecret(await everything(), planted);
    });

    it('keeps the stored secrets when a change omits them, replaces them when given, and audits each change', async () => {
      const { receivers, auditEntries, everything } = await open();
      await receivers.put('ops-hook', { kind: 'webhook', settings: { url: 'https://a.example/x' }, secrets: { secret: plantedReceiverSecrets.webhook } }, admin);
      const { receiver, created } = await receivers.put('ops-hook', { kind: 'webhook', settings: { url: 'https://b.example/y' }, enabled: false }, admin);
      expect(created).toBe(false);
      expect(receiver).toMatchObject({ settings: { url: 'https://b.example/y' }, enabled: false, secretsSet: ['secret'] });
      expect(await receivers.secretsOf('ops-hook')).toEqual({ secret: plantedReceiverSecrets.webhook });
      await receivers.put('ops-hook', { kind: 'webhook', settings: { url: 'https://b.example/y' }, secrets: { secret: plantedReceiverSecrets.webhook2 } }, admin);
      expect(await receivers.secretsOf('ops-hook')).toEqual({ secret: plantedReceiverSecrets.webhook2 });
      const entries = await auditEntries();
      expect(entries.map((entry) => entry.action)).toEqual(['create', 'update', 'update']);
      expect(entries[1]).toMatchObject({ before: { settings: { url: 'https://a.example/x' }, enabled: true }, after: { settings: { url: 'https://b.example/y' }, enabled: false } });
      expectNoSecret(await everything(), planted);
    });

    it('a kind change needs the new kind\'s secrets (400, nothing changed); to e-mail, the old secrets are destroyed', async () => {
      const { receivers, version, vault } = await open();
      await receivers.put('ops', { kind: 'webhook', settings: { url: 'https://a.example/x' }, secrets: { secret: plantedReceiverSecrets.webhook } }, admin);
      const at = await version();
      const refused = await problemOf(receivers.put('ops', { kind: 'telegram', settings: { chatId: '-100123' } }, admin));
      expect(refused).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', status: 400, options: { errors: [{ field: 'secrets', message: expect.stringContaining('botToken') }] } });
      expect(await version()).toBe(at);
      expect((await receivers.get('ops'))?.kind).toBe('webhook');

      const telegram = await receivers.put('ops', { kind: 'telegram', settings: { chatId: '-100123' }, secrets: { botToken: plantedReceiverSecrets.botToken } }, admin);
      expect(telegram.receiver).toMatchObject({ kind: 'telegram', secretsSet: ['botToken'] });
      expect(await receivers.secretsOf('ops')).toEqual({ botToken: plantedReceiverSecrets.botToken });

      const email = await receivers.put('ops', { kind: 'email', settings: { to: ['ops@province.gov.vn'] } }, admin);
      expect(email.receiver).toMatchObject({ kind: 'email', secretsSet: [] });
      expect(await receivers.secretsOf('ops')).toEqual({});
      expect((await vault.list('alert-receiver:ops')).every((view) => view.state === 'destroyed')).toBe(true);
    });

    it('refuses invalid bodies with named fields, and a secret-holding kind created without secrets', async () => {
      const { receivers, version } = await open();
      const at = await version();
      expect(await problemOf(receivers.put('tg', { kind: 'telegram', settings: { chatId: '-100123' } }, admin))).toMatchObject({
        code: 'LGSP_VALIDATION_FAILED',
        options: { errors: [{ field: 'secrets', message: expect.stringContaining('required') }] },
      });
      expect(await problemOf(receivers.put('Bad Id', { kind: 'email', settings: { to: ['a@b.vn'] } }, admin))).toMatchObject({ options: { errors: [{ field: 'id' }] } });
      const invalid = await problemOf(
        receivers.put('m', { kind: 'email', settings: { to: ['not-an-address'] }, route: { matchers: [{ name: 'connector', op: '=~', value: '(' }] } } as never, admin),
      );
      expect(invalid.options.errors).toEqual([{ field: 'settings.to.0', message: 'must match format "email"' }]);
      expect(await version()).toBe(at);
      expect(await receivers.list()).toEqual([]);
    });

    it('removes a receiver, its secrets destroyed, audited; removing again says false', async () => {
      const { receivers, version, auditEntries, everything } = await open();
      await receivers.put('tg', { kind: 'telegram', settings: { chatId: '@lgsp_ops' }, secrets: { botToken: plantedReceiverSecrets.botToken } }, admin);
      const at = await version();
      expect(await receivers.remove('tg', admin)).toBe(true);
      expect(await receivers.get('tg')).toBeUndefined();
      expect(await receivers.secretsOf('tg')).toEqual({});
      expect(await version()).toBe(at + 1);
      expect((await auditEntries()).map((entry) => [entry.action, entry.after])).toEqual([
        ['create', expect.any(Object)],
        ['delete', null],
      ]);
      expect(await receivers.remove('tg', admin)).toBe(false);
      expect(await version()).toBe(at + 1);
      expectNoSecret(await everything(), planted);
    });

    it('without a vault, a receiver that needs secrets cannot be created (LGSP_VAULT_UNAVAILABLE); an e-mail receiver can', async () => {
      const { store } = await open();
      const receivers = new ReceiverStore({ store });
      const refused = await problemOf(receivers.put('hook', { kind: 'webhook', settings: { url: 'https://a.example/x' }, secrets: { secret: plantedReceiverSecrets.webhook } }, admin));
      expect(refused).toMatchObject({ code: 'LGSP_VAULT_UNAVAILABLE', status: 503 });
      expectNoSecret(refused.message, planted);
      const { receiver } = await receivers.put('mail', { kind: 'email', settings: { to: ['ops@province.gov.vn'] } }, admin);
      expect(receiver).toMatchObject({ id: 'mail', secretsSet: [] });
      expect(await receivers.secretsOf('mail')).toEqual({});
    });
  });

  describe('validateReceiverInput', () => {
    it('answers about the kind given only, and checks regular expressions', () => {
      expect(validateReceiverInput({ kind: 'pager', settings: {} })).toEqual({ ok: false, errors: [{ field: 'kind', message: 'must be one of email, webhook, telegram' }] });
      expect(validateReceiverInput({ kind: 'webhook', settings: { url: 'ftp://x' }, extra: 1 })).toEqual({
        ok: false,
        errors: expect.arrayContaining([{ field: 'extra', message: 'is not a known field' }, { field: 'settings.url', message: expect.stringContaining('must match pattern') }]),
      });
      expect(validateReceiverInput({ kind: 'email', settings: { to: ['a@b.vn'] }, route: { matchers: [{ name: 'connector', op: '=~', value: '(' }] } })).toEqual({
        ok: false,
        errors: [{ field: 'route.matchers.0.value', message: 'not a valid regular expression' }],
      });
      const secret = 'PLANTED-misplaced';
      const misplaced = validateReceiverInput({ kind: 'email', settings: { to: ['a@b.vn'] }, secrets: { secret } });
      expect(JSON.stringify(misplaced)).not.toContain(secret);
      expect(validateReceiverInput({ kind: 'telegram', settings: { chatId: '-100123' }, secrets: { botToken: 'x' }, enabled: false })).toMatchObject({ ok: true });
    });
  });
}
