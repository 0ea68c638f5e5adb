import type { Logger } from '../observability/logger.js';
import type { Queryable, Store } from './store.js';

export interface Migration {
  /** Positive integer, strictly increasing along the list; never reused or renumbered once released. */
  version: number;
  name: string;
  /** PostgreSQL script; must also run on PGlite (the embedded store). */
  up: string;
}

export interface MigrationReport {
  /** Versions applied by this run, in order. */
  applied: number[];
  /** Highest version recorded in the database after the run. */
  current: number;
  /** assertSchemaCurrent only: recorded versions newer than every migration this code knows (a rolling upgrade's old pods). */
  ahead?: number[];
}

/** The database and this code disagree about the schema history; starting would risk the data. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

interface AppliedRow {
  version: number;
  name: string;
}

/**
 * Every step runs in its own transaction that first takes a transaction-level
 * advisory lock keyed on the current schema, so gateway replicas starting
 * together take turns: the first applies a migration, the others then see it
 * recorded and skip it. A failed migration rolls back whole and stops the run.
 */
export async function migrate(
  store: Store,
  migrations: readonly Migration[],
  logger?: Logger,
): Promise<MigrationReport> {
  checkMigrationList(migrations);
  const known = new Map(migrations.map((m) => [m.version, m]));

  const recorded = await store.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<AppliedRow>('SELECT version, name FROM schema_migrations ORDER BY version');
    return rows;
  });
  checkHistory(recorded, known);

  const applied: number[] = [];
  const highestRecorded = recorded.at(-1)?.version ?? 0;
  for (const migration of migrations) {
    if (migration.version <= highestRecorded) continue;
    const ran = await store.transaction(async (tx) => {
      await lockMigrations(tx);
      const { rowCount } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rowCount > 0) return false; // another replica applied it while we waited for the lock
      await tx.exec(migration.up);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) {
      applied.push(migration.version);
      logger?.info({ version: migration.version, migration: migration.name }, 'database migration applied');
    }
  }

  const current = Math.max(highestRecorded, migrations.at(-1)?.version ?? 0);
  return { applied, current };
}

/**
 * For a gateway that does not migrate at start (`store.migrateOnStart: false`,
 * migrations run by `node dist/scripts/store-migrate.js`, e.g. a Helm
 * pre-upgrade Job): reads the recorded history, changes nothing, and refuses
 * a database that is behind this code, or whose history disagrees with it,
 * with a MigrationError saying what to run.
 *
 * A schema *ahead* of this code is accepted when its history is exactly this
 * code's migrations followed by newer ones (`ahead` lists them): the Job
 * migrates before the rollout, and a pod of the previous release that
 * restarts meanwhile (liveness, eviction, a drain) or a `helm rollback` must
 * still start, not crash-loop. That relies on the project's rule for
 * migrations (src/store/README.md): a release's migrations keep the previous
 * release working. migrate() (self-migrating mode) stays strict.
 */
export async function assertSchemaCurrent(store: Queryable, migrations: readonly Migration[]): Promise<MigrationReport & { ahead: number[] }> {
  checkMigrationList(migrations);
  const known = new Map(migrations.map((m) => [m.version, m]));
  const latest = migrations.at(-1)?.version ?? 0;
  // The table of this schema only (as migrate() creates it), not one another schema on the search_path holds.
  const { rows: table } = await store.query<{ present: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations') AS present",
  );
  const rows = table[0]?.present ? (await store.query<AppliedRow>('SELECT version, name FROM schema_migrations ORDER BY version')).rows : [];
  // What this code knows must match exactly; what lies beyond its newest migration is a newer release's (see above).
  const recorded = rows.filter((row) => row.version <= latest);
  checkHistory(recorded, known);
  const ahead = rows.filter((row) => row.version > latest).map((row) => row.version);
  if (ahead.length > 0) return { applied: [], current: ahead.at(-1)!, ahead };
  const current = recorded.at(-1)?.version ?? 0;
  const pending = migrations.filter((migration) => migration.version > current).map((migration) => migration.version);
  if (pending.length > 0) {
    throw new MigrationError(
      `the database schema is at version ${current} and this gateway needs ${latest} (pending: ${pending.join(', ')}); ` +
        'store.migrateOnStart is false, so run the migrations first (node dist/scripts/store-migrate.js) or set store.migrateOnStart: true. Refusing to start.',
    );
  }
  return { applied: [], current, ahead: [] };
}

async function lockMigrations(tx: Queryable): Promise<void> {
  // Migrations may legitimately run longer than the pool's statement timeout
  // (index builds), and so may the wait for another replica's lock.
  await tx.exec('SET LOCAL statement_timeout = 0');
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('lgsp:schema_migrations:' || current_schema()))");
}

function checkMigrationList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new MigrationError(
        `migration list is out of order: version ${migration.version} ("${migration.name}") follows ${previous}`,
      );
    }
    previous = migration.version;
  }
}

function checkHistory(recorded: AppliedRow[], known: Map<number, Migration>): void {
  const highestKnown = Math.max(0, ...known.keys());
  const unknown = recorded.filter((row) => !known.has(row.version));
  if (unknown.length > 0) {
    const list = unknown.map((row) => `${row.version} ("${row.name}")`).join(', ');
    throw new MigrationError(
      `the database has migration(s) ${list} that this gateway does not know (it knows up to ${highestKnown}); ` +
        'a newer gateway version has migrated this database. Refusing to start: run that version or restore a backup.',
    );
  }
  for (const row of recorded) {
    const migration = known.get(row.version)!;
    if (migration.name !== row.name) {
      throw new MigrationError(
        `migration ${row.version} is recorded as "${row.name}" but this gateway calls it "${migration.name}"; ` +
          'released migrations must never change. Refusing to start.',
      );
    }
  }
  const highestRecorded = recorded.at(-1)?.version ?? 0;
  const skipped = [...known.keys()].filter(
    (version) => version < highestRecorded && !recorded.some((row) => row.version === version),
  );
  if (skipped.length > 0) {
    throw new MigrationError(
      `migration(s) ${skipped.join(', ')} were added below the database's version ${highestRecorded}; ` +
        'new migrations must come after every released one. Refusing to start.',
    );
  }
}
