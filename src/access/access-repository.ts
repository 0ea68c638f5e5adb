import { randomUUID } from 'node:crypto';
import type { Consumer, Grant, Purpose, RatePolicy } from '../../contracts/types.generated.js';
import { recordAdminChange, type AdminActor } from '../audit/admin-change.js';
import type { Queryable, Store } from '../store/store.js';

// Defined beside the admin audit log it is written to; re-exported for the admin routes and the seed.
export type { AdminActor } from '../audit/admin-change.js';

type ResourceType = 'consumer' | 'grant' | 'purpose';

/**
 * What a replica must re-read after a policy version (migration 0016):
 * `consumer` is the consumer row with all its grants (grants are held per
 * consumer and vanish with it), `purpose` the purpose row.
 */
export interface PolicyChange {
  version: number;
  resourceType: string;
  resourceId: string;
}

/** How many of the latest policy versions keep their changes: a replica further behind reloads the whole policy. */
export const policyChangesKept = 2_000;

/**
 * Persistence of consumers, purposes and grants. Every change runs in one
 * transaction with its admin audit entry (before/after) and a bump of the
 * policy version that replicas poll: a change is applied, audited and
 * announced together, or not at all.
 */
export class AccessRepository {
  constructor(private readonly store: Store) {}

  // --- reads -------------------------------------------------------------

  async listConsumers(db: Queryable = this.store): Promise<Consumer[]> {
    const { rows } = await db.query<ConsumerRow>('SELECT * FROM consumers ORDER BY id');
    return rows.map(toConsumer);
  }

  async getConsumer(id: string, db: Queryable = this.store): Promise<Consumer | undefined> {
    const { rows } = await db.query<ConsumerRow>('SELECT * FROM consumers WHERE id = $1', [id]);
    return rows[0] && toConsumer(rows[0]);
  }

  async listPurposes(db: Queryable = this.store): Promise<Purpose[]> {
    const { rows } = await db.query<PurposeRow>('SELECT * FROM purposes ORDER BY code');
    return rows.map(toPurpose);
  }

  async getPurpose(code: string, db: Queryable = this.store): Promise<Purpose | undefined> {
    const { rows } = await db.query<PurposeRow>('SELECT * FROM purposes WHERE code = $1', [code]);
    return rows[0] && toPurpose(rows[0]);
  }

  async listGrants(filter: { consumerId?: string } = {}, db: Queryable = this.store): Promise<Grant[]> {
    const { rows } = filter.consumerId
      ? await db.query<GrantRow>('SELECT * FROM grants WHERE consumer_id = $1 ORDER BY operation', [filter.consumerId])
      : await db.query<GrantRow>('SELECT * FROM grants ORDER BY consumer_id, operation');
    return rows.map(toGrant);
  }

  async getGrant(id: string, db: Queryable = this.store): Promise<Grant | undefined> {
    const { rows } = await db.query<GrantRow>('SELECT * FROM grants WHERE id = $1', [id]);
    return rows[0] && toGrant(rows[0]);
  }

  async listConsumersById(ids: readonly string[]): Promise<Consumer[]> {
    const { rows } = await this.store.query<ConsumerRow>('SELECT * FROM consumers WHERE id = ANY($1::text[])', [ids]);
    return rows.map(toConsumer);
  }

  async listGrantsOfConsumers(consumerIds: readonly string[]): Promise<Grant[]> {
    const { rows } = await this.store.query<GrantRow>('SELECT * FROM grants WHERE consumer_id = ANY($1::text[])', [consumerIds]);
    return rows.map(toGrant);
  }

  async listPurposesByCode(codes: readonly string[]): Promise<Purpose[]> {
    const { rows } = await this.store.query<PurposeRow>('SELECT * FROM purposes WHERE code = ANY($1::text[])', [codes]);
    return rows.map(toPurpose);
  }

  /** The recorded changes of the versions after `afterVersion` up to `upToVersion`, oldest first. */
  async policyChanges(afterVersion: number, upToVersion: number): Promise<PolicyChange[]> {
    const { rows } = await this.store.query<{ version: number; resource_type: string; resource_id: string }>(
      'SELECT version, resource_type, resource_id FROM access_policy_changes WHERE version > $1 AND version <= $2 ORDER BY version',
      [afterVersion, upToVersion],
    );
    return rows.map((row) => ({ version: Number(row.version), resourceType: row.resource_type, resourceId: row.resource_id }));
  }

  async policyVersion(): Promise<number> {
    const { rows } = await this.store.query<{ version: number }>('SELECT version FROM access_policy_version');
    return Number(rows[0]?.version ?? 0);
  }

  // --- changes -----------------------------------------------------------

  saveConsumer(consumer: Consumer, actor: AdminActor): Promise<{ created: boolean; consumer: Consumer }> {
    return this.change(actor, 'consumer', consumer.id, async (tx) => {
      const before = await this.getConsumer(consumer.id, tx);
      const { rows } = await tx.query<ConsumerRow>(
        `INSERT INTO consumers (id, client_id, name, agency, contact, status, rate_limit)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET client_id = EXCLUDED.client_id, name = EXCLUDED.name, agency = EXCLUDED.agency,
           contact = EXCLUDED.contact, status = EXCLUDED.status, rate_limit = EXCLUDED.rate_limit, updated_at = now()
         RETURNING *`,
        [consumer.id, consumer.clientId, consumer.name, consumer.agency, json(consumer.contact ?? {}), consumer.status, json(consumer.rateLimit ?? null)],
      );
      const after = toConsumer(rows[0]!);
      return { before, after, result: { created: !before, consumer: after } };
    });
  }

  deleteConsumer(id: string, actor: AdminActor): Promise<boolean> {
    return this.change(actor, 'consumer', id, async (tx) => {
      const before = await this.getConsumer(id, tx);
      if (before) await tx.query('DELETE FROM consumers WHERE id = $1', [id]);
      return { before, after: undefined, result: before !== undefined };
    });
  }

  savePurpose(purpose: Purpose, actor: AdminActor): Promise<{ created: boolean; purpose: Purpose }> {
    return this.change(actor, 'purpose', purpose.code, async (tx) => {
      const before = await this.getPurpose(purpose.code, tx);
      const { rows } = await tx.query<PurposeRow>(
        `INSERT INTO purposes (code, name, kind, legal_basis, unit_code_patterns, procedure_codes)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, legal_basis = EXCLUDED.legal_basis,
           unit_code_patterns = EXCLUDED.unit_code_patterns, procedure_codes = EXCLUDED.procedure_codes, updated_at = now()
         RETURNING *`,
        [purpose.code, purpose.name, purpose.kind, purpose.legalBasis, purpose.unitCodePatterns ?? [], purpose.procedureCodes ?? []],
      );
      const after = toPurpose(rows[0]!);
      return { before, after, result: { created: !before, purpose: after } };
    });
  }

  deletePurpose(code: string, actor: AdminActor): Promise<boolean> {
    return this.change(actor, 'purpose', code, async (tx) => {
      const before = await this.getPurpose(code, tx);
      if (before) await tx.query('DELETE FROM purposes WHERE code = $1', [code]);
      return { before, after: undefined, result: before !== undefined };
    });
  }

  /** Creates, or replaces the grant of the same consumer and operation (one grant per pair). */
  saveGrant(grant: Grant, actor: AdminActor): Promise<{ created: boolean; grant: Grant }> {
    return this.changeGrant(actor, grant, async (tx) => {
      const { rows } = await tx.query<GrantRow>('SELECT * FROM grants WHERE consumer_id = $1 AND operation = $2', [grant.consumerId, grant.operation]);
      return rows[0] && toGrant(rows[0]);
    });
  }

  /** Replaces the grant with this id (its consumer and operation may not move to a pair that already has one). */
  replaceGrant(id: string, grant: Grant, actor: AdminActor): Promise<{ created: boolean; grant: Grant }> {
    return this.changeGrant(actor, { ...grant, id }, (tx) => this.getGrant(id, tx));
  }

  deleteGrant(id: string, actor: AdminActor): Promise<boolean> {
    return this.change(actor, 'grant', id, async (tx) => {
      const before = await this.getGrant(id, tx);
      if (before) await tx.query('DELETE FROM grants WHERE id = $1', [id]);
      return { before, after: undefined, result: before !== undefined };
    });
  }

  private async changeGrant(actor: AdminActor, grant: Grant, findExisting: (tx: Queryable) => Promise<Grant | undefined>) {
    return this.store.transaction(async (tx) => {
      const before = await findExisting(tx);
      const id = before?.id ?? grant.id ?? randomUUID();
      const { rows } = await tx.query<GrantRow>(
        `INSERT INTO grants (id, consumer_id, operation, purposes, fields, valid_from, valid_until, quota, allow_cached_responses)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET consumer_id = EXCLUDED.consumer_id, operation = EXCLUDED.operation, purposes = EXCLUDED.purposes,
           fields = EXCLUDED.fields, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until, quota = EXCLUDED.quota,
           allow_cached_responses = EXCLUDED.allow_cached_responses, updated_at = now()
         RETURNING *`,
        [id, grant.consumerId, grant.operation, grant.purposes ?? [], grant.fields, grant.validFrom ?? null, grant.validUntil ?? null, json(grant.quota ?? null), grant.allowCachedResponses === true],
      );
      const after = toGrant(rows[0]!);
      await this.recordChange(tx, actor, 'grant', id, before, after);
      return { created: !before, grant: after };
    });
  }

  private change<T>(
    actor: AdminActor,
    type: ResourceType,
    id: string,
    apply: (tx: Queryable) => Promise<{ before: object | undefined; after: object | undefined; result: T }>,
  ): Promise<T> {
    return this.store.transaction(async (tx) => {
      const { before, after, result } = await apply(tx);
      if (before || after) await this.recordChange(tx, actor, type, id, before, after);
      return result;
    });
  }

  private async recordChange(tx: Queryable, actor: AdminActor, type: ResourceType, id: string, before: object | undefined, after: object | undefined) {
    await recordAdminChange(tx, actor, { type, id }, before, after);
    // The row lock on the version orders concurrent changes: each gets the next version, and every
    // version up to the one a replica reads has committed with its change rows.
    const { rows } = await tx.query<{ version: number }>('UPDATE access_policy_version SET version = version + 1 RETURNING version');
    const version = Number(rows[0]!.version);
    const [resourceType, resourceIds] = reReadBy(type, id, before, after);
    await tx.query(
      'INSERT INTO access_policy_changes (version, resource_type, resource_id) SELECT $1::bigint, $2::text, unnest($3::text[])',
      [version, resourceType, resourceIds],
    );
    await tx.query('DELETE FROM access_policy_changes WHERE version <= $1', [version - policyChangesKept]);
  }
}

export interface AdminAuditEntry {
  id: number;
  occurredAt: string;
  requestId: string;
  actor: string;
  actorClient: string;
  /** `read` entries record audit queries and citizen reports (src/audit/query). */
  action: 'create' | 'update' | 'delete' | 'read';
  resourceType: ResourceType | 'audit_records' | 'audit_subject_report' | 'audit_chain';
  resourceId: string;
  before: unknown;
  after: unknown;
}

export async function listAdminAudit(db: Queryable, filter: { resourceType?: string; resourceId?: string; limit?: number } = {}): Promise<AdminAuditEntry[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM admin_audit_log
      WHERE ($1::text IS NULL OR resource_type = $1) AND ($2::text IS NULL OR resource_id = $2)
      ORDER BY id DESC LIMIT $3`,
    [filter.resourceType ?? null, filter.resourceId ?? null, Math.min(filter.limit ?? 100, 1000)],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    occurredAt: (row.occurred_at as Date).toISOString(),
    requestId: row.request_id as string,
    actor: row.actor as string,
    actorClient: row.actor_client as string,
    action: row.action as AdminAuditEntry['action'],
    resourceType: row.resource_type as AdminAuditEntry['resourceType'],
    resourceId: row.resource_id as string,
    before: row.before,
    after: row.after,
  }));
}

/**
 * The change-log rows of one admin change. A grant change names the
 * consumer(s) whose grants it touched — before and after, since a replaced
 * grant may move to another consumer — because replicas hold grants per consumer.
 */
function reReadBy(type: ResourceType, id: string, before: object | undefined, after: object | undefined): [string, string[]] {
  if (type !== 'grant') return [type, [id]];
  const consumerIds = [before, after].flatMap((grant) => (grant ? [(grant as Grant).consumerId] : []));
  return ['consumer', [...new Set(consumerIds)]];
}

// --- row mapping -----------------------------------------------------------

interface ConsumerRow {
  id: string;
  client_id: string;
  name: string;
  agency: string;
  contact: Consumer['contact'];
  status: Consumer['status'];
  rate_limit: RatePolicy | null;
  created_at: Date;
  updated_at: Date;
}

interface PurposeRow {
  code: string;
  name: string;
  kind: Purpose['kind'];
  legal_basis: string;
  unit_code_patterns: string[];
  procedure_codes: string[];
  created_at: Date;
  updated_at: Date;
}

interface GrantRow {
  id: string;
  consumer_id: string;
  operation: string;
  purposes: string[];
  fields: string[];
  valid_from: Date | null;
  valid_until: Date | null;
  quota: RatePolicy | null;
  allow_cached_responses: boolean;
  created_at: Date;
  updated_at: Date;
}

function toConsumer(row: ConsumerRow): Consumer {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    agency: row.agency,
    ...(row.contact && Object.keys(row.contact).length > 0 ? { contact: row.contact } : {}),
    status: row.status,
    ...(row.rate_limit ? { rateLimit: row.rate_limit } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toPurpose(row: PurposeRow): Purpose {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    legalBasis: row.legal_basis,
    ...(row.unit_code_patterns.length > 0 ? { unitCodePatterns: row.unit_code_patterns } : {}),
    ...(row.procedure_codes.length > 0 ? { procedureCodes: row.procedure_codes } : {}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    operation: row.operation,
    ...((row.purposes as string[]).length > 0 ? { purposes: row.purposes as [string, ...string[]] } : {}),
    fields: row.fields as Grant['fields'],
    ...(row.valid_from ? { validFrom: row.valid_from.toISOString() } : {}),
    ...(row.valid_until ? { validUntil: row.valid_until.toISOString() } : {}),
    ...(row.quota ? { quota: row.quota } : {}),
    allowCachedResponses: row.allow_cached_responses,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** jsonb parameters go as text: both drivers then parse them server-side the same way. */
function json(value: unknown): string {
  return JSON.stringify(value);
}
