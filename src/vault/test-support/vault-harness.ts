import { selfSignedCertificate } from '../../connector-kit/test-support/test-pki.js';
import { randomBytes } from 'node:crypto';
import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import type { Queryable, Store } from '../../store/store.js';
import type { IsolatedStore, StoreTarget } from '../../store/test-support/store-targets.js';
import type { AdminActor } from '../../audit/admin-change.js';
import { CredentialVault } from '../credential-vault.js';
import type { MasterKeyMaterial } from '../envelope.js';
import { MasterKeyring } from '../master-keyring.js';

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

/** Values that must never be seen anywhere but in open()/usable() results. Non-ASCII on purpose: encodings differ. */
export const planted = {
  clientSecret: 'PLANTED-client-secret-7f3a9c1e',
  secretKey: 'PLANTED-secret-kéy-Ωmega-42',
  password: 'PLANTED-portal-password-Zq8',
} as const;

/** Every form in which a planted value could show up: plain, base64, base64url, hex. */
export function forbiddenForms(values: readonly string[] = Object.values(planted)): string[] {
  return values.flatMap((value) => {
    const bytes = Buffer.from(value, 'utf8');
    return [value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), bytes.toString('hex').toUpperCase(), JSON.stringify(value).slice(1, -1)];
  });
}

export function expectNoSecret(text: string, values?: readonly string[]): void {
  for (const form of forbiddenForms(values)) {
    if (text.includes(form)) throw new Error(`a planted secret was found (form of length ${form.length}) in: ${text.slice(0, 200)}…`);
  }
}

export const masterKey = (id: string): MasterKeyMaterial => ({ id, key: randomBytes(32) });

export const admin: AdminActor = { actor: 'admin-1 (Admin One)', actorClient: 'lgsp-console', requestId: 'req-1' };

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current = new Date('2026-03-01T08:00:00.000Z')) {}
  readonly now = () => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** secretFieldsOf as a descriptor's credential schema (`x-secret`) would answer it. */
export const secretFieldsOf = (connectorId: string): readonly string[] =>
  connectorId === 'portal' ? ['password'] : ['clientSecret', 'secretKey', 'clientKey'];

export interface VaultFixture {
  isolated: IsolatedStore;
  store: Store;
  clock: TestClock;
  k1: MasterKeyMaterial;
  keyring: MasterKeyring;
  vault: CredentialVault;
  /** Another vault on the same store, with other keys or clock. */
  vaultWith(options: { keyring?: MasterKeyring; now?: () => Date; overlapMs?: number }): CredentialVault;
}

export const overlapMs = dayMs;
export const fingerprintKey = randomBytes(32);

export async function openVault(target: StoreTarget): Promise<VaultFixture> {
  const isolated = await target.openIsolated();
  await migrate(isolated.store, migrations);
  const clock = new TestClock();
  const k1 = masterKey('k1');
  const keyring = new MasterKeyring([k1], 'k1');
  const vaultWith = (options: { keyring?: MasterKeyring; now?: () => Date; overlapMs?: number }) =>
    new CredentialVault({ store: isolated.store, keyring: options.keyring ?? keyring, fingerprintKey, overlapMs: options.overlapMs ?? overlapMs, now: options.now ?? clock.now, secretFieldsOf });
  return { isolated, store: isolated.store, clock, k1, keyring, vault: vaultWith({}), vaultWith };
}

/** Every row of a table, each as PostgreSQL's text form of the whole row (bytea as hex), plus each bytea column as base64 and escape text. */
export async function tableText(db: Queryable, table: string): Promise<string> {
  const { rows } = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
  let text = rows.map((row) => row.row).join('\n');
  if (table === 'connector_credentials') {
    const { rows: encoded } = await db.query<Record<string, string | null>>(
      `SELECT ${['wrapped_key', 'iv', 'auth_tag', 'ciphertext'].flatMap((column) => [`encode(${column}, 'base64') AS ${column}_b64`, `encode(${column}, 'escape') AS ${column}_esc`]).join(', ')} FROM connector_credentials`,
    );
    text += `\n${JSON.stringify(encoded)}`;
  }
  return text;
}

/** A real self-signed certificate (P-256) valid for `days`, made by openssl as an administrator would. */
export function makeCertificate(days: number): { certificate: string; key: string } {
  const { cert, key } = selfSignedCertificate(days, '/CN=test');
  return { certificate: cert, key };
}
