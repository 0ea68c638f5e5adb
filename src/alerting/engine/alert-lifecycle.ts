import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../store/store.js';
import type { ActiveCondition, AlertState } from '../types.js';

export interface EvaluationOutcome {
  /** Alerts inserted by this evaluation (pending, or straight to firing when forSeconds is 0). */
  opened: string[];
  /** Alerts that started firing. */
  fired: string[];
  /** Alerts resolved: their condition cleared, or their rule is no longer evaluated. */
  resolved: string[];
}

interface OpenAlertRow {
  id: string;
  fingerprint: string;
  rule_id: string;
  state: AlertState;
  started_at: Date;
}

/**
 * Moves the alerts along their lifecycle after one evaluation, inside the
 * leader's fenced transaction. `conditions` are the series whose condition
 * holds now; `evaluatedRuleIds` the rules evaluated (enabled, effective): an
 * open alert of any other rule was removed or disabled. One alert_events row
 * per step, actor null (the engine).
 */
export async function applyEvaluation(
  tx: Queryable,
  conditions: readonly ActiveCondition[],
  now: Date,
  evaluatedRuleIds: ReadonlySet<string>,
): Promise<EvaluationOutcome> {
  const outcome: EvaluationOutcome = { opened: [], fired: [], resolved: [] };
  // Locked: an operator's acknowledge or resolve of the same alert waits for us (and we for it), never interleaves.
  const { rows: open } = await tx.query<OpenAlertRow>(
    "SELECT id, fingerprint, rule_id, state, started_at FROM alerts WHERE state <> 'resolved' ORDER BY id FOR UPDATE",
  );
  const openByFingerprint = new Map(open.map((row) => [row.fingerprint, row]));
  const holding = new Set<string>();

  for (const condition of conditions) {
    if (holding.has(condition.fingerprint)) continue; // one instance per fingerprint, whatever the evaluator returned
    holding.add(condition.fingerprint);
    const existing = openByFingerprint.get(condition.fingerprint);
    if (!existing) {
      const id = randomUUID();
      await tx.query(
        `INSERT INTO alerts (id, fingerprint, rule_id, labels, severity, summary, runbook, state, value, started_at, last_evaluated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, 'pending', $8, $9, $9)`,
        [id, condition.fingerprint, condition.ruleId, JSON.stringify(condition.labels), condition.severity, JSON.stringify(condition.summary), condition.runbook ?? null, condition.value, now],
      );
      await recordStep(tx, id, 'pending', now, { value: condition.value });
      outcome.opened.push(id);
      if (condition.forSeconds <= 0) {
        await fire(tx, id, condition, now);
        outcome.fired.push(id);
      }
      continue;
    }
    if (existing.state === 'pending' && now.getTime() - existing.started_at.getTime() >= condition.forSeconds * 1000) {
      await fire(tx, existing.id, condition, now);
      outcome.fired.push(existing.id);
      continue;
    }
    // Still pending, firing or acknowledged: the latest reading (the summary may quote {value}).
    await tx.query('UPDATE alerts SET value = $2, summary = $3::jsonb, last_evaluated_at = $4 WHERE id = $1', [
      existing.id,
      condition.value,
      JSON.stringify(condition.summary),
      now,
    ]);
  }

  for (const alert of open) {
    if (holding.has(alert.fingerprint)) continue;
    const resolution = evaluatedRuleIds.has(alert.rule_id) ? 'cleared' : 'rule_removed';
    await tx.query(
      "UPDATE alerts SET state = 'resolved', resolved_at = $2, resolution = $3, last_evaluated_at = $2 WHERE id = $1",
      [alert.id, now, resolution],
    );
    // A pending alert that clears never fired: nobody was told, nobody will be (no marks).
    await recordStep(tx, alert.id, 'resolved', now, { resolution, from: alert.state });
    outcome.resolved.push(alert.id);
  }
  return outcome;
}

async function fire(tx: Queryable, id: string, condition: ActiveCondition, now: Date): Promise<void> {
  await tx.query("UPDATE alerts SET state = 'firing', fired_at = $2, value = $3, summary = $4::jsonb, last_evaluated_at = $2 WHERE id = $1", [
    id,
    now,
    condition.value,
    JSON.stringify(condition.summary),
  ]);
  await recordStep(tx, id, 'firing', now, { value: condition.value });
}

async function recordStep(tx: Queryable, alertId: string, kind: 'pending' | 'firing' | 'resolved', at: Date, detail: Record<string, unknown>): Promise<void> {
  await tx.query('INSERT INTO alert_events (alert_id, kind, at, actor, detail) VALUES ($1, $2, $3, NULL, $4::jsonb)', [alertId, kind, at, JSON.stringify(detail)]);
}
