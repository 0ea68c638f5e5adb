import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from './migrations/index.js';
import { connectStore, openStore } from './open-store.js';
import { EmbeddedStoreInUseError, staleLockMs } from './pglite-store.js';
import { captureLogger } from './test-support/capture-logger.js';
import { describeStoreContract } from './test-support/store-contract.js';
import { pgliteStoreTarget } from './test-support/store-targets.js';

describeStoreContract(pgliteStoreTarget());

describe('pglite store on disk', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'lgsp-pglite-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('creates a missing data dir, keeps data across restarts and does not migrate twice', async () => {
    const dataDir = join(parent, 'nested', 'data');
    const { logger } = captureLogger();

    const first = await openStore({ driver: 'pglite', dataDir }, logger);
    expect(first.driver).toBe('pglite');
    expect((await stat(dataDir)).isDirectory()).toBe(true);
    await first.query('CREATE TABLE kept (n integer)');
    await first.query('INSERT INTO kept VALUES (1)');
    await first.close();

    const second = await openStore({ driver: 'pglite', dataDir }, logger);
    try {
      expect((await second.query('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
      const { rows } = await second.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(migrations.map((m) => ({ version: m.version })));
    } finally {
      await second.close();
    }
  }, 60_000);

  it('refuses a second opener of the same files while the first has them, and lets it in after close', async () => {
    const dataDir = join(parent, 'locked');
    const { logger } = captureLogger();
    const first = await openStore({ driver: 'pglite', dataDir }, logger);
    try {
      await first.query('CREATE TABLE owner_only (n integer)');
      // A read-only tool (connectStore) is refused at once.
      await expect(connectStore({ driver: 'pglite', dataDir }, logger)).rejects.toBeInstanceOf(EmbeddedStoreInUseError);
      // The refused opener touched nothing: the first process still works on its files.
      await first.query('INSERT INTO owner_only VALUES (1)');
    } finally {
      await first.close();
    }
    const second = await openStore({ driver: 'pglite', dataDir }, logger);
    try {
      expect((await second.query('SELECT n FROM owner_only')).rows).toEqual([{ n: 1 }]);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('takes over a lock left behind by a killed process once it is stale', async () => {
    const dataDir = join(parent, 'killed-owner');
    const { logger } = captureLogger();
    await openStore({ driver: 'pglite', dataDir }, logger).then((store) => store.close());
    // What a SIGKILLed gateway leaves: the lock directory, no longer refreshed.
    await mkdir(`${dataDir}.lock`);
    await expect(connectStore({ driver: 'pglite', dataDir }, logger)).rejects.toBeInstanceOf(EmbeddedStoreInUseError);
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(`${dataDir}.lock`, aMinuteAgo, aMinuteAgo);
    const store = await connectStore({ driver: 'pglite', dataDir }, logger);
    await store.close();
  }, 60_000);

  it("waits at the gateway's start until a killed process's lock goes stale, saying so once", async () => {
    const dataDir = join(parent, 'restart-after-kill');
    const { logger, messages } = captureLogger();
    await openStore({ driver: 'pglite', dataDir }, logger).then((store) => store.close());
    // Killed 3 s before its lock would go stale: a supervisor restarts it at once.
    await mkdir(`${dataDir}.lock`);
    const almostStale = new Date(Date.now() - (staleLockMs - 3_000));
    await utimes(`${dataDir}.lock`, almostStale, almostStale);
    const store = await openStore({ driver: 'pglite', dataDir }, logger);
    await store.close();
    expect(messages().filter((message) => message.startsWith('embedded store locked'))).toHaveLength(1);
  }, 60_000);
});
