import { assertSchemaCurrent, migrate, MigrationError, type Migration } from '../migrate.js';
import { migrations as gatewayMigrations } from '../migrations/index.js';
import type { Queryable } from '../store.js';
import type { StoreTarget } from './store-targets.js';

const widgets: Migration = {
  version: 1,
  name: 'widgets',
  up: `CREATE TABLE widgets (id integer PRIMARY KEY, label text NOT NULL);
       INSERT INTO widgets VALUES (1, 'seed');`,
};
const gadgets: Migration = {
  version: 2,
  name: 'gadgets',
  up: 'CREATE TABLE gadgets (id integer PRIMARY KEY);',
};
const sprockets: Migration = {
  version: 3,
  name: 'sprockets',
  up: 'CREATE TABLE sprockets (id integer PRIMARY KEY);',
};

async function tableExists(db: Queryable, schema: string, table: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2',
    [schema, table],
  );
  return rows.length === 1;
}

/** The behaviour every Store driver must show; run once per driver. */
export function describeStoreContract(target: StoreTarget): void {
  afterAll(() => target.dispose());

  describe(`${target.driver} store: queries`, () => {
    it('round-trips parameters and returns the same JavaScript types on every driver', async () => {
      const { store } = await target.openIsolated();
      await store.exec(`CREATE TABLE samples (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        label text, small smallint, big bigint, huge bigint, amount numeric(12,2),
        at timestamptz, day date, tags text[], doc jsonb, flag boolean)`);
      const at = new Date('2024-05-06T07:08:09.123Z');
      const inserted = await store.query(
        `INSERT INTO samples (label, small, big, huge, amount, at, day, tags, doc, flag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        ['Nguyễn Văn A', 7, 42, 9007199254740993n, '12.50', at, '2024-05-06', ['a', 'b c'], { k: [1, 'x'] }, true],
      );
      expect(inserted.rowCount).toBe(1);
      expect(inserted.rows[0]).toEqual({
        id: 1,
        label: 'Nguyễn Văn A',
        small: 7,
        big: 42,
        huge: 9007199254740993n,
        amount: '12.50',
        at,
        day: new Date('2024-05-06T00:00:00.000Z'),
        tags: ['a', 'b c'],
        doc: { k: [1, 'x'] },
        flag: true,
      });

      await store.query('INSERT INTO samples (label) VALUES ($1)', [null]);
      const counted = await store.query<{ n: unknown }>('SELECT count(*) AS n FROM samples WHERE label IS NULL');
      expect(counted.rows).toEqual([{ n: 1 }]);

      const updated = await store.query('UPDATE samples SET flag = false');
      expect(updated.rowCount).toBe(2);
      const selected = await store.query('SELECT id FROM samples ORDER BY id');
      expect(selected).toEqual({ rows: [{ id: 1 }, { id: 2 }], rowCount: 2 });
    });

    it('runs multi-statement scripts with exec', async () => {
      const { store } = await target.openIsolated();
      await store.exec(`CREATE TABLE script_t (n integer); INSERT INTO script_t VALUES (1), (2);`);
      expect((await store.query('SELECT sum(n)::integer AS s FROM script_t')).rows).toEqual([{ s: 3 }]);
    });

    it('rejects bad SQL with the server error code and stays usable', async () => {
      const { store } = await target.openIsolated();
      await expect(store.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await store.ping();
    });
  });

  describe(`${target.driver} store: transactions`, () => {
    it('commits when the function resolves and returns its value', async () => {
      const { store } = await target.openIsolated();
      await store.exec('CREATE TABLE tx_commit (n integer PRIMARY KEY)');
      const result = await store.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_commit VALUES ($1)', [1]);
        await tx.exec('INSERT INTO tx_commit VALUES (2); INSERT INTO tx_commit VALUES (3);');
        return (await tx.query('SELECT count(*) AS n FROM tx_commit')).rows[0];
      });
      expect(result).toEqual({ n: 3 });
      expect((await store.query('SELECT n FROM tx_commit ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('rolls back everything when the function throws, and rethrows that error', async () => {
      const { store } = await target.openIsolated();
      await store.exec('CREATE TABLE tx_rollback (n integer PRIMARY KEY)');
      const failure = new Error('changed my mind');
      await expect(
        store.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_rollback VALUES (1)');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect((await store.query('SELECT * FROM tx_rollback')).rowCount).toBe(0);
    });

    it('rolls back when a statement fails, including earlier DDL, and the store stays usable', async () => {
      const { store } = await target.openIsolated();
      await store.exec('CREATE TABLE tx_fail (n integer PRIMARY KEY)');
      await expect(
        store.transaction(async (tx) => {
          await tx.exec('CREATE TABLE tx_fail_side (n integer)');
          await tx.query('INSERT INTO tx_fail VALUES (1)');
          await tx.query('INSERT INTO tx_fail VALUES (1)');
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect((await store.query('SELECT * FROM tx_fail')).rowCount).toBe(0);
      await expect(store.query('SELECT * FROM tx_fail_side')).rejects.toMatchObject({ code: '42P01' });
      await store.transaction((tx) => tx.query('INSERT INTO tx_fail VALUES (2)'));
      expect((await store.query('SELECT n FROM tx_fail')).rows).toEqual([{ n: 2 }]);
    });

    it('refuses a transaction handle used after the transaction ended', async () => {
      const { store } = await target.openIsolated();
      const leaked = await store.transaction(async (tx) => tx);
      await expect(leaked.query('SELECT 1')).rejects.toThrow();
    });
  });

  describe(`${target.driver} store: migrations`, () => {
    it('applies pending migrations once, each recorded, and is idempotent on a second open', async () => {
      const isolated = await target.openIsolated();
      const first = await migrate(isolated.store, [widgets, gadgets]);
      expect(first).toEqual({ applied: [1, 2], current: 2 });

      const again = await isolated.openAnother();
      expect(await migrate(again, [widgets, gadgets])).toEqual({ applied: [], current: 2 });
      // the seed row would be duplicated (primary key violation) if widgets ran twice
      expect((await again.query('SELECT label FROM widgets')).rows).toEqual([{ label: 'seed' }]);
      const { rows } = await again.query<{ version: number; name: string; applied_at: unknown }>(
        'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
      );
      expect(rows.map(({ version, name }) => ({ version, name }))).toEqual([
        { version: 1, name: 'widgets' },
        { version: 2, name: 'gadgets' },
      ]);
      expect(rows.every((row) => row.applied_at instanceof Date)).toBe(true);
      expect(await tableExists(again, isolated.schema, 'schema_migrations')).toBe(true);

      expect(await migrate(again, [widgets, gadgets, sprockets])).toEqual({ applied: [3], current: 3 });
    });

    it('refuses to start on a database migrated by a newer version, changing nothing', async () => {
      const { store } = await target.openIsolated();
      await migrate(store, [widgets, gadgets]);
      const refused = migrate(store, [widgets]);
      await expect(refused).rejects.toBeInstanceOf(MigrationError);
      await expect(refused).rejects.toThrow(/2 \("gadgets"\).*does not know.*up to 1/);
      expect((await store.query('SELECT count(*) AS n FROM schema_migrations')).rows).toEqual([{ n: 2 }]);
    });

    it('refuses a renamed migration and one slipped in below the recorded version', async () => {
      const { store, schema } = await target.openIsolated();
      await migrate(store, [widgets, sprockets]);
      await expect(migrate(store, [{ ...widgets, name: 'renamed' }, sprockets])).rejects.toThrow(
        /recorded as "widgets".*"renamed"/,
      );
      await expect(migrate(store, [widgets, gadgets, sprockets])).rejects.toThrow(/2 were added below.*version 3/);
      expect(await tableExists(store, schema, 'gadgets')).toBe(false);
    });

    it('rejects an out-of-order migration list before touching the database', async () => {
      const { store, schema } = await target.openIsolated();
      await expect(migrate(store, [gadgets, widgets])).rejects.toThrow(/out of order/);
      expect(await tableExists(store, schema, 'schema_migrations')).toBe(false);
    });

    it('rolls back a failing migration whole and keeps the ones before it', async () => {
      const { store, schema } = await target.openIsolated();
      const broken: Migration = {
        version: 2,
        name: 'broken',
        up: 'CREATE TABLE half_done (n integer); SELECT * FROM no_such_table;',
      };
      await expect(migrate(store, [widgets, broken])).rejects.toMatchObject({ code: '42P01' });
      expect(await tableExists(store, schema, 'widgets')).toBe(true);
      expect(await tableExists(store, schema, 'half_done')).toBe(false);
      expect((await store.query('SELECT version FROM schema_migrations')).rows).toEqual([{ version: 1 }]);
      expect(await migrate(store, [widgets, gadgets])).toEqual({ applied: [2], current: 2 });
    });

    it('checks without migrating (store.migrateOnStart: false): a current schema passes, one behind refuses naming the command, changing nothing', async () => {
      const { store, schema } = await target.openIsolated();
      const empty = assertSchemaCurrent(store, [widgets, gadgets]);
      await expect(empty).rejects.toBeInstanceOf(MigrationError);
      await expect(empty).rejects.toThrow(/at version 0 and this gateway needs 2 \(pending: 1, 2\).*store-migrate\.js/);
      // A check never creates the history table (nor anything else).
      expect(await tableExists(store, schema, 'schema_migrations')).toBe(false);

      await migrate(store, [widgets]);
      await expect(assertSchemaCurrent(store, [widgets, gadgets])).rejects.toThrow(/at version 1 and this gateway needs 2 \(pending: 2\)/);
      expect(await tableExists(store, schema, 'gadgets')).toBe(false);

      await migrate(store, [widgets, gadgets]);
      await expect(assertSchemaCurrent(store, [widgets, gadgets])).resolves.toEqual({ applied: [], current: 2, ahead: [] });
    });

    it('checks without migrating: a schema ahead of the code by newer migrations only is accepted (a rolling upgrade), a different history refuses', async () => {
      const { store } = await target.openIsolated();
      await migrate(store, [widgets, gadgets]);
      // The previous release's pods, restarted after the Job migrated: they start, told what is newer.
      await expect(assertSchemaCurrent(store, [widgets])).resolves.toEqual({ applied: [], current: 2, ahead: [2] });
      await expect(assertSchemaCurrent(store, [{ ...widgets, name: 'renamed' }, gadgets])).rejects.toThrow(/recorded as "widgets"/);
      await expect(assertSchemaCurrent(store, [{ ...widgets, name: 'renamed' }])).rejects.toThrow(/recorded as "widgets"/);
      // A newer migration the code does not know, below one it knows, is no rolling upgrade: refused.
      const { store: other } = await target.openIsolated();
      await migrate(other, [widgets, gadgets]);
      await expect(assertSchemaCurrent(other, [widgets, { ...sprockets, version: 3 }])).rejects.toThrow(/2 \("gadgets"\).*does not know/);
      // The self-migrating path stays strict.
      await expect(migrate(store, [widgets])).rejects.toThrow(/does not know/);
    });

    it("applies the gateway's own migrations, including the audit table, idempotently", async () => {
      const { store, schema } = await target.openIsolated();
      const first = await migrate(store, gatewayMigrations);
      expect(first.applied).toEqual(gatewayMigrations.map((m) => m.version));
      expect(await tableExists(store, schema, 'audit_records')).toBe(true);
      expect((await migrate(store, gatewayMigrations)).applied).toEqual([]);
    });
  });
}
