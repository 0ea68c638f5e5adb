import type { Queryable } from '../store/store.js';

export interface TargetStats {
  target: string;
  /** Messages not yet delivered, dead or cancelled (pending or being delivered). */
  backlog: number;
  /** Age of the oldest of those, in seconds; 0 when there are none. */
  oldestPendingAgeSeconds: number;
  /** Pending messages that failed at least once. */
  retrying: number;
  /** Dead messages waiting for an operator (re-drive or cancel); each holds its key. */
  dead: number;
}

/**
 * Backlog and dead letters per target, from the store (every replica sees
 * the same numbers: aggregate them with max(), not sum()). Targets with
 * nothing open are listed when named in `targets`, with zeros.
 */
export async function outboxStats(db: Queryable, targets: readonly string[] = []): Promise<TargetStats[]> {
  const { rows } = await db.query<{ target: string; backlog: number; oldest: number | null; retrying: number; dead: number }>(
    `SELECT target,
            count(*) FILTER (WHERE state IN ('pending', 'delivering'))::integer AS backlog,
            extract(epoch FROM now() - min(created_at) FILTER (WHERE state IN ('pending', 'delivering')))::double precision AS oldest,
            count(*) FILTER (WHERE state = 'pending' AND attempts > 0)::integer AS retrying,
            count(*) FILTER (WHERE state = 'dead')::integer AS dead
       FROM outbox_messages
      WHERE state IN ('pending', 'delivering', 'dead')
      GROUP BY target`,
  );
  const byTarget = new Map<string, TargetStats>(targets.map((target) => [target, { target, backlog: 0, oldestPendingAgeSeconds: 0, retrying: 0, dead: 0 }]));
  for (const row of rows) {
    byTarget.set(row.target, {
      target: row.target,
      backlog: row.backlog,
      oldestPendingAgeSeconds: Math.max(0, row.oldest ?? 0),
      retrying: row.retrying,
      dead: row.dead,
    });
  }
  return [...byTarget.values()].sort((a, b) => a.target.localeCompare(b.target));
}
