import type { AdminActor } from '../audit/admin-change.js';
import { recordAdminChange } from '../audit/admin-change.js';
import type { ProbeSetting } from '../resilience/probe-plan.js';
import type { Queryable, Store } from '../store/store.js';

/** The maintenance notice callers receive (503 LGSP_CONNECTOR_MAINTENANCE with Retry-After). */
export interface MaintenanceNotice {
  message: string;
  retryAfterSeconds: number;
}

/**
 * What an administrator changed of one connector, over the configuration
 * file. An absent member keeps the configuration's value.
 */
export interface ConnectorSettingsOverride {
  baseUrl?: string;
  /** The whole non-secret settings object (validated against the descriptor's settingsSchema). */
  settings?: Record<string, unknown>;
  enabled?: boolean;
  maintenance?: MaintenanceNotice;
  /** The health probe's call (validated with src/resilience/probe-plan.ts). */
  probe?: ProbeSetting;
}

export interface StoredConnectorSettings {
  connectorId: string;
  override: ConnectorSettingsOverride;
  updatedAt: string;
  updatedBy: string;
}

/**
 * A change: a member set replaces the override's, a member set to null goes
 * back to the configuration's value (JSON merge-patch, RFC 7396, one level).
 */
export type ConnectorSettingsPatch = { [K in keyof ConnectorSettingsOverride]?: ConnectorSettingsOverride[K] | null };

const columns = { baseUrl: 'base_url', settings: 'settings', enabled: 'enabled', maintenance: 'maintenance', probe: 'probe' } as const;

/**
 * Persistence of the administrators' connector settings. Like every admin
 * change, a change commits in one transaction with its admin-stream audit
 * record (before/after: these are non-secret by construction, credentials
 * live in the vault) and a bump of connector_config_version, which every
 * replica polls (src/connector-runtime/connector-runtime.ts).
 */
export class ConnectorSettingsStore {
  constructor(private readonly store: Store) {}

  async version(): Promise<number> {
    const { rows } = await this.store.query<{ version: string | number }>('SELECT version FROM connector_config_version');
    return Number(rows[0]?.version ?? 0);
  }

  async list(db: Queryable = this.store): Promise<StoredConnectorSettings[]> {
    const { rows } = await db.query<SettingsRow>('SELECT * FROM connector_settings ORDER BY connector_id');
    return rows.map(toStored);
  }

  async get(connectorId: string, db: Queryable = this.store): Promise<StoredConnectorSettings | undefined> {
    const { rows } = await db.query<SettingsRow>('SELECT * FROM connector_settings WHERE connector_id = $1', [connectorId]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** Applies the patch; the row goes away once nothing is overridden any more. Returns the override now stored. */
  patch(connectorId: string, patch: ConnectorSettingsPatch, actor: AdminActor): Promise<ConnectorSettingsOverride> {
    return this.store.transaction(async (tx) => {
      // Two admins patching one connector at once must not lose either change, even before its row exists (a row lock would not cover that).
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:connector-settings:' || $1::text))", [connectorId]);
      const before = (await this.get(connectorId, tx))?.override ?? {};
      const after: ConnectorSettingsOverride = { ...before };
      for (const [key, value] of Object.entries(patch) as Array<[keyof ConnectorSettingsOverride, unknown]>) {
        if (value === null) delete after[key];
        else if (value !== undefined) (after as Record<string, unknown>)[key] = value;
      }
      if (Object.keys(after).length === 0) {
        await tx.query('DELETE FROM connector_settings WHERE connector_id = $1', [connectorId]);
      } else {
        const values = Object.keys(columns).map((key) => {
          const value = after[key as keyof ConnectorSettingsOverride];
          return value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : value;
        });
        await tx.query(
          `INSERT INTO connector_settings (connector_id, ${Object.values(columns).join(', ')}, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (connector_id) DO UPDATE SET ${Object.values(columns).map((column) => `${column} = EXCLUDED.${column}`).join(', ')}, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [connectorId, ...values, actor.actor],
        );
      }
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await recordAdminChange(tx, actor, { type: 'connector_settings', id: connectorId }, nonEmpty(before), nonEmpty(after));
        await tx.query('UPDATE connector_config_version SET version = version + 1');
      }
      return after;
    });
  }
}

function nonEmpty(override: ConnectorSettingsOverride): object | undefined {
  return Object.keys(override).length > 0 ? override : undefined;
}

interface SettingsRow {
  connector_id: string;
  base_url: string | null;
  settings: Record<string, unknown> | string | null;
  enabled: boolean | null;
  maintenance: MaintenanceNotice | string | null;
  probe: ProbeSetting | string | null;
  updated_at: Date | string;
  updated_by: string;
}

function json<T>(value: T | string | null): T | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function toStored(row: SettingsRow): StoredConnectorSettings {
  const override: ConnectorSettingsOverride = {
    ...(row.base_url !== null && { baseUrl: row.base_url }),
    ...(row.settings !== null && { settings: json(row.settings) }),
    ...(row.enabled !== null && { enabled: row.enabled }),
    ...(row.maintenance !== null && { maintenance: json(row.maintenance) }),
    ...(row.probe !== null && { probe: json(row.probe) }),
  };
  return { connectorId: row.connector_id, override, updatedAt: new Date(row.updated_at).toISOString(), updatedBy: row.updated_by };
}
