import { randomUUID } from 'node:crypto';
import { recordAdminChange, type AdminActor } from '../audit/admin-change.js';
import { ProblemError } from '../errors/problem-error.js';
import { withSafeDbErrors } from '../store/safe-db-error.js';
import type { Queryable, Store } from '../store/store.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { canonicalFieldsBytes, fieldsSetOf } from './canonical-fields.js';
import { certificateExpiry } from './certificate-expiry.js';
import { dateOf, sealedOf, toView, type CredentialRow, type StoredTest } from './credential-rows.js';
import { EnvelopeOpenError, openCredential, sealCredential } from './envelope.js';
import { credentialFingerprint } from './fingerprint.js';
import { registerMasterKey, type MasterKeyring } from './master-keyring.js';
import type { ConnectionTestOutcome, CredentialVersionView, OpenedCredentials, UsableCredentials } from './types.js';

export interface CredentialVaultDeps {
  store: Store;
  keyring: MasterKeyring;
  /** HMAC key of the fingerprints (fingerprintKeyFrom(config)). */
  fingerprintKey: Buffer;
  /** How long a replaced active version stays usable (config vault.overlapMs). */
  overlapMs: number;
  now?: () => Date;
  /** The connector's secret credential fields (its credential schema's `x-secret`): only these make the fingerprint; every field is encrypted. */
  secretFieldsOf(connectorId: string): readonly string[];
}

/** Who the sweep acts as in the admin audit log: no person destroyed those versions, their window did. */
export const vaultSweepActor = (): AdminActor => ({ actor: 'system:credential-vault', actorClient: 'lgsp-gateway', requestId: randomUUID() });

/** One state-changing transaction: its clock, and whether anything changed (then the replicas' version is bumped). */
interface Change {
  tx: Queryable;
  now: Date;
  changed: boolean;
}

/**
 * The write-only credential vault (issue 13): credential versions of each
 * connector, sealed with envelope encryption (envelope.ts), moving through
 * staged → active → previous → destroyed. Every change commits in one
 * transaction with its admin audit entry (metadata views before/after, never
 * values) and a bump of connector_config_version, which every replica polls
 * to reload with usableAll().
 *
 * Secrets leave only through open(), usable() and usableAll(), for the
 * connection test and the connector runtime. Errors carry no values:
 * database errors are reduced by safeDbError, crypto failures are neutral,
 * plaintext buffers are zeroed after use.
 */
export class CredentialVault {
  private readonly now: () => Date;

  constructor(private readonly deps: CredentialVaultDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * A new version (max + 1), staged: not used until activated. Replaces a
   * version still waiting in staged (destroyed). A client certificate's
   * notAfter is the expiry, and caps an explicit one.
   */
  async stage(connectorId: string, fields: Record<string, unknown>, actor: AdminActor, options: { expiresAt?: Date } = {}): Promise<CredentialVersionView> {
    const fieldsSet = checkedFields(fields);
    if (options.expiresAt !== undefined && Number.isNaN(options.expiresAt.getTime())) {
      throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'expiresAt', message: 'must be a date-time' }] });
    }
    const certificateExpiresAt = certificateExpiry(fields);
    const expiresAt = certificateExpiresAt && (!options.expiresAt || options.expiresAt > certificateExpiresAt) ? certificateExpiresAt : options.expiresAt;
    const fingerprint = credentialFingerprint(this.deps.fingerprintKey, fields, this.deps.secretFieldsOf(connectorId));
    const plaintext = canonicalFieldsBytes(fields);
    try {
      return await this.change(async (change) => {
        await lockConnector(change.tx, connectorId);
        const master = this.deps.keyring.active;
        await registerMasterKey(change.tx, master.id, change.now);
        const waiting = await change.tx.query<CredentialRow>("SELECT * FROM connector_credentials WHERE connector_id = $1 AND state = 'staged'", [connectorId]);
        for (const row of waiting.rows) await this.destroy(change, row, actor);
        const { rows: maxRows } = await change.tx.query<{ max: number | null }>('SELECT max(version) AS max FROM connector_credentials WHERE connector_id = $1', [connectorId]);
        const version = Number(maxRows[0]?.max ?? 0) + 1;
        const sealed = sealCredential(plaintext, master, { connectorId, version });
        const { rows } = await change.tx.query<CredentialRow>(
          `INSERT INTO connector_credentials
             (connector_id, version, state, source, fields_set, fingerprint, master_key_id, wrapped_key, iv, auth_tag, ciphertext, expires_at, created_at, created_by)
           VALUES ($1, $2, 'staged', 'vault', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
          [connectorId, version, fieldsSet, fingerprint, sealed.masterKeyId, sealed.wrappedKey, sealed.iv, sealed.authTag, sealed.ciphertext, expiresAt ?? null, change.now, actor.actor],
        );
        const view = toView(rows[0]!);
        await this.audit(change, actor, undefined, view);
        return view;
      });
    } finally {
      plaintext.fill(0);
    }
  }

  /** Every version of the connector, newest first (metadata only). */
  async list(connectorId: string): Promise<CredentialVersionView[]> {
    const { rows } = await withSafeDbErrors(() => this.deps.store.query<CredentialRow>('SELECT * FROM connector_credentials WHERE connector_id = $1 ORDER BY version DESC', [connectorId]));
    return rows.map(toView);
  }

  async get(connectorId: string, version: number): Promise<CredentialVersionView | undefined> {
    const row = await withSafeDbErrors(() => findRow(this.deps.store, connectorId, version));
    return row && toView(row);
  }

  /** The decrypted fields of one version, for the connection test and the runtime only. Refuses destroyed versions and a previous one past its window. */
  async open(connectorId: string, version: number): Promise<OpenedCredentials> {
    const row = await withSafeDbErrors(() => findRow(this.deps.store, connectorId, version));
    if (!row) throw notFound(connectorId, version);
    if (row.state === 'destroyed') throw stateProblem(`version ${version} is destroyed`);
    if (row.state === 'previous' && !this.insideWindow(row, this.now())) throw stateProblem(`version ${version} is past its overlap window`);
    return this.openRow(row);
  }

  /**
   * staged (or previous inside its window: a rollback) → active. The active
   * version becomes previous, usable for overlapMs; an older previous is
   * destroyed.
   */
  activate(connectorId: string, version: number, actor: AdminActor): Promise<CredentialVersionView> {
    return this.change(async (change) => {
      await lockConnector(change.tx, connectorId);
      const rows = await liveRows(change.tx, connectorId);
      const target = rows.find((row) => Number(row.version) === version);
      if (!target) {
        if (await findRow(change.tx, connectorId, version)) throw stateProblem(`version ${version} is destroyed`);
        throw notFound(connectorId, version);
      }
      if (target.state === 'active') throw stateProblem(`version ${version} is already active`);
      if (target.state === 'previous' && !this.insideWindow(target, change.now)) throw stateProblem(`version ${version} is past its overlap window`);
      return this.promote(change, rows, target, actor);
    });
  }

  /** The previous version, inside its window, becomes active again; the active one becomes previous. */
  rollback(connectorId: string, actor: AdminActor): Promise<CredentialVersionView> {
    return this.change(async (change) => {
      await lockConnector(change.tx, connectorId);
      const rows = await liveRows(change.tx, connectorId);
      const previous = rows.find((row) => row.state === 'previous');
      if (!previous) throw stateProblem('there is no previous version to roll back to');
      if (!this.insideWindow(previous, change.now)) throw stateProblem(`version ${previous.version} is past its overlap window`);
      return this.promote(change, rows, previous, actor);
    });
  }

  /** A staged version is given up: destroyed. */
  discard(connectorId: string, version: number, actor: AdminActor): Promise<CredentialVersionView> {
    return this.change(async (change) => {
      await lockConnector(change.tx, connectorId);
      const row = await findRow(change.tx, connectorId, version, true);
      if (!row) throw notFound(connectorId, version);
      if (row.state !== 'staged') throw stateProblem(`version ${version} is ${row.state}: only a staged version can be discarded`);
      return this.destroy(change, row, actor);
    });
  }

  /**
   * Destroys every live version of an owner that goes away for good (a
   * removed alert receiver): nothing of its secrets stays decryptable.
   * Returns how many versions were destroyed.
   */
  retire(connectorId: string, actor: AdminActor): Promise<number> {
    return this.change(async (change) => {
      await lockConnector(change.tx, connectorId);
      const rows = await liveRows(change.tx, connectorId);
      for (const row of rows) await this.destroy(change, row, actor);
      return rows.length;
    });
  }

  /**
   * The same vault working inside the caller's transaction: its changes
   * (and their audit entries) commit or roll back with the caller's other
   * writes, e.g. an alert receiver's row and its secrets.
   */
  within(tx: Queryable): CredentialVault {
    const bound: Store = {
      driver: this.deps.store.driver,
      query: (sql, params) => tx.query(sql, params),
      exec: (sql) => tx.exec(sql),
      transaction: (fn) => fn(tx),
      ping: () => this.deps.store.ping(),
      close: async () => undefined,
    };
    return new CredentialVault({ ...this.deps, store: bound, now: this.now });
  }

  /** Keeps the outcome of a connection test with this version (shown in its view). The caller keeps `detail` free of secrets. */
  recordTest(connectorId: string, version: number, test: { outcome: ConnectionTestOutcome; detail?: string }, actor: AdminActor): Promise<CredentialVersionView> {
    return this.change(async (change) => {
      const row = await findRow(change.tx, connectorId, version, true);
      if (!row) throw notFound(connectorId, version);
      if (row.state === 'destroyed') throw stateProblem(`version ${version} is destroyed`);
      const lastTest: StoredTest = { outcome: test.outcome, at: change.now.toISOString(), by: actor.actor, ...(test.detail !== undefined && { detail: test.detail }) };
      const { rows } = await change.tx.query<CredentialRow>(
        'UPDATE connector_credentials SET last_test = $3 WHERE connector_id = $1 AND version = $2 RETURNING *',
        [connectorId, version, JSON.stringify(lastTest)],
      );
      const view = toView(rows[0]!);
      await this.audit(change, actor, toView(row), view);
      return view;
    });
  }

  /** What the connector runtime uses now: the active version and the previous one while inside its window. */
  async usable(connectorId: string): Promise<UsableCredentials> {
    const now = this.now();
    const { rows } = await withSafeDbErrors(() =>
      this.deps.store.query<CredentialRow>(
        "SELECT * FROM connector_credentials WHERE connector_id = $1 AND (state = 'active' OR (state = 'previous' AND usable_until > $2))",
        [connectorId, now],
      ),
    );
    return this.usableOf(rows);
  }

  /** usable() of every connector that has credentials in the vault, in one query (the runtime reloads with it). */
  async usableAll(): Promise<Map<string, UsableCredentials>> {
    const { rows } = await withSafeDbErrors(() =>
      this.deps.store.query<CredentialRow>("SELECT * FROM connector_credentials WHERE state = 'active' OR (state = 'previous' AND usable_until > $1)", [this.now()]),
    );
    const byConnector = new Map<string, CredentialRow[]>();
    for (const row of rows) byConnector.set(row.connector_id, [...(byConnector.get(row.connector_id) ?? []), row]);
    const usable = new Map<string, UsableCredentials>();
    for (const [connectorId, connectorRows] of byConnector) usable.set(connectorId, this.usableOf(connectorRows));
    return usable;
  }

  /** Destroys every previous version past its window (one admin audit entry each); returns how many. */
  sweep(actor: AdminActor = vaultSweepActor()): Promise<number> {
    return this.change(async (change) => {
      const { rows } = await change.tx.query<CredentialRow>(
        "SELECT * FROM connector_credentials WHERE state = 'previous' AND usable_until <= $1 ORDER BY connector_id, version FOR UPDATE",
        [change.now],
      );
      for (const row of rows) await this.destroy(change, row, actor);
      return rows.length;
    });
  }

  /** When the next overlap window ends (the earliest previous version's usableUntil), so the sweep can run then rather than on its interval. */
  async nextWindowEnd(): Promise<Date | undefined> {
    const { rows } = await withSafeDbErrors(() =>
      this.deps.store.query<{ until: Date | string | null }>("SELECT min(usable_until) AS until FROM connector_credentials WHERE state = 'previous'"),
    );
    return dateOf(rows[0]?.until ?? null);
  }

  /** Active and staged versions that expire within `withinMs` (or have expired), soonest first. */
  async expiring(withinMs: number): Promise<CredentialVersionView[]> {
    const { rows } = await withSafeDbErrors(() =>
      this.deps.store.query<CredentialRow>(
        "SELECT * FROM connector_credentials WHERE state IN ('active', 'staged') AND expires_at <= $1 ORDER BY expires_at, connector_id, version",
        [new Date(this.now().getTime() + withinMs)],
      ),
    );
    return rows.map(toView);
  }

  /** connector_config_version: bumped by every vault (and connector settings) change. */
  async version(): Promise<number> {
    const { rows } = await withSafeDbErrors(() => this.deps.store.query<{ version: string | number }>('SELECT version FROM connector_config_version'));
    return Number(rows[0]?.version ?? 0);
  }

  private async promote(change: Change, rows: CredentialRow[], target: CredentialRow, actor: AdminActor): Promise<CredentialVersionView> {
    const { tx, now } = change;
    if (target.expires_at !== null && new Date(target.expires_at) <= now) throw stateProblem(`version ${target.version} has expired`);
    for (const row of rows) if (row.state === 'previous' && row !== target) await this.destroy(change, row, actor);
    // The active one steps down first: at most one active per connector (unique index).
    const current = rows.find((row) => row.state === 'active');
    if (current) {
      const { rows: demoted } = await tx.query<CredentialRow>(
        "UPDATE connector_credentials SET state = 'previous', usable_until = $3 WHERE connector_id = $1 AND version = $2 RETURNING *",
        [current.connector_id, current.version, new Date(now.getTime() + this.deps.overlapMs)],
      );
      await this.audit(change, actor, toView(current), toView(demoted[0]!));
    }
    const { rows: promoted } = await tx.query<CredentialRow>(
      "UPDATE connector_credentials SET state = 'active', activated_at = $3, activated_by = $4, usable_until = NULL WHERE connector_id = $1 AND version = $2 RETURNING *",
      [target.connector_id, target.version, now, actor.actor],
    );
    const view = toView(promoted[0]!);
    await this.audit(change, actor, toView(target), view);
    return view;
  }

  /** Wipes the key material and ciphertext; the metadata stays for the history. */
  private async destroy(change: Change, row: CredentialRow, actor: AdminActor): Promise<CredentialVersionView> {
    const { rows } = await change.tx.query<CredentialRow>(
      `UPDATE connector_credentials
         SET state = 'destroyed', destroyed_at = $3, usable_until = NULL,
             master_key_id = NULL, wrapped_key = NULL, iv = NULL, auth_tag = NULL, ciphertext = NULL
       WHERE connector_id = $1 AND version = $2 RETURNING *`,
      [row.connector_id, row.version, change.now],
    );
    const view = toView(rows[0]!);
    await this.audit(change, actor, toView(row), view);
    return view;
  }

  private async audit(change: Change, actor: AdminActor, before: CredentialVersionView | undefined, after: CredentialVersionView): Promise<void> {
    await recordAdminChange(change.tx, actor, { type: 'connector_credentials', id: `${after.connectorId}/v${after.version}` }, before, after);
    change.changed = true;
  }

  /** One transaction; the replicas' version is bumped in it when anything changed. */
  private async change<T>(fn: (change: Change) => Promise<T>): Promise<T> {
    return withSafeDbErrors(() =>
      this.deps.store.transaction(async (tx) => {
        const change: Change = { tx, now: this.now(), changed: false };
        const result = await fn(change);
        if (change.changed) await tx.query('UPDATE connector_config_version SET version = version + 1');
        return result;
      }),
    );
  }


  private insideWindow(row: CredentialRow, now: Date): boolean {
    const until = dateOf(row.usable_until);
    return until !== undefined && until > now;
  }

  private usableOf(rows: CredentialRow[]): UsableCredentials {
    const active = rows.find((row) => row.state === 'active');
    const previous = rows.find((row) => row.state === 'previous');
    return {
      ...(active && { active: this.openRow(active) }),
      ...(previous && { previous: { ...this.openRow(previous), usableUntil: dateOf(previous.usable_until)! } }),
    };
  }

  private openRow(row: CredentialRow): OpenedCredentials {
    const version = Number(row.version);
    const sealed = sealedOf(row);
    if (!sealed) throw stateProblem(`version ${version} is destroyed`);
    const master = this.deps.keyring.material(sealed.masterKeyId);
    let plaintext: Buffer;
    try {
      plaintext = openCredential(sealed, master, { connectorId: row.connector_id, version });
    } catch (error) {
      if (!(error instanceof EnvelopeOpenError)) throw error;
      throw new ProblemError('LGSP_VAULT_UNAVAILABLE', { detail: `credential version ${version} of ${row.connector_id} does not open under master key '${sealed.masterKeyId}'` });
    }
    try {
      return { version, fields: deepFreeze(JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>) };
    } finally {
      plaintext.fill(0);
    }
  }
}

function checkedFields(fields: Record<string, unknown>): string[] {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'fields', message: 'must be an object of credential fields' }] });
  }
  const fieldsSet = fieldsSetOf(fields);
  if (fieldsSet.length === 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'fields', message: 'at least one credential field is required' }] });
  return fieldsSet;
}

/** Serializes the changes of one connector across replicas (version numbers, one active, one staged). */
async function lockConnector(tx: Queryable, connectorId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:vault:' || $1::text))", [connectorId]);
}

async function findRow(db: Queryable, connectorId: string, version: number, forUpdate = false): Promise<CredentialRow | undefined> {
  if (!Number.isInteger(version) || version < 1 || version > 2_147_483_647) return undefined;
  const { rows } = await db.query<CredentialRow>(`SELECT * FROM connector_credentials WHERE connector_id = $1 AND version = $2${forUpdate ? ' FOR UPDATE' : ''}`, [connectorId, version]);
  return rows[0];
}

async function liveRows(tx: Queryable, connectorId: string): Promise<CredentialRow[]> {
  const { rows } = await tx.query<CredentialRow>("SELECT * FROM connector_credentials WHERE connector_id = $1 AND state <> 'destroyed' ORDER BY version FOR UPDATE", [connectorId]);
  return rows;
}

function notFound(connectorId: string, version: number): ProblemError {
  return new ProblemError('LGSP_NOT_FOUND', { detail: `${connectorId} has no credential version ${version}` });
}

function stateProblem(detail: string): ProblemError {
  return new ProblemError('LGSP_CREDENTIAL_STATE', { detail });
}
