import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { findBySubject } from '../../src/audit/audit-reader.js';
import { fromProjectRoot } from '../../src/paths.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * Issue 12: the one-stop system's dossier sync through the gateway, on the
 * embedded stack (PGlite outbox, the portal sandbox): accepted once (202,
 * durably), delivered in order per dossier, whatever the portal does.
 */

const example = <T>(file: string) => (JSON.parse(readFileSync(fromProjectRoot(`contracts/public-service-portal/v1/${file}`), 'utf8')) as { examples: T[] }).examples[0]!;
const dossierExample = example<Record<string, unknown> & { dossierCode: string; status: string; applicant: { id: string } }>('dossier.json');
const progressExample = example<Record<string, unknown>>('dossier-progress.json');

let harness: Harness;
let token: string;
let portal: PublicServicePortalSandbox;

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite', overrides: { outbox: { pollIntervalMs: 100 } } });
  token = await harness.token();
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

let serial = 0;
/** A fresh dossier code per test: the sandbox and the outbox keep everything. */
const nextDossier = () => {
  serial += 1;
  const dossierCode = `000.00.01.H22-250715-${String(1000 + serial).padStart(4, '0')}`;
  return { ...dossierExample, dossierCode, receiptNumber: dossierCode };
};
const headers = (dossierCode: string) => ({ authorization: `Bearer ${token}`, 'x-end-user': 'officer01', 'x-purpose': dossierCode });
const put = (dossier: { dossierCode: string; [field: string]: unknown }, extra: Record<string, string> = {}) =>
  request(harness.url).put(`/api/v1/public-service-portal/dossiers/${dossier.dossierCode}`).set({ ...headers(dossier.dossierCode), ...extra }).send(dossier);
const progress = (dossierCode: string, step: Record<string, unknown>) =>
  request(harness.url).post(`/api/v1/public-service-portal/dossiers/${dossierCode}/progress`).set(headers(dossierCode)).send(step);
const syncStatus = (dossierCode: string) => request(harness.url).get(`/api/v1/public-service-portal/dossiers/${dossierCode}/sync`).set({ authorization: `Bearer ${token}` });

describe('dossier sync', () => {
  it('accepts a dossier and its steps (202), delivers them in order, and the status says so', async () => {
    const dossier = nextDossier();
    const accepted = await put(dossier);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ key: dossier.dossierCode, sequence: 1, duplicate: false });
    const steps = ['Tiếp nhận hồ sơ', 'Thẩm định hồ sơ', 'Trình ký'].map((content, index) => ({ ...progressExample, content, at: `2025-07-15T${String(9 + index).padStart(2, "0")}:00:00+07:00` }));
    for (const step of steps) expect((await progress(dossier.dossierCode, step)).status).toBe(202);

    const held = await eventually(() => portal.dossiers.get(dossier.dossierCode), (record) => record !== undefined && record.progress.length === 3, 15_000);
    expect(held!.versions).toHaveLength(1);
    expect(held!.progress.map((step) => step.NoiDungXuLy)).toEqual(steps.map((step) => step.content));

    const status = await eventually(async () => (await syncStatus(dossier.dossierCode)).body, (body) => body.messages?.every((m: { state: string }) => m.state === 'delivered'), 10_000);
    expect(status.messages.map((m: { sequence: number; answer: string }) => [m.sequence, m.answer])).toEqual([[1, 'created'], [2, 'accepted'], [3, 'accepted'], [4, 'accepted']]);
    expect(status.upstream).toBeUndefined();
    // On request, what the portal holds now (TraCuuHoSo): there, at the status of the dossier sent.
    const withPortal = await syncStatus(dossier.dossierCode).query({ portal: 'true' });
    expect(withPortal.body.upstream).toEqual({ held: true, status: dossier.status });
    expect(JSON.stringify(withPortal.body)).not.toContain(dossier.applicant.id);
  });

  it('the same request twice is one message; a changed dossier is an update; a reused Idempotency-Key with another body is 422', async () => {
    const dossier = nextDossier();
    const first = await put(dossier, { 'idempotency-key': `${dossier.dossierCode}-v1` });
    const again = await put(dossier, { 'idempotency-key': `${dossier.dossierCode}-v1` });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ syncId: first.body.syncId, duplicate: true });
    // Without a key, the same body as the latest accepted is the same message too.
    expect((await put(dossier)).body).toMatchObject({ syncId: first.body.syncId, duplicate: true });
    const reused = await put({ ...dossier, summary: 'Khác' }, { 'idempotency-key': `${dossier.dossierCode}-v1` });
    expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 422, code: 'LGSP_IDEMPOTENCY_KEY_REUSED' });

    const processed = { ...dossier, status: 'processed' };
    expect((await put(processed)).status).toBe(202);
    const held = await eventually(() => portal.dossiers.get(dossier.dossierCode), (record) => record?.item.TrangThaiHoSo === '9', 15_000);
    // One dossier on the portal, whatever the number of versions.
    expect(held!.item.MaHoSo).toBe(dossier.dossierCode);
  });

  it('refuses a malformed dossier with field-level problems and stores nothing', async () => {
    const dossier = nextDossier();
    const refused = await put({ ...dossier, procedureCode: 'not-a-code', status: 'lost' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['procedureCode', 'status']));
    const mismatched = await request(harness.url).put(`/api/v1/public-service-portal/dossiers/${dossier.dossierCode}`).set(headers(dossier.dossierCode)).send({ ...dossier, dossierCode: '000.00.01.H22-250715-9999' });
    expect({ status: mismatched.status, fields: mismatched.body.errors?.map((error: { field: string }) => error.field) }).toEqual({ status: 400, fields: ['dossierCode'] });
    expect((await syncStatus(dossier.dossierCode)).status).toBe(404);
    expect(portal.dossiers.get(dossier.dossierCode)).toBeUndefined();
  });

  it('audits each accepted transfer: who, why, the applicant as a keyed hash, the fields sent', async () => {
    const dossier = nextDossier();
    const accepted = await put(dossier);
    const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, dossier.applicant.id);
    const record = records.find((each) => each.requestId === accepted.headers['x-request-id']);
    expect(record).toMatchObject({ operation: 'public-service-portal.dossier.sync', endUser: 'officer01', purpose: dossier.dossierCode, outcome: 'success', httpStatus: 202 });
    expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['dossierCode', 'applicant', 'status']));
    // The answer itself carries no personal data.
    expect(JSON.stringify(accepted.body)).not.toContain(dossier.applicant.id);
    // Delivered before the next test switches the portal's faults on (they would hit this dossier instead).
    await eventually(() => portal.dossiers.get(dossier.dossierCode), (record) => record !== undefined, 10_000);
  });

  it('delivers through random portal failures and an answer lost after the portal stored the dossier: one dossier, steps in order', async () => {
    const dossier = nextDossier();
    portal.chaos.acceptThenTimeOut({ service: 'DongBoHoSoMC', times: 1, how: 'reset' });
    expect((await put(dossier)).status).toBe(202);
    const steps = Array.from({ length: 5 }, (_, index) => ({ ...progressExample, content: `Bước ${index + 1}`, at: `2025-07-16T0${index + 1}:00:00+07:00` }));
    for (const step of steps) await progress(dossier.dossierCode, step);
    portal.chaos.randomFailures({ rate: 0.3, seed: 7 });
    try {
      const held = await eventually(() => portal.dossiers.get(dossier.dossierCode), (record) => record !== undefined && record.progress.length >= 5, 30_000);
      expect(held!.progress.map((step) => step.NoiDungXuLy)).toEqual(steps.map((step) => step.content));
    } finally {
      portal.chaos.clear();
    }
    // The portal stored the first attempt and its answer was lost: the dossier's message took a second attempt...
    const first = (await syncStatus(dossier.dossierCode)).body.messages[0];
    expect(first).toMatchObject({ sequence: 1, state: 'delivered', answer: 'updated' });
    expect(first.attempts).toBeGreaterThanOrEqual(2);
    // ...which found it there and updated it: created once on the portal.
    expect(portal.journal.filter((entry) => entry.dossierCode === dossier.dossierCode && entry.kind === 'created')).toHaveLength(1);
    expect(portal.dossiers.get(dossier.dossierCode)!.versions.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
