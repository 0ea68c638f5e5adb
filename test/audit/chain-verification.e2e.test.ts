import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { countByRequestId } from '../../src/audit/audit-reader.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// The whole embedded stack (dev IdP, sandboxes, gateway) on each store driver: every personal-data 2xx has
// exactly one chained record, and GET /admin/v1/audit/verification reports the chain, its checkpoints and tampering.
const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const validReport = contracts.validator({ $ref: 'https://lgsp.gov.vn/contracts/admin/v1/audit-chain-verification.json' });
const citizens = ['001090012345', '079301005678'];

describe.each(['pg', 'pglite'] as const)('audit chain end to end on %s', (driver) => {
  let harness: Harness;
  let tokens: { oneStop: string; admin: string; operator: string; auditor: string };
  const api = () => request(harness.url);
  const verification = (query = '', token = tokens.auditor) => api().get(`/admin/v1/audit/verification${query}`).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'lgsp-chain-e2e-')), 'checkpoint-key.pem');
    harness = await startHarness({ store: driver, overrides: { audit: { checkpoints: { keyFile, intervalMs: 1000 } } } });
    tokens = {
      oneStop: await harness.token(),
      ...(await harness.staffTokens()),
    };
  }, 120_000);
  afterAll(() => harness?.close());

  it('every personal-data 2xx has exactly one record, all in one chain that verifies', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `chain-e2e-${i}`);
    const responses = await Promise.all(
      ids.map((id, i) => api().get(`/api/v1/population/citizens/${citizens[i % 2]}`).set({ ...personalDataHeaders(tokens.oneStop), 'x-request-id': id })),
    );
    expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200));
    for (const id of ids) expect(await countByRequestId(harness.stack.gateway.store, id)).toBe(1);

    const response = await verification().set('x-request-id', 'verify-1').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(validReport(response.body)).toBe(true);
    expect(response.body).toMatchObject({ stream: 'data_access', ok: true, from: 1, checked: response.body.head.seq, unchained: 0 });
    expect(response.body.head.seq).toBeGreaterThanOrEqual(40);
    expect(response.text).not.toMatch(/officer01|001090012345|079301005678/);
  });

  it('signs checkpoints on its own and verifies them', async () => {
    const report = await eventually(
      async () => (await verification().expect(200)).body,
      (body) => body.checkpoints.valid >= 1 && body.checkpoints.newestSeq === body.head.seq,
      15_000,
      200,
    );
    expect(report.ok).toBe(true);
    expect(report.checkpoints.firstInvalid).toBeUndefined();
    const metrics = await request(harness.opsUrl).get('/metrics');
    expect(metrics.text).toMatch(/lgsp_audit_checkpoints_total\{stream="data_access",result="written"\} [1-9]/);
    expect(metrics.text).toContain('lgsp_audit_commit_batch_records_count{result="committed"}');
  });

  it('is for auditors and admins, records each verification in the admin stream, and checks that stream too', async () => {
    await verification('?stream=data_access', tokens.admin).set('x-request-id', 'verify-by-admin').expect(200);
    expect((await verification('', tokens.operator).expect(403)).body.code).toBe('LGSP_ROLE_REQUIRED');
    expect((await verification('', tokens.oneStop).expect(403)).body.code).toBe('LGSP_ROLE_REQUIRED');
    await api().get('/admin/v1/audit/verification').expect(401);

    const log = await api().get('/admin/v1/admin-audit?resourceType=audit_chain').set('authorization', `Bearer ${tokens.admin}`).expect(200);
    expect(log.body.items.find((item: { requestId: string }) => item.requestId === 'verify-by-admin')).toMatchObject({
      action: 'read',
      actor: 'admin',
      resourceType: 'audit_chain',
      resourceId: 'data_access',
      after: { filter: { stream: 'data_access' }, ok: true },
    });
    const admin = await verification('?stream=admin').expect(200);
    expect(admin.body).toMatchObject({ stream: 'admin', ok: true });
    expect(admin.body.checked).toBeGreaterThanOrEqual(2);
  });

  it('answers 400 for bad parameters, naming them', async () => {
    const bad = await verification('?stream=everything&from=0&to=x&limit=3').expect(400);
    expect(bad.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query:from', 'query:limit', 'query:stream', 'query:to']);
    expect((await verification('?from=9&to=3').expect(400)).body.errors).toEqual([{ field: 'query:to', message: 'must not be before from' }]);
  });

  it('reports a row altered behind the gateway at its seq', async () => {
    await harness.stack.gateway.store.query("UPDATE audit_records SET end_user = 'someone-else' WHERE seq = 7");
    const response = await verification('?from=2&to=30').expect(200);
    expect(response.body).toMatchObject({ ok: false, from: 2, to: 30, checked: 5, firstBroken: { seq: 7, reason: 'altered' } });
    expect(validReport(response.body)).toBe(true);
  });
});
