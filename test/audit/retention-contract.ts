import { readChainHead } from '../../src/audit/chain/chain-append.js';
import { genesisHash } from '../../src/audit/chain/canonical-form.js';
import { addMonths, monthStart, partitionName } from '../../src/audit/partitions/audit-months.js';
import { listAuditPartitions } from '../../src/audit/partitions/audit-partition-catalog.js';
import { ensureAuditPartitions } from '../../src/audit/partitions/ensure-audit-partitions.js';
import { partitionMonthsAhead } from '../../src/audit/partitions/partition-horizon.js';
import { createAuditMaintenance } from '../../src/audit/retention/audit-maintenance.js';
import { applyAuditRetention } from '../../src/audit/retention/audit-retention.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/store.js';
import type { IsolatedStore, StoreTarget } from '../../src/store/test-support/store-targets.js';

const now = new Date();
const thisMonth = monthStart(now);
const month = (offset: number) => addMonths(thisMonth, offset);
const inMonth = (offset: number, day: number) => new Date(month(offset).getTime() + (day - 1) * 86_400_000 + 3_600_000);
const hash = (seq: number) => `h${String(seq).padStart(63, '0')}`;

async function setHead(store: Store, stream: string, seq: number): Promise<void> {
  await store.query(
    `INSERT INTO audit_chain_heads (stream, seq, record_hash) VALUES ($1, $2, $3)
     ON CONFLICT (stream) DO UPDATE SET seq = EXCLUDED.seq, record_hash = EXCLUDED.record_hash`,
    [stream, seq, hash(seq)],
  );
}

async function anchorOf(store: Store, stream: string): Promise<{ seq: number; prevHash: string }> {
  const head = await readChainHead(store, stream);
  return { seq: head!.anchorSeq, prevHash: head!.anchorPrevHash };
}

/** Retention and partition maintenance on a real store; run once per driver. */
export function describeRetentionContract(target: StoreTarget): void {
  let isolated: IsolatedStore;
  let store: Store;

  beforeAll(async () => {
    isolated = await target.openIsolated();
    store = isolated.store;
    await migrate(store, migrations);
  }, 120_000);

  describe('data-access stream: whole monthly partitions', () => {
    /** Two chained records per month from eight months back to now, seq in time order. */
    const months = [-8, -7, -6, -5, -4, -3, -2, -1, 0];

    beforeAll(async () => {
      await ensureAuditPartitions(store, { now: month(-8), monthsAhead: 8 });
      let seq = 0;
      for (const offset of months) {
        for (const day of [3, 20]) {
          seq++;
          await store.query(
            `INSERT INTO audit_records (occurred_at, request_id, consumer, end_user, purpose, operation, connector,
                                        outcome, http_status, latency_ms, seq, prev_hash, record_hash)
             VALUES ($1, $2, 'one-stop', 'officer01', 'p', 'population.citizen.get', 'population', 'success', 200, 1, $3, $4, $5)`,
            [inMonth(offset, day), `m${offset}-d${day}`, seq, seq === 1 ? genesisHash : hash(seq - 1), hash(seq)],
          );
        }
      }
      await setHead(store, 'data_access', seq);
    });

    it('drops the months entirely older than the retention, keeps the rest, and moves the anchor to the first kept record', async () => {
      const report = await applyAuditRetention(store, { dataAccessMonths: 6, adminMonths: 0 }, { now });
      expect(report).toEqual({ droppedPartitions: [partitionName(month(-8)), partitionName(month(-7))], deletedAdminRows: 0 });

      const partitions = (await listAuditPartitions(store)).map((p) => p.name);
      expect(partitions).toEqual([-6, -5, -4, -3, -2, -1, 0, 1, 2, 3].map((offset) => partitionName(month(offset))));
      const { rows } = await store.query<{ request_id: string; seq: number; prev_hash: string }>(
        'SELECT request_id, seq, prev_hash FROM audit_records ORDER BY seq',
      );
      expect(rows.map((row) => row.request_id)).toEqual(months.slice(2).flatMap((offset) => [`m${offset}-d3`, `m${offset}-d20`]));

      const first = rows[0]!;
      expect(await anchorOf(store, 'data_access')).toEqual({ seq: Number(first.seq), prevHash: first.prev_hash });
      expect(first.seq).toBe(5);
      expect(first.prev_hash).toBe(hash(4));
    });

    it('a second run finds nothing to drop and leaves the anchor alone', async () => {
      const before = await anchorOf(store, 'data_access');
      expect(await applyAuditRetention(store, { dataAccessMonths: 6, adminMonths: 0 }, { now })).toEqual({ droppedPartitions: [], deletedAdminRows: 0 });
      expect(await anchorOf(store, 'data_access')).toEqual(before);
    });

    it('0 months keeps the stream forever', async () => {
      expect(await applyAuditRetention(store, { dataAccessMonths: 0, adminMonths: 0 }, { now: addMonths(now, 600) })).toEqual({
        droppedPartitions: [],
        deletedAdminRows: 0,
      });
      expect(await listAuditPartitions(store)).toHaveLength(10);
    });

    it('records each removal inside its transaction: a recorder that fails leaves everything in place', async () => {
      const anchor = await anchorOf(store, 'data_access');
      const failing = applyAuditRetention(store, { dataAccessMonths: 5, adminMonths: 0 }, {
        now,
        recordRemoval: async () => {
          throw new Error('admin stream unavailable');
        },
      });
      await expect(failing).rejects.toThrow('admin stream unavailable');
      expect((await listAuditPartitions(store)).map((p) => p.name)).toContain(partitionName(month(-6)));
      expect(await anchorOf(store, 'data_access')).toEqual(anchor);

      const recorded: unknown[] = [];
      const report = await applyAuditRetention(store, { dataAccessMonths: 5, adminMonths: 0 }, {
        now,
        recordRemoval: async (tx, removal) => {
          // The transaction is usable and already sees the removal.
          const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_records WHERE occurred_at < $1', [removal.before]);
          recorded.push({ ...removal, remaining: rows[0]!.n });
        },
      });
      expect(report.droppedPartitions).toEqual([partitionName(month(-6))]);
      expect(recorded).toEqual([{ stream: 'data_access', before: month(-5), partitions: [partitionName(month(-6))], lastSeq: 6, remaining: 0 }]);
      expect(await anchorOf(store, 'data_access')).toEqual({ seq: 7, prevHash: hash(6) });
    });
  });

  describe('admin stream: rows in batches', () => {
    beforeAll(async () => {
      const offsets = [-15, -13, -12, -11, -1];
      for (const [index, offset] of offsets.entries()) {
        const seq = index + 1;
        await store.query(
          `INSERT INTO admin_audit_log (occurred_at, request_id, actor, actor_client, action, resource_type, resource_id, seq, prev_hash, record_hash)
           VALUES ($1, $2, 'admin', 'console', 'create', 'consumers', 'c1', $3, $4, $5)`,
          [inMonth(offset, 10), `admin${offset}`, seq, seq === 1 ? genesisHash : hash(seq - 1), hash(seq)],
        );
      }
      await setHead(store, 'admin', offsets.length);
    });

    it('deletes rows older than the retention, batch by batch, and moves the anchor with each batch', async () => {
      const report = await applyAuditRetention(store, { dataAccessMonths: 0, adminMonths: 12 }, { now, adminBatchSize: 1 });
      expect(report).toEqual({ droppedPartitions: [], deletedAdminRows: 2 });
      const { rows } = await store.query<{ request_id: string; seq: number; prev_hash: string }>(
        'SELECT request_id, seq, prev_hash FROM admin_audit_log ORDER BY seq',
      );
      // Month -12 starts exactly at the cutoff: kept.
      expect(rows.map((row) => row.request_id)).toEqual(['admin-12', 'admin-11', 'admin-1']);
      expect(await anchorOf(store, 'admin')).toEqual({ seq: 3, prevHash: hash(2) });
      expect(await applyAuditRetention(store, { dataAccessMonths: 0, adminMonths: 12 }, { now })).toEqual({ droppedPartitions: [], deletedAdminRows: 0 });
    });
  });

  describe('partition maintenance', () => {
    it('creates the current month and the months ahead, once: a second run creates nothing', async () => {
      const at = month(30);
      const first = await ensureAuditPartitions(store, { now: at, monthsAhead: 3 });
      const expected = [30, 31, 32, 33].map((offset) => partitionName(month(offset)));
      expect(first.created).toEqual(expected);
      // Relative to that "now", the current month had begun before its partition existed.
      expect(first.createdLate).toEqual([partitionName(month(30))]);
      expect(await ensureAuditPartitions(store, { now: at, monthsAhead: 3 })).toEqual({ created: [], createdLate: [] });
      expect(await partitionMonthsAhead(store, at)).toBe(3);
      expect(await partitionMonthsAhead(store, month(40))).toBe(-1);
    });

    it('concurrent runs (replicas) create each month exactly once, without errors', async () => {
      const at = month(50);
      const handles = [store, await isolated.openAnother(), await isolated.openAnother()];
      const reports = await Promise.all(handles.map((handle) => ensureAuditPartitions(handle, { now: at, monthsAhead: 5 })));
      const created = reports.flatMap((report) => report.created).sort();
      expect(created).toEqual([50, 51, 52, 53, 54, 55].map((offset) => partitionName(month(offset))));
      const names = (await listAuditPartitions(store)).map((p) => p.name);
      expect(names.filter((name) => created.includes(name))).toEqual(created);
    });

    it('the daily job: sets the months-ahead gauge, and counts and logs a failed run instead of throwing', async () => {
      const metrics = createMetrics();
      const log = captureLogger();
      const job = createAuditMaintenance({ store, monthsAhead: 3, retention: { dataAccessMonths: 0, adminMonths: 0 }, logger: log.logger, metrics });
      await job.runOnce();
      expect((await metrics.auditPartitionMonthsAhead.get()).values[0]?.value).toBe(3);
      expect((await metrics.auditMaintenanceFailures.get()).values).toEqual([]);

      // A schema without the trail: both tasks fail, the job survives and says so.
      const { store: unmigrated } = await target.openIsolated();
      const broken = createAuditMaintenance({ store: unmigrated, monthsAhead: 3, retention: { dataAccessMonths: 60, adminMonths: 0 }, logger: log.logger, metrics });
      await expect(broken.runOnce()).resolves.toBeUndefined();
      const failures = (await metrics.auditMaintenanceFailures.get()).values.map((value) => [value.labels.task, value.value]);
      expect(failures.sort()).toEqual([['partitions', 1], ['retention', 1]]);
      expect(log.messages()).toEqual(expect.arrayContaining(['audit partition maintenance failed', 'audit retention failed']));
      await broken.stop();
      await job.stop();
    });

    it('a record for a month maintenance prepared lands in its partition', async () => {
      await store.query(
        `INSERT INTO audit_records (occurred_at, request_id, consumer, end_user, purpose, operation, connector, outcome, http_status, latency_ms,
                                    seq, prev_hash, record_hash)
         VALUES ($1, 'far-future', 'c', 'e', 'p', 'o', 'x', 'success', 200, 1, 1000, $2, $3)`,
        [inMonth(52, 5), hash(999), hash(1000)],
      );
      const { rows } = await store.query<{ partition: string }>(
        "SELECT tableoid::regclass::text AS partition FROM audit_records WHERE request_id = 'far-future'",
      );
      expect(rows[0]!.partition.split('.').at(-1)).toBe(partitionName(month(52)));
      // A partition made by maintenance has every index of the table, the subject index included.
      const { rows: indexes } = await store.query<{ definition: string }>(
        'SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = $1::regclass',
        [partitionName(month(52))],
      );
      expect(indexes.map((index) => index.definition)).toEqual(expect.arrayContaining([expect.stringMatching(/\(subject_hash, occurred_at DESC, id DESC\)$/)]));
      expect(indexes).toHaveLength((await store.query("SELECT 1 FROM pg_index WHERE indrelid = 'audit_records'::regclass")).rowCount);
    });
  });
}
