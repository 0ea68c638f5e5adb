import { randomBytes } from 'node:crypto';
import { insertAuditRecord } from '../../src/audit/audit-table.js';
import { addMonths, monthStart, partitionName } from '../../src/audit/partitions/audit-months.js';
import { listAuditPartitions } from '../../src/audit/partitions/audit-partition-catalog.js';
import { captureQuery, planNodes } from '../../src/audit/partitions/query-capture.js';
import { queryAuditRecords } from '../../src/audit/query/audit-query.js';
import { buildSubjectAccessReport } from '../../src/audit/query/subject-report.js';
import { hashSubjectId, maskSubjectId } from '../../src/audit/subject-protection.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Queryable, Store } from '../../src/store/store.js';
import type { StoreTarget } from '../../src/store/test-support/store-targets.js';

const subjectKey = randomBytes(32);
const citizen = '001090012345';
const thisMonth = monthStart(new Date());
const month = (offset: number) => addMonths(thisMonth, offset);
/** Mid-month instants, so no time zone can move them into another month. */
const inMonth = (offset: number, day = 15) => new Date(month(offset).getTime() + (day - 1) * 86_400_000 + 3_600_000);

function record(occurredAt: Date, requestId: string, subject: string | undefined = citizen) {
  return {
    requestId,
    occurredAt,
    consumer: 'one-stop',
    endUser: 'officer01',
    purpose: '000.00.01.H22-261123-0001',
    operation: 'population.citizen.get',
    connector: 'population',
    ...(subject ? { subjectHash: hashSubjectId(subjectKey, subject), subjectMasked: maskSubjectId(subject) } : {}),
    fieldsReleased: ['fullName'],
    outcome: 'success' as const,
    httpStatus: 200,
    latencyMs: 12,
  };
}

async function explain(db: Queryable, captured: { sql: string; params: unknown[] }): Promise<Array<Record<string, unknown>>> {
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${captured.sql}`, captured.params);
  const plan = rows[0]!['QUERY PLAN'];
  return planNodes(typeof plan === 'string' ? JSON.parse(plan) : plan);
}

const scannedPartitions = (nodes: Array<Record<string, unknown>>) =>
  [...new Set(nodes.map((node) => node['Relation Name']).filter((name): name is string => typeof name === 'string'))].sort();
/** Sequential scans of the trail (a join's tiny consumers table may be read whole). */
const trailSeqScans = (nodes: Array<Record<string, unknown>>) =>
  nodes.filter((node) => node['Node Type'] === 'Seq Scan' && String(node['Relation Name']).startsWith('audit_records'));
/** Partitions read through their copy of the subject index (named <partition>_subject_hash_...). */
const subjectIndexedPartitions = (nodes: Array<Record<string, unknown>>) =>
  [...new Set(nodes.map((node) => /^(audit_records_p\d{6})_subject_hash/.exec(String(node['Index Name'] ?? ''))?.[1]).filter((name) => name !== undefined))].sort();

/** Migration 0005 and the query API on the partitioned table; run once per driver. */
export function describePartitioningContract(target: StoreTarget): void {
  let store: Store;
  const idsBefore = new Map<string, number>();

  beforeAll(async () => {
    ({ store } = await target.openIsolated());
    // The trail as it was before 0005, with rows five months back.
    await migrate(store, migrations.filter((m) => m.version < 5));
    for (let offset = -5; offset <= 0; offset++) await insertAuditRecord(store, record(inMonth(offset), `before-${offset}`));
    const { rows } = await store.query<{ id: number; request_id: string }>('SELECT id, request_id FROM audit_records');
    for (const row of rows) idsBefore.set(row.request_id, Number(row.id));
    await migrate(store, migrations);
  }, 120_000);

  it('turns audit_records into monthly partitions from the oldest row to three months ahead, moving every row with its id', async () => {
    const { rows } = await store.query<{ relkind: string }>("SELECT relkind FROM pg_class WHERE oid = 'audit_records'::regclass");
    expect(rows[0]!.relkind).toBe('p');
    const partitions = (await listAuditPartitions(store)).map((p) => p.name);
    expect(partitions).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3].map((offset) => partitionName(month(offset))));

    const moved = await store.query<{ id: number; request_id: string; partition: string }>(
      'SELECT id, request_id, tableoid::regclass::text AS partition FROM audit_records ORDER BY id',
    );
    expect(moved.rows.map((row) => [row.request_id, Number(row.id)])).toEqual([...idsBefore.entries()].sort((a, b) => a[1] - b[1]));
    for (const row of moved.rows) {
      const offset = Number(row.request_id.replace('before-', ''));
      expect(row.partition.split('.').at(-1)).toBe(partitionName(month(offset)));
    }

    // The identity continues after the moved rows.
    await insertAuditRecord(store, record(inMonth(0, 2), 'after-migration'));
    const after = await store.query<{ id: number }>("SELECT id FROM audit_records WHERE request_id = 'after-migration'");
    expect(Number(after.rows[0]!.id)).toBeGreaterThan(Math.max(...idsBefore.values()));
  });

  it('keeps every index, the primary key and the checks, on every partition', async () => {
    const { rows } = await store.query<{ partition: string; indexes: string[] }>(
      `SELECT c.relname AS partition, array_agg(pg_get_indexdef(i.indexrelid) ORDER BY 1) AS indexes
         FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid JOIN pg_index i ON i.indrelid = c.oid
        WHERE h.inhparent = 'audit_records'::regclass GROUP BY c.relname`,
    );
    const parent = await store.query<{ name: string; columns: string }>(
      `SELECT c.relname AS name, regexp_replace(pg_get_indexdef(i.indexrelid), '^.*USING btree ', '') AS columns
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'audit_records'::regclass ORDER BY 1`,
    );
    // 0001 and 0003's indexes (others, e.g. 0004's (stream, seq), are carried over too), the subject index widened.
    expect(parent.rows).toEqual(
      expect.arrayContaining([
        { name: 'audit_records_consumer_time_idx', columns: '(consumer, occurred_at DESC, id DESC)' },
        { name: 'audit_records_pkey', columns: '(occurred_at, id)' },
        { name: 'audit_records_request_idx', columns: '(request_id)' },
        { name: 'audit_records_stream_time_idx', columns: '(stream, occurred_at)' },
        { name: 'audit_records_subject_idx', columns: '(subject_hash, occurred_at DESC, id DESC)' },
      ]),
    );
    expect(rows).toHaveLength(9);
    for (const { indexes } of rows) {
      const columns = indexes.map((definition) => definition.replace(/^.*USING btree /, '')).sort();
      expect(columns).toEqual(parent.rows.map((index) => index.columns).sort());
    }
    await expect(store.query("UPDATE audit_records SET outcome = 'maybe' WHERE request_id = 'before-0'")).rejects.toThrow(/audit_records_outcome_check/);
    await expect(store.query("UPDATE audit_records SET subject_masked = NULL WHERE request_id = 'before-0'")).rejects.toThrow(/audit_records_subject_check/);
  });

  it('refuses a record whose month has no partition instead of losing it (the writer then fails closed)', async () => {
    await expect(insertAuditRecord(store, record(inMonth(40), 'too-far-ahead'))).rejects.toThrow(/no partition/);
    const { rows } = await store.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_records WHERE request_id = 'too-far-ahead'");
    expect(rows[0]!.n).toBe(0);
  });

  describe('with enough rows for the planner to care', () => {
    beforeAll(async () => {
      // 30 000 records from five months back into the current one for 10 000 other subjects, plus the citizen's own.
      await store.exec(`
        INSERT INTO audit_records (occurred_at, request_id, consumer, end_user, purpose, operation, connector,
                                   subject_hash, subject_masked, fields_released, outcome, http_status, latency_ms,
                                   seq, prev_hash, record_hash)
        SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '5 months' + (g % 170) * interval '1 day' + (g % 86000) * interval '1 second',
               'bulk-' || g, 'consumer-' || (g % 7), 'officer' || (g % 50), 'purpose-' || (g % 11),
               'population.citizen.get', 'population', md5('subject-' || (g % 10000)), '0010******' || lpad((g % 100)::text, 2, '0'),
               '{fullName}', 'success', 200, 10,
               -- chain columns filled (0004 requires them on new rows); this test does not verify the chain
               1000000 + g, md5('prev' || g) || md5('prev' || g), md5('hash' || g) || md5('hash' || g)
          FROM generate_series(1, 30000) g;
        ANALYZE audit_records;
      `);
    }, 120_000);

    it('a subject query with a time range scans only the months in range, through the subject index', async () => {
      const captured = await captureQuery((db) =>
        queryAuditRecords(db, subjectKey, { subjectId: citizen, from: month(-2), to: month(0) }, { limit: 50 }),
      );
      const nodes = await explain(store, captured);
      expect(scannedPartitions(nodes)).toEqual([partitionName(month(-2)), partitionName(month(-1))]);
      expect(subjectIndexedPartitions(nodes)).toEqual([partitionName(month(-2)), partitionName(month(-1))]);
      expect(trailSeqScans(nodes)).toEqual([]);

      const page = await queryAuditRecords(store, subjectKey, { subjectId: citizen, from: month(-2), to: month(0) }, { limit: 50 });
      expect(page.items.map((item) => item.requestId)).toEqual(['before--1', 'before--2']);
    });

    it('a subject query without a time range (the citizen report) uses the subject index on every partition', async () => {
      const captured = await captureQuery((db) => buildSubjectAccessReport(db, subjectKey, citizen));
      const nodes = await explain(store, captured);
      // Months that hold rows are read through the subject index; the empty
      // months ahead cost nothing and the planner may scan them directly.
      const filled = [-5, -4, -3, -2, -1, 0].map((offset) => partitionName(month(offset)));
      const indexed = subjectIndexedPartitions(nodes);
      expect(filled.filter((name) => !indexed.includes(name))).toEqual([]);
      expect(trailSeqScans(nodes).filter((node) => filled.includes(String(node['Relation Name'])))).toEqual([]);

      const report = await buildSubjectAccessReport(store, subjectKey, citizen);
      expect(report.accesses.map((access) => access.requestId)).toEqual([
        'before-0',
        'after-migration',
        'before--1',
        'before--2',
        'before--3',
        'before--4',
        'before--5',
      ]);
    });
  });
}
