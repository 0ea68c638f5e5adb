import { randomBytes, randomUUID } from 'node:crypto';
import { ProblemError } from '../../errors/index.js';
import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import type { Store } from '../../store/store.js';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import type { AuditEntry } from '../audit-record.js';
import { countByRequestId, findBySubject } from '../audit-reader.js';
import { createAuditWriter } from '../audit-writer.js';
import { ensureAuditPartitions } from '../partitions/ensure-audit-partitions.js';
import { hashSubjectId } from '../subject-protection.js';

const subjectKey = randomBytes(32);

export function sampleEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: randomUUID(),
    occurredAt: new Date('2025-03-04T05:06:07.089Z'),
    consumer: 'one-stop-system',
    endUser: 'officer.tran.thi.b',
    purpose: 'H12.34-250304-0001',
    operation: 'population.citizen.get',
    connector: 'population',
    subjectId: '001099012334',
    fieldsReleased: ['fullName', 'birthDate'],
    outcome: 'success',
    httpStatus: 200,
    latencyMs: 42,
    upstreamReference: 'DC-778899',
    ...overrides,
  };
}

/** The audit writer and reader against a real store; run once per driver. */
export function describeAuditContract(target: StoreTarget): void {
  let store: Store;
  beforeAll(async () => {
    ({ store } = await target.openIsolated());
    await migrate(store, migrations);
    // The samples are dated early 2025; audit_records is partitioned by month and only the current months exist.
    await ensureAuditPartitions(store, { now: new Date('2025-01-01T00:00:00Z'), monthsAhead: 2 });
  });
  afterAll(() => target.dispose());

  describe(`audit trail on ${target.driver}`, () => {
    it('stores the subject only as keyed hash and mask, and everything else as given', async () => {
      const log = captureLogger();
      const writer = createAuditWriter({ store, subjectKey, logger: log.logger });
      const entry = sampleEntry({ subjectId: '079203004521' });
      await writer.record(entry);

      const { rows } = await store.query<{ row: string }>(
        'SELECT row_to_json(a)::text AS row FROM audit_records a WHERE request_id = $1',
        [entry.requestId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.row).not.toContain('079203004521');
      expect(rows[0]!.row).toContain(hashSubjectId(subjectKey, '079203004521'));

      const [stored, ...others] = await findBySubject(store, subjectKey, '079203004521');
      expect(others).toEqual([]);
      const { subjectId: _clear, ...facts } = entry;
      expect(stored).toEqual({
        ...facts,
        id: expect.anything(),
        stream: 'data_access',
        recordedAt: expect.any(Date),
        subjectHash: hashSubjectId(subjectKey, '079203004521'),
        subjectMasked: '079*******21',
      });
      expect(log.text()).not.toContain('079203004521');
      expect(log.text()).not.toContain(entry.endUser);
    });

    it('finds only the asked-for subject, newest first, and nothing with another key', async () => {
      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
      const subject = '038188000111';
      await writer.record(sampleEntry({ subjectId: subject, occurredAt: new Date('2025-01-01T00:00:00Z') }));
      await writer.record(sampleEntry({ subjectId: '038188000112' }));
      await writer.record(sampleEntry({ subjectId: subject, occurredAt: new Date('2025-02-01T00:00:00Z') }));

      const found = await findBySubject(store, subjectKey, subject);
      expect(found.map((r) => r.occurredAt.toISOString())).toEqual([
        '2025-02-01T00:00:00.000Z',
        '2025-01-01T00:00:00.000Z',
      ]);
      expect(new Set(found.map((r) => r.subjectHash))).toEqual(new Set([hashSubjectId(subjectKey, subject)]));
      expect(await findBySubject(store, subjectKey, subject, { limit: 1 })).toHaveLength(1);
      expect(await findBySubject(store, randomBytes(32), subject)).toEqual([]);
    });

    it('records a refused request that named no subject', async () => {
      const writer = createAuditWriter({ store, subjectKey, logger: captureLogger().logger });
      const entry = sampleEntry({ subjectId: undefined, outcome: 'denied', httpStatus: 403, fieldsReleased: [] });
      delete entry.upstreamReference;
      await writer.record(entry);
      const { rows } = await store.query(
        'SELECT subject_hash, subject_masked, fields_released, upstream_reference FROM audit_records WHERE request_id = $1',
        [entry.requestId],
      );
      expect(rows).toEqual([{ subject_hash: null, subject_masked: null, fields_released: [], upstream_reference: null }]);
    });

    it('counts records per request id, and keeps every one of many concurrent writes', async () => {
      const writes: number[] = [];
      const writer = createAuditWriter({
        store,
        subjectKey,
        logger: captureLogger().logger,
        onWrite: (ms, ok) => {
          expect(ok).toBe(true);
          writes.push(ms);
        },
      });
      const entries = Array.from({ length: 40 }, (_, i) => sampleEntry({ subjectId: `0010990${String(i).padStart(5, '0')}` }));
      await Promise.all(entries.map((entry) => writer.record(entry)));
      expect(writes).toHaveLength(40);
      expect(writes.every((ms) => ms >= 0)).toBe(true);
      const counts = await Promise.all(entries.map((entry) => countByRequestId(store, entry.requestId)));
      expect(counts).toEqual(entries.map(() => 1));
      expect(await countByRequestId(store, randomUUID())).toBe(0);
    });

    it('rejects with LGSP_AUDIT_UNAVAILABLE when the store cannot take the record, logging no personal data', async () => {
      const { store: unmigrated } = await target.openIsolated(); // no audit_records table there
      const log = captureLogger();
      const results: boolean[] = [];
      const writer = createAuditWriter({
        store: unmigrated,
        subjectKey,
        logger: log.logger,
        onWrite: (_ms, ok) => results.push(ok),
      });
      const entry = sampleEntry();
      const attempt = writer.record(entry);
      await expect(attempt).rejects.toBeInstanceOf(ProblemError);
      await expect(attempt).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE', status: 503 });
      expect(results).toEqual([false]);
      expect(log.messages()).toContain('audit record could not be written');
      expect(log.text()).toContain(entry.requestId);
      expect(log.text()).not.toContain(entry.subjectId!);
      expect(log.text()).not.toContain(entry.endUser);
    });

    it('rejects a record the table refuses (unknown outcome) without leaking the row into logs', async () => {
      const log = captureLogger();
      const writer = createAuditWriter({ store, subjectKey, logger: log.logger });
      const entry = sampleEntry({ outcome: 'bogus' as AuditEntry['outcome'] });
      await expect(writer.record(entry)).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE' });
      expect(await countByRequestId(store, entry.requestId)).toBe(0);
      expect(log.text()).toContain('23514');
      expect(log.text()).not.toContain(entry.endUser);
      expect(log.text()).not.toContain('001*******34');
    });

    it('refuses to start with a short subject key', () => {
      expect(() => createAuditWriter({ store, subjectKey: 'too-short', logger: captureLogger().logger })).toThrow(
        /at least 32 bytes/,
      );
    });
  });
}
