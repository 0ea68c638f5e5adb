import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { addMonths, monthStart } from '../src/audit/partitions/audit-months.js';
import { ensureAuditPartitions } from '../src/audit/partitions/ensure-audit-partitions.js';
import { captureQuery } from '../src/audit/partitions/query-capture.js';
import { queryAuditRecords } from '../src/audit/query/audit-query.js';
import { buildSubjectAccessReport } from '../src/audit/query/subject-report.js';
import { hashSubjectId } from '../src/audit/subject-protection.js';
import { createLogger } from '../src/observability/logger.js';
import { migrate } from '../src/store/migrate.js';
import { migrations } from '../src/store/migrations/index.js';
import { createPgStore } from '../src/store/pg-store.js';
import type { Queryable, Store } from '../src/store/store.js';
import { percentile, round } from './stats.js';

/**
 * `npm run bench:audit-subjects` (issue 7, item 6): does "who looked at this
 * person" answer well under a second over 10 million audit records? Seeds a
 * throwaway schema on the configured PostgreSQL through the real migrations
 * (partitioned audit_records), then times the query API's own subject query
 * and the citizen report for random subjects. See bench/README.md.
 */

const { values: args } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.LGSP_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    rows: { type: 'string', default: '10000000' },
    subjects: { type: 'string', default: '2000000', description: 'subject ids drawn from (skewed: a few are looked up very often)' },
    months: { type: 'string', default: '12', description: 'months of history, ending with the current one' },
    samples: { type: 'string', default: '200', description: 'random subjects queried' },
    'bound-ms': { type: 'string', default: '1000' },
    schema: { type: 'string', description: 'schema to use (default: a fresh bench_audit_<random>)' },
    keep: { type: 'boolean', default: false, description: 'keep the schema afterwards (rerun with --schema <name> --skip-seed)' },
    'skip-seed': { type: 'boolean', default: false, description: 'the schema is already seeded (by a run with --keep)' },
  },
});

const rows = positiveInteger('rows', args.rows);
const subjects = positiveInteger('subjects', args.subjects);
const months = positiveInteger('months', args.months);
const samples = positiveInteger('samples', args.samples);
const boundMs = positiveInteger('bound-ms', args['bound-ms']);
const schema = args.schema ?? `bench_audit_${randomBytes(4).toString('hex')}`;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) fail(`--schema must be a plain lower-case identifier, got ${schema}`);
/** The query API's default page (src/admin/audit-router.ts). */
const pageSize = 100;
/** A subject id the builders hash; its hash is swapped for a seeded subject's (see withSubjectHash). */
const placeholderId = '000000000000';
const subjectKey = randomBytes(32);
const placeholderHash = hashSubjectId(subjectKey, placeholderId);

const logger = createLogger({ level: 'warn' });
const admin = await createPgStore({ connectionString: args['database-url'], logger, max: 1 });
let store: Store | undefined;
try {
  if (!args['skip-seed']) await admin.exec(`CREATE SCHEMA ${schema}`);
  // No statement timeout: seeding and index builds run for minutes.
  store = await createPgStore({ connectionString: args['database-url'], logger, schema, max: 2, statementTimeoutMs: 0 });
  if (!args['skip-seed']) await seed(store);
  await measure(store);
} finally {
  await store?.close();
  if (!args.keep) await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  else console.log(`schema kept: ${schema} (rerun: npm run bench:audit-subjects -- --schema ${schema} --skip-seed [--keep])`);
  await admin.close();
}

async function seed(db: Store): Promise<void> {
  await step('migrations', () => migrate(db, migrations));
  const first = addMonths(monthStart(new Date()), -(months - 1));
  await step(`partitions: ${months} months back and 3 ahead`, () => ensureAuditPartitions(db, { now: first, monthsAhead: months - 1 + 3 }));
  await db.exec(`INSERT INTO consumers (id, client_id, name, agency, status)
                 SELECT 'c' || n, 'consumer-' || n, 'One-stop system ' || n, 'Department ' || (n % 9), 'active' FROM generate_series(0, 39) n`);

  // Secondary indexes are dropped for the load and rebuilt from their own
  // definitions afterwards (one sorted build per partition, minutes faster).
  const { rows: indexes } = await db.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'audit_records'::regclass AND NOT i.indisprimary`,
  );
  for (const index of indexes) await db.exec(`DROP INDEX ${index.name}`);

  const chunk = 1_000_000;
  const spanSeconds = (addMonths(monthStart(new Date()), 1).getTime() - first.getTime()) / 1000 - 1;
  for (let start = 1; start <= rows; start += chunk) {
    const end = Math.min(rows, start + chunk - 1);
    await step(`rows ${start.toLocaleString('en')}–${end.toLocaleString('en')}`, () =>
      db.exec(`
        INSERT INTO audit_records (occurred_at, request_id, consumer, end_user, purpose, operation, connector,
                                   subject_hash, subject_masked, fields_released, outcome, http_status, latency_ms,
                                   upstream_reference)
        SELECT '${first.toISOString()}'::timestamptz + (g::float8 / ${rows} * ${spanSeconds}) * interval '1 second',
               -- a UUID-shaped request id
               regexp_replace(md5(g::text), '(.{8})(.{4})(.{4})(.{4})(.{12})', '\\1-\\2-\\3-\\4-\\5'),
               'consumer-' || (hashint % 40),
               'officer.' || (ARRAY['nguyen','tran','le','pham','hoang','vu','dang','bui'])[1 + hashint % 8] || '.van.' || (hashint % 5000),
               '000.00.' || lpad((hashint % 99)::text, 2, '0') || '.H' || lpad((hashint % 63)::text, 2, '0') || '-' || to_char(now(), 'YYMMDD') || '-' || lpad((g % 10000)::text, 4, '0'),
               (ARRAY['population.citizen.get','population.citizen.verify','population.household.get','tax.taxpayer.get',
                      'land.parcel.get','land.owner.search','insurance.member.get','business.owner.get'])[1 + hashint % 8],
               (ARRAY['population','population','population','tax','land','land','insurance','business'])[1 + hashint % 8],
               encode(sha256(('subject-' || subject)::bytea), 'hex'),
               lpad((subject % 1000)::text, 3, '0') || '*******' || lpad((subject % 100)::text, 2, '0'),
               (ARRAY['{fullName,dateOfBirth,gender}','{fullName,dateOfBirth,permanentAddress,currentAddress,ethnicity,religion,nationality}',
                      '{matches}','{householdId,members,relationToHead,address}'])[1 + hashint % 4]::text[],
               (ARRAY['success','success','success','success','success','success','not_found','client_error','upstream_error','denied'])[1 + hashint % 10],
               (ARRAY[200,200,200,200,200,200,404,400,502,403])[1 + hashint % 10],
               5 + hashint % 400,
               'DC-' || upper(substr(md5(g::text), 1, 16))
          FROM generate_series(${start}, ${end}) g,
               -- skewed subjects: id = N·u² puts frequent lookups on a few people, most looked up a handful of times
               LATERAL (SELECT floor(${subjects} * power(random(), 2))::bigint AS subject, abs(hashint4(g)::bigint) AS hashint) d
      `),
    );
  }
  // A partitioned index's definition reads "ON ONLY audit_records" (parent alone); without ONLY it is built on every partition.
  for (const index of indexes) {
    await step(`index ${index.name}`, () =>
      db.transaction(async (tx) => {
        await tx.exec("SET LOCAL maintenance_work_mem = '256MB'");
        await tx.exec(index.definition.replace(' ON ONLY ', ' ON '));
      }),
    );
  }
  await step('ANALYZE', () => db.exec('ANALYZE audit_records; ANALYZE consumers'));
}

async function measure(db: Store): Promise<void> {
  const { rows: [stats] } = await db.query<{ records: number; partitions: number; size: string }>(
    `SELECT (SELECT count(*) FROM audit_records)::bigint AS records,
            (SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_records'::regclass)::int AS partitions,
            pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'audit_records'::regclass)) AS size`,
  );
  const distinct = await db.transaction(async (tx) => {
    await tx.exec("SET LOCAL work_mem = '256MB'");
    return (await tx.query<{ n: number }>('SELECT count(DISTINCT subject_hash)::bigint AS n FROM audit_records')).rows[0]!.n;
  });
  console.log(`\n${Number(stats!.records).toLocaleString('en')} records in ${stats!.partitions} partitions, ${stats!.size} with indexes, ` +
    `${Number(distinct).toLocaleString('en')} distinct subjects`);

  // Subjects drawn like the accesses (frequent ones more often), so the
  // heavy-tail cases are in the sample; the hashes are the seeded ones.
  // Subject 0 is the most accessed one in the whole trail (≈ rows / √subjects records): always in, as the worst case.
  const picked = [0, ...Array.from({ length: samples - 1 }, () => Math.floor(subjects * Math.random() ** 2))];
  const hashes = picked.map((n) => `subject-${n}`);
  const { rows: hashed } = await db.query<{ input: string; hash: string }>(
    "SELECT input, encode(sha256(input::bytea), 'hex') AS hash FROM unnest($1::text[]) AS input",
    [hashes],
  );
  const hashOf = new Map(hashed.map((row) => [row.input, row.hash]));
  const now = new Date();
  const lastQuarter = { from: addMonths(monthStart(now), -2), to: addMonths(monthStart(now), 1) };

  const queries: Array<{ name: string; run: (q: Queryable) => Promise<number> }> = [
    {
      name: `query API: subject, newest ${pageSize}`,
      run: async (q) => (await queryAuditRecords(q, subjectKey, { subjectId: placeholderId }, { limit: pageSize })).items.length,
    },
    {
      name: `query API: subject + last 3 months, newest ${pageSize}`,
      run: async (q) => (await queryAuditRecords(q, subjectKey, { subjectId: placeholderId, ...lastQuarter }, { limit: pageSize })).items.length,
    },
    {
      name: 'citizen report (up to 10,000 accesses)',
      run: async (q) => (await buildSubjectAccessReport(q, subjectKey, placeholderId)).count,
    },
  ];

  const verdicts: boolean[] = [];
  console.log(`\n${samples} random subjects per query (ms):`);
  console.log('query'.padEnd(52) + 'p50'.padStart(9) + 'p95'.padStart(9) + 'max'.padStart(9) + '   rows returned (p50 / max)');
  for (const query of queries) {
    const times: number[] = [];
    const returned: number[] = [];
    for (const subject of hashes) {
      const q = withSubjectHash(db, hashOf.get(subject)!);
      const started = performance.now();
      returned.push(await query.run(q));
      times.push(performance.now() - started);
    }
    const p95 = percentile(times, 95);
    verdicts.push(Math.max(...times) < boundMs);
    console.log(
      query.name.padEnd(52) +
        String(round(percentile(times, 50), 1)).padStart(9) +
        String(round(p95, 1)).padStart(9) +
        String(round(Math.max(...times), 1)).padStart(9) +
        `   ${percentile(returned, 50)} / ${Math.max(...returned)}`,
    );
  }

  // The plan of the heaviest case: the report of the most-accessed subject.
  const heaviest = hashes[0]!;
  const captured = await captureQuery((q) => buildSubjectAccessReport(q, subjectKey, placeholderId));
  const { rows: plan } = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${captured.sql}`,
    swapHash(captured.params, hashOf.get(heaviest)!),
  );
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the citizen report for the most-accessed subject:\n`);
  console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));

  const ok = verdicts.every(Boolean);
  console.log(`\nverdict: ${ok ? 'PASS' : 'FAIL'} — every sampled subject query ${ok ? 'answered' : 'did NOT answer'} under ${boundMs} ms ` +
    `over ${Number(stats!.records).toLocaleString('en')} records`);
}

/**
 * The builders hash the subject id they are given; the seeded rows carry
 * sha256 hashes the key cannot produce. This hands the builders' own SQL the
 * seeded hash in place of the placeholder's, so the real query runs unchanged.
 */
function withSubjectHash(db: Queryable, hash: string): Queryable {
  return { query: (sql, params) => db.query(sql, params && swapHash(params, hash)), exec: (sql) => db.exec(sql) };
}

function swapHash(params: unknown[], hash: string): unknown[] {
  return params.map((value) => (value === placeholderHash ? hash : value));
}

async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${label.padEnd(44)} ${round((performance.now() - started) / 1000, 1)} s`);
  return result;
}

function positiveInteger(name: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) fail(`--${name} must be a positive integer, got ${value}`);
  return parsed;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
