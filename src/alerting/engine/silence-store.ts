import { randomUUID } from 'node:crypto';
import type { AdminActor } from '../../audit/admin-change.js';
import { recordAdminChange } from '../../audit/admin-change.js';
import { ProblemError } from '../../errors/problem-error.js';
import type { Queryable, Store } from '../../store/store.js';
import { matcherProblem } from '../matchers.js';
import type { Matcher, SilenceView } from '../types.js';
import { isUuid } from './alert-rows.js';

export interface SilenceInput {
  matchers: Matcher[];
  /** Default: now. */
  startsAt?: Date;
  endsAt: Date;
  reason: string;
}

/** What the engine needs of an active silence. */
export interface ActiveSilence {
  id: string;
  matchers: Matcher[];
}

interface SilenceRow {
  id: string;
  matchers: Matcher[];
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
  created_by: string;
  reason: string;
  expired_at: Date | null;
  expired_by: string | null;
}

const silenceColumns = 'id, matchers, starts_at, ends_at, created_at, created_by, reason, expired_at, expired_by';

function silenceState(row: SilenceRow, now: Date): SilenceView['state'] {
  if (row.expired_at !== null || row.ends_at.getTime() <= now.getTime()) return 'expired';
  return row.starts_at.getTime() > now.getTime() ? 'pending' : 'active';
}

function toView(row: SilenceRow, now: Date): SilenceView {
  return {
    id: row.id,
    matchers: row.matchers,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    reason: row.reason,
    ...(row.expired_at && { expiredAt: row.expired_at.toISOString() }),
    ...(row.expired_by !== null && { expiredBy: row.expired_by }),
    state: silenceState(row, now),
  };
}

/** Silences active at `now` (started, not ended, not expired by hand): what the engine and the alert views apply. */
export async function activeSilences(db: Queryable, now: Date): Promise<ActiveSilence[]> {
  const { rows } = await db.query<{ id: string; matchers: Matcher[] }>(
    'SELECT id, matchers FROM alert_silences WHERE expired_at IS NULL AND starts_at <= $1 AND ends_at > $1 ORDER BY starts_at, id',
    [now],
  );
  return rows;
}

/**
 * Silences as operators create and expire them. Each change writes its
 * alert_events row, its admin audit record and bumps alerting_config_version
 * in one transaction: all of it or none.
 */
export class SilenceStore {
  constructor(private readonly store: Store) {}

  async create(input: SilenceInput, actor: AdminActor, now: Date = new Date()): Promise<SilenceView> {
    const startsAt = input.startsAt ?? now;
    const errors: Array<{ field: string; message: string }> = [];
    input.matchers.forEach((matcher, index) => {
      const problem = matcherProblem(matcher);
      if (problem) errors.push({ field: `matchers/${index}/value`, message: problem });
    });
    if (input.matchers.length === 0) errors.push({ field: 'matchers', message: 'at least one matcher is required' });
    if (Number.isNaN(startsAt.getTime())) errors.push({ field: 'startsAt', message: 'not a date-time' });
    if (Number.isNaN(input.endsAt.getTime())) errors.push({ field: 'endsAt', message: 'not a date-time' });
    else {
      if (input.endsAt.getTime() <= startsAt.getTime()) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
      if (input.endsAt.getTime() <= now.getTime()) errors.push({ field: 'endsAt', message: 'must be in the future' });
    }
    if (input.reason.trim().length === 0) errors.push({ field: 'reason', message: 'a reason is required' });
    if (errors.length > 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'The silence cannot be created', errors });

    const id = randomUUID();
    return this.store.transaction(async (tx) => {
      const { rows } = await tx.query<SilenceRow>(
        `INSERT INTO alert_silences (id, matchers, starts_at, ends_at, created_at, created_by, reason)
         VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7) RETURNING ${silenceColumns}`,
        [id, JSON.stringify(input.matchers), startsAt, input.endsAt, now, actor.actor, input.reason],
      );
      const view = toView(rows[0]!, now);
      await tx.query("INSERT INTO alert_events (silence_id, kind, at, actor, detail) VALUES ($1, 'silence_created', $2, $3, $4::jsonb)", [
        id,
        now,
        actor.actor,
        JSON.stringify({ matchers: input.matchers, startsAt: view.startsAt, endsAt: view.endsAt }),
      ]);
      await recordAdminChange(tx, actor, { type: 'alert_silence', id }, undefined, auditView(view));
      await bumpConfigVersion(tx);
      return view;
    });
  }

  /** Ends a pending or active silence now. LGSP_ALERT_STATE when it already ended; LGSP_NOT_FOUND when unknown. */
  async expire(id: string, actor: AdminActor, now: Date = new Date()): Promise<SilenceView> {
    if (!isUuid(id)) throw notFound();
    return this.store.transaction(async (tx) => {
      const { rows } = await tx.query<SilenceRow>(`SELECT ${silenceColumns} FROM alert_silences WHERE id = $1 FOR UPDATE`, [id]);
      if (!rows[0]) throw notFound();
      const before = toView(rows[0], now);
      if (before.state === 'expired') throw new ProblemError('LGSP_ALERT_STATE', { detail: 'The silence has already ended' });
      const { rows: updated } = await tx.query<SilenceRow>(
        `UPDATE alert_silences SET expired_at = $2, expired_by = $3 WHERE id = $1 RETURNING ${silenceColumns}`,
        [id, now, actor.actor],
      );
      const after = toView(updated[0]!, now);
      await tx.query("INSERT INTO alert_events (silence_id, kind, at, actor, detail) VALUES ($1, 'silence_expired', $2, $3, NULL)", [id, now, actor.actor]);
      await recordAdminChange(tx, actor, { type: 'alert_silence', id }, auditView(before), auditView(after));
      await bumpConfigVersion(tx);
      return after;
    });
  }

  async get(id: string, now: Date = new Date()): Promise<SilenceView | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.store.query<SilenceRow>(`SELECT ${silenceColumns} FROM alert_silences WHERE id = $1`, [id]);
    return rows[0] && toView(rows[0], now);
  }

  /** Newest first; at most 1000 (silences are few; expired ones are history an operator rarely pages through). */
  async list(filter: { state?: SilenceView['state'] } = {}, now: Date = new Date()): Promise<SilenceView[]> {
    const where =
      filter.state === 'active'
        ? 'WHERE expired_at IS NULL AND starts_at <= $1 AND ends_at > $1'
        : filter.state === 'pending'
          ? 'WHERE expired_at IS NULL AND starts_at > $1 AND ends_at > $1'
          : filter.state === 'expired'
            ? 'WHERE expired_at IS NOT NULL OR ends_at <= $1'
            : 'WHERE $1::timestamptz IS NOT NULL';
    const { rows } = await this.store.query<SilenceRow>(`SELECT ${silenceColumns} FROM alert_silences ${where} ORDER BY created_at DESC, id DESC LIMIT 1000`, [now]);
    return rows.map((row) => toView(row, now));
  }
}

/** The audit record omits the computed state (it changes with time, not with the change). */
function auditView(view: SilenceView): object {
  const { state: _state, ...rest } = view;
  return rest;
}

function notFound(): ProblemError {
  return new ProblemError('LGSP_NOT_FOUND', { detail: 'No such silence' });
}

/** Replicas poll this version to learn that silences (or rules, receivers) changed. */
export async function bumpConfigVersion(tx: Queryable): Promise<void> {
  await tx.query('UPDATE alerting_config_version SET version = version + 1');
}
