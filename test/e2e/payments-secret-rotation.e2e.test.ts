import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ipnChecksum, type IpnChecksumFields } from '../../connectors/paygov/checksum.js';
import type { PaygovSandbox } from '../../connectors/paygov/sandbox/server.js';
import { paygovSandboxDevCredentials } from '../../connectors/paygov/sandbox/server.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { encodingsOf, everyTableAsText } from '../support/secret-scan.js';

/**
 * Issue 15: the IPN checksum secret rotated through the credential vault's
 * admin API. Inside the overlap window an IPN sealed with the previous
 * secret (the platform has not switched yet) is accepted, and one sealed
 * with the new secret too; once the window ends, the previous secret is
 * refused. Then nothing the gateway logged or stored holds the new secret.
 */
const overlapMs = 3000;
const newSecret = `planted-paygov-secret-${randomBytes(8).toString('hex')}`;

let harness: Harness;
let paygov: PaygovSandbox;
let token: string;
let admin: string;

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite', overrides: { vault: { overlapMs }, health: { probeIntervalMs: 3_600_000 } } });
  paygov = harness.stack.sandboxes.paygov as unknown as PaygovSandbox;
  token = await harness.token();
  admin = (await harness.staffTokens()).admin;
}, 60_000);

afterAll(async () => {
  await paygov?.idle();
  await harness?.close();
});

const api = () => request(harness.url);
const asAdmin = (method: 'get' | 'post', path: string, body?: object) => {
  const call = api()[method](`/admin/v1${path}`).set('authorization', `Bearer ${admin}`);
  return body === undefined ? call : call.send(body);
};
let serial = 0;
const pendingPayment = async () => {
  const dossierCode = `000.00.01.H22-250716-${String(++serial).padStart(4, '0')}`;
  const created = await api()
    .post('/api/v1/payments')
    .set({ ...personalDataHeaders(token), 'idempotency-key': `rotation-${dossierCode}` })
    .send({ dossierCode, procedureCode: '1.003560.000.00.00.H56', payer: { name: 'Lê Văn Tám' }, items: [{ code: 'LEPHI', name: 'Lệ phí', amount: 200_000 }] });
  expect(created.status).toBe(201);
  return created.body.reference as string;
};
const stateOf = async (reference: string) => (await api().get(`/api/v1/payments/${reference}`).set('authorization', `Bearer ${token}`)).body.state as string;
const ipnRows = async (reference: string) =>
  (await harness.stack.gateway.store.query<{ verdict: string; secret_index: number | null }>('SELECT verdict, secret_index FROM payment_ipns WHERE parsed_reference = $1 ORDER BY id', [reference])).rows;
const sealedIpn = (reference: string, secret: string) => {
  const message: IpnChecksumFields = {
    LoaiBanTin: 'IPN', MaLoi: '00', MaDoiTac: paygovSandboxDevCredentials.partnerCode, MaThamChieu: reference, SoTien: '200000', MaTienTe: 'VND',
    MaGiaoDich: `T${reference.slice(-10)}`, MaNganHang: 'VCB', ThoiGianGD: '20250716100000', ThongTinGiaoDich: 'Nop le phi',
  };
  return JSON.stringify({ ...message, MaXacThuc: ipnChecksum(message, secret) });
};

describe('paygov IPN secret rotation through the vault', () => {
  let beforeRotation: string[];

  it('moves the credentials into the vault (v1 = the development account), then activates a new secret (v2)', async () => {
    // Payments registered with the platform before it switches secrets (an INIT sealed with v2 would be refused until it does).
    beforeRotation = [await pendingPayment(), await pendingPayment(), await pendingPayment()];
    expect((await asAdmin('post', '/connectors/paygov/credentials', { credentials: { ...paygovSandboxDevCredentials } })).status).toBe(201);
    // No login to try: the test sends a sealed QUERY, which the platform accepts under this secret.
    expect((await asAdmin('post', '/connectors/paygov/credentials/1/test', {})).body).toMatchObject({ outcome: 'ok' });
    expect((await asAdmin('post', '/connectors/paygov/credentials/1/activate', {})).status).toBe(200);
    const staged = await asAdmin('post', '/connectors/paygov/credentials', { credentials: { ...paygovSandboxDevCredentials, secretKey: newSecret } });
    expect(staged.status).toBe(201);
    expect(JSON.stringify(staged.body)).not.toContain(newSecret);
    // The platform has not switched yet: it refuses the new secret's checksum, and the admin activates it anyway (the overlap covers the switch).
    expect((await asAdmin('post', '/connectors/paygov/credentials/2/test', {})).body).toMatchObject({ outcome: 'refused' });
    const activated = await asAdmin('post', '/connectors/paygov/credentials/2/activate', { force: true });
    expect(activated.status).toBe(200);
    const inUse = (await asAdmin('get', '/connectors/paygov/credentials')).body.inUse;
    expect(inUse).toMatchObject({ source: 'vault', activeVersion: 2, previousVersion: 1, previousUsableUntil: expect.any(String) });
  });

  it('inside the overlap: an IPN sealed with the previous secret is accepted (the platform has not switched), and one sealed with the new secret too', async () => {
    const [first, second] = beforeRotation;
    // The platform still seals with the development secret: the payer pays, its IPN arrives.
    expect(paygov.pay(first!)).toBe(true);
    await paygov.idle();
    expect(await stateOf(first!)).toBe('paid');
    expect(await ipnRows(first!)).toEqual([{ verdict: 'applied', secret_index: 1 }]);

    const withNew = await api().post('/callbacks/paygov/ipn').set('content-type', 'application/json').send(sealedIpn(second!, newSecret));
    expect(withNew.body).toEqual({ MaLoi: '00', MoTaLoi: 'Thành công' });
    expect(await ipnRows(second!)).toEqual([{ verdict: 'applied', secret_index: 0 }]);
  });

  it('after the overlap: the previous secret is refused (MaLoi 01) and nothing applies; the new one is accepted', async () => {
    const third = beforeRotation[2]!;
    const previousUntil = Date.parse((await asAdmin('get', '/connectors/paygov/credentials')).body.inUse.previousUsableUntil);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, previousUntil - Date.now()) + 200));
    await eventually(async () => harness.stack.gateway.connectors.usableCredentials('paygov')?.previous, (previous) => previous === undefined, 5_000);

    expect(paygov.pay(third)).toBe(true);
    await paygov.idle();
    expect(paygov.deliveries.find((delivery) => delivery.message.MaThamChieu === third)?.answer).toMatchObject({ MaLoi: '01' });
    expect(await ipnRows(third)).toEqual([{ verdict: 'refused_checksum', secret_index: null }]);
    expect(await stateOf(third)).toBe('pending');

    // The platform switches: its IPNs are sealed with the new secret, and apply.
    paygov.rotateSecret(newSecret);
    const resent = await api().post('/callbacks/paygov/ipn').set('content-type', 'application/json').send(sealedIpn(third, newSecret));
    expect(resent.body.MaLoi).toBe('00');
    expect(await stateOf(third)).toBe('paid');
    // New payments are registered with the new secret.
    expect(await stateOf(await pendingPayment())).toBe('pending');
  });

  it('never logs or stores the new secret in clear or encoded', async () => {
    const logs = harness.logs.join('');
    const tables = await everyTableAsText(harness.stack.gateway.store);
    for (const [encoding, needle] of encodingsOf(newSecret)) {
      expect([encoding, logs.includes(needle)]).toEqual([encoding, false]);
      for (const [table, text] of Object.entries(tables)) expect([encoding, table, text.includes(needle)]).toEqual([encoding, table, false]);
    }
    expect(logs).not.toContain(paygovSandboxDevCredentials.secretKey);
  });
});
