import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { startEmbeddedStack, type EmbeddedStack } from '../../simulators/embedded/start-embedded.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { readConfigDocument } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { migrations } from '../../src/store/migrations/index.js';
import { oneStopClient, personalDataHeaders } from '../support/embedded-harness.js';

/**
 * docs/operations.md, "Backup and restore" and "Rotating keys", run as written
 * against the real PostgreSQL on 127.0.0.1:5432: a gateway (the embedded stack
 * on a fresh database, no schema of its own, as in production) serves audited
 * lookups and stages a vault credential; then the document's own commands —
 * pg_dump, createdb, pg_restore, psql, the chain verifier (the compiled
 * `npm run audit:verify`, as the image runs it), vault rewrap — with the
 * variables its "values" blocks name. operations-doc.test.ts checks that every
 * command of a block marked `# tested: test/operations/backup-restore.pg.test.ts`
 * is one of the strings below.
 */
const execute = promisify(execFile);

const docCommands = {
  // Secrets (the ones this test's gateway and scripts need).
  subjectHashKey: String.raw`openssl rand -base64 48 | tr -d '\n' > audit-subject-hash-key`,
  signingKey: String.raw`openssl genpkey -algorithm ed25519 -out audit-checkpoint-signing-key.pem`,
  publicKey: String.raw`openssl pkey -in audit-checkpoint-signing-key.pem -pubout -out audit-checkpoint-public-key.pem`,
  vaultKey: String.raw`openssl rand -base64 32 > vault-master-key-k2026-01`,
  // Backup.
  dump: String.raw`pg_dump --format=custom --file="$BACKUP" "$LGSP_DB"`,
  listDump: String.raw`pg_restore --list "$BACKUP" | grep -c 'TABLE DATA'`,
  // Restore into a new database.
  createRestoreDb: String.raw`createdb "$RESTORE_DB"`,
  restore: String.raw`pg_restore --dbname="$RESTORE_DB" --no-owner --no-acl --exit-on-error "$BACKUP"`,
  schemaVersion: String.raw`psql --dbname="$RESTORE_DB" --tuples-only --no-align --command='SELECT max(version) FROM schema_migrations'`,
  chainHeads: String.raw`psql --dbname="$RESTORE_DB" --no-align --field-separator=' ' --tuples-only --command='SELECT stream, seq, record_hash FROM audit_chain_heads ORDER BY stream'`,
  verifyDataAccess: String.raw`LGSP__STORE__URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$RESTORE_DB" node dist/scripts/audit-verify.js --stream data_access --public-key "$CHECKPOINT_PUBLIC_KEY"`,
  verifyAdmin: String.raw`LGSP__STORE__URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$RESTORE_DB" node dist/scripts/audit-verify.js --stream admin --public-key "$CHECKPOINT_PUBLIC_KEY"`,
  dropRestoreDb: String.raw`dropdb "$RESTORE_DB"`,
  // Master-key rotation of the vault.
  newVaultKey: String.raw`openssl rand -base64 32 > vault-master-key-k2027-01`,
  rewrap: String.raw`node dist/scripts/vault-rewrap.js`,
} as const;

const pgHost = '127.0.0.1';
const pgPort = '5432';
const pgUser = 'postgres';
const adminUrl = `postgres://${pgUser}@${pgHost}:${pgPort}/postgres`;
const databaseUrl = (name: string) => `postgres://${pgUser}@${pgHost}:${pgPort}/${name}`;
const unique = randomBytes(4).toString('hex');
const sourceDb = `lgsp_ops_${unique}`;
const databases: string[] = [];

let work: string;
/** The environment a gateway pod has (chart secret → LGSP__… variables; LGSP_CONFIG = the production configuration). */
let podEnvironment: Record<string, string>;

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One of the document's commands through bash, in `cwd`, with the doc's variables (and nothing LGSP_/PG… from this machine). */
async function runDocCommand(command: string, variables: Record<string, string>, cwd: string): Promise<CommandResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(LGSP|PG)/.test(name)));
  try {
    const { stdout, stderr } = await execute('bash', ['-o', 'pipefail', '-c', command], { cwd, env: { ...inherited, PGHOST: pgHost, PGPORT: pgPort, PGUSER: pgUser, ...variables }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** Runs a command that must succeed; its output, or an error naming the command and what it printed. */
async function mustRun(command: string, variables: Record<string, string>, cwd: string): Promise<string> {
  const result = await runDocCommand(command, variables, cwd);
  if (result.code !== 0) throw new Error(`\`${command}\` exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout;
}

async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(name: string): Promise<void> {
  databases.push(name);
  await withPg(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
}

/** The PostgreSQL client programs the document uses: missing ones fail the test, saying what to install. */
async function requireClientPrograms(): Promise<void> {
  const missing: string[] = [];
  for (const program of ['pg_dump', 'pg_restore', 'createdb', 'dropdb', 'psql']) {
    const found = await execute('bash', ['-c', `command -v ${program}`]).then(() => true, () => false);
    if (!found) missing.push(program);
  }
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not found: install postgresql-client (Debian: apt-get install postgresql-client), the same major version as the server or newer`);
  if (!(await execute('bash', ['-c', 'command -v openssl']).then(() => true, () => false))) throw new Error('openssl not found: install it (Debian: apt-get install openssl)');
}

interface RunningGateway {
  stack: EmbeddedStack;
  url: string;
  token(): Promise<string>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The gateway as `npm start` assembles it (dev IdP and sandboxes for its
 * upstreams), its store on `database` without a schema of its own, as a
 * production deployment has it, and the secrets generated by the document's
 * commands.
 */
async function startGatewayOn(database: string, vault: { masterKeys: Array<{ id: string; file: string }>; activeKeyId: string }): Promise<RunningGateway> {
  const logs = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
  delete (document.devIdp as Record<string, unknown>).keyStorePath;
  document.store = { driver: 'pg', url: databaseUrl(database), poolSize: 5 };
  document.audit = {
    ...(document.audit as Record<string, unknown>),
    subjectHashKey: podEnvironment.LGSP__AUDIT__SUBJECT_HASH_KEY,
    checkpoints: { intervalMs: 60_000, signingKey: podEnvironment.LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY },
  };
  document.vault = { ...(document.vault as Record<string, unknown>), ...vault };
  const stack = await startEmbeddedStack({
    document,
    env: {},
    connectors: connectorDescriptors,
    logger: createLogger({ level: 'warn', destination: logs }),
    overrides: { server: { port: 0, opsPort: 0 }, devIdp: { port: 0 }, sandboxes: { ports: Object.fromEntries(connectorDescriptors.map((connector) => [connector.id, 0])) } },
  });
  let token: string | undefined;
  return {
    stack,
    url: stack.gateway.url,
    token: async () => (token ??= (await requestClientCredentialsToken(stack.idp.tokenUrl, oneStopClient)).access_token),
    adminToken: () => consoleUserToken(stack.idp.issuer, stack.idp.tokenUrl, 'admin'),
    close: () => stack.close(),
  };
}

// Seeded citizens of the population sandbox (simulators/kit/people.ts), and one it does not know (audited too).
const citizens = ['001090012345', '038038000123', '001099999999'];

async function auditedLookups(gateway: RunningGateway, count: number): Promise<void> {
  const token = await gateway.token();
  for (let i = 0; i < count; i++) {
    const response = await request(gateway.url)
      .post('/api/v1/population/citizens/lookup')
      .set(personalDataHeaders(token))
      .send({ personalId: citizens[i % citizens.length] });
    expect([200, 404]).toContain(response.status);
  }
}

async function stageLandCredentials(gateway: RunningGateway): Promise<{ version: number; fingerprint: string }> {
  const { devConfig } = await connectorDescriptors.find((descriptor) => descriptor.id === 'land')!.sandbox!.load();
  const response = await request(gateway.url)
    .post('/admin/v1/connectors/land/credentials')
    .set('authorization', `Bearer ${await gateway.adminToken()}`)
    .send({ credentials: devConfig!.credentials });
  expect(response.status).toBe(201);
  return { version: response.body.version, fingerprint: response.body.fingerprint };
}

type ChainHeads = Record<string, { seq: number; recordHash: string }>;

async function chainHeads(database: string): Promise<ChainHeads> {
  const { rows } = await withPg(databaseUrl(database), (client) => client.query<{ stream: string; seq: string; record_hash: string }>('SELECT stream, seq, record_hash FROM audit_chain_heads ORDER BY stream'));
  return Object.fromEntries(rows.map((row) => [row.stream, { seq: Number(row.seq), recordHash: row.record_hash }]));
}

/** psql's unaligned `stream seq hash` lines, as the document's chain-heads command prints them. */
function parseChainHeads(output: string): ChainHeads {
  return Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([stream, seq, recordHash]) => [stream!, { seq: Number(seq), recordHash: recordHash! }]),
  );
}

const keyFile = (name: string) => join(work, name);

beforeAll(async () => {
  await requireClientPrograms();
  // The scripts run compiled, as in the image (`node dist/scripts/…`; `npm run audit:verify` builds, then runs the same file).
  await execute(process.execPath, [fromProjectRoot('node_modules/typescript/bin/tsc'), '-p', fromProjectRoot('tsconfig.build.json')], { cwd: fromProjectRoot('.'), timeout: 300_000 });
  work = mkdtempSync(join(tmpdir(), 'lgsp-ops-backup-'));
  for (const command of [docCommands.subjectHashKey, docCommands.signingKey, docCommands.publicKey, docCommands.vaultKey]) await mustRun(command, {}, work);
  const filler = () => randomBytes(32).toString('base64');
  podEnvironment = {
    LGSP_CONFIG: fromProjectRoot('config/production.example.yaml'),
    LGSP__AUDIT__SUBJECT_HASH_KEY: readFileSync(keyFile('audit-subject-hash-key'), 'utf8'),
    LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY: readFileSync(keyFile('audit-checkpoint-signing-key.pem'), 'utf8'),
    LGSP__CACHE__KEY_HASH_KEY: filler(),
    LGSP__CACHE__ENTRY_ENCRYPTION_KEY: filler(),
    LGSP__VAULT__MASTER_KEYS: JSON.stringify([{ id: 'k2026-01', file: keyFile('vault-master-key-k2026-01') }]),
    LGSP__VAULT__ACTIVE_KEY_ID: 'k2026-01',
    LGSP__CONNECTORS__POPULATION__CREDENTIALS__CLIENT_SECRET: filler(),
    LGSP__CONNECTORS__POPULATION__CREDENTIALS__SECRET_KEY: filler(),
    LGSP__CONNECTORS__PUBLIC_SERVICE_PORTAL__CREDENTIALS__PASSWORD: filler(),
  };
  await createDatabase(sourceDb);
}, 360_000);

afterAll(async () => {
  for (const name of databases) await withPg(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('docs/operations.md backup and restore, on the real PostgreSQL', () => {
  const restoreDb = `lgsp_ops_${unique}_restored`;
  const backup = () => join(work, 'lgsp.dump');
  const variables = () => ({ LGSP_DB: sourceDb, RESTORE_DB: restoreDb, BACKUP: backup(), CHECKPOINT_PUBLIC_KEY: keyFile('audit-checkpoint-public-key.pem'), ...podEnvironment, LGSP__STORE__URL: databaseUrl(sourceDb) });
  let sourceHeads: ChainHeads;
  let staged: { version: number; fingerprint: string };

  it('pg_dump of a gateway database with an audit trail and a vault credential', async () => {
    const gateway = await startGatewayOn(sourceDb, { masterKeys: [{ id: 'k2026-01', file: keyFile('vault-master-key-k2026-01') }], activeKeyId: 'k2026-01' });
    try {
      await auditedLookups(gateway, 30);
      staged = await stageLandCredentials(gateway);
    } finally {
      // A graceful stop signs a checkpoint of each stream's head.
      await gateway.close();
    }
    sourceHeads = await chainHeads(sourceDb);
    expect(sourceHeads.data_access!.seq).toBe(30);
    expect(sourceHeads.admin!.seq).toBeGreaterThanOrEqual(1);
    const { rows } = await withPg(databaseUrl(sourceDb), (client) => client.query<{ stream: string; seq: string }>('SELECT stream, max(seq) AS seq FROM audit_checkpoints GROUP BY stream'));
    expect(Object.fromEntries(rows.map((row) => [row.stream, Number(row.seq)]))).toEqual({ data_access: 30, admin: sourceHeads.admin!.seq });

    databases.push(restoreDb);
    await mustRun(docCommands.dump, variables(), work);
    expect(Number((await mustRun(docCommands.listDump, variables(), work)).trim())).toBeGreaterThan(10);
  }, 180_000);

  it('pg_restore into a new database: the verifier reports both chains intact, with the same record count and head hash', async () => {
    await mustRun(docCommands.createRestoreDb, variables(), work);
    await mustRun(docCommands.restore, variables(), work);
    expect(Number((await mustRun(docCommands.schemaVersion, variables(), work)).trim())).toBe(migrations.at(-1)!.version);
    expect(parseChainHeads(await mustRun(docCommands.chainHeads, variables(), work))).toEqual(sourceHeads);

    const dataAccess = await runDocCommand(docCommands.verifyDataAccess, variables(), fromProjectRoot('.'));
    expect(dataAccess).toMatchObject({ code: 0 });
    expect(JSON.parse(dataAccess.stdout)).toMatchObject({
      stream: 'data_access',
      ok: true,
      checked: 30,
      head: { seq: 30 },
      unchained: 0,
      checkpoints: { valid: expect.any(Number), newestSeq: 30 },
    });
    const admin = await runDocCommand(docCommands.verifyAdmin, variables(), fromProjectRoot('.'));
    expect(admin).toMatchObject({ code: 0 });
    expect(JSON.parse(admin.stdout)).toMatchObject({ stream: 'admin', ok: true, checked: sourceHeads.admin!.seq, checkpoints: { newestSeq: sourceHeads.admin!.seq } });
    const report = JSON.parse(dataAccess.stdout) as { checkpoints: { checked: number; valid: number } };
    expect(report.checkpoints.valid).toBe(report.checkpoints.checked);
  }, 120_000);

  it('vault master-key rotation on the restored database: a new key, rewrap, the old key retired, the credential still readable', async () => {
    await mustRun(docCommands.newVaultKey, {}, work);
    const rotated = {
      LGSP__VAULT__MASTER_KEYS: JSON.stringify([
        { id: 'k2026-01', file: keyFile('vault-master-key-k2026-01') },
        { id: 'k2027-01', file: keyFile('vault-master-key-k2027-01') },
      ]),
      LGSP__VAULT__ACTIVE_KEY_ID: 'k2027-01',
    };
    // The pod of the restored deployment: its store is the restored database, its keyring the new one.
    const rewrap = await runDocCommand(docCommands.rewrap, { ...variables(), ...rotated, LGSP__STORE__URL: databaseUrl(restoreDb) }, fromProjectRoot('.'));
    expect(rewrap).toMatchObject({ code: 0 });
    expect(JSON.parse(rewrap.stdout)).toEqual({ activeKeyId: 'k2027-01', rewrapped: 1, retired: ['k2026-01'] });
    // The old key alone is refused from now on, even where it is still configured.
    const stale = await runDocCommand(docCommands.rewrap, { ...variables(), LGSP__STORE__URL: databaseUrl(restoreDb) }, fromProjectRoot('.'));
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain("'k2026-01' was retired");

    // The gateway on the restored database, with the rotated keyring: it starts (nothing to migrate), reads the
    // credential under the new key, and continues both chains where the backup left them.
    const gateway = await startGatewayOn(restoreDb, {
      masterKeys: [
        { id: 'k2026-01', file: keyFile('vault-master-key-k2026-01') },
        { id: 'k2027-01', file: keyFile('vault-master-key-k2027-01') },
      ],
      activeKeyId: 'k2027-01',
    });
    try {
      const credentials = await request(gateway.url).get('/admin/v1/connectors/land/credentials').set('authorization', `Bearer ${await gateway.adminToken()}`);
      expect(credentials.status).toBe(200);
      expect(credentials.body.versions).toEqual([expect.objectContaining({ version: staged.version, state: 'staged', fingerprint: staged.fingerprint })]);
      await auditedLookups(gateway, 1);
    } finally {
      await gateway.close();
    }
    const dataAccess = await runDocCommand(docCommands.verifyDataAccess, variables(), fromProjectRoot('.'));
    expect(dataAccess).toMatchObject({ code: 0 });
    expect(JSON.parse(dataAccess.stdout)).toMatchObject({ ok: true, checked: 31, head: { seq: 31 }, checkpoints: { newestSeq: 31 } });
    expect((await runDocCommand(docCommands.verifyAdmin, variables(), fromProjectRoot('.'))).code).toBe(0);
  }, 180_000);

  it('negative control: a record altered in the restored copy is reported, with its seq, and the verifier exits 1', async () => {
    await withPg(databaseUrl(restoreDb), (client) => client.query("UPDATE audit_records SET end_user = 'someone-else' WHERE stream = 'data_access' AND seq = 7"));
    const result = await runDocCommand(docCommands.verifyDataAccess, variables(), fromProjectRoot('.'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, firstBroken: { seq: 7, reason: 'altered' } });
    // The source was not touched by any of this.
    expect(await chainHeads(sourceDb)).toEqual(sourceHeads);
  }, 60_000);

  it('dropdb removes the restored copy once checked', async () => {
    await mustRun(docCommands.dropRestoreDb, variables(), work);
    const { rows } = await withPg(adminUrl, (client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [restoreDb]));
    expect(rows).toHaveLength(0);
  }, 60_000);
});

describe('docs/operations.md backup while the gateway is serving', () => {
  const restoreDb = `lgsp_ops_${unique}_live`;
  const liveDb = `lgsp_ops_${unique}_busy`;
  const backup = () => join(work, 'lgsp-live.dump');
  const variables = () => ({ LGSP_DB: liveDb, RESTORE_DB: restoreDb, BACKUP: backup(), CHECKPOINT_PUBLIC_KEY: keyFile('audit-checkpoint-public-key.pem'), ...podEnvironment, LGSP__STORE__URL: databaseUrl(liveDb) });

  it('pg_dump taken under audited load restores to a chain that verifies and is a prefix of the live one', async () => {
    await createDatabase(liveDb);
    databases.push(restoreDb);
    const gateway = await startGatewayOn(liveDb, { masterKeys: [{ id: 'k2026-01', file: keyFile('vault-master-key-k2026-01') }], activeKeyId: 'k2026-01' });
    try {
      await auditedLookups(gateway, 10);
      let loading = true;
      const load = Promise.all(
        Array.from({ length: 4 }, async () => {
          while (loading) await auditedLookups(gateway, 1);
        }),
      );
      try {
        await mustRun(docCommands.dump, variables(), work);
      } finally {
        loading = false;
        await load;
      }
      await auditedLookups(gateway, 5);
    } finally {
      await gateway.close();
    }
    await mustRun(docCommands.createRestoreDb, variables(), work);
    await mustRun(docCommands.restore, variables(), work);

    const result = await runDocCommand(docCommands.verifyDataAccess, variables(), fromProjectRoot('.'));
    expect(result).toMatchObject({ code: 0 });
    const report = JSON.parse(result.stdout) as { ok: boolean; checked: number; head: { seq: number } };
    expect(report).toMatchObject({ ok: true, checked: report.head.seq });
    // A consistent snapshot: the restored head is a record of the live chain, which went on after it.
    const restored = (await chainHeads(restoreDb)).data_access!;
    const live = (await chainHeads(liveDb)).data_access!;
    expect(restored.seq).toBeGreaterThanOrEqual(10);
    expect(live.seq).toBeGreaterThanOrEqual(restored.seq + 5);
    const { rows } = await withPg(databaseUrl(liveDb), (client) => client.query<{ record_hash: string }>("SELECT record_hash FROM audit_records WHERE stream = 'data_access' AND seq = $1", [restored.seq]));
    expect(rows).toEqual([{ record_hash: restored.recordHash }]);
  }, 240_000);
});
