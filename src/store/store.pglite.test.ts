import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from './migrations/index.js';
import { connectStore, openStore } from './open-store.js';
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
});

describe('pglite store: connectStore', () => {
  it('opens without migrating (read-only tools leave migrating to the gateway)', async () => {
    const store = await connectStore({ driver: 'pglite' }, captureLogger().logger);
    try {
      expect(store.driver).toBe('pglite');
      expect((await store.query("SELECT to_regclass('schema_migrations') AS found")).rows).toEqual([{ found: null }]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
