import { createHmac, hkdfSync } from 'node:crypto';
import type { UpstreamFailureKind } from '../connector-kit/upstream-errors.js';
import type { Store } from '../store/store.js';

/** What one probe found, as the replica that ran it hands it over. */
export interface ProbeOutcome {
  failure?: { kind: UpstreamFailureKind | 'unknown'; description: string };
  latencyMs: number;
}

/** A probe result as the cluster keeps it: every replica reports the same one. */
export interface SharedProbeResult {
  status: 'ok' | 'failed';
  errorKind?: UpstreamFailureKind | 'unknown';
  error?: string;
  latencyMs: number;
  /** ISO time the probe ended, by the database clock. */
  checkedAt: string;
  /** Counted across replicas, for this probe fingerprint. */
  consecutiveFailures: number;
  /** The replica that ran the probe (its id: host:pid:suffix). */
  probedBy: string;
}

/**
 * The answer to "may I probe this connector now?":
 * - `probe`: this replica holds this interval's claim; it probes and publishes with `token`.
 * - `adopt`: another replica holds it; `result` is the newest fresh result of
 *   the same fingerprint (absent when there is none yet), and `nextTurnInMs`
 *   when to ask again: soon after the holder's probe in flight should have
 *   ended, else when the claim runs out.
 */
export type ProbeClaim = { kind: 'probe'; token: number } | { kind: 'adopt'; result?: SharedProbeResult; nextTurnInMs: number };

/**
 * How HealthProber shares its probes with the other replicas: one probe per
 * interval for the cluster, its result adopted by all. Every call may reject
 * (store unreachable, or no answer within its deadline): the prober then
 * probes on its own.
 */
export interface ProbeResultSharing {
  /** This replica's id, as `probedBy` shows it. */
  readonly replica: string;
  claim(connectorId: string, fingerprint: string): Promise<ProbeClaim>;
  /** The result as stored (database time, failures counted across replicas), or undefined when the claim was lost meanwhile (nothing written). */
  publish(connectorId: string, fingerprint: string, token: number, outcome: ProbeOutcome): Promise<SharedProbeResult | undefined>;
}

export interface StoredProbeResultsOptions {
  store: Pick<Store, 'query'>;
  /** This replica's id (the outbox dispatcher's and the alerting lease's too). */
  replica: string;
  /** health.probeIntervalMs: time from the end of one probe to the start of the next. */
  intervalMs: number;
  /** health.probeTimeoutMs: a probe's deadline. */
  timeoutMs: number;
  /** Keys the fingerprints before they are stored (probeFingerprintKeyFrom). */
  fingerprintKey: Buffer;
  /** A store call unanswered after this long counts as failed (default: 2 s, at most the probe timeout). */
  answerWithinMs?: number;
}

/** Rows of a fingerprint nobody has claimed for this long are deleted (longer than the longest interval allowed, 1 h). */
const pruneAfter = "interval '1 day'";
/** The shortest wait between two turns of a replica that adopts: a database round trip, not a busy loop. */
const minimumTurnMs = 50;

interface ResultRow {
  status: 'ok' | 'failed' | null;
  error_kind: string | null;
  error: string | null;
  latency_ms: number | null;
  checked_at: Date | null;
  consecutive_failures: number;
  probed_by: string | null;
}

interface HeldRow extends ResultRow {
  in_flight: boolean;
  in_flight_for_ms: number;
  in_flight_left_ms: number;
  lease_left_ms: number;
  age_ms: number | null;
}

const resultColumns = 'status, error_kind, error, latency_ms, checked_at, consecutive_failures, probed_by';

/**
 * Probe results shared through the gateway's store (table
 * upstream_probe_results, migration 0015), so N replicas probe an upstream
 * once per interval between them, not N times, and report the same result.
 *
 * Every time is the database's (now()), never a replica's clock: replicas
 * with skewed clocks still agree on whose turn it is. A claim holds until the
 * probe's deadline plus one interval (a holder that died mid-probe is taken
 * over then); publishing moves it to one interval after the probe ended, as
 * health.probeIntervalMs means. The holder may claim again before its lease
 * has quite run out by the database clock: its own next turn comes one
 * interval after its probe by its own timer, and a round trip slower than the
 * last must not cost it a probe. Others wait a little longer (the margin) so
 * the holder usually keeps the turn and `probedBy` stays put.
 */
export class StoredProbeResults implements ProbeResultSharing {
  readonly replica: string;
  private readonly answerWithinMs: number;
  private readonly marginMs: number;

  constructor(private readonly options: StoredProbeResultsOptions) {
    this.replica = options.replica;
    this.answerWithinMs = options.answerWithinMs ?? Math.min(2_000, options.timeoutMs);
    this.marginMs = Math.min(1_000, Math.max(20, Math.round(options.intervalMs / 10)));
  }

  async claim(connectorId: string, fingerprint: string): Promise<ProbeClaim> {
    const key = this.keyed(fingerprint);
    // One statement, so that among replicas claiming together exactly one gets a row back: the row lock serialises
    // them, and each re-checks the lease against the version the previous one committed.
    const { rows } = await this.answer(
      this.options.store.query<{ claim_token: number | string }>(
        `INSERT INTO upstream_probe_results AS held (connector_id, fingerprint, claimed_by, claimed_at, lease_until)
         VALUES ($1, $2, $3, now(), now() + $4::bigint * interval '1 millisecond')
         ON CONFLICT (connector_id, fingerprint) DO UPDATE SET
           claim_token = held.claim_token + 1,
           claimed_by = EXCLUDED.claimed_by,
           claimed_at = EXCLUDED.claimed_at,
           lease_until = EXCLUDED.lease_until
         WHERE held.lease_until <= now() OR held.claimed_by = EXCLUDED.claimed_by
         RETURNING claim_token`,
        [connectorId, key, this.replica, this.options.timeoutMs + this.options.intervalMs],
      ),
    );
    if (rows.length === 0) return this.held(connectorId, key);
    const token = Number(rows[0]!.claim_token);
    if (token === 1) await this.pruneOtherFingerprints(connectorId, key);
    return { kind: 'probe', token };
  }

  async publish(connectorId: string, fingerprint: string, token: number, outcome: ProbeOutcome): Promise<SharedProbeResult | undefined> {
    const key = this.keyed(fingerprint);
    const { failure } = outcome;
    const { rows } = await this.answer(
      this.options.store.query<ResultRow>(
        `UPDATE upstream_probe_results SET
           status = $4::text,
           error_kind = $5::text,
           error = $6::text,
           latency_ms = $7::integer,
           checked_at = now(),
           probed_by = $3,
           consecutive_failures = CASE WHEN $4::text = 'failed' THEN consecutive_failures + 1 ELSE 0 END,
           lease_until = now() + $8::bigint * interval '1 millisecond'
         WHERE connector_id = $1 AND fingerprint = $2 AND claimed_by = $3 AND claim_token = $9::bigint
         RETURNING ${resultColumns}`,
        [connectorId, key, this.replica, failure ? 'failed' : 'ok', failure?.kind ?? null, failure?.description ?? null, Math.round(outcome.latencyMs), this.options.intervalMs, token],
      ),
    );
    return rows[0] && toResult(rows[0]);
  }

  /**
   * When a configuration's row is new (token 1: a change): the rows of older
   * configurations nobody has run for a day. A rolling update keeps its old
   * row while old replicas live. Housekeeping only: a failure leaves them for
   * the next change.
   */
  private async pruneOtherFingerprints(connectorId: string, key: string): Promise<void> {
    await this.answer(
      this.options.store.query(`DELETE FROM upstream_probe_results WHERE connector_id = $1 AND fingerprint <> $2 AND lease_until < now() - ${pruneAfter}`, [connectorId, key]),
    ).catch(() => undefined);
  }

  /** The claim another replica holds: its newest fresh result and when to ask again. */
  private async held(connectorId: string, key: string): Promise<ProbeClaim> {
    const { rows } = await this.answer(
      this.options.store.query<HeldRow>(
        `SELECT ${resultColumns},
                checked_at IS NULL OR checked_at < claimed_at AS in_flight,
                (extract(epoch FROM now() - claimed_at) * 1000)::float8 AS in_flight_for_ms,
                (extract(epoch FROM claimed_at + $3::bigint * interval '1 millisecond' - now()) * 1000)::float8 AS in_flight_left_ms,
                (extract(epoch FROM lease_until - now()) * 1000)::float8 AS lease_left_ms,
                (extract(epoch FROM now() - checked_at) * 1000)::float8 AS age_ms
           FROM upstream_probe_results WHERE connector_id = $1 AND fingerprint = $2`,
        [connectorId, key, this.options.timeoutMs],
      ),
    );
    const row = rows[0];
    // Deleted between the two statements (pruned): the next turn claims it afresh.
    if (!row) return { kind: 'adopt', nextTurnInMs: minimumTurnMs };
    // A result older than two rounds belongs to a time nobody probed this configuration (all paused, or all stopped): not news.
    const fresh = row.age_ms !== null && row.age_ms <= 2 * this.options.intervalMs + this.options.timeoutMs;
    const result = fresh ? toResult(row) : undefined;
    return { kind: 'adopt', ...(result && { result }), nextTurnInMs: this.nextTurn(row) };
  }

  private nextTurn(row: HeldRow): number {
    const { intervalMs, timeoutMs } = this.options;
    let wait: number;
    if (row.in_flight && row.in_flight_left_ms > 0) {
      // The holder is probing: look again about when its answer should be there (twice the last latency), then
      // backing off (as long again as it has run so far), at the latest just after its deadline.
      const expected = Math.max(minimumTurnMs, 2 * (row.latency_ms ?? 0), row.in_flight_for_ms);
      wait = Math.min(row.in_flight_left_ms + this.marginMs, expected);
    } else {
      // Its result is out (or it died mid-probe): our turn to claim comes when its lease runs out.
      wait = Math.max(0, row.lease_left_ms) + this.marginMs;
    }
    return Math.round(Math.min(intervalMs + timeoutMs, Math.max(minimumTurnMs, wait)));
  }

  private keyed(fingerprint: string): string {
    return createHmac('sha256', this.options.fingerprintKey).update(fingerprint).digest('base64url');
  }

  /** Health never waits on the store: a call slower than answerWithinMs counts as failed (it may still finish in the database). */
  private answer<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the store did not answer within ${this.answerWithinMs} ms`)), this.answerWithinMs);
      timer.unref();
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}

export const probeFingerprintInfo = 'lgsp-probe-fingerprint';

/**
 * The key of the stored probe fingerprints. A fingerprint digests the
 * connector's credentials among the rest; unkeyed, a short password could be
 * found from it by trying. Derived (HKDF-SHA-256, its own info string) from
 * audit.subjectHashKey: a secret every replica of a deployment shares and
 * keeps stable. Changing it only makes every replica probe once afresh.
 */
export function probeFingerprintKeyFrom(subjectHashKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(subjectHashKey, 'utf8'), Buffer.alloc(0), probeFingerprintInfo, 32));
}

function toResult(row: ResultRow): SharedProbeResult | undefined {
  if (row.status === null || row.checked_at === null || row.probed_by === null) return undefined;
  return {
    status: row.status,
    ...(row.error_kind !== null && { errorKind: row.error_kind as SharedProbeResult['errorKind'] }),
    ...(row.error !== null && { error: row.error }),
    latencyMs: row.latency_ms ?? 0,
    checkedAt: row.checked_at.toISOString(),
    consecutiveFailures: row.consecutive_failures,
    probedBy: row.probed_by,
  };
}
