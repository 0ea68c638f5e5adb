import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { connectorDescriptors } from '../../connectors/registry.js';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { startEmbeddedStack } from '../../simulators/embedded/start-embedded.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { readConfigDocument } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { migrations } from '../../src/store/migrations/index.js';
import { oneStopClient, personalDataHeaders, withPg } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { configDocument, containerEnvironment, gatewayContainer } from '../helm/chart-support.js';
import { docSecretCommands, docValues, renderDocDeployment } from './doc-deployment.js';

/**
 * docs/operations.md §6, §9, §10 and §12, run as written against the real
 * PostgreSQL on 127.0.0.1:5432, in fresh databases of this test's own: a
 * gateway (the embedded stack, its store on the database without a schema
 * of its own, as in production) serves audited lookups and stages a vault
 * credential; then the document's commands — pg_dump, pg_restore, createdb,
 * psql, dropdb, the chain verifier, vault rewrap and the alert export (the
 * image's compiled scripts, `node dist/scripts/…`, with a pod's environment:
 * the configuration the chart renders from the document's values file and
 * the Secret the document's §4 makes). operations-doc.test.ts checks that
 * every command of a block marked `# tested: test/operations/backup-restore.pg.test.ts`
 * is one of the strings below. pg_dump and the other client programs must be
 * installed: without them the test fails saying so.
 */
const execute = promisify(execFile);

const docCommands = {
  // §4 Secrets, read from the doc (secrets.test.ts runs the block as written and checks what it makes).
  secrets: docSecretCommands(),
  // §6 Upgrade: which migrations a database has.
  migrations: String.raw`psql --dbname="$LGSP_DB" --command='SELECT version, name, applied_at FROM schema_migrations ORDER BY version DESC LIMIT 5'`,
  // §9 Back up.
  dump: String.raw`pg_dump --format=custom --file="$BACKUP" "$LGSP_DB"`,
  listDump: String.raw`pg_restore --list "$BACKUP" | grep -c 'TABLE DATA'`,
  // §9 Restore into a new database and check it.
  createRestoreDb: String.raw`createdb "$RESTORE_DB"`,
  restore: String.raw`pg_restore --dbname="$RESTORE_DB" --no-owner --no-acl --exit-on-error "$BACKUP"`,
  schemaVersion: String.raw`psql --dbname="$RESTORE_DB" --tuples-only --no-align --command='SELECT max(version) FROM schema_migrations'`,
  chainHeads: String.raw`psql --dbname="$RESTORE_DB" --no-align --field-separator=' ' --tuples-only --command='SELECT stream, seq, record_hash FROM audit_chain_heads ORDER BY stream'`,
  restoreUrl: String.raw`RESTORE_URL="postgresql://$DB_USER:$(cat db-password)@$DB_HOST:5432/$RESTORE_DB"`,
  verifyDataAccess: String.raw`LGSP__STORE__URL="$RESTORE_URL" node dist/scripts/audit-verify.js --stream data_access`,
  verifyAdmin: String.raw`LGSP__STORE__URL="$RESTORE_URL" node dist/scripts/audit-verify.js --stream admin`,
  verifyWithAuditorKey: String.raw`LGSP__STORE__URL="$RESTORE_URL" node dist/scripts/audit-verify.js --stream data_access --public-key "$CHECKPOINT_PUBLIC_KEY"`,
  dropRestoreDb: String.raw`dropdb "$RESTORE_DB"`,
  // §9 Restore after a disaster: the restored copy takes the database's place.
  renameDamaged: String.raw`psql --dbname=postgres --command="ALTER DATABASE $LGSP_DB RENAME TO $OLD_DB"`,
  renameRestored: String.raw`psql --dbname=postgres --command="ALTER DATABASE $RESTORE_DB RENAME TO $LGSP_DB"`,
  // §10 Vault master key.
  newVaultKey: String.raw`openssl rand -base64 32 | tr -d '\n' > vault-master-key-k2027-01`,
  bothVaultKeys: String.raw`printf '[{"id":"k2026-01","key":"%s"},{"id":"k2027-01","key":"%s"}]' "$(cat vault-master-key-k2026-01)" "$(cat vault-master-key-k2027-01)" > lgsp-secrets/vault-master-keys`,
  rewrap: String.raw`node dist/scripts/vault-rewrap.js`,
  newVaultKeyOnly: String.raw`printf '[{"id":"k2027-01","key":"%s"}]' "$(cat vault-master-key-k2027-01)" > lgsp-secrets/vault-master-keys`,
  destroyOldVaultKey: String.raw`shred -u vault-master-key-k2026-01`,
  // §10 Audit checkpoint signing key.
  newSigningKey: String.raw`openssl genpkey -algorithm ed25519 -out lgsp-secrets/audit-checkpoint-signing-key`,
  newPublicKey: String.raw`openssl pkey -in lgsp-secrets/audit-checkpoint-signing-key -pubout -out audit-checkpoint-public-key-2027.pem`,
  verifyWithBothKeys: String.raw`node dist/scripts/audit-verify.js --stream data_access --public-key "$CHECKPOINT_PUBLIC_KEY" --public-key "$NEW_CHECKPOINT_PUBLIC_KEY"`,
  // §12 The alert rules for Prometheus.
  alertsExport: String.raw`node dist/scripts/alerts-export.js --with-store`,
} as const;

const pgHost = '127.0.0.1';
const pgPort = '5432';
const pgUser = 'postgres';
const adminUrl = `postgres://${pgUser}@${pgHost}:${pgPort}/postgres`;
const databaseUrl = (name: string) => `postgres://${pgUser}@${pgHost}:${pgPort}/${name}`;
const unique = randomBytes(4).toString('hex');
const databases: string[] = [];
/** Where the scripts run, as /app in the image: `node dist/scripts/…`. */
const projectRoot = fromProjectRoot('.');

/** The administrator's private directory of §4 (lgsp-secrets/ and the files beside it). */
let work: string;
const workFile = (name: string) => join(work, name);

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One or more of the document's commands, as one bash session in `cwd`, with the
 * document's variables (the libpq ones pointed at this machine's PostgreSQL) and
 * nothing LGSP…/PG… inherited from this machine.
 */
async function runDocCommands(commands: string | readonly string[], variables: Record<string, string>, cwd: string): Promise<CommandResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(LGSP|PG)/.test(name)));
  const script = typeof commands === 'string' ? commands : commands.join('\n');
  try {
    const { stdout, stderr } = await execute('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env: { ...inherited, PGHOST: pgHost, PGPORT: pgPort, PGUSER: pgUser, ...variables }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** Commands that must succeed: their output, or an error naming them with what they printed. */
async function mustRun(commands: string | readonly string[], variables: Record<string, string>, cwd: string): Promise<string> {
  const result = await runDocCommands(commands, variables, cwd);
  if (result.code !== 0) throw new Error(`\`${String(commands)}\` exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout;
}

/** §9's RESTORE_URL, as the administrator's shell computes it (then handed to `kubectl exec … env`). */
async function restoreUrl(restoreDb: string): Promise<string> {
  return mustRun([docCommands.restoreUrl, 'printf %s "$RESTORE_URL"'], { DB_HOST: pgHost, DB_USER: pgUser, RESTORE_DB: restoreDb }, work);
}


async function createDatabase(name: string): Promise<void> {
  databases.push(name);
  await withPg(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
}

/** The client programs the document uses: a missing one fails the test, saying what to install. */
async function requirePrograms(): Promise<void> {
  const has = (program: string) => execute('bash', ['-c', `command -v ${program}`]).then(() => true, () => false);
  const missing: string[] = [];
  for (const program of ['pg_dump', 'pg_restore', 'createdb', 'dropdb', 'psql']) if (!(await has(program))) missing.push(program);
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not found: install postgresql-client (Debian: apt-get install postgresql-client), of the server's major version or newer`);
  if (!(await has('openssl'))) throw new Error('openssl not found: install it (Debian: apt-get install openssl)');
}

/** The Secret as the files of lgsp-secrets/ are now (what `kubectl apply` of §4 and §10 would send). */
function secretData(): Record<string, string> {
  return Object.fromEntries(readdirSync(workFile('lgsp-secrets')).map((key) => [key, readFileSync(join(workFile('lgsp-secrets'), key), 'utf8')]));
}

interface Deployment {
  /** config.vault.activeKeyId of the values file. */
  activeKeyId: string;
  /** config.audit.checkpoints.trustedPublicKeys of the values file. */
  trustedPublicKeys?: string[];
}

let configFiles = 0;

/**
 * A gateway pod's environment: the rendered Deployment's variables (the
 * Secret's through its secretKeyRefs), LGSP_CONFIG = a file holding the
 * ConfigMap the chart renders from the document's values file (with
 * `deployment`'s changes), and the store on `database`.
 */
function podEnvironment(database: string, deployment: Deployment): Record<string, string> {
  const changes = { config: { vault: { activeKeyId: deployment.activeKeyId }, ...(deployment.trustedPublicKeys ? { audit: { checkpoints: { trustedPublicKeys: deployment.trustedPublicKeys } } } : {}) } };
  const chart = renderDocDeployment(changes);
  const configFile = workFile(`rendered-config-${++configFiles}.yaml`);
  writeFileSync(configFile, stringifyYaml(configDocument(chart)));
  const env = containerEnvironment(gatewayContainer(chart), docValues().secrets.existingSecret, secretData());
  return { ...env, LGSP_CONFIG: configFile, LGSP__STORE__URL: databaseUrl(database) };
}

const firstDeployment: Deployment = { activeKeyId: 'k2026-01' };

interface RunningGateway {
  url: string;
  token(): Promise<string>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The gateway as `npm start` assembles it (dev IdP and sandboxes for its
 * upstreams), its store on `database` without a schema of its own, as in
 * production, with the Secret's audit and vault keys and `deployment`'s
 * settings, as the pods of that deployment have them.
 */
async function startGatewayOn(database: string, deployment: Deployment, options: { checkpointIntervalMs?: number } = {}): Promise<RunningGateway> {
  const secret = secretData();
  const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
  delete (document.devIdp as Record<string, unknown>).keyStorePath;
  document.store = { driver: 'pg', url: databaseUrl(database), poolSize: 5 };
  document.audit = {
    ...(document.audit as Record<string, unknown>),
    subjectHashKey: secret['audit-subject-hash-key'],
    checkpoints: { intervalMs: options.checkpointIntervalMs ?? 60_000, signingKey: secret['audit-checkpoint-signing-key'], trustedPublicKeys: deployment.trustedPublicKeys ?? [] },
  };
  document.vault = { ...(document.vault as Record<string, unknown>), masterKeys: JSON.parse(secret['vault-master-keys']!), activeKeyId: deployment.activeKeyId };
  const stack = await startEmbeddedStack({
    document,
    env: {},
    connectors: connectorDescriptors,
    logger: createLogger({ level: 'warn', destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }) }),
    overrides: { server: { port: 0, opsPort: 0 }, devIdp: { port: 0 }, sandboxes: { ports: Object.fromEntries(connectorDescriptors.map((connector) => [connector.id, 0])) } },
  });
  let token: string | undefined;
  return {
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
    const response = await request(gateway.url).post('/api/v1/population/citizens/lookup').set(personalDataHeaders(token)).send({ personalId: citizens[i % citizens.length] });
    expect([200, 404]).toContain(response.status);
  }
}

async function stageLandCredentials(gateway: RunningGateway): Promise<{ version: number; fingerprint: string }> {
  const { devConfig } = await connectorDescriptors.find((descriptor) => descriptor.id === 'land')!.sandbox!.load();
  const response = await request(gateway.url).post('/admin/v1/connectors/land/credentials').set('authorization', `Bearer ${await gateway.adminToken()}`).send({ credentials: devConfig!.credentials });
  expect(response.status).toBe(201);
  return { version: response.body.version, fingerprint: response.body.fingerprint };
}

async function landCredentialVersions(gateway: RunningGateway): Promise<Array<Record<string, unknown>>> {
  const response = await request(gateway.url).get('/admin/v1/connectors/land/credentials').set('authorization', `Bearer ${await gateway.adminToken()}`);
  expect(response.status).toBe(200);
  return response.body.versions;
}

interface VerifyReport {
  ok: boolean;
  checked: number;
  head: { seq: number };
  checkpoints: { checked: number; valid: number; newestSeq: number | null };
}

/** Each stream's newest signed checkpoint (seq). */
async function newestCheckpoints(database: string): Promise<Record<string, number>> {
  const { rows } = await withPg(databaseUrl(database), (client) => client.query<{ stream: string; seq: string }>('SELECT stream, max(seq) AS seq FROM audit_checkpoints GROUP BY stream'));
  return Object.fromEntries(rows.map((row) => [row.stream, Number(row.seq)]));
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

beforeAll(async () => {
  await requirePrograms();
  // The scripts run compiled, as in the image (`npm run audit:verify` builds, then runs the same file).
  await execute(process.execPath, [fromProjectRoot('node_modules/typescript/bin/tsc'), '-p', fromProjectRoot('tsconfig.build.json')], { cwd: projectRoot, timeout: 300_000 });
  work = mkdtempSync(join(tmpdir(), 'lgsp-ops-backup-'));
  // §4's values, for this machine's PostgreSQL (the test's own databases are named per test below).
  await mustRun(docCommands.secrets, { DB_HOST: pgHost, DB_USER: pgUser, DB_NAME: 'postgres', REDIS_HOST: '127.0.0.1' }, work);
  // §4: what comes from elsewhere (Keycloak, the national systems).
  for (const key of ['console-client-secret', 'population-client-secret', 'population-secret-key', 'public-service-portal-password']) writeFileSync(join(workFile('lgsp-secrets'), key), randomBytes(24).toString('hex'), { mode: 0o600 });
}, 360_000);

afterAll(async () => {
  for (const name of databases) await withPg(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('§6 and §9: back up a gateway database, restore it into a new one and check it', () => {
  const sourceDb = `lgsp_ops_${unique}_source`;
  const restoreDb = `lgsp_ops_${unique}_check`;
  const variables = (extra: Record<string, string> = {}) => ({
    ...podEnvironment(sourceDb, firstDeployment),
    LGSP_DB: sourceDb,
    RESTORE_DB: restoreDb,
    BACKUP: workFile('lgsp.dump'),
    CHECKPOINT_PUBLIC_KEY: workFile('audit-checkpoint-public-key.pem'),
    ...extra,
  });
  let sourceHeads: ChainHeads;

  it('pg_dump of a gateway database holding an audit trail with checkpoints and a vault credential', async () => {
    await createDatabase(sourceDb);
    const gateway = await startGatewayOn(sourceDb, firstDeployment);
    try {
      await auditedLookups(gateway, 30);
      await stageLandCredentials(gateway);
    } finally {
      // A graceful stop signs each stream's head: the trail has checkpoints.
      await gateway.close();
    }
    sourceHeads = await chainHeads(sourceDb);
    expect(sourceHeads.data_access!.seq).toBe(30);
    expect(sourceHeads.admin!.seq).toBeGreaterThanOrEqual(1);
    expect(await newestCheckpoints(sourceDb)).toEqual({ data_access: 30, admin: sourceHeads.admin!.seq });

    const latest = migrations.at(-1)!;
    const listed = await mustRun(docCommands.migrations, variables(), work);
    expect(listed).toContain(String(latest.version));
    expect(listed).toContain(latest.name);

    databases.push(restoreDb);
    await mustRun(docCommands.dump, variables(), work);
    expect(Number((await mustRun(docCommands.listDump, variables(), work)).trim())).toBeGreaterThan(10);
  }, 180_000);

  it('pg_restore into a new database: schema version, chain heads, and the verifier reports both chains intact, same count, same head', async () => {
    await mustRun(docCommands.createRestoreDb, variables(), work);
    await mustRun(docCommands.restore, variables(), work);
    expect(Number((await mustRun(docCommands.schemaVersion, variables(), work)).trim())).toBe(migrations.at(-1)!.version);
    expect(parseChainHeads(await mustRun(docCommands.chainHeads, variables(), work))).toEqual(sourceHeads);

    const inPod = variables({ RESTORE_URL: await restoreUrl(restoreDb) });
    for (const command of [docCommands.verifyDataAccess, docCommands.verifyWithAuditorKey]) {
      const result = await runDocCommands(command, inPod, projectRoot);
      expect(result).toMatchObject({ code: 0 });
      const report = JSON.parse(result.stdout) as VerifyReport;
      expect(report).toMatchObject({ stream: 'data_access', ok: true, from: 1, to: 30, checked: 30, head: { seq: 30 }, unchained: 0, checkpoints: { newestSeq: 30 } });
      expect(report.checkpoints.valid).toBe(report.checkpoints.checked);
    }
    const admin = await runDocCommands(docCommands.verifyAdmin, inPod, projectRoot);
    expect(admin).toMatchObject({ code: 0 });
    expect(JSON.parse(admin.stdout)).toMatchObject({ stream: 'admin', ok: true, checked: sourceHeads.admin!.seq, head: { seq: sourceHeads.admin!.seq }, checkpoints: { newestSeq: sourceHeads.admin!.seq } });
  }, 120_000);

  it('negative control: a record altered in the restored copy is reported by its seq, exit 1; the source is untouched', async () => {
    await withPg(databaseUrl(restoreDb), (client) => client.query("UPDATE audit_records SET end_user = 'someone-else' WHERE stream = 'data_access' AND seq = 7"));
    const result = await runDocCommands(docCommands.verifyDataAccess, variables({ RESTORE_URL: await restoreUrl(restoreDb) }), projectRoot);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, firstBroken: { seq: 7, reason: 'altered' } });
    expect(await chainHeads(sourceDb)).toEqual(sourceHeads);
    expect((await runDocCommands(docCommands.verifyDataAccess, variables({ RESTORE_URL: await restoreUrl(sourceDb) }), projectRoot)).code).toBe(0);
  }, 60_000);

  it('dropdb removes the checked copy', async () => {
    await mustRun(docCommands.dropRestoreDb, variables(), work);
    const { rows } = await withPg(adminUrl, (client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [restoreDb]));
    expect(rows).toHaveLength(0);
  }, 60_000);
});

describe('§9, §10, §12: a backup taken while serving, restored after a disaster, then both key rotations', () => {
  const liveDb = `lgsp_ops_${unique}_live`;
  const restoreDb = `lgsp_ops_${unique}_restored`;
  const oldDb = `lgsp_ops_${unique}_before_restore`;
  const variables = (deployment: Deployment, extra: Record<string, string> = {}) => ({
    ...podEnvironment(liveDb, deployment),
    LGSP_DB: liveDb,
    RESTORE_DB: restoreDb,
    OLD_DB: oldDb,
    BACKUP: workFile('lgsp-live.dump'),
    CHECKPOINT_PUBLIC_KEY: workFile('audit-checkpoint-public-key.pem'),
    NEW_CHECKPOINT_PUBLIC_KEY: workFile('audit-checkpoint-public-key-2027.pem'),
    ...extra,
  });
  /** §10's values after both rotations: the new vault key active, the old checkpoint public key trusted. */
  const rotated = (): Deployment => ({ activeKeyId: 'k2027-01', trustedPublicKeys: [readFileSync(workFile('audit-checkpoint-public-key.pem'), 'utf8')] });
  let restoredHead: { seq: number; recordHash: string };
  let staged: { version: number; fingerprint: string };

  it('pg_dump under audited load restores to a chain that verifies and ends at a record of the live chain', async () => {
    await createDatabase(liveDb);
    databases.push(restoreDb, oldDb);
    // Checkpoints every second, so the dump holds some signed by the key rotated below.
    const gateway = await startGatewayOn(liveDb, firstDeployment, { checkpointIntervalMs: 1_000 });
    try {
      staged = await stageLandCredentials(gateway);
      await auditedLookups(gateway, 10);
      await eventually(() => newestCheckpoints(liveDb), (newest) => (newest.data_access ?? 0) >= 1, 15_000);
      let loading = true;
      const load = Promise.all(
        Array.from({ length: 4 }, async () => {
          while (loading) await auditedLookups(gateway, 1);
        }),
      );
      try {
        await mustRun(docCommands.dump, variables(firstDeployment), work);
      } finally {
        loading = false;
        await load;
      }
      await auditedLookups(gateway, 5);
    } finally {
      await gateway.close();
    }
    await mustRun(docCommands.createRestoreDb, variables(firstDeployment), work);
    await mustRun(docCommands.restore, variables(firstDeployment), work);

    const result = await runDocCommands(docCommands.verifyWithAuditorKey, variables(firstDeployment, { RESTORE_URL: await restoreUrl(restoreDb) }), projectRoot);
    expect(result).toMatchObject({ code: 0 });
    const report = JSON.parse(result.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: true, checked: report.head.seq });
    expect(report.checkpoints.checked).toBeGreaterThanOrEqual(1);
    expect(report.checkpoints.valid).toBe(report.checkpoints.checked);
    // One consistent snapshot: the restored head is a record of the live chain, which went on after it.
    restoredHead = (await chainHeads(restoreDb)).data_access!;
    const live = (await chainHeads(liveDb)).data_access!;
    expect(restoredHead.seq).toBeGreaterThanOrEqual(10);
    expect(live.seq).toBeGreaterThanOrEqual(restoredHead.seq + 5);
    const { rows } = await withPg(databaseUrl(liveDb), (client) => client.query<{ record_hash: string }>("SELECT record_hash FROM audit_records WHERE stream = 'data_access' AND seq = $1", [restoredHead.seq]));
    expect(rows).toEqual([{ record_hash: restoredHead.recordHash }]);
  }, 240_000);

  it("the restored copy takes the database's place; with a new vault key and signing key the gateway continues the chain; rewrap retires the old key", async () => {
    await mustRun(docCommands.renameDamaged, variables(firstDeployment), work);
    await mustRun(docCommands.renameRestored, variables(firstDeployment), work);
    const oldVaultKeys = secretData()['vault-master-keys']!;
    for (const command of [docCommands.newVaultKey, docCommands.bothVaultKeys, docCommands.newSigningKey, docCommands.newPublicKey]) await mustRun(command, {}, work);
    expect(JSON.parse(secretData()['vault-master-keys']!).map((key: { id: string }) => key.id)).toEqual(['k2026-01', 'k2027-01']);

    // The pods after the Secret and the values changed (both vault keys, the new one active; the new signing key).
    let gateway = await startGatewayOn(liveDb, rotated());
    try {
      await auditedLookups(gateway, 1);
      expect((await chainHeads(liveDb)).data_access!.seq).toBe(restoredHead.seq + 1);
      expect(await landCredentialVersions(gateway)).toEqual([expect.objectContaining({ version: staged.version, state: 'staged', fingerprint: staged.fingerprint })]);
      // The rotation's last step, while the gateway serves: every record under the active key, the others retired.
      const rewrap = await runDocCommands(docCommands.rewrap, variables(rotated()), projectRoot);
      expect(rewrap).toMatchObject({ code: 0 });
      expect(JSON.parse(rewrap.stdout)).toEqual({ activeKeyId: 'k2027-01', rewrapped: 1, retired: ['k2026-01'] });
      expect(await landCredentialVersions(gateway)).toEqual([expect.objectContaining({ version: staged.version, fingerprint: staged.fingerprint })]);
      const { rows } = await withPg(databaseUrl(liveDb), (client) => client.query('SELECT DISTINCT master_key_id FROM connector_credentials'));
      expect(rows).toEqual([{ master_key_id: 'k2027-01' }]);
    } finally {
      await gateway.close();
    }
    // A pod still configured with the old key alone is refused.
    const stale = await runDocCommands(docCommands.rewrap, { ...variables(firstDeployment), LGSP__VAULT__MASTER_KEYS: oldVaultKeys }, projectRoot);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain("'k2026-01' was retired");

    // The old key out of the Secret and destroyed; the pods restarted without it still open the credential.
    await mustRun([docCommands.newVaultKeyOnly, docCommands.destroyOldVaultKey], {}, work);
    expect(existsSync(workFile('vault-master-key-k2026-01'))).toBe(false);
    gateway = await startGatewayOn(liveDb, rotated());
    try {
      expect(await landCredentialVersions(gateway)).toEqual([expect.objectContaining({ version: staged.version, fingerprint: staged.fingerprint })]);
      await auditedLookups(gateway, 1);
    } finally {
      await gateway.close();
    }
    expect((await chainHeads(liveDb)).data_access!.seq).toBe(restoredHead.seq + 2);
  }, 240_000);

  it('after the signing key changed, checkpoints of both keys verify with the old public key trusted, and not without it', async () => {
    const both = await runDocCommands(docCommands.verifyWithBothKeys, variables(rotated()), projectRoot);
    expect(both).toMatchObject({ code: 0 });
    const report = JSON.parse(both.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: true, checked: restoredHead.seq + 2, head: { seq: restoredHead.seq + 2 }, checkpoints: { newestSeq: restoredHead.seq + 2 } });
    expect(report.checkpoints.checked).toBeGreaterThanOrEqual(2);
    expect(report.checkpoints.valid).toBe(report.checkpoints.checked);

    // Forgetting the old public key: the checkpoints it signed cannot be checked, and the verifier says so.
    const untrusted = await runDocCommands('node dist/scripts/audit-verify.js --stream data_access', variables({ activeKeyId: 'k2027-01' }), projectRoot);
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout)).toMatchObject({ ok: false, checkpoints: { firstInvalid: { reason: 'unknown_key' } } });
  }, 60_000);

  it("§12: the alert rules, exported with the deployment's configuration and the store", async () => {
    const result = await runDocCommands(docCommands.alertsExport, variables(rotated()), projectRoot);
    expect(result).toMatchObject({ code: 0 });
    const file = parseYaml(result.stdout) as { groups: Array<{ name: string; rules: Array<{ alert: string }> }> };
    const alerts = file.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    expect(alerts).toEqual(expect.arrayContaining(['audit-unavailable', 'outbox-dead-messages', 'population.probe-down', 'public-service-portal.breaker-open']));
  }, 60_000);
});
