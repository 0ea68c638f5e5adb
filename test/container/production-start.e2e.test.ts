import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import type pg from 'pg';
import { stringify as toYaml } from 'yaml';
import { startPopulationSandbox, type PopulationSandbox } from '../../connectors/population/sandbox/server.js';
import { startDevIdp, type DevIdp } from '../../simulators/dev-idp/index.js';
import { findBySubject } from '../../src/audit/audit-reader.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { freePort, removeSharedRedisKeys, sharedRedisUrl } from '../../src/rate-limit/test-support/throwaway-redis.js';
import { createPgStore } from '../../src/store/pg-store.js';
import { testDatabaseUrl } from '../../src/store/test-support/store-targets.js';
import { withPg } from '../support/embedded-harness.js';
import { encodingsOf } from '../support/secret-scan.js';
import { instructionsOf } from './dockerfile-model.js';
import { buildWithoutEngine, listFiles, type EnginelessImage } from './engineless-build.js';
import { packageName, productionClosure } from './production-packages.js';

/**
 * The CI smoke test of the container image (issue 17): no container engine
 * runs on CI, so the image's file set is built from the Dockerfile's own
 * instructions in a temporary directory (engineless-build.ts: compile, prune,
 * `npm ci --omit=dev`), then started with the image's CMD, environment and
 * user, in production mode, against the real PostgreSQL (a database of its
 * own) and Redis, with an OIDC issuer and one upstream run by this test (the
 * dev IdP and the population sandbox are test tools: the image has neither).
 * Node here is the machine's, not the image's 24.
 */
const personalId = '001090012345';
const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'x-end-user': 'officer01', 'x-purpose': '000.00.01.H22-261123-0001', 'content-type': 'application/json' });
const asRoot = process.getuid?.() === 0;
const silent = createLogger({ level: 'silent' });

const run = randomBytes(5).toString('hex');
const database = `lgsp_image_${run}`;
const secrets = {
  databasePassword: randomBytes(12).toString('hex'),
  subjectHashKey: randomBytes(32).toString('base64url'),
  signingKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  vaultKey: randomBytes(32).toString('base64'),
  cacheKeyHashKey: randomBytes(32).toString('base64url'),
  cacheEntryKey: randomBytes(32).toString('base64url'),
  upstreamClientSecret: randomBytes(18).toString('base64url'),
  upstreamSecretKey: randomBytes(18).toString('base64url'),
  consoleClientSecret: randomBytes(18).toString('base64url'),
  consoleSessionSecret: randomBytes(32).toString('hex'),
};
const upstreamCredentials = { clientId: 'image-test-province', clientSecret: secrets.upstreamClientSecret, accessKey: 'image-test-access', secretKey: secrets.upstreamSecretKey, appName: 'LGSP-IMAGE-TEST', partnerCode: '000.00.00.H00', partnerCodeCus: '000.00.01.H00' };
/** The test machine's PostgreSQL, the database of this run, with a password the server (trust) never asks for but the output must never show. */
function databaseUrl(port?: number): string {
  const url = new URL(testDatabaseUrl);
  url.password = secrets.databasePassword;
  url.pathname = `/${database}`;
  if (port !== undefined) url.port = String(port);
  return url.href;
}

let workDir: string;
let image: EnginelessImage;
let idp: DevIdp | undefined;
let sandbox: PopulationSandbox | undefined;
let configFile: string;
let apiUrl: string;
let gateway: Started | undefined;
/** Every line any process started from the image printed. */
const output: string[] = [];
/** What the lookup answered (personal data that must not reach the output). */
let citizen: { fullName?: string } = {};
let clientToken = '';

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** What this process printed (also kept in `output`). */
  lines: string[];
}

/** A command of the image (its CMD, its HEALTHCHECK, a script), run as the image runs it: in /app, with its ENV and, as root, its USER. */
function startFromImage(argv: string[], env: Record<string, string> = {}): Started {
  const [command, ...args] = argv;
  const child = spawn(command!, args, {
    cwd: image.appDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(workDir, 'home'), ...image.env, LGSP_CONFIG: configFile, ...gatewayEnv(), ...env },
    ...(asRoot && image.user ? { uid: image.user.uid, gid: image.user.gid } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(chunk.toString());
    lines.push(chunk.toString());
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // 'close', not 'exit': the process's output is all read by then.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, lines };
}

async function runFromImage(argv: string[], env: Record<string, string> = {}): Promise<{ code: number | null; text: string }> {
  const started = startFromImage(argv, env);
  const code = await started.exited;
  return { code, text: started.lines.join('') };
}

/** The secrets, as production passes them: LGSP__ environment variables and references the file names. */
function gatewayEnv(): Record<string, string> {
  return {
    LGSP__STORE__URL: databaseUrl(),
    LGSP__AUDIT__SUBJECT_HASH_KEY: secrets.subjectHashKey,
    LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY: secrets.signingKey,
    LGSP__VAULT__MASTER_KEYS: JSON.stringify([{ id: 'k-image-test', key: secrets.vaultKey }]),
    LGSP__VAULT__ACTIVE_KEY_ID: 'k-image-test',
    LGSP__CACHE__KEY_HASH_KEY: secrets.cacheKeyHashKey,
    LGSP__CACHE__ENTRY_ENCRYPTION_KEY: secrets.cacheEntryKey,
    LGSP__CONNECTORS__POPULATION__CREDENTIALS__CLIENT_SECRET: secrets.upstreamClientSecret,
    LGSP__CONNECTORS__POPULATION__CREDENTIALS__SECRET_KEY: secrets.upstreamSecretKey,
    LGSP_CONSOLE_CLIENT_SECRET: secrets.consoleClientSecret,
    LGSP_CONSOLE_SESSION_SECRET: secrets.consoleSessionSecret,
  };
}

/** CREATE and DROP DATABASE from the test database's connection. */
function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPg(testDatabaseUrl, fn);
}

async function waitUntilReady(url: string, started: Started, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void started.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the gateway exited (${exitCode}) before it was ready:\n${started.lines.join('')}`);
    const status = await fetch(`${url}/readyz`).then((response) => response.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms (last status ${status}):\n${started.lines.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Path, size and modification time of every file under the image's /app: what the running gateway must leave as it found it. */
function snapshot(dir: string): string[] {
  return listFiles(dir).map((path) => {
    const stat = statSync(join(dir, path), { throwIfNoEntry: false });
    return `${path} ${stat?.size ?? 'link'} ${stat?.mtimeMs ?? ''}`;
  });
}

/** Relative and package specifiers of a compiled module's static imports, and its dynamic import()s of literal paths. */
function importsOf(source: string): { static: string[]; dynamic: string[] } {
  const statics = [...source.matchAll(/^(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm), ...source.matchAll(/^import\s*['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
  const dynamics = [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1]!);
  return { static: statics, dynamic: dynamics };
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'lgsp-image-'));
  // The image's user (uid 1000 when the test runs as root) must reach its files, as in the image.
  chmodSync(workDir, 0o755);
  image = await buildWithoutEngine(join(workDir, 'build'));

  await withAdmin((client) => client.query(`CREATE DATABASE ${database}`));
  idp = await startDevIdp({ realmExportPath: fromProjectRoot('config/keycloak/lgsp-realm.json'), port: 0, logger: silent });
  sandbox = await startPopulationSandbox({ host: '127.0.0.1', port: 0, credentials: upstreamCredentials });
  clientToken = (await requestClientCredentialsToken(idp.tokenUrl, { clientId: 'one-stop', clientSecret: 'one-stop-dev-secret' })).access_token;

  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  mkdirSync(join(workDir, 'etc'), { mode: 0o755 });
  // Production lists every grant: the one-stop system, one purpose, the population lookup.
  const seedFile = join(workDir, 'etc', 'access-seed.yaml');
  writeFileSync(
    seedFile,
    toYaml({
      purposes: [{ code: 'DOSSIER-PROCESSING', name: 'Dossier processing (image test)', kind: 'dossier', legalBasis: 'test', unitCodePatterns: ['*'] }],
      consumers: [{ id: 'one-stop', clientId: 'one-stop', name: 'One-stop system (image test)', agency: 'Test', contact: { email: 'test@example.gov.vn' }, status: 'active', rateLimit: { limit: 600, windowSeconds: 60, burst: 60 } }],
      grants: [{ consumerId: 'one-stop', operation: 'population.citizen.get', purposes: ['DOSSIER-PROCESSING'], fields: ['*'], quota: { limit: 600, windowSeconds: 60 } }],
    }),
  );
  // The mounted configuration (LGSP_CONFIG): no secret in it, as production refuses one there.
  configFile = join(workDir, 'etc', 'config.yaml');
  writeFileSync(
    configFile,
    toYaml({
      mode: 'production',
      server: { host: '127.0.0.1', port, opsHost: '127.0.0.1', opsPort: await freePort(), shutdownGraceMs: 2000 },
      log: { level: 'info' },
      store: { driver: 'pg', url: 'postgres://set-by-env@127.0.0.1/lgsp', poolSize: 5, migrateOnStart: false },
      auth: { issuer: idp.issuer, jwksUri: idp.jwksUri, audience: 'lgsp-gateway' },
      redis: { url: sharedRedisUrl, keyPrefix: `lgsp:image-test:${run}:rl` },
      cache: { sharedKeyPrefix: `lgsp:image-test:${run}:cache` },
      access: { seedFile },
      upstreams: { allowedCidrs: ['127.0.0.1/32'] },
      connectors: {
        population: {
          baseUrl: sandbox.baseUrl,
          credentials: { clientId: upstreamCredentials.clientId, accessKey: upstreamCredentials.accessKey, appName: upstreamCredentials.appName, partnerCode: upstreamCredentials.partnerCode, partnerCodeCus: upstreamCredentials.partnerCodeCus },
          settings: { integrationCode: 'LGSP-IMAGE-TEST' },
        },
      },
      console: { enabled: true, clientId: 'lgsp-console', clientSecret: { fromEnv: 'LGSP_CONSOLE_CLIENT_SECRET' }, sessionSecret: { fromEnv: 'LGSP_CONSOLE_SESSION_SECRET' } },
    }),
  );
}, 300_000);

afterAll(async () => {
  if (gateway) {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
  await sandbox?.close();
  await idp?.close();
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(() => undefined);
  await removeSharedRedisKeys(`lgsp:image-test:${run}`);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 60_000);

describe('the image built without an engine, from the Dockerfile', () => {
  it('holds the product only: no sandbox, simulator, dev IdP, benchmark, test code or development config (the shipped catalogs are reference data, with their licences)', () => {
    const files = listFiles(image.appDir).filter((path) => !path.startsWith('node_modules/'));
    const forbidden = files.filter((path) =>
      /(^|\/)(sandbox|simulators|test-support|fixtures|bench|test|dev-idp|embedded)(\/|$)|\.test\.js(\.map)?$|(^|\/)(dev-token|contract-types|helm-generate|helm-chart-generated)\.js|^config\/(?!catalogs\/)|\.ts$/.test(path),
    );
    expect(forbidden).toEqual([]);
    for (const needed of ['package.json', 'dist/src/main.js', 'dist/scripts/store-migrate.js', 'dist/scripts/container-healthcheck.js', 'dist/scripts/audit-verify.js', 'dist/scripts/vault-rewrap.js', 'dist/scripts/alerts-export.js', 'dist/console/web/main.js', 'src/console/static/console.css', 'contracts/population/v1/citizen.json', 'connectors/population/population.wsdl', 'config/catalogs/administrative-units-2025.json', 'config/catalogs/administrative-units-2025.LICENSE', 'config/catalogs/README.md']) {
      expect({ needed, present: files.includes(needed) }).toEqual({ needed, present: true });
    }
  });

  it('resolves every static import of its code inside the image; only the embedded launcher and the sandboxes are dynamic imports it lacks', () => {
    const dist = join(image.appDir, 'dist');
    const unresolved: string[] = [];
    const missingDynamic: string[] = [];
    for (const file of listFiles(dist).filter((path) => path.endsWith('.js'))) {
      const imports = importsOf(readFileSync(join(dist, file), 'utf8'));
      const resolves = (specifier: string) => {
        // The console's browser modules import the chart library by its URL, which the gateway serves.
        if (specifier.startsWith('/')) return file.startsWith('console/web/');
        if (specifier.startsWith('.')) return existsSync(join(dist, dirname(file), specifier));
        if (isBuiltin(specifier)) return true;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        return existsSync(join(image.appDir, 'node_modules', name, 'package.json'));
      };
      unresolved.push(...imports.static.filter((specifier) => !resolves(specifier)).map((specifier) => `${file} → ${specifier}`));
      missingDynamic.push(...imports.dynamic.filter((specifier) => !resolves(specifier)).map((specifier) => `${file} → ${posix.normalize(posix.join(posix.dirname(file), specifier))}`));
    }
    expect(unresolved).toEqual([]);
    expect(missingDynamic.filter((edge) => !/→ (simulators\/embedded\/(start-embedded|dev-defaults)\.js|connectors\/[^/]+\/sandbox\/embedded\.js)$/.test(edge))).toEqual([]);
    expect(missingDynamic).toEqual(expect.arrayContaining(['src/main.js → simulators/embedded/start-embedded.js', 'connectors/population/descriptor.js → connectors/population/sandbox/embedded.js']));
  });

  it("holds production dependencies only: every package of package.json's dependencies, none of its devDependencies", () => {
    const manifest = JSON.parse(readFileSync(join(image.appDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const installed = (name: string) => existsSync(join(image.appDir, 'node_modules', name, 'package.json'));
    expect(Object.keys(manifest.dependencies).filter((name) => !installed(name))).toEqual([]);
    // A devDependency may still arrive as a dependency of a production package; none does today.
    const production = new Set([...productionClosure().keys()].map(packageName));
    expect(Object.keys(manifest.devDependencies).filter((name) => installed(name) && !production.has(name))).toEqual([]);
    expect(['jest', 'typescript', 'ts-jest', 'oidc-provider', 'smtp-server', 'fast-xml-parser', 'dependency-cruiser', 'supertest', 'playwright-core', 'chromedriver'].filter(installed)).toEqual([]);
  });

  it('refuses embedded mode with one line saying a development install is needed, not a stack trace', async () => {
    // The repository's embedded-mode configuration, mounted as a production one would be.
    const embeddedConfig = join(workDir, 'etc', 'embedded.yaml');
    writeFileSync(embeddedConfig, readFileSync(fromProjectRoot('config/default.yaml')));
    const { code, text } = await runFromImage(instructionsOf(image.final, 'CMD').at(-1)!.exec!, { LGSP_CONFIG: embeddedConfig });
    expect(code).toBe(1);
    expect(text.trim().split('\n')).toEqual([expect.stringMatching(/^lgsp-gateway: embedded mode needs the development install \(npm install, then npm run build\): dist\/simulators\/embedded\/start-embedded\.js is missing\./)]);
  }, 60_000);
});

describe('production start from the image (PostgreSQL, Redis, an OIDC issuer and one upstream)', () => {
  const cmd = () => instructionsOf(image.final, 'CMD').at(-1)!.exec!;
  const healthcheck = () => instructionsOf(image.final, 'HEALTHCHECK').at(-1)!.exec!;
  let before: string[];

  it('with store.migrateOnStart false, refuses a database that was never migrated, naming the migration command', async () => {
    before = snapshot(image.appDir);
    const { code, text } = await runFromImage(cmd());
    expect(code).toBe(1);
    expect(text).toMatch(/schema is at version 0 .*node dist\/scripts\/store-migrate\.js/);
  }, 90_000);

  it('store-migrate exits 2 on a configuration error and 1 when the database is unreachable, saying so without the secrets', async () => {
    const badConfig = await runFromImage(['node', 'dist/scripts/store-migrate.js'], { LGSP__STORE__POOL_SIZE: 'many' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.text).toMatch(/^store-migrate: invalid configuration:\n/);
    expect(badConfig.text).toContain('store.poolSize: must be integer');
    const unreachable = await runFromImage(['node', 'dist/scripts/store-migrate.js'], { LGSP__STORE__URL: databaseUrl(await freePort()) });
    expect(unreachable.code).toBe(1);
    expect(unreachable.text).toMatch(/^store-migrate: migration failed: .*ECONNREFUSED/m);
  }, 60_000);

  it('store-migrate applies the migrations and exits 0, and again 0 with nothing left to apply', async () => {
    const first = await runFromImage(['node', 'dist/scripts/store-migrate.js']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.text.split('\n').find((line) => line.startsWith('{"schemaVersion"'))!) as { schemaVersion: number; applied: number[] };
    expect(report.applied.length).toBeGreaterThan(10);
    expect(report.applied.at(-1)).toBe(report.schemaVersion);
    const again = await runFromImage(['node', 'dist/scripts/store-migrate.js']);
    expect(again.code).toBe(0);
    expect(again.text).toContain(`{"schemaVersion":${report.schemaVersion},"applied":[]}`);
  }, 60_000);

  it("starts from the image's CMD on the migrated database (migrateOnStart false): /healthz and /readyz 200", async () => {
    gateway = startFromImage(cmd());
    await waitUntilReady(apiUrl, gateway);
    const health = await fetch(`${apiUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  }, 90_000);

  it('answers a real lookup with a client token, and audits it', async () => {
    const response = await fetch(`${apiUrl}/api/v1/population/citizens/lookup`, { method: 'POST', headers: { ...headers(clientToken), 'x-request-id': `image-test-${run}` }, body: JSON.stringify({ personalId }) });
    citizen = (await response.json()) as { fullName?: string };
    expect({ status: response.status, body: response.status === 200 ? 'the citizen' : citizen }).toEqual({ status: 200, body: 'the citizen' });
    expect(citizen).toMatchObject({ personalId, fullName: expect.any(String) });

    const store = await createPgStore({ connectionString: databaseUrl(), logger: silent, max: 1 });
    try {
      const records = await findBySubject(store, secrets.subjectHashKey, personalId);
      expect(records).toEqual([expect.objectContaining({ requestId: `image-test-${run}`, consumer: 'one-stop', operation: 'population.citizen.get', outcome: 'success', httpStatus: 200 })]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("serves the console's assets and the API docs from the image's files and production node_modules", async () => {
    for (const [path, type] of [
      ['/console/assets/main.js', 'javascript'],
      ['/console/assets/console.css', 'css'],
      ['/console/assets/vendor/uPlot.esm.js', 'javascript'],
      ['/docs/assets/swagger-ui-bundle.js', 'javascript'],
    ] as const) {
      const response = await fetch(`${apiUrl}${path}`);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 200, type: expect.stringContaining(type) });
      await response.arrayBuffer();
    }
    // The one console page served without a session (the others send the browser to sign in first).
    const shell = await fetch(`${apiUrl}/console/signed-out`);
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('/console/assets/main.js');
  }, 60_000);

  it("the image's HEALTHCHECK exits 0 against the running gateway", async () => {
    const { code, text } = await runFromImage(healthcheck());
    expect({ code, text: text.trim() }).toEqual({ code: 0, text: `healthy: ${apiUrl}/healthz answered 200` });
  }, 60_000);

  it('SIGTERM: drains and exits 0; the HEALTHCHECK then exits 1', async () => {
    gateway!.child.kill('SIGTERM');
    expect(await gateway!.exited).toBe(0);
    gateway = undefined;
    const { code, text } = await runFromImage(healthcheck());
    expect(code).toBe(1);
    expect(text).toMatch(/^unhealthy: .*ECONNREFUSED/);
  }, 60_000);

  it('changed no file of the image (read-only root filesystem), and printed no personal data and no secret', () => {
    expect(snapshot(image.appDir)).toEqual(before);
    const text = output.join('');
    expect(text).toContain('"msg":"store ready"');
    const leaks = [
      ['personal id', personalId],
      ['full name', citizen.fullName ?? ''],
      ['client token', clientToken],
      ...Object.entries(secrets).flatMap(([name, secret]) => [
        ...encodingsOf(secret).map(([encoding, needle]) => [`${name} (${encoding})`, needle] as const),
        // A PEM's base64 body, line by line.
        ...secret.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----')).map((line) => [`${name} (PEM line)`, line] as const),
      ]),
    ].filter(([, needle]) => needle.length >= 8 && text.includes(needle));
    expect(leaks.map(([name]) => name)).toEqual([]);
  });
});
