import type { Store } from '../../store/store.js';
import { appendIfHeadAt, appendToChain, readChainHead, type ChainTip } from './chain-append.js';
import type { ChainStream } from './chain-streams.js';

export interface GroupCommitOptions {
  store: Store;
  /** Most records one transaction takes (bounds statement size: 18 parameters each). */
  maxBatch?: number;
  /** Called after each transaction, for metrics: how many records it carried and whether it committed. */
  onFlush?: (records: number, ok: boolean) => void;
  /**
   * Optimistic one-statement appends tried per batch before falling back to
   * the locking transaction (default 3). Each miss costs one re-read of the
   * head; a miss means another writer appended in between.
   */
  optimisticAttempts?: number;
}

export interface GroupCommitter<R> {
  /** Resolves once the record is committed in its stream's chain; rejects with the store's error otherwise. */
  append(record: R): Promise<void>;
  /** Resolves when nothing is queued or in flight (graceful shutdown). */
  idle(): Promise<void>;
}

interface Pending<R> {
  record: R;
  resolve(): void;
  reject(error: unknown): void;
}

export const defaultMaxBatch = 500;

export const defaultOptimisticAttempts = 3;

/**
 * Group commit: records arriving while a transaction is in flight wait, and
 * the next transaction takes all of them (up to maxBatch). Under light load
 * a record is flushed at once, alone; under heavy load the cost per record
 * falls with the batch size. Every caller learns its own fate: resolved
 * after the commit, rejected when the transaction failed.
 *
 * A batch is normally ONE statement, one round trip, one WAL flush: the
 * committer remembers where the chain ended after its last commit and
 * appends optimistically on that (appendIfHeadAt: move the head only if it
 * is still there, insert only if it moved). When another writer (a replica,
 * an admin append, the backfill) moved the head meanwhile, nothing is
 * written; the committer re-reads the head and tries again, and after
 * `optimisticAttempts` misses takes the head lock (BEGIN; SELECT … FOR
 * UPDATE; INSERT; UPDATE; COMMIT), which always gets its turn.
 */
export function createGroupCommitter<R>(stream: ChainStream<R>, options: GroupCommitOptions): GroupCommitter<R> {
  const { store, onFlush } = options;
  const maxBatch = options.maxBatch ?? defaultMaxBatch;
  const optimisticAttempts = options.optimisticAttempts ?? defaultOptimisticAttempts;
  // Where this process last saw the chain end; undefined = read it before the next append.
  let knownTip: ChainTip | undefined;
  const queue: Array<Pending<R>> = [];
  let inFlight = false;
  let idleWaiters: Array<() => void> = [];

  const commit = async (batch: Array<Pending<R>>): Promise<void> => {
    let ok = false;
    try {
      await append(batch.map((p) => p.record));
      ok = true;
    } finally {
      try {
        onFlush?.(batch.length, ok);
      } catch {
        // metrics must not change the outcome of a commit
      }
    }
  };

  const append = async (records: R[]): Promise<void> => {
    try {
      for (let attempt = 0; attempt < optimisticAttempts; attempt++) {
        const expected = knownTip ?? (await readChainHead(store, stream.name));
        if (!expected) break; // a stream without a head row yet: the locking append creates it
        knownTip = await appendIfHeadAt(store, stream, expected, records);
        if (knownTip) return;
      }
    } catch (error) {
      // A refused row rolled its statement back: the head did not move, the tip still holds.
      if (!isDataError(error)) knownTip = undefined;
      // A deadlock (40P01): the one statement holds its lock on the table while it waits for the head
      // row. Our own code always locks table before head (lockChainHead), so only a foreign transaction
      // holding the head row and then wanting the table (a hand-run maintenance script;
      // test/audit/chain-retention-lock.pg.test.ts) can cause it: the locking append then waits its turn.
      if (!isDeadlock(error)) throw error;
    }
    knownTip = (await store.transaction((tx) => appendToChain(tx, stream, records))).tip;
  };

  const flush = async (batch: Array<Pending<R>>): Promise<void> => {
    try {
      await commit(batch);
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length > 1 && isDataError(error)) {
        // One record the table refuses must not take its neighbours down. A month without a partition
        // refuses every record of that month alike: retry month by month, not one by one (that would
        // keep the queue waiting for 503s); any other refusal: each record alone.
        const groups = isMissingPartition(error) ? byMonth(batch) : batch.map((p) => [p]);
        if (groups.length > 1) {
          for (const group of groups) await flush(group);
          return;
        }
      }
      for (const p of batch) p.reject(error);
    }
  };

  const kick = (): void => {
    if (inFlight) return;
    if (queue.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
      return;
    }
    inFlight = true;
    void flush(queue.splice(0, maxBatch)).finally(() => {
      inFlight = false;
      kick();
    });
  };

  return {
    append(record) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        kick();
      });
    },
    idle() {
      if (!inFlight && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40P01';
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the rows, not the database, are at fault. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/** PostgreSQL's "no partition of relation … found for row": the month's partition is missing (maintenance alerts on it). */
function isMissingPartition(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.includes('no partition of relation');
}

/** Pending records grouped by the UTC month they occurred in (the audit_records partition they belong to). */
function byMonth<R>(batch: Array<Pending<R>>): Array<Array<Pending<R>>> {
  const groups = new Map<string, Array<Pending<R>>>();
  for (const pending of batch) {
    const occurredAt = (pending.record as { occurredAt?: Date }).occurredAt;
    const month = occurredAt ? occurredAt.toISOString().slice(0, 7) : '';
    groups.set(month, [...(groups.get(month) ?? []), pending]);
  }
  return [...groups.values()];
}
