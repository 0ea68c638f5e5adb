import { lockChainHead } from '../../src/audit/chain/chain-append.js';
import { dataAccessStream } from '../../src/audit/chain/chain-streams.js';
import { createGroupCommitter } from '../../src/audit/chain/group-commit.js';
import { loadCheckpointKeys } from '../../src/audit/chain/checkpoint-key.js';
import { verifyChain } from '../../src/audit/chain/verify-chain.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { pgStoreTarget } from '../../src/store/test-support/store-targets.js';
import { chainRecord, counting } from './chain-contract.js';

// The optimistic append is one statement, so it holds its lock on audit_records while it waits for the head row.
// Retention holds the head row (FOR UPDATE) and then drops a month: DROP needs audit_records exclusively. That
// is a lock cycle PostgreSQL breaks by aborting one side (40P01); the committer must be the side that copes.
const target = pgStoreTarget(captureLogger().logger);
afterAll(() => target.dispose());

describe('optimistic chain append against retention holding the head (PostgreSQL)', () => {
  it('a deadlock with a month being dropped under the head lock ends in the locking append: both commit, the chain verifies', async () => {
    const isolated = await target.openIsolated();
    await migrate(isolated.store, migrations);
    const retention = await isolated.openAnother();
    const db = counting(isolated.store);
    const committer = createGroupCommitter(dataAccessStream, { store: db.store });
    await committer.append(chainRecord(1));

    const { rows } = await isolated.store.query<{ relname: string }>(
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_records'::regclass ORDER BY c.relname DESC LIMIT 1",
    );
    const lastMonth = rows[0]!.relname;
    db.reset();
    let appended: Promise<void> | undefined;
    await retention.transaction(async (tx) => {
      await lockChainHead(tx, dataAccessStream.name);
      appended = committer.append(chainRecord(2));
      // Let the optimistic statement reach the head row and wait there (deadlock_timeout is 1 s: well inside it).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.exec(`DROP TABLE ${lastMonth}`);
    });
    await appended;
    // The optimistic statement was the deadlock's victim; the batch then went through BEGIN; SELECT … FOR UPDATE; … COMMIT.
    expect(db.counts).toEqual({ statements: 1, transactions: 1 });
    // In this test's schema: pg_class spans the database, where other test files' schemas have a partition of the same name.
    expect((await isolated.store.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [lastMonth])).rows[0]!.present).toBe(false);
    const keys = await loadCheckpointKeys({});
    expect(await verifyChain(isolated.store, { stream: 'data_access', publicKeys: keys.verifying })).toMatchObject({ ok: true, checked: 2, head: { seq: 2 } });
  }, 60_000);
});
