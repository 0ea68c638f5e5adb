import { migrate, type Migration } from './migrate.js';
import { migrations } from './migrations/index.js';
import { connectStore, openStore, type StoreConfig } from './open-store.js';
import { createPgStore } from './pg-store.js';
import { captureLogger } from './test-support/capture-logger.js';
import { describeStoreContract } from './test-support/store-contract.js';
import { pgStoreTarget, testDatabaseUrl } from './test-support/store-targets.js';

const log = captureLogger();
const target = pgStoreTarget(log.logger);
describeStoreContract(target);

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('pg store: several gateway processes on one database', () => {
  // Sleeps inside the migration so that both runners are surely in flight at once.
  const slow: Migration[] = [
    { version: 1, name: 'slow_table', up: 'SELECT pg_sleep(0.3); CREATE TABLE slow_table (n integer);' },
    { version: 2, name: 'second_table', up: 'CREATE TABLE second_table (n integer);' },
  ];

  it('migrates concurrently without failing, each migration applied by exactly one of them', async () => {
    const isolated = await target.openIsolated();
    const other = await isolated.openAnother();
    const [a, b] = await Promise.all([migrate(isolated.store, slow), migrate(other, slow)]);
    expect([...a.applied, ...b.applied].sort()).toEqual([1, 2]);
    expect(a.current).toBe(2);
    expect(b.current).toBe(2);
    expect((await other.query('SELECT version FROM schema_migrations ORDER BY version')).rows).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
  });

  it('opens with the real migrations from several replicas at once', async () => {
    const isolated = await target.openIsolated();
    const stores = await Promise.all([1, 2, 3].map(() => openStore(isolated.config!, log.logger)));
    try {
      const { rows } = await isolated.store.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(migrations.map((m) => ({ version: m.version })));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});

describe('pg store: openStore with store.migrateOnStart false (migrations run by scripts/store-migrate.ts)', () => {
  it('refuses a schema behind the code, then opens once it is migrated', async () => {
    const isolated = await target.openIsolated();
    const config = { ...isolated.config!, migrateOnStart: false } as StoreConfig;
    await expect(openStore(config, log.logger)).rejects.toThrow(/needs \d+ \(pending: 1, .*store-migrate\.js/);
    await migrate(isolated.store, migrations);
    const store = await openStore(config, log.logger);
    try {
      expect((await store.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: migrations.length }]);
    } finally {
      await store.close();
    }
  });
});

describe('pg store: connectStore (read-only tools such as audit:verify)', () => {
  const tablesIn = async (store: Awaited<ReturnType<typeof connectStore>>, schema: string) =>
    (await store.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])).rows;
  const settingsOf = async (store: Awaited<ReturnType<typeof connectStore>>) =>
    (await store.query("SELECT current_setting('statement_timeout') AS timeout, current_setting('application_name') AS name")).rows[0];

  it('reaches the configured schema without migrating it, with the configured pool settings', async () => {
    const { config, schema } = await target.openIsolated();
    const store = await connectStore({ ...config!, statementTimeoutMs: 1234 } as StoreConfig, log.logger);
    try {
      await store.exec('CREATE TABLE placed_by_connect (n integer)');
      expect(await tablesIn(store, schema)).toEqual([{ table_name: 'placed_by_connect' }]);
      expect(await settingsOf(store)).toEqual({ timeout: '1234ms', name: 'lgsp-gateway' });
    } finally {
      await store.close();
    }
  });

  it("with a pool of the caller's own, ignores the gateway's configured pool settings", async () => {
    const { config } = await target.openIsolated();
    const store = await connectStore({ ...config!, statementTimeoutMs: 1234 } as StoreConfig, log.logger, { max: 2, applicationName: 'lgsp-audit-verify' });
    try {
      expect(await settingsOf(store)).toEqual({ timeout: '30s', name: 'lgsp-audit-verify' });
    } finally {
      await store.close();
    }
  });
});

describe('pg store: connections', () => {
  it('keeps unqualified tables in the configured schema', async () => {
    const { store, schema } = await target.openIsolated();
    await store.exec('CREATE TABLE placed (n integer)');
    // Other isolated schemas of this run may hold a `placed` too: look only at ours and at public.
    const { rows } = await store.query(
      "SELECT table_schema FROM information_schema.tables WHERE table_name = 'placed' AND table_schema IN ($1, 'public')",
      [schema],
    );
    expect(rows).toEqual([{ table_schema: schema }]);
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(
      createPgStore({ connectionString: testDatabaseUrl, logger: log.logger, schema: 'x,public; drop' }),
    ).rejects.toThrow(/must match/);
  });

  it('fails to open, quickly, when the server is unreachable', async () => {
    const started = Date.now();
    await expect(
      createPgStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', logger: log.logger }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('cancels statements that run longer than statementTimeoutMs', async () => {
    const store = await createPgStore({ connectionString: testDatabaseUrl, logger: log.logger, statementTimeoutMs: 100 });
    try {
      await expect(store.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await store.close();
    }
  });

  it('sets the application name seen by the server', async () => {
    const store = await createPgStore({ connectionString: testDatabaseUrl, logger: log.logger, applicationName: 'lgsp-test-app' });
    try {
      expect((await store.query("SELECT current_setting('application_name') AS name")).rows).toEqual([
        { name: 'lgsp-test-app' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('logs an idle connection killed by the server and carries on with a new one', async () => {
    const { store } = await target.openIsolated();
    const admin = await target.openIsolated();
    const { rows } = await store.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin.store.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await waitFor(() => log.messages().includes('idle PostgreSQL connection failed'));
    await store.ping();
  });

  it('rejects a transaction whose connection dies, without an uncaught error, and stays usable', async () => {
    const { store } = await target.openIsolated();
    const admin = await target.openIsolated();
    await store.exec('CREATE TABLE survived (n integer)');
    await expect(
      store.transaction(async (tx) => {
        await tx.query('INSERT INTO survived VALUES (1)');
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.store.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await tx.query('SELECT 1');
      }),
    ).rejects.toThrow();
    expect((await store.query('SELECT * FROM survived')).rowCount).toBe(0);
  });

  it('refuses queries after close', async () => {
    const store = await createPgStore({ connectionString: testDatabaseUrl, logger: log.logger });
    await store.close();
    await expect(store.query('SELECT 1')).rejects.toThrow();
  });
});
