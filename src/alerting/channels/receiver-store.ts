import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { recordAdminChange, type AdminActor } from '../../audit/admin-change.js';
import { ProblemError } from '../../errors/problem-error.js';
import { withSafeDbErrors } from '../../store/safe-db-error.js';
import type { Queryable, Store } from '../../store/store.js';
import type { CredentialVault } from '../../vault/credential-vault.js';
import { matcherProblem } from '../matchers.js';
import { receiverIdPattern, receiverInputSchema, receiverSecretFields } from '../schemas.js';
import type { ReceiverKind, ReceiverRoute, ReceiverView } from '../types.js';
import { receiverOwnerId } from './receiver-owner.js';

// ajv-formats ships CommonJS typings that do not resolve as a callable under NodeNext (as in src/config/load-config.ts).
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** The body of PUT /admin/v1/receivers/{id}, validated (receiverInputSchema and the matchers' patterns). */
export interface ReceiverInput {
  kind: ReceiverKind;
  settings: Record<string, unknown>;
  route?: ReceiverRoute;
  /** Absent: true. */
  enabled?: boolean;
  /** Write-only; absent keeps the stored secrets (same kind only). */
  secrets?: Record<string, string>;
}

export type ReceiverValidation = { ok: true; input: ReceiverInput } | { ok: false; errors: Array<{ field: string; message: string }> };

const kinds: readonly ReceiverKind[] = ['email', 'webhook', 'telegram'];
let validators: Map<ReceiverKind, ValidateFunction> | undefined;

/**
 * Validates a receiver body. The schema is a oneOf by kind; validating
 * against the kind's own branch gives errors about that kind only (a oneOf
 * reports every branch's complaints).
 */
export function validateReceiverInput(value: unknown): ReceiverValidation {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, errors: [{ field: '(root)', message: 'must be an object' }] };
  if (typeof kind !== 'string' || !kinds.includes(kind as ReceiverKind)) return { ok: false, errors: [{ field: 'kind', message: `must be one of ${kinds.join(', ')}` }] };
  const validate = validatorOf(kind as ReceiverKind);
  if (!validate(value)) return { ok: false, errors: describeErrors(validate.errors) };
  const input = value as ReceiverInput;
  const errors = (input.route?.matchers ?? []).flatMap((matcher, index) => {
    const problem = matcherProblem(matcher);
    return problem ? [{ field: `route.matchers.${index}.value`, message: problem }] : [];
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, input };
}

function validatorOf(kind: ReceiverKind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(ajv);
    validators = new Map(kinds.map((each, index) => [each, ajv.compile(receiverInputSchema.oneOf[index]!)]));
  }
  return validators.get(kind)!;
}

function describeErrors(errors: ErrorObject[] | null | undefined): Array<{ field: string; message: string }> {
  const described = (errors ?? []).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean);
    if (error.keyword === 'required') path.push(String(error.params.missingProperty));
    if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
    // Messages from ajv only (never the value: a misplaced secret must not come back in the answer).
    const message = error.keyword === 'additionalProperties' ? 'is not a known field' : (error.message ?? 'is invalid');
    return { field: path.join('.') || '(root)', message };
  });
  return [...new Map(described.map((entry) => [`${entry.field}\u0000${entry.message}`, entry])).values()];
}

interface ReceiverRow {
  id: string;
  kind: ReceiverKind;
  settings: Record<string, unknown>;
  route: ReceiverRoute;
  enabled: boolean;
  updated_at: Date | string;
  updated_by: string;
}

const idPattern = new RegExp(receiverIdPattern);

/**
 * The receivers administrators added (alert_receivers). Each change commits
 * in one transaction with its secrets (the credential vault, owner
 * `alert-receiver:<id>`, working inside this transaction), its admin audit
 * entry (views before/after: secret names, never values) and a bump of
 * alerting_config_version, which the replicas poll.
 */
export class ReceiverStore {
  constructor(private readonly deps: { store: Store; vault?: CredentialVault }) {}

  async list(): Promise<ReceiverView[]> {
    return withSafeDbErrors(async () => {
      const { rows } = await this.deps.store.query<ReceiverRow>('SELECT * FROM alert_receivers ORDER BY id');
      return Promise.all(rows.map((row) => this.viewOf(row, this.deps.vault)));
    });
  }

  async get(id: string): Promise<ReceiverView | undefined> {
    if (!idPattern.test(id)) return undefined;
    return withSafeDbErrors(async () => {
      const { rows } = await this.deps.store.query<ReceiverRow>('SELECT * FROM alert_receivers WHERE id = $1', [id]);
      return rows[0] && this.viewOf(rows[0], this.deps.vault);
    });
  }

  /**
   * Creates or replaces a receiver. A kind that needs secrets needs the vault
   * (LGSP_VAULT_UNAVAILABLE without one) and its secrets when created or when
   * the kind changes (400); otherwise omitted secrets keep the stored ones.
   */
  async put(id: string, input: ReceiverInput, actor: AdminActor): Promise<{ receiver: ReceiverView; created: boolean }> {
    if (!idPattern.test(id)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'id', message: `must match ${receiverIdPattern}` }] });
    const validation = validateReceiverInput(input);
    if (!validation.ok) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: validation.errors });
    const secretFields = receiverSecretFields[input.kind] as readonly string[];
    const givenSecrets = input.secrets && Object.keys(input.secrets).length > 0 ? input.secrets : undefined;
    if (secretFields.length > 0 && !this.deps.vault) {
      throw new ProblemError('LGSP_VAULT_UNAVAILABLE', { detail: `a ${input.kind} receiver keeps its secrets in the credential vault, and this gateway has none (configure vault)` });
    }
    return withSafeDbErrors(() =>
      this.deps.store.transaction(async (tx) => {
        await lockReceiver(tx, id);
        const vault = this.deps.vault?.within(tx);
        const { rows: existingRows } = await tx.query<ReceiverRow>('SELECT * FROM alert_receivers WHERE id = $1 FOR UPDATE', [id]);
        const existing = existingRows[0];
        const before = existing && (await this.viewOf(existing, vault));
        const kindChanged = existing !== undefined && existing.kind !== input.kind;
        if (secretFields.length > 0 && !givenSecrets && (!existing || kindChanged)) {
          const message = kindChanged ? `a change of kind needs the new kind's secrets (${secretFields.join(', ')})` : `required for a ${input.kind} receiver (${secretFields.join(', ')})`;
          throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'secrets', message }] });
        }
        if (vault && givenSecrets) {
          const staged = await vault.stage(receiverOwnerId(id), { ...givenSecrets }, actor);
          await vault.activate(receiverOwnerId(id), staged.version, actor);
        } else if (vault && kindChanged && secretFields.length === 0) {
          // The old kind's secrets have no use any more.
          await vault.retire(receiverOwnerId(id), actor);
        }
        const { rows } = await tx.query<ReceiverRow>(
          `INSERT INTO alert_receivers (id, kind, settings, route, enabled, created_by, updated_by)
           VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $6)
           ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, settings = EXCLUDED.settings, route = EXCLUDED.route,
             enabled = EXCLUDED.enabled, updated_at = now(), updated_by = EXCLUDED.updated_by
           RETURNING *`,
          [id, input.kind, JSON.stringify(input.settings), JSON.stringify(input.route ?? {}), input.enabled ?? true, actor.actor],
        );
        const receiver = await this.viewOf(rows[0]!, vault);
        await recordAdminChange(tx, actor, { type: 'alert_receiver', id }, before, receiver);
        await bumpVersion(tx);
        return { receiver, created: !existing };
      }),
    );
  }

  /** Removes a stored receiver and destroys its secrets; false when there was none. */
  async remove(id: string, actor: AdminActor): Promise<boolean> {
    if (!idPattern.test(id)) return false;
    return withSafeDbErrors(() =>
      this.deps.store.transaction(async (tx) => {
        await lockReceiver(tx, id);
        const vault = this.deps.vault?.within(tx);
        const { rows } = await tx.query<ReceiverRow>('DELETE FROM alert_receivers WHERE id = $1 RETURNING *', [id]);
        if (!rows[0]) return false;
        const before = await this.viewOf(rows[0], vault);
        await vault?.retire(receiverOwnerId(id), actor);
        await recordAdminChange(tx, actor, { type: 'alert_receiver', id }, before, undefined);
        await bumpVersion(tx);
        return true;
      }),
    );
  }

  /** The receiver's secrets (active vault version), for its channel only; {} when it has none. */
  async secretsOf(id: string): Promise<Record<string, string>> {
    if (!this.deps.vault) return {};
    const { active } = await this.deps.vault.usable(receiverOwnerId(id));
    const secrets: Record<string, string> = {};
    for (const [field, value] of Object.entries(active?.fields ?? {})) if (typeof value === 'string') secrets[field] = value;
    return secrets;
  }

  private async viewOf(row: ReceiverRow, vault: CredentialVault | undefined): Promise<ReceiverView> {
    const secretFields = receiverSecretFields[row.kind] as readonly string[];
    let secretsSet: string[] = [];
    if (vault && secretFields.length > 0) {
      const active = (await vault.list(receiverOwnerId(row.id))).find((version) => version.state === 'active');
      secretsSet = (active?.fieldsSet ?? []).filter((field) => secretFields.includes(field));
    }
    return {
      id: row.id,
      kind: row.kind,
      settings: row.settings,
      route: row.route,
      enabled: row.enabled,
      source: 'admin',
      secretsSet,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    };
  }

}

/** Changes of one receiver take turns across replicas (the row may not exist yet, so a row lock would not do). */
async function lockReceiver(tx: Queryable, id: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:alert-receiver:' || $1::text))", [id]);
}

async function bumpVersion(tx: Queryable): Promise<void> {
  await tx.query('UPDATE alerting_config_version SET version = version + 1');
}
