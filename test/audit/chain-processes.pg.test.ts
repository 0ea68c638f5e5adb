import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadCheckpointKeys } from '../../src/audit/chain/checkpoint-key.js';
import { writeCheckpoint } from '../../src/audit/chain/checkpoints.js';
import { verifyChain } from '../../src/audit/chain/verify-chain.js';
import { readConfigDocument } from '../../src/config/load-config.js';
import { fromProjectRoot } from '../../src/paths.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/store.js';
import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import { pgStoreTarget, testDatabaseUrl } from '../../src/store/test-support/store-targets.js';

// Real separate processes on the real PostgreSQL: the compiled writer (dist/) in two children sharing
// one schema, and the compiled `npm run audit:verify` CLI against it.
const run = promisify(execFile);
const target = pgStoreTarget(captureLogger().logger);
let store: Store;
let schema: string;

beforeAll(async () => {
  await run(process.execPath, [fromProjectRoot('node_modules/typescript/bin/tsc'), '-p', fromProjectRoot('tsconfig.build.json')], { cwd: fromProjectRoot('.') });
  ({ store, schema } = await target.openIsolated());
  await migrate(store, migrations);
}, 300_000);
afterAll(() => target.dispose());

const child = (name: string, count: number, startAt: number) =>
  run(process.execPath, [fromProjectRoot('test/audit/chain-writer-child.mjs'), testDatabaseUrl, schema, name, String(count), String(startAt)], { timeout: 120_000 }).then(
    ({ stdout }) => JSON.parse(stdout) as { records: number; flushes: number },
  );

describe('audit chain across gateway processes (PostgreSQL)', () => {
  it('two processes writing concurrently produce one gap-free chain that verifies', async () => {
    const startAt = Date.now() + 3000;
    const [a, b] = await Promise.all([child('process-a', 400, startAt), child('process-b', 400, startAt)]);
    expect(a.records + b.records).toBe(800);
    // Group commit in each process: far fewer transactions than records.
    expect(a.flushes).toBeLessThan(400);
    expect(b.flushes).toBeLessThan(400);

    const { rows } = await store.query<{ seq: number; consumer: string }>("SELECT seq, consumer FROM audit_records WHERE stream = 'data_access' ORDER BY seq, id");
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 800 }, (_, i) => i + 1));
    expect(rows.filter((row) => row.consumer === 'process-a')).toHaveLength(400);
    // The processes really wrote at the same time: their batches alternate along the chain.
    const switches = rows.filter((row, i) => i > 0 && row.consumer !== rows[i - 1]!.consumer).length;
    expect(switches).toBeGreaterThanOrEqual(2);
    const keys = await loadCheckpointKeys({});
    const report = await verifyChain(store, { stream: 'data_access', publicKeys: keys.verifying });
    expect(report).toMatchObject({ ok: true, checked: 800, head: { seq: 800 } });
  }, 180_000);

  it('npm run audit:verify: exit 0 when the chain holds, 1 with the broken seq, 2 on a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-audit-verify-'));
    const keyFile = join(dir, 'checkpoint-key.pem');
    const keys = await loadCheckpointKeys({ keyFile });
    expect(await writeCheckpoint(store, 'data_access', keys)).toMatchObject({ written: true });
    const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
    document.store = { driver: 'pg', url: testDatabaseUrl, schema };
    (document.audit as Record<string, unknown>).checkpoints = { keyFile };
    const configFile = join(dir, 'gateway.json');
    writeFileSync(configFile, JSON.stringify(document));

    const cli = (...args: string[]) =>
      run(process.execPath, [fromProjectRoot('dist/scripts/audit-verify.js'), ...args], { env: { ...process.env, LGSP_CONFIG: configFile }, timeout: 60_000 }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );

    const ok = await cli('--stream', 'data_access');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ stream: 'data_access', ok: true, checked: 800, checkpoints: { checked: 1, valid: 1, newestSeq: 800 } });
    expect(JSON.parse((await cli('--stream', 'admin')).stdout)).toMatchObject({ stream: 'admin', ok: true, checked: 0 });

    await store.query("UPDATE audit_records SET latency_ms = 999 WHERE seq = 321");
    const broken = await cli('--stream', 'data_access', '--from', '300', '--to', '400');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, from: 300, to: 400, checked: 21, firstBroken: { seq: 321, reason: 'altered' } });
    expect((await cli('--stream', 'data_access', '--to', '320')).code).toBe(0);

    for (const args of [[], ['--stream', 'nope'], ['--stream', 'admin', '--from', 'x'], ['--stream', 'admin', '--from', '5', '--to', '2'], ['--stream', 'admin', '--bogus']]) {
      const usage = await cli(...args);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('usage: npm run audit:verify');
    }
  }, 180_000);
});
