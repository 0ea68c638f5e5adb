import type { Queryable, Store } from '../../store/store.js';
import type { Labels, SignalName, SignalSample, SignalSeries } from '../types.js';
import { mergeSamples, seriesKey } from './merge-samples.js';

interface SampleRow {
  signal: SignalName;
  labels: Labels;
  window_seconds: number;
  value: number | null;
  num: number | null;
  den: number | null;
  buckets: Array<[number | null, number]> | null;
}

/**
 * Replaces this replica's published samples with `samples`, in one
 * transaction: the leader never reads half a publication, and a series this
 * replica no longer has (a connector removed) stops counting at once rather
 * than when it goes stale.
 */
export async function publishSamples(store: Store, replicaId: string, samples: readonly SignalSample[], now: Date): Promise<void> {
  const rows = [...new Map(samples.map((sample) => [seriesKey(sample), sample])).entries()].map(([key, sample]) => ({
    series_key: key,
    signal: sample.signal,
    labels: sample.labels,
    window_seconds: sample.windowSeconds,
    value: finiteOrNull(sample.value),
    num: finiteOrNull(sample.num),
    den: finiteOrNull(sample.den),
    // JSON has no Infinity: the +Inf bucket's bound is stored as null.
    buckets: sample.buckets ? sample.buckets.map(([bound, count]) => [Number.isFinite(bound) ? bound : null, count]) : null,
  }));
  await store.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO alert_signal_samples (replica_id, series_key, signal, labels, window_seconds, value, num, den, buckets, observed_at)
       SELECT $1, r.series_key, r.signal, r.labels, r.window_seconds, r.value, r.num, r.den, r.buckets, $3
         FROM jsonb_to_recordset($2::jsonb)
              AS r(series_key text, signal text, labels jsonb, window_seconds integer, value double precision, num double precision, den double precision, buckets jsonb)
       ON CONFLICT (replica_id, series_key) DO UPDATE
          SET signal = EXCLUDED.signal, labels = EXCLUDED.labels, window_seconds = EXCLUDED.window_seconds, value = EXCLUDED.value,
              num = EXCLUDED.num, den = EXCLUDED.den, buckets = EXCLUDED.buckets, observed_at = EXCLUDED.observed_at`,
      [replicaId, JSON.stringify(rows), now],
    );
    await tx.query('DELETE FROM alert_signal_samples WHERE replica_id = $1 AND NOT (series_key = ANY($2::text[]))', [replicaId, rows.map((row) => row.series_key)]);
  });
}

/**
 * Every fresh replica's samples, merged per series. A replica that stopped
 * publishing (killed, partitioned) drops out once its rows are older than
 * `freshAfter`: its last readings must not hold an alert open forever.
 */
export async function readMergedSignals(db: Queryable, options: { freshAfter: Date }): Promise<SignalSeries[]> {
  const { rows } = await db.query<SampleRow>(
    'SELECT signal, labels, window_seconds, value, num, den, buckets FROM alert_signal_samples WHERE observed_at >= $1',
    [options.freshAfter],
  );
  return mergeSamples(rows.map(toSample));
}

/** Removes rows nobody refreshed since `olderThan` (replicas gone for good). Returns how many. */
export async function pruneSamples(db: Queryable, olderThan: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM alert_signal_samples WHERE observed_at < $1', [olderThan]);
  return rowCount;
}

function toSample(row: SampleRow): SignalSample {
  return {
    signal: row.signal,
    labels: row.labels,
    windowSeconds: row.window_seconds,
    ...(row.value !== null && { value: row.value }),
    ...(row.num !== null && { num: row.num }),
    ...(row.den !== null && { den: row.den }),
    ...(row.buckets && { buckets: row.buckets.map(([bound, count]) => [bound ?? Infinity, count] as const) }),
  };
}

function finiteOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}
