import { recordAdminChange, type AdminActor } from '../../audit/admin-change.js';
import type { Queryable, Store } from '../../store/store.js';
import type { AlertRule, EffectiveRule, RuleSource } from '../types.js';

export interface StoredAlertRule {
  rule: AlertRule;
  updatedAt: Date;
  updatedBy: string;
}

/**
 * The rules administrators added or changed at run time (over the shipped
 * defaults and the config file). Each change commits in one transaction with
 * its admin-stream audit record and a bump of alerting_config_version, which
 * every replica polls to reload its effective rules. Rules are validated by
 * the caller (validateAlertRule) before they get here.
 */
export class AlertRuleStore {
  constructor(private readonly store: Store) {}

  async list(db: Queryable = this.store): Promise<StoredAlertRule[]> {
    const { rows } = await db.query<{ rule: AlertRule; updated_at: Date; updated_by: string }>('SELECT rule, updated_at, updated_by FROM alert_rules ORDER BY id');
    return rows.map((row) => ({ rule: row.rule, updatedAt: row.updated_at, updatedBy: row.updated_by }));
  }

  async version(db: Queryable = this.store): Promise<number> {
    const { rows } = await db.query<{ version: string | number }>('SELECT version FROM alerting_config_version');
    return Number(rows[0]?.version ?? 0);
  }

  /** Creates or replaces the rule with this id (a default or config rule of that id is overridden by it). */
  put(rule: AlertRule, actor: AdminActor): Promise<{ created: boolean }> {
    return this.store.transaction(async (tx) => {
      const before = await this.lockedRule(tx, rule.id);
      await tx.query(
        `INSERT INTO alert_rules (id, rule, updated_at, updated_by) VALUES ($1, $2::jsonb, now(), $3)
         ON CONFLICT (id) DO UPDATE SET rule = EXCLUDED.rule, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [rule.id, JSON.stringify(rule), actor.actor],
      );
      await this.recordChange(tx, actor, rule.id, before, rule);
      return { created: before === undefined };
    });
  }

  /** Removes the administrators' rule (a default or config rule of that id applies again). False when there was none. */
  remove(id: string, actor: AdminActor): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const before = await this.lockedRule(tx, id);
      if (!before) return false;
      await tx.query('DELETE FROM alert_rules WHERE id = $1', [id]);
      await this.recordChange(tx, actor, id, before, undefined);
      return true;
    });
  }

  private async lockedRule(tx: Queryable, id: string): Promise<AlertRule | undefined> {
    // Two administrators changing one rule at once, even before its row exists: serialized, so each audit record's `before` is true.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:alert-rule:' || $1::text))", [id]);
    const { rows } = await tx.query<{ rule: AlertRule }>('SELECT rule FROM alert_rules WHERE id = $1', [id]);
    return rows[0]?.rule;
  }

  private async recordChange(tx: Queryable, actor: AdminActor, id: string, before: AlertRule | undefined, after: AlertRule | undefined): Promise<void> {
    await recordAdminChange(tx, actor, { type: 'alert_rule', id }, before, after);
    await tx.query('UPDATE alerting_config_version SET version = version + 1');
  }
}

/**
 * The rules in force: shipped defaults, then the config file's, then the
 * administrators' — a later source replaces an earlier rule of the same id
 * (to switch a default off, put it with enabled: false). Sorted by id.
 */
export function effectiveRules(defaults: readonly AlertRule[], config: readonly AlertRule[], stored: readonly AlertRule[]): EffectiveRule[] {
  const byId = new Map<string, EffectiveRule>();
  const sources: Array<[RuleSource, readonly AlertRule[]]> = [['default', defaults], ['config', config], ['admin', stored]];
  for (const [source, rules] of sources) for (const rule of rules) byId.set(rule.id, { rule, source });
  return [...byId.values()].sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
}
