import { randomUUID } from 'node:crypto';
import { recordAdminChange, type AdminActor } from '../audit/admin-change.js';
import { ProblemError } from '../errors/problem-error.js';
import { withSafeDbErrors } from '../store/safe-db-error.js';
import type { Store } from '../store/store.js';
import { sealedOf, type CredentialRow } from './credential-rows.js';
import { rewrapDataKey } from './envelope.js';
import { registerMasterKey, type MasterKeyring } from './master-keyring.js';

export interface RewrapOptions {
  /** Master key ids to retire once no record is wrapped under them any more. */
  retire: readonly string[];
  /** Records re-wrapped per transaction (default 100): short transactions, so the gateway's own changes wait little. */
  batchSize?: number;
  /** Who does it, for the admin audit log (default: the vault:rewrap script). */
  actor?: AdminActor;
  now?: () => Date;
}

/**
 * Master-key rotation (`npm run vault:rewrap`): every record's data key is
 * unwrapped with the key that wrapped it and wrapped again under the
 * keyring's active key, batch by batch, each batch one transaction (with a
 * bump of connector_config_version). The data itself is not re-encrypted and
 * its additional data stays (it names connector and version, not the master
 * key). Then the keys in `retire` are marked retired in vault_master_keys,
 * one admin audit entry each, after checking that no record still needs
 * them; MasterKeyring.load refuses them from then on.
 *
 * A record wrapped under a key this keyring does not hold stops the run
 * (LGSP_VAULT_UNAVAILABLE naming the key) before anything is retired.
 */
export async function rewrapAll(store: Store, keyring: MasterKeyring, options: RewrapOptions): Promise<{ rewrapped: number; retired: string[] }> {
  const active = keyring.active;
  if (options.retire.includes(active.id)) throw new ProblemError('LGSP_VAULT_UNAVAILABLE', { detail: `cannot retire the active master key '${active.id}'` });
  const batchSize = options.batchSize ?? 100;
  const now = options.now ?? (() => new Date());
  const actor = options.actor ?? { actor: 'script:vault-rewrap', actorClient: 'lgsp-vault-rewrap', requestId: randomUUID() };
  // Database errors reduced to what is safe to log; problems (a key still in use) pass as they are.
  return withSafeDbErrors(async () => {
    let rewrapped = 0;
    for (;;) {
      const done = await store.transaction(async (tx) => {
        await registerMasterKey(tx, active.id, now());
        const { rows } = await tx.query<CredentialRow>(
          `SELECT * FROM connector_credentials WHERE ciphertext IS NOT NULL AND master_key_id <> $1
           ORDER BY connector_id, version LIMIT $2 FOR UPDATE`,
          [active.id, batchSize],
        );
        for (const row of rows) {
          const sealed = sealedOf(row)!;
          const binding = { connectorId: row.connector_id, version: Number(row.version) };
          const wrappedKey = rewrapDataKey(sealed.wrappedKey, keyring.material(sealed.masterKeyId), active, binding);
          await tx.query('UPDATE connector_credentials SET master_key_id = $3, wrapped_key = $4 WHERE connector_id = $1 AND version = $2', [row.connector_id, row.version, active.id, wrappedKey]);
        }
        if (rows.length > 0) await tx.query('UPDATE connector_config_version SET version = version + 1');
        return rows.length;
      });
      rewrapped += done;
      if (done < batchSize) break;
    }

    const retired = [...new Set(options.retire)];
    if (retired.length > 0) {
      await store.transaction(async (tx) => {
        for (const keyId of retired) {
          // A record staged under the old key by a replica with an older keyring while we ran: retiring now would strand it.
          const { rows: still } = await tx.query<{ n: number }>('SELECT count(*)::integer AS n FROM connector_credentials WHERE master_key_id = $1', [keyId]);
          if (Number(still[0]!.n) > 0) throw new ProblemError('LGSP_VAULT_UNAVAILABLE', { detail: `master key '${keyId}' still wraps ${still[0]!.n} record(s): run vault:rewrap again` });
          const { rows: before } = await tx.query<{ state: string }>('SELECT state FROM vault_master_keys WHERE key_id = $1 FOR UPDATE', [keyId]);
          const at = now();
          await tx.query(
            `INSERT INTO vault_master_keys (key_id, state, first_used_at, retired_at) VALUES ($1, 'retired', $2, $2)
             ON CONFLICT (key_id) DO UPDATE SET state = 'retired', retired_at = COALESCE(vault_master_keys.retired_at, EXCLUDED.retired_at)`,
            [keyId, at],
          );
          if (before[0]?.state !== 'retired') {
            await recordAdminChange(tx, actor, { type: 'vault_master_key', id: keyId }, before[0] && { keyId, state: before[0].state }, { keyId, state: 'retired', retiredAt: at.toISOString(), activeKeyId: active.id });
          }
        }
        await tx.query('UPDATE connector_config_version SET version = version + 1');
      });
    }
    return { rewrapped, retired };
  });
}
