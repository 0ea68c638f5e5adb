import { readFileSync } from 'node:fs';
import type { VaultConfig } from '../config/gateway-config.js';
import { ProblemError } from '../errors/problem-error.js';
import type { Queryable } from '../store/store.js';
import type { MasterKeyMaterial } from './envelope.js';

const masterKeyBytes = 32;

/**
 * The master keys this process holds (config `vault.masterKeys`): the
 * active one wraps new records, the others only open records still wrapped
 * under them, until `npm run vault:rewrap` moves those and retires them. A
 * retired id is refused even if a deployment still configures it: the store
 * remembers retirements (vault_master_keys), load() reads them.
 *
 * Errors name key ids and files, never key material.
 */
export class MasterKeyring {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly retired: ReadonlySet<string>;

  constructor(keys: readonly MasterKeyMaterial[], readonly activeKeyId: string, retired: Iterable<string> = []) {
    const byId = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (byId.has(id)) throw vaultKeyProblem(`master key id '${id}' is configured twice`);
      if (key.length !== masterKeyBytes) throw vaultKeyProblem(`master key '${id}' must be ${masterKeyBytes} bytes`);
      byId.set(id, Buffer.from(key));
    }
    this.keys = byId;
    this.retired = new Set(retired);
    if (!byId.has(activeKeyId)) throw vaultKeyProblem(`vault.activeKeyId '${activeKeyId}' is not among vault.masterKeys`);
    if (this.retired.has(activeKeyId)) throw vaultKeyProblem(`the active master key '${activeKeyId}' was retired (npm run vault:rewrap): configure a new key`);
  }

  /** The keys of the configuration (inline or from their files), without the store's retirements: see load(). */
  static fromConfig(vault: VaultConfig, retired: Iterable<string> = []): MasterKeyring {
    return new MasterKeyring(vault.masterKeys.map(readMasterKey), vault.activeKeyId, retired);
  }

  /**
   * The configured keys minus the retired ones the store remembers; refuses
   * a retired active key. Records the active key as in use (first_used_at).
   */
  static async load(vault: VaultConfig, store: Queryable): Promise<MasterKeyring> {
    const { rows } = await store.query<{ key_id: string }>("SELECT key_id FROM vault_master_keys WHERE state = 'retired'");
    const ring = MasterKeyring.fromConfig(vault, rows.map((row) => row.key_id));
    await registerMasterKey(store, ring.activeKeyId);
    return ring;
  }

  get active(): MasterKeyMaterial {
    return this.material(this.activeKeyId);
  }

  /** The key named by a record; LGSP_VAULT_UNAVAILABLE when it is unknown here or retired. */
  material(id: string): MasterKeyMaterial {
    if (this.retired.has(id)) throw vaultKeyProblem(`master key '${id}' is retired`);
    const key = this.keys.get(id);
    if (!key) throw vaultKeyProblem(`master key '${id}' is not configured`);
    return { id, key };
  }

  isRetired(id: string): boolean {
    return this.retired.has(id);
  }

  /** Configured ids that are not retired. */
  ids(): string[] {
    return [...this.keys.keys()].filter((id) => !this.retired.has(id));
  }
}

/**
 * Notes a master key as in use and returns its state: a caller about to
 * wrap with a retired key (a keyring built without load()) is stopped here,
 * inside its transaction.
 */
export async function registerMasterKey(db: Queryable, keyId: string, now: Date = new Date()): Promise<void> {
  const { rows } = await db.query<{ state: string }>(
    `INSERT INTO vault_master_keys (key_id, state, first_used_at) VALUES ($1, 'active', $2)
     ON CONFLICT (key_id) DO UPDATE SET key_id = EXCLUDED.key_id RETURNING state`,
    [keyId, now],
  );
  if (rows[0]?.state === 'retired') throw vaultKeyProblem(`master key '${keyId}' is retired`);
}

function readMasterKey(entry: VaultConfig['masterKeys'][number]): MasterKeyMaterial {
  let text: string;
  if (entry.key !== undefined) text = entry.key;
  else if (entry.file !== undefined) {
    try {
      text = readFileSync(entry.file, 'utf8');
    } catch (error) {
      throw vaultKeyProblem(`master key '${entry.id}': cannot read ${entry.file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else throw vaultKeyProblem(`master key '${entry.id}' has neither key nor file`);
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from ignores what is not base64: re-encoding tells a real key from a typo.
  if (key.length !== masterKeyBytes || key.toString('base64') !== trimmed) {
    key.fill(0);
    throw vaultKeyProblem(`master key '${entry.id}' must be ${masterKeyBytes} random bytes in base64 (openssl rand -base64 32)`);
  }
  return { id: entry.id, key };
}

function vaultKeyProblem(detail: string): ProblemError {
  return new ProblemError('LGSP_VAULT_UNAVAILABLE', { detail });
}
