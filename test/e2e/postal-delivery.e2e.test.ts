import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { fromProjectRoot } from '../../src/paths.js';
import { findBySubject } from '../../src/audit/audit-reader.js';
import { seededShipments } from '../../connectors/postal-delivery/sandbox/order-book.js';
import type { PostalSandbox } from '../../connectors/postal-delivery/sandbox/server.js';
import { loadAdministrativeUnits2025 } from '../../simulators/kit/administrative-units.js';
import { findPersonById, fullNameOf, wellKnownPersonIds } from '../../simulators/kit/people.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { expectBreakerOpensAlone, tightBreakerSection } from '../support/breaker-isolation.js';
import { eventually } from '../support/eventually.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// The recipient is a seeded citizen at her current 2025 address (simulators/kit/people.ts).
const recipientPerson = findPersonById(wellKnownPersonIds.womanBorn2001WithDiacritics)!;
const recipient = { personalId: recipientPerson.personalId, fullName: fullNameOf(recipientPerson.name), phone: '0987654321' };
const address = { provinceCode: recipientPerson.currentAddress.provinceCode, communeCode: recipientPerson.currentAddress.communeCode, street: recipientPerson.currentAddress.street };
const timeoutMs = 600;

let dossierSequence = 0;
/** A fresh dossier code per test: one dossier, one shipment. */
const nextDossierCode = () => `000.00.01.H22-251201-${String(++dossierSequence).padStart(4, '0')}`;
const shipmentRequest = (dossierCode: string, overrides: Record<string, unknown> = {}) => ({ dossierCode, recipient, address, contents: 'Phiếu lý lịch tư pháp số 1', ...overrides });

const postalSandboxOf = (harness: Harness) => harness.stack.sandboxes['postal-delivery'] as unknown as PostalSandbox;

describe('postal-delivery connector through the gateway (embedded stack: PGlite, dev IdP, VNPost sandbox)', () => {
  let harness: Harness;
  let token: string;
  let sandbox: PostalSandbox;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pglite',
      overrides: { outbox: { pollIntervalMs: 100 }, connectors: { 'postal-delivery': { resilience: { timeoutMs, breaker: { volumeThreshold: 10_000 } } } } },
    });
    token = await harness.token();
    sandbox = postalSandboxOf(harness);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  afterEach(() => sandbox.faults.clear());

  const create = (body: unknown) => request(harness.url).post('/api/v1/postal-delivery/shipments').set(personalDataHeaders(token)).send(body as object);
  const track = (dossierCode: string) => request(harness.url).get(`/api/v1/postal-delivery/shipments/${dossierCode}`).set('authorization', `Bearer ${token}`);
  const cancel = (dossierCode: string) => request(harness.url).post(`/api/v1/postal-delivery/shipments/${dossierCode}/cancel`).set('authorization', `Bearer ${token}`);

  describe('create → track → cancel', () => {
    it('creates the order at VNPost and audits the transfer under the recipient', async () => {
      const dossierCode = nextDossierCode();
      const response = await create(shipmentRequest(dossierCode)).set('x-request-id', 'postal-create-1');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ dossierCode, orderNumber: dossierCode, state: 'created', status: { code: '100' }, created: true, cancellable: true });
      expect(response.body.itemCode).toMatch(/^HCC[0-9]{9}VN$/);
      // What VNPost received: the recipient and the 2025 units, the province's customer code and sender.
      const booked = sandbox.book.get(dossierCode)!;
      expect(booked.order).toMatchObject({ OrderNumber: dossierCode, CustomerCode: 'LGSP-DEV-HCC', ReceiverName: recipient.fullName, ReceiverTel: recipient.phone, ReceiverWard: address.communeCode, ServiceName: 'HCC' });

      const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, recipient.personalId);
      const record = records.find((candidate) => candidate.requestId === 'postal-create-1');
      expect(record).toMatchObject({ consumer: 'one-stop', endUser: 'officer01', operation: 'postal-delivery.shipment.create', connector: 'postal-delivery', outcome: 'success', httpStatus: 200 });
      expect(record!.fieldsReleased).toEqual(expect.arrayContaining(['orderNumber', 'state']));
    });

    it('tracks the shipment as it moves, then refuses to cancel it once picked up', async () => {
      const dossierCode = nextDossierCode();
      expect((await create(shipmentRequest(dossierCode))).status).toBe(200);
      const fresh = await track(dossierCode);
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({ state: 'created', cancellable: true });
      expect(fresh.body.created).toBeUndefined();
      expect(fresh.body.statusAt).toMatch(/\+07:00$/);

      sandbox.book.advance(dossierCode, 2);
      const moving = await track(dossierCode);
      expect(moving.body).toMatchObject({ state: 'in-transit', status: { code: '300', label: 'Đang vận chuyển' }, cancellable: false });

      const refused = await cancel(dossierCode);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', connector: 'postal-delivery' });
      expect(refused.body.detail).toContain('03');

      sandbox.book.advance(dossierCode, 2);
      expect((await track(dossierCode)).body).toMatchObject({ state: 'delivered', status: { code: '500' } });
    });

    it('cancels a shipment not yet picked up; a second cancel answers it unchanged without asking VNPost to cancel again', async () => {
      const dossierCode = nextDossierCode();
      expect((await create(shipmentRequest(dossierCode))).status).toBe(200);
      sandbox.faults.resetCalls();
      const cancelled = await cancel(dossierCode);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ dossierCode, state: 'cancelled', status: { code: '900' }, cancellable: false });
      const again = await cancel(dossierCode);
      expect(again.status).toBe(200);
      expect(again.body.state).toBe('cancelled');
      expect(sandbox.faults.calls('apiCancelOrder')).toBe(1);
      expect((await track(dossierCode)).body.state).toBe('cancelled');
    });

    it('answers the seeded shipments of the shared story (delivered, in transit, returned)', async () => {
      expect((await track(seededShipments.delivered.dossierCode)).body).toMatchObject({ state: 'delivered', statusAt: '2025-07-15T09:40:00+07:00' });
      expect((await track(seededShipments.inTransit.dossierCode)).body).toMatchObject({ state: 'in-transit' });
      expect((await track(seededShipments.returned.dossierCode)).body).toMatchObject({ state: 'returned', status: { code: '700' } });
    });

    it('answers 404 for a dossier VNPost holds no shipment of, on track and on cancel', async () => {
      const dossierCode = nextDossierCode();
      expect((await track(dossierCode)).body).toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND', connector: 'postal-delivery' });
      expect((await cancel(dossierCode)).status).toBe(404);
    });
  });

  describe('a create is applied once', () => {
    it('answers the same request again with the order VNPost holds (created: false), never a second order', async () => {
      const dossierCode = nextDossierCode();
      const posted = sandbox.book.posted;
      const first = await create(shipmentRequest(dossierCode));
      const second = await create(shipmentRequest(dossierCode));
      expect(first.body.created).toBe(true);
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ created: false, orderNumber: dossierCode, itemCode: first.body.itemCode });
      expect(sandbox.book.posted).toBe(posted + 1);
    });

    it('creates one order for concurrent duplicates from the one-stop system', async () => {
      const dossierCode = nextDossierCode();
      const posted = sandbox.book.posted;
      const answers = await Promise.all([1, 2, 3].map(() => create(shipmentRequest(dossierCode))));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.filter((answer) => answer.body.created === true)).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.body.itemCode)).size).toBe(1);
      expect(sandbox.book.posted).toBe(posted + 1);
    });

    it('survives VNPost creating the order and the answer being lost: the retry finds it', async () => {
      const dossierCode = nextDossierCode();
      const posted = sandbox.book.posted;
      sandbox.loseAnswersAfterCreate(1);
      sandbox.faults.resetCalls();
      const response = await create(shipmentRequest(dossierCode));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ orderNumber: dossierCode, created: false, state: 'created' });
      expect(sandbox.faults.calls('apiPostOrder')).toBe(1);
      expect(sandbox.book.posted).toBe(posted + 1);
    });
  });

  describe('addresses use the 2025 units', () => {
    const otherProvince = loadAdministrativeUnits2025().find((province) => province.code !== address.provinceCode)!;

    it.each([
      ['an unknown commune code', { ...address, communeCode: '99999' }],
      ['a commune of another province', { ...address, communeCode: otherProvince.communes[0]!.code }],
      ['a province code of the old 63-province list', { ...address, provinceCode: '02' }],
    ])('refuses %s with a 400 problem, before VNPost is asked', async (_case, badAddress) => {
      sandbox.faults.resetCalls();
      const response = await create(shipmentRequest(nextDossierCode(), { address: badAddress }));
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', connector: 'postal-delivery' });
      expect(sandbox.faults.calls()).toBe(0);
    });

    it('refuses a malformed request by the contract (phone, missing recipient)', async () => {
      expect((await create(shipmentRequest(nextDossierCode(), { recipient: { ...recipient, phone: '12345' } }))).body.code).toBe('LGSP_VALIDATION_FAILED');
      const { recipient: _dropped, ...withoutRecipient } = shipmentRequest(nextDossierCode());
      expect((await create(withoutRecipient)).status).toBe(400);
    });

    it('requires the personal-data headers on a create', async () => {
      const response = await request(harness.url).post('/api/v1/postal-delivery/shipments').set('authorization', `Bearer ${token}`).send(shipmentRequest(nextDossierCode()));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('LGSP_END_USER_REQUIRED');
    });
  });

  describe('upstream faults map to the right problem', () => {
    it.each(upstreamFaultCases)('%o → %i %s naming the postal-delivery connector', async (fault, status, code) => {
      sandbox.faults.set(fault);
      const response = await track(seededShipments.delivered.dossierCode);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code, connector: 'postal-delivery' });
    });

    it('fails a create cleanly when VNPost fails, and a later create still makes one order', async () => {
      const dossierCode = nextDossierCode();
      sandbox.faults.set({ kind: 'http-500' }, { operation: 'apiPostOrder' });
      const failed = await create(shipmentRequest(dossierCode));
      expect(failed.status).toBe(502);
      expect(failed.body).toMatchObject({ code: 'LGSP_UPSTREAM_ERROR', connector: 'postal-delivery' });
      sandbox.faults.clear();
      const posted = sandbox.book.posted;
      expect((await create(shipmentRequest(dossierCode))).body.created).toBe(true);
      expect(sandbox.book.posted).toBe(posted + 1);
    });

    it('takes a new token once when the platform says the token expired', async () => {
      sandbox.faults.set({ kind: 'expired-token' }, { times: 1 });
      expect((await track(seededShipments.delivered.dossierCode)).status).toBe(200);
    });
  });

  describe("tracking feeds the dossier's delivery information on the portal", () => {
    const dossierExample = (JSON.parse(readFileSync(fromProjectRoot('contracts/public-service-portal/v1/dossier.json'), 'utf8')) as { examples: Array<Record<string, unknown>> }).examples[0]!;
    const progressExample = (JSON.parse(readFileSync(fromProjectRoot('contracts/public-service-portal/v1/dossier-progress.json'), 'utf8')) as { examples: Array<Record<string, unknown>> }).examples[0]!;
    const portalHeaders = (dossierCode: string) => ({ authorization: `Bearer ${token}`, 'x-end-user': 'officer01', 'x-purpose': dossierCode });

    it('the delivery note goes to the portal through its outbox: as the dossier\'s returnInfo, then as the step that returns the result', async () => {
      const portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
      const dossierCode = nextDossierCode();
      const created = await create(shipmentRequest(dossierCode));
      sandbox.book.advance(dossierCode, 2);
      const moving = (await track(dossierCode)).body;
      expect(moving.deliveryNote).toContain(moving.itemCode);

      // The one-stop system's next sync of the dossier carries the shipment as its delivery information.
      const dossier = { ...dossierExample, dossierCode, receiptNumber: dossierCode, status: 'processed', deliveryByPost: true, returnInfo: moving.deliveryNote };
      expect((await request(harness.url).put(`/api/v1/public-service-portal/dossiers/${dossierCode}`).set(portalHeaders(dossierCode)).send(dossier)).status).toBe(202);
      const held = await eventually(() => portal.dossiers.get(dossierCode), (record) => record !== undefined, 10_000);
      expect(held!.item).toMatchObject({ HinhThuc: '1', ThongTinTra: moving.deliveryNote });

      // Delivered: the step that returns the result.
      sandbox.book.advance(dossierCode, 2);
      const delivered = (await track(dossierCode)).body;
      expect(delivered.state).toBe('delivered');
      const step = { ...progressExample, content: delivered.deliveryNote, status: 'result_returned', at: delivered.statusAt };
      expect((await request(harness.url).post(`/api/v1/public-service-portal/dossiers/${dossierCode}/progress`).set(portalHeaders(dossierCode)).send(step)).status).toBe(202);
      const stepped = await eventually(() => portal.dossiers.get(dossierCode), (record) => (record?.progress.length ?? 0) === 1, 10_000);
      expect(stepped!.progress[0]).toMatchObject({ NoiDungXuLy: expect.stringContaining(created.body.itemCode), TrangThai: '10' });
      // Nothing of the recipient rode along.
      expect(JSON.stringify(stepped)).not.toContain(recipient.phone);
    });
  });

  it('keeps the recipient out of the logs', async () => {
    const dossierCode = nextDossierCode();
    const distinctive = { ...recipient, fullName: 'Lâm Thị Bưu Phẩm', phone: '0911222333' };
    const street = 'Ngõ 77 đường Thử Nghiệm Riêng Tư';
    expect((await create(shipmentRequest(dossierCode, { recipient: distinctive, address: { ...address, street } })).set('x-request-id', 'postal-privacy')).status).toBe(200);
    const logs = harness.logs.join('');
    expect(logs).toContain('postal-privacy');
    for (const secret of [distinctive.fullName, distinctive.phone, street, distinctive.personalId]) expect(logs).not.toContain(secret);
  });
});

describe('postal-delivery circuit breaker', () => {
  let harness: Harness;
  let token: string;

  beforeAll(async () => {
    harness = await startHarness({ store: 'pglite', overrides: { connectors: { 'postal-delivery': tightBreakerSection(timeoutMs) } } });
    token = await harness.token();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('opens on repeated VNPost failures only: postal-delivery answers 503, population keeps working', async () => {
    const sandbox = postalSandboxOf(harness);
    // Addresses the gateway refuses never reach VNPost, and do not count against it.
    for (let i = 0; i < 3; i += 1) {
      const refused = await request(harness.url).post('/api/v1/postal-delivery/shipments').set(personalDataHeaders(token)).send(shipmentRequest(nextDossierCode(), { address: { ...address, communeCode: '99999' } }));
      expect(refused.status).toBe(400);
    }
    expect(harness.stack.gateway.breakers.state('postal-delivery')).toBe('closed');
    await expectBreakerOpensAlone({
      harness,
      token,
      connector: 'postal-delivery',
      faults: sandbox.faults,
      call: () => request(harness.url).get(`/api/v1/postal-delivery/shipments/${seededShipments.delivered.dossierCode}`).set('authorization', `Bearer ${token}`),
    });
  });
});
