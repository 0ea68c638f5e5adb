import { randomBytes, randomUUID } from 'node:crypto';
import { AccessRepository } from '../../src/access/access-repository.js';
import type { AuditEntry, AuditRecord } from '../../src/audit/audit-record.js';
import { insertAuditRecord } from '../../src/audit/audit-table.js';
import { createAuditWriter } from '../../src/audit/audit-writer.js';
import { canonicalForm, chainHash } from '../../src/audit/chain/canonical-form.js';
import { readChainHead } from '../../src/audit/chain/chain-append.js';
import { chainUnchainedRecords } from '../../src/audit/chain/chain-backfill.js';
import { dataAccessStream, storableDataAccessRecord, type ChainRow } from '../../src/audit/chain/chain-streams.js';
import { createGroupCommitter } from '../../src/audit/chain/group-commit.js';
import { loadCheckpointKeys, type CheckpointKeys } from '../../src/audit/chain/checkpoint-key.js';
import { startCheckpointScheduler } from '../../src/audit/chain/checkpoint-scheduler.js';
import { checkpointStatement, writeCheckpoint, type StoredCheckpoint } from '../../src/audit/chain/checkpoints.js';
import { createTimestampRequester, timestampTokenMatches } from '../../src/audit/chain/tsa-client.js';
import { startTestTsa } from './chain-test-tsa.js';
import { verifyChain } from '../../src/audit/chain/verify-chain.js';
import { recordAuditRead } from '../../src/audit/query/record-audit-read.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/store.js';
import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import type { StoreTarget } from '../../src/store/test-support/store-targets.js';

const subjectKey = randomBytes(32);

export function chainEntry(i: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: randomUUID(),
    occurredAt: new Date(),
    consumer: 'one-stop',
    endUser: `officer${i % 7}`,
    purpose: '000.00.01.H22-261123-0001',
    operation: 'population.citizen.get',
    connector: 'population',
    subjectId: `0010990${String(i).padStart(5, '0')}`,
    fieldsReleased: ['fullName', 'birthDate'],
    outcome: 'success',
    httpStatus: 200,
    latencyMs: i % 50,
    ...overrides,
  };
}

/** A stored-form record for the committer itself (the writer's subject protection is not under test here). */
export function chainRecord(i: number, overrides: Partial<AuditEntry> = {}): AuditRecord {
  const { subjectId: _subjectId, ...facts } = chainEntry(i, overrides);
  return storableDataAccessRecord({ ...facts, subjectHash: `subject-${i}`, subjectMasked: '001*******45' });
}

/** The store, counting what goes to the database: statements outside a transaction, and transactions. */
export function counting(store: Store): { store: Store; counts: { statements: number; transactions: number }; reset(): void } {
  const counts = { statements: 0, transactions: 0 };
  return {
    counts,
    reset: () => Object.assign(counts, { statements: 0, transactions: 0 }),
    store: {
      driver: store.driver,
      query: (sql, params) => (counts.statements++, store.query(sql, params)),
      exec: (sql) => store.exec(sql),
      transaction: (fn) => (counts.transactions++, store.transaction(fn)),
      ping: () => store.ping(),
      close: () => store.close(),
    },
  };
}

/** The hash chain on a real store: group commit, tamper detection, checkpoints, backfill. Run once per driver. */
export function describeChainContract(target: StoreTarget): void {
  let keys: CheckpointKeys;
  beforeAll(async () => {
    keys = await loadCheckpointKeys({});
  });
  afterAll(() => target.dispose());

  async function freshStore(): Promise<Store> {
    const { store } = await target.openIsolated();
    await migrate(store, migrations);
    return store;
  }

  /** A fresh schema and a second handle on it: on PostgreSQL another pool, i.e. what another replica would use. */
  async function twoWriters(): Promise<{ store: Store; other: Store }> {
    const isolated = await target.openIsolated();
    await migrate(isolated.store, migrations);
    return { store: isolated.store, other: await isolated.openAnother() };
  }

  const chainedRequestIds = async (store: Store) =>
    (await store.query<{ seq: number; request_id: string }>("SELECT seq, request_id FROM audit_records WHERE stream = 'data_access' ORDER BY seq, id")).rows.map(
      (row) => [Number(row.seq), row.request_id],
    );

  async function chainOf(count: number): Promise<Store> {
    const store = await freshStore();
    const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
    await Promise.all(Array.from({ length: count }, (_, i) => writer.record(chainEntry(i))));
    return store;
  }

  const verify = (store: Store, options: { from?: number; to?: number; stream?: 'data_access' | 'admin'; pageSize?: number } = {}) =>
    verifyChain(store, { stream: 'data_access', publicKeys: keys.verifying, pageSize: 7, ...options });

  describe(`audit hash chain on ${target.driver}`, () => {
    it('group commit: 200 concurrent records form one gap-free chain in fewer transactions than records', async () => {
      const store = await freshStore();
      const flushes: number[] = [];
      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger, onFlush: (records, ok) => ok && flushes.push(records) });
      await Promise.all(Array.from({ length: 200 }, (_, i) => writer.record(chainEntry(i))));

      const { rows } = await store.query<{ seq: number }>("SELECT seq FROM audit_records WHERE stream = 'data_access' ORDER BY seq");
      expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(flushes.reduce((a, b) => a + b, 0)).toBe(200);
      expect(flushes.length).toBeLessThan(200);
      expect(Math.max(...flushes)).toBeGreaterThan(1);

      const report = await verify(store);
      expect(report).toMatchObject({ stream: 'data_access', ok: true, from: 1, to: 200, checked: 200, head: { seq: 200, anchorSeq: 1 }, unchained: 0 });
      expect(report.firstBroken).toBeUndefined();
      expect(JSON.stringify(report)).not.toMatch(/officer|00109900/);
    });

    it('stores awkward text byte for byte in one batch (array syntax, quotes, backslashes, NULL as text), as it was hashed', async () => {
      const store = await freshStore();
      const awkward = ['', 'NULL', 'null', '"quoted"', 'back\\slash\\', '{braces}', 'a,b', ' spaced ', 'tab\tline\nbreak', 'cán bộ Trần', '😀', "it's"];
      const records = awkward.map((text, i) =>
        chainRecord(i, { requestId: `req-${i}-${text}`, endUser: text, purpose: text, fieldsReleased: [text, 'fullName', text], ...(i % 2 === 0 ? { upstreamReference: text } : {}), occurredAt: new Date(Date.now() - 1000 + i) }),
      );
      records.push(chainRecord(99, { fieldsReleased: [], subjectId: undefined }));
      const committer = createGroupCommitter(dataAccessStream, { store });
      let flushes = 0;
      const counted = createGroupCommitter(dataAccessStream, { store, onFlush: (_records, ok) => ok && flushes++ });
      await committer.append(chainRecord(100));
      await Promise.all(records.map((record) => counted.append(record)));
      expect(flushes).toBeLessThan(records.length);
      const { rows } = await store.query<{ request_id: string; end_user: string; purpose: string; fields_released: string[]; upstream_reference: string | null; occurred_at: Date }>(
        "SELECT request_id, end_user, purpose, fields_released, upstream_reference, occurred_at FROM audit_records WHERE stream = 'data_access' AND seq > 1 ORDER BY seq",
      );
      expect(rows.map((row) => ({ ...row, occurred_at: row.occurred_at.toISOString() }))).toEqual(
        records.map((record) => ({
          request_id: record.requestId,
          end_user: record.endUser,
          purpose: record.purpose,
          fields_released: record.fieldsReleased,
          upstream_reference: record.upstreamReference ?? null,
          occurred_at: record.occurredAt.toISOString(),
        })),
      );
      expect(await verify(store)).toMatchObject({ ok: true, checked: records.length + 1 });
    });

    it('commits a batch in ONE statement once the head is known (the first batch reads the head first)', async () => {
      const { store } = await twoWriters();
      const db = counting(store);
      let flushes = 0;
      const committer = createGroupCommitter(dataAccessStream, { store: db.store, onFlush: (_records, ok) => ok && flushes++ });
      await committer.append(chainRecord(1));
      expect(db.counts).toEqual({ statements: 2, transactions: 0 });
      for (let i = 2; i <= 4; i++) {
        db.reset();
        await committer.append(chainRecord(i));
        expect(db.counts).toEqual({ statements: 1, transactions: 0 });
      }
      db.reset();
      flushes = 0;
      await Promise.all(Array.from({ length: 30 }, (_, i) => committer.append(chainRecord(5 + i))));
      expect(flushes).toBeLessThan(30);
      expect(db.counts).toEqual({ statements: flushes, transactions: 0 });
      expect(await verify(store)).toMatchObject({ ok: true, checked: 34, head: { seq: 34 } });
    });

    it('a head another writer moved is detected: nothing written, the head re-read, the batch lands after it', async () => {
      const { store, other } = await twoWriters();
      const db = counting(store);
      const mine = createGroupCommitter(dataAccessStream, { store: db.store });
      const theirs = createGroupCommitter(dataAccessStream, { store: other });
      const records = Array.from({ length: 7 }, (_, i) => chainRecord(i + 1));
      await mine.append(records[0]!);
      await mine.append(records[1]!);
      // Another committer (another replica on PostgreSQL) and the locking append extend the chain behind this one's back.
      await theirs.append(records[2]!);
      await theirs.append(records[3]!);
      await insertAuditRecord(other, records[4]!);
      db.reset();
      await mine.append(records[5]!);
      // The optimistic statement that missed, the re-read of the head, the one that landed.
      expect(db.counts).toEqual({ statements: 3, transactions: 0 });
      db.reset();
      await mine.append(records[6]!);
      expect(db.counts).toEqual({ statements: 1, transactions: 0 });
      expect(await chainedRequestIds(store)).toEqual(records.map((r, i) => [i + 1, r.requestId]));
      expect(await verify(store)).toMatchObject({ ok: true, checked: 7, head: { seq: 7 } });
    });

    it('after its optimistic attempts miss, a batch takes the head lock and lands', async () => {
      const { store, other } = await twoWriters();
      const db = counting(store);
      const mine = createGroupCommitter(dataAccessStream, { store: db.store, optimisticAttempts: 1 });
      const theirs = createGroupCommitter(dataAccessStream, { store: other });
      await mine.append(chainRecord(1));
      await theirs.append(chainRecord(2));
      db.reset();
      await Promise.all([mine.append(chainRecord(3)), mine.append(chainRecord(4))]);
      // First batch: the missed statement, then BEGIN … COMMIT; the second batch knows the head again.
      expect(db.counts).toEqual({ statements: 2, transactions: 1 });
      expect(await verify(store)).toMatchObject({ ok: true, checked: 4, head: { seq: 4 } });
    });

    it('records of a month without a partition fail together, without one-by-one retries; their batch neighbours commit', async () => {
      const { store } = await twoWriters();
      const db = counting(store);
      const committer = createGroupCommitter(dataAccessStream, { store: db.store });
      await committer.append(chainRecord(1));
      db.reset();
      const lost = new Date('1990-01-15T12:00:00Z');
      // Queued together, they travel as one batch: record 2 (this month) and three 1990 records.
      const results = await Promise.allSettled([
        committer.append(chainRecord(2)),
        ...[3, 4, 5].map((i) => committer.append(chainRecord(i, { occurredAt: lost }))),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
      // The batch, then its two months apart: three statements, not one per record.
      expect(db.counts.statements).toBeLessThanOrEqual(3);
      expect((await verify(store)).ok).toBe(true);
    });

    it('an INSERT the table refuses (a month without a partition) rolls back the head move of its statement', async () => {
      const { store } = await twoWriters();
      const db = counting(store);
      const committer = createGroupCommitter(dataAccessStream, { store: db.store });
      await committer.append(chainRecord(1));
      const head = await readChainHead(store, 'data_access');
      db.reset();
      await expect(committer.append(chainRecord(2, { occurredAt: new Date('1990-01-15T12:00:00Z') }))).rejects.toMatchObject({ code: '23514' });
      expect(db.counts).toEqual({ statements: 1, transactions: 0 });
      expect(await readChainHead(store, 'data_access')).toEqual(head);
      expect((await store.query('SELECT 1 FROM audit_records')).rowCount).toBe(1);
      // The committer's idea of the head still holds: the next record is one statement and follows seq 1.
      db.reset();
      await committer.append(chainRecord(3));
      expect(db.counts).toEqual({ statements: 1, transactions: 0 });
      expect(await verify(store)).toMatchObject({ ok: true, checked: 2, head: { seq: 2 } });
    });

    it('retention moving the anchor does not disturb the optimistic append (only seq and hash are compared)', async () => {
      const { store } = await twoWriters();
      const db = counting(store);
      const committer = createGroupCommitter(dataAccessStream, { store: db.store });
      for (let i = 1; i <= 5; i++) await committer.append(chainRecord(i));
      await store.query('DELETE FROM audit_records WHERE seq < 3');
      await store.query("UPDATE audit_chain_heads SET anchor_seq = 3, anchor_prev_hash = (SELECT prev_hash FROM audit_records WHERE seq = 3) WHERE stream = 'data_access'");
      db.reset();
      await committer.append(chainRecord(6));
      expect(db.counts).toEqual({ statements: 1, transactions: 0 });
      expect(await verify(store)).toMatchObject({ ok: true, from: 3, checked: 4, head: { seq: 6, anchorSeq: 3 } });
    });

    it('two committers interleaving many batches (two pools on PostgreSQL) form one gap-free chain that verifies', async () => {
      const { store, other } = await twoWriters();
      const writers = [
        { name: 'writer-a', committer: createGroupCommitter(dataAccessStream, { store }) },
        { name: 'writer-b', committer: createGroupCommitter(dataAccessStream, { store: other }) },
      ];
      await Promise.all(
        writers.map(async ({ name, committer }) => {
          for (let wave = 0; wave < 10; wave++) {
            await Promise.all(Array.from({ length: 20 }, (_, i) => committer.append(chainRecord(wave * 20 + i, { consumer: name }))));
          }
        }),
      );
      const { rows } = await store.query<{ seq: number; consumer: string }>("SELECT seq, consumer FROM audit_records WHERE stream = 'data_access' ORDER BY seq, id");
      expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      expect(rows.filter((row) => row.consumer === 'writer-a')).toHaveLength(200);
      const switches = rows.filter((row, i) => i > 0 && row.consumer !== rows[i - 1]!.consumer).length;
      expect(switches).toBeGreaterThanOrEqual(2);
      expect(await verify(store, { pageSize: 100 })).toMatchObject({ ok: true, checked: 400, head: { seq: 400 } });
    });

    it('a record the table refuses fails alone; its batch neighbours commit', async () => {
      const store = await freshStore();
      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
      const results = await Promise.allSettled([
        writer.record(chainEntry(1)),
        writer.record(chainEntry(2)),
        writer.record(chainEntry(3, { outcome: 'bogus' as AuditEntry['outcome'] })),
        writer.record(chainEntry(4)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((await verify(store)).ok).toBe(true);
      expect((await verify(store)).head.seq).toBe(3);
    });

    it('reports an altered field at its seq', async () => {
      const store = await chainOf(30);
      await store.query("UPDATE audit_records SET purpose = 'something-else' WHERE seq = 17");
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 17, reason: 'altered' } });
    });

    it('reports a timestamp moved by microseconds as altered', async () => {
      const store = await chainOf(10);
      await store.query("UPDATE audit_records SET occurred_at = occurred_at + interval '3 microseconds' WHERE seq = 4");
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'altered' } });
    });

    it('reports a rewritten row whose hash was recomputed as a broken link at the next seq', async () => {
      const store = await chainOf(10);
      const { rows } = await store.query<ChainRow>('SELECT *, false AS sub_ms FROM audit_records WHERE seq = 5');
      const row: ChainRow = { ...rows[0]!, end_user: 'someone-else' };
      const forged = chainHash(row.prev_hash!, canonicalForm(dataAccessStream.fieldsOfRow(row)));
      await store.query("UPDATE audit_records SET end_user = 'someone-else', record_hash = $1 WHERE seq = 5", [forged]);
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 6, reason: 'broken_link' } });
    });

    it('reports a deleted row as missing at its seq', async () => {
      const store = await chainOf(30);
      await store.query('DELETE FROM audit_records WHERE seq = 9');
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 9, reason: 'missing' } });
    });

    it('reports an inserted row at its seq (a duplicate seq, or one beyond the head)', async () => {
      const store = await chainOf(20);
      const copy = `INSERT INTO audit_records (stream, occurred_at, request_id, consumer, end_user, purpose, operation, connector, fields_released,
                      outcome, http_status, latency_ms, seq, prev_hash, record_hash)
                    SELECT stream, occurred_at, 'forged', consumer, 'forger', purpose, operation, connector, fields_released,
                      outcome, http_status, latency_ms, $2::bigint, prev_hash, record_hash FROM audit_records WHERE seq = $1`;
      await store.query(copy, [12, 12]);
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 12, reason: 'duplicate' } });

      const other = await chainOf(20);
      await other.query(copy, [20, 21]);
      expect(await verify(other)).toMatchObject({ ok: false, firstBroken: { seq: 21, reason: 'beyond_head' } });
    });

    it('reports a truncated tail: deleted last rows, and deleted rows hidden by moving the head back after a checkpoint', async () => {
      const store = await chainOf(20);
      expect(await writeCheckpoint(store, 'data_access', keys)).toMatchObject({ written: true, checkpoint: { seq: 20 } });
      await store.query('DELETE FROM audit_records WHERE seq > 15');
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 16, reason: 'truncated_tail' }, checkpoints: { firstInvalid: { seq: 20, reason: 'row_missing' } } });

      // The head moved back to the last remaining row: the chain itself is consistent, only the signed checkpoint shows what is gone.
      await store.query("UPDATE audit_chain_heads SET seq = 15, record_hash = (SELECT record_hash FROM audit_records WHERE seq = 15) WHERE stream = 'data_access'");
      const report = await verify(store);
      expect(report).toMatchObject({ ok: false, to: 15, checked: 15, firstBroken: { seq: 16, reason: 'truncated_tail' }, checkpoints: { newestSeq: 20 } });
    });

    it('reports a head that does not match the last row', async () => {
      const store = await chainOf(5);
      await store.query("UPDATE audit_chain_heads SET record_hash = repeat('a', 64) WHERE stream = 'data_access'");
      expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: 'head_mismatch' } });
    });

    it('signs checkpoints only when the head moved, verifies them, and reports a tampered signature or hash', async () => {
      const store = await chainOf(12);
      expect(await writeCheckpoint(store, 'data_access', keys)).toMatchObject({ written: true });
      expect(await writeCheckpoint(store, 'data_access', keys)).toEqual({ written: false, reason: 'unchanged' });
      expect(await writeCheckpoint(store, 'admin', keys)).toEqual({ written: false, reason: 'empty' });
      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
      await writer.record(chainEntry(99));
      // Two replicas signing the same head: one checkpoint.
      const both = await Promise.all([writeCheckpoint(store, 'data_access', keys), writeCheckpoint(store, 'data_access', keys)]);
      expect(both.filter((r) => r.written)).toHaveLength(1);

      const good = await verify(store);
      expect(good).toMatchObject({ ok: true, checkpoints: { checked: 2, valid: 2, newestSeq: 13 } });

      const { rows } = await store.query<{ signature: string }>("SELECT signature FROM audit_checkpoints WHERE seq = 12");
      const flipped = Buffer.from(rows[0]!.signature, 'base64');
      flipped[0] = flipped[0]! ^ 1;
      await store.query('UPDATE audit_checkpoints SET signature = $1 WHERE seq = 12', [flipped.toString('base64')]);
      expect(await verify(store)).toMatchObject({ ok: false, checkpoints: { firstInvalid: { seq: 12, reason: 'bad_signature' } } });
      expect((await verify(store)).firstBroken).toBeUndefined();

      await store.query("UPDATE audit_checkpoints SET record_hash = repeat('b', 64) WHERE seq = 13");
      expect((await verify(store)).checkpoints.firstInvalid).toEqual({ seq: 12, reason: 'bad_signature' });
      const otherKeys = await loadCheckpointKeys({});
      expect((await verifyChain(store, { stream: 'data_access', publicKeys: otherKeys.verifying })).checkpoints.firstInvalid).toEqual({ seq: 12, reason: 'unknown_key' });
    });

    it('timestamps checkpoints with an RFC 3161 TSA and reports a token that is not over its checkpoint', async () => {
      const tsa = await startTestTsa();
      try {
        const timestamp = createTimestampRequester({ url: tsa.url, timeoutMs: 10_000 });
        const store = await chainOf(6);
        const first = await writeCheckpoint(store, 'data_access', keys, { timestamp });
        expect(first).toMatchObject({ written: true, checkpoint: { tsaUrl: tsa.url, tsaToken: expect.any(Buffer) } });
        const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
        await writer.record(chainEntry(7));
        await writeCheckpoint(store, 'data_access', keys, { timestamp });
        expect(tsa.requests).toBe(2);

        const withTokens = { stream: 'data_access' as const, publicKeys: keys.verifying, verifyTimestamp: timestampTokenMatches };
        expect(await verifyChain(store, withTokens)).toMatchObject({ ok: true, checkpoints: { checked: 2, valid: 2, timestamped: 2 } });
        // The TSA's signature covers the token: one flipped bit of it (the signature is its last bytes) and it no longer verifies.
        const token = Buffer.from(first.written ? first.checkpoint.tsaToken! : []);
        const statement = checkpointStatement((first as { checkpoint: StoredCheckpoint }).checkpoint);
        expect(await timestampTokenMatches(token, statement)).toBe(true);
        token[token.length - 1] = token[token.length - 1]! ^ 1;
        expect(await timestampTokenMatches(token, statement)).toBe(false);
        // The second checkpoint's token moved onto the first: a valid token, but not over that checkpoint.
        await store.query("UPDATE audit_checkpoints SET tsa_token = (SELECT tsa_token FROM audit_checkpoints WHERE seq = 7) WHERE seq = 6");
        expect(await verifyChain(store, withTokens)).toMatchObject({ ok: false, checkpoints: { timestamped: 1, firstInvalid: { seq: 6, reason: 'timestamp_mismatch' } } });

        // A TSA that cannot be reached leaves the checkpoint without a token, not missing.
        await writer.record(chainEntry(8));
        const errors: unknown[] = [];
        const unreachable = createTimestampRequester({ url: 'http://127.0.0.1:9/tsr', timeoutMs: 2000 });
        expect(await writeCheckpoint(store, 'data_access', keys, { timestamp: unreachable, onTimestampError: (e) => errors.push(e) })).toMatchObject({
          written: true,
          checkpoint: { seq: 8, tsaToken: null },
        });
        expect(errors).toHaveLength(1);
      } finally {
        await tsa.close();
      }
    });

    it('the scheduler signs a moved head, and signs once more when it stops (graceful shutdown)', async () => {
      const store = await chainOf(3);
      const results: string[] = [];
      const scheduler = startCheckpointScheduler({ store, keys, streams: ['data_access', 'admin'], intervalMs: 3_600_000, logger: captureLogger().logger, onResult: (stream, result) => results.push(`${stream}:${result}`) });
      await scheduler.runOnce();
      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
      await writer.record(chainEntry(4));
      await scheduler.stop();
      expect(results).toEqual(['data_access:written', 'data_access:written']);
      const { rows } = await store.query<{ seq: number }>("SELECT seq FROM audit_checkpoints WHERE stream = 'data_access' ORDER BY seq");
      expect(rows.map((row) => Number(row.seq))).toEqual([3, 4]);
    });

    it('walks a sub-range, and starts at the anchor that retention moved', async () => {
      const store = await chainOf(25);
      expect(await verify(store, { from: 10, to: 20 })).toMatchObject({ ok: true, from: 10, to: 20, checked: 11 });
      await store.query('DELETE FROM audit_records WHERE seq = 22');
      expect(await verify(store, { from: 10, to: 20 })).toMatchObject({ ok: true });
      expect(await verify(store, { from: 10, to: 23 })).toMatchObject({ ok: false, firstBroken: { seq: 22, reason: 'missing' } });

      const other = await chainOf(25);
      await other.query('DELETE FROM audit_records WHERE seq < 8');
      expect(await verify(other)).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'missing' } });
      // What retention does in the transaction that drops old records: the retained chain starts at 8.
      await other.query(
        "UPDATE audit_chain_heads SET anchor_seq = 8, anchor_prev_hash = (SELECT prev_hash FROM audit_records WHERE seq = 8) WHERE stream = 'data_access'",
      );
      expect(await verify(other)).toMatchObject({ ok: true, from: 8, to: 25, checked: 18, head: { anchorSeq: 8 } });
      expect(await verify(other, { from: 1 })).toMatchObject({ ok: true, from: 8 });
    });

    it('chains the admin stream inside the change transaction: committed together, rolled back together', async () => {
      const store = await freshStore();
      const repository = new AccessRepository(store);
      const actor = { actor: 'admin', actorClient: 'lgsp-console', requestId: 'req-admin-1' };
      await repository.savePurpose({ code: 'P1', name: 'Purpose one', kind: 'code', legalBasis: 'Decree 13/2023' } as never, actor);
      await repository.savePurpose({ code: 'P1', name: 'Purpose one, renamed', kind: 'code', legalBasis: 'Decree 13/2023' } as never, actor);
      await recordAuditRead(store, actor, 'audit_records', 'data_access', { filter: {}, returned: 0, format: 'json' });
      await expect(
        store.transaction(async (tx) => {
          const { appendInTransaction } = await import('../../src/audit/chain/append-in-transaction.js');
          await appendInTransaction(tx, 'admin', { occurredAt: new Date(), requestId: 'rolled-back', actor: 'a', actorClient: 'c', action: 'create', resourceType: 'consumer', resourceId: 'x', before: null, after: { a: 1 } });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');

      const report = await verify(store, { stream: 'admin' });
      expect(report).toMatchObject({ stream: 'admin', ok: true, checked: 3, head: { seq: 3 } });
      await store.query("UPDATE admin_audit_log SET after = '{\"name\":\"forged\"}'::jsonb WHERE seq = 2");
      expect(await verify(store, { stream: 'admin' })).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: 'altered' } });
    });

    it('chains rows written before migration 0004 once, in time order, then new records follow them', async () => {
      const { store } = await target.openIsolated();
      await migrate(store, migrations.filter((m) => m.version <= 3));
      for (const [i, at] of ['2024-05-01T10:00:00.123456Z', '2024-04-01T10:00:00Z', '2024-06-01T10:00:00.5Z'].entries()) {
        await store.query(
          `INSERT INTO audit_records (occurred_at, request_id, consumer, end_user, purpose, operation, connector, outcome, http_status, latency_ms)
           VALUES ($1::timestamptz, $2, 'one-stop', 'officer01', 'P', 'population.citizen.get', 'population', 'success', 200, 5)`,
          [at, `old-${i}`],
        );
      }
      await store.query(
        `INSERT INTO admin_audit_log (request_id, actor, actor_client, action, resource_type, resource_id, before, after)
         VALUES ('old-admin', 'admin', 'console', 'create', 'purpose', 'P', 'null', '{"code":"P"}')`,
      );
      await migrate(store, migrations);
      expect(await chainUnchainedRecords(store)).toEqual({ data_access: 3, admin: 1 });
      expect(await chainUnchainedRecords(store)).toEqual({ data_access: 0, admin: 0 });
      const { rows } = await store.query<{ request_id: string; seq: number }>('SELECT request_id, seq FROM audit_records ORDER BY seq');
      expect(rows.map((r) => [r.request_id, Number(r.seq)])).toEqual([['old-1', 1], ['old-0', 2], ['old-2', 3]]);

      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
      await writer.record(chainEntry(1));
      expect(await verify(store)).toMatchObject({ ok: true, checked: 4, unchained: 0 });
      expect(await verify(store, { stream: 'admin' })).toMatchObject({ ok: true, checked: 1 });
      // The CHECK (NOT VALID) still refuses an unchained row written around the chain.
      await expect(
        store.query(
          `INSERT INTO audit_records (occurred_at, request_id, consumer, end_user, purpose, operation, connector, outcome, http_status, latency_ms)
           VALUES (now(), 'around', 'c', 'e', 'p', 'o', 'c', 'success', 200, 1)`,
        ),
      ).rejects.toMatchObject({ code: '23514' });
    });
  });
}
