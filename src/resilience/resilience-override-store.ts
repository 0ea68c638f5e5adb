import type { AdminActor } from '../access/access-repository.js';
import { recordAdminChange } from '../audit/admin-change.js';
import type { Queryable, Store } from '../store/store.js';
import type { ResiliencePolicyOverride } from './policy.js';

export interface StoredResilienceOverride {
  connectorId: string;
  override: ResiliencePolicyOverride;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Persistence of the admins' resilience overrides. Like consumer and grant
 * changes (src/access/access-repository.ts), every change commits in one
 * transaction with its admin_audit_log entry (before/after) and a bump of the
 * version the replicas poll.
 */
export class ResilienceOverrideStore {
  constructor(private readonly store: Store) {}

  async version(): Promise<number> {
    const { rows } = await this.store.query<{ version: string | number }>('SELECT version FROM resilience_override_version');
    return Number(rows[0]?.version ?? 0);
  }

  async list(db: Queryable = this.store): Promise<StoredResilienceOverride[]> {
    const { rows } = await db.query<OverrideRow>('SELECT * FROM connector_resilience_overrides ORDER BY connector_id');
    return rows.map(toOverride);
  }

  async get(connectorId: string, db: Queryable = this.store): Promise<StoredResilienceOverride | undefined> {
    const { rows } = await db.query<OverrideRow>('SELECT * FROM connector_resilience_overrides WHERE connector_id = $1', [connectorId]);
    return rows[0] ? toOverride(rows[0]) : undefined;
  }

  save(connectorId: string, override: ResiliencePolicyOverride, actor: AdminActor): Promise<{ created: boolean; saved: StoredResilienceOverride }> {
    return this.store.transaction(async (tx) => {
      const before = await this.get(connectorId, tx);
      const { rows } = await tx.query<OverrideRow>(
        `INSERT INTO connector_resilience_overrides (connector_id, override, updated_by) VALUES ($1, $2, $3)
         ON CONFLICT (connector_id) DO UPDATE SET override = EXCLUDED.override, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING *`,
        [connectorId, JSON.stringify(override), actor.actor],
      );
      const saved = toOverride(rows[0]!);
      await this.recordChange(tx, actor, connectorId, before?.override, saved.override);
      return { created: !before, saved };
    });
  }

  /** Removes the override (back to descriptor + config); false when there was none. */
  remove(connectorId: string, actor: AdminActor): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const before = await this.get(connectorId, tx);
      if (!before) return false;
      await tx.query('DELETE FROM connector_resilience_overrides WHERE connector_id = $1', [connectorId]);
      await this.recordChange(tx, actor, connectorId, before.override, undefined);
      return true;
    });
  }

  private async recordChange(tx: Queryable, actor: AdminActor, connectorId: string, before: object | undefined, after: object | undefined): Promise<void> {
    // The admin stream of the audit chain: the change and its record commit together.
    await recordAdminChange(tx, actor, { type: 'connector_resilience', id: connectorId }, before, after);
    await tx.query('UPDATE resilience_override_version SET version = version + 1');
  }
}

interface OverrideRow {
  connector_id: string;
  override: ResiliencePolicyOverride | string;
  updated_at: Date | string;
  updated_by: string;
}

function toOverride(row: OverrideRow): StoredResilienceOverride {
  return {
    connectorId: row.connector_id,
    override: typeof row.override === 'string' ? (JSON.parse(row.override) as ResiliencePolicyOverride) : row.override,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}
