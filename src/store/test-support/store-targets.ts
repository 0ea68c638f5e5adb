import { randomBytes } from 'node:crypto';
import type { Logger } from '../../observability/logger.js';
import type { StoreConfig } from '../open-store.js';
import { createPgStore } from '../pg-store.js';
import { createPgliteStore } from '../pglite-store.js';
import type { Store } from '../store.js';

/** The real PostgreSQL the test machine provides. */
export const testDatabaseUrl = process.env.LGSP_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A store on a schema of its own, so tests sharing one database (or one PGlite) do not see each other's tables. */
export interface IsolatedStore {
  store: Store;
  schema: string;
  /** Another handle on the same database and schema (pg: a second pool, like a second gateway replica). */
  openAnother(): Promise<Store>;
  /** What openStore needs to reach the same schema (pg only; PGlite in memory cannot be reopened). */
  config?: StoreConfig;
}

/** One per test file: opens isolated stores and removes everything they created afterwards. */
export interface StoreTarget {
  driver: 'pg' | 'pglite';
  openIsolated(): Promise<IsolatedStore>;
  dispose(): Promise<void>;
}

function uniqueSchemaPrefix(): string {
  return `t_${randomBytes(4).toString('hex')}`;
}

/** Every isolated store is a fresh schema in the test database, dropped in dispose(). */
export function pgStoreTarget(logger: Logger): StoreTarget {
  const prefix = uniqueSchemaPrefix();
  const schemas: string[] = [];
  const stores: Store[] = [];
  let admin: Promise<Store> | undefined;
  const adminStore = () => (admin ??= createPgStore({ connectionString: testDatabaseUrl, logger, max: 2 }));
  const open = async (schema: string) => {
    const store = await createPgStore({ connectionString: testDatabaseUrl, logger, schema, max: 4 });
    stores.push(store);
    return store;
  };

  return {
    driver: 'pg',
    async openIsolated() {
      const schema = `${prefix}_${schemas.length + 1}`;
      await (await adminStore()).exec(`CREATE SCHEMA ${schema}`);
      schemas.push(schema);
      return {
        store: await open(schema),
        schema,
        openAnother: () => open(schema),
        config: { driver: 'pg', url: testDatabaseUrl, schema, poolSize: 4 },
      };
    },
    async dispose() {
      await Promise.allSettled(stores.map((store) => store.close()));
      if (!admin) return;
      const store = await admin;
      for (const schema of schemas) await store.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await store.close();
    },
  };
}

/**
 * One in-memory PGlite per test file (it takes seconds to start). PGlite is a
 * single session, so an isolated store is a handle that switches the
 * session's search_path to its own fresh schema before each use. Good enough
 * for tests that use one handle at a time (concurrent calls through the same
 * handle are fine); the handles' close() leaves the shared instance open.
 */
export function pgliteStoreTarget(): StoreTarget {
  const prefix = uniqueSchemaPrefix();
  let shared: Promise<Store> | undefined;
  let count = 0;
  let activeSchema: string | undefined;
  const sharedStore = () => (shared ??= createPgliteStore());

  const lease = (store: Store, schema: string): Store => {
    const enter = async () => {
      if (activeSchema === schema) return;
      activeSchema = schema;
      await store.exec(`SET search_path TO ${schema}, public`);
    };
    return {
      driver: store.driver,
      query: async (sql, params) => (await enter(), store.query(sql, params)),
      exec: async (sql) => (await enter(), store.exec(sql)),
      transaction: async (fn) => (await enter(), store.transaction(fn)),
      ping: () => store.ping(),
      close: async () => undefined,
    };
  };

  return {
    driver: 'pglite',
    async openIsolated() {
      const store = await sharedStore();
      const schema = `${prefix}_${++count}`;
      await store.exec(`CREATE SCHEMA ${schema}`);
      return { store: lease(store, schema), schema, openAnother: async () => lease(store, schema) };
    },
    async dispose() {
      if (shared) await (await shared).close();
    },
  };
}
