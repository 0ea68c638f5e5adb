import { encodeLgspAccessToken } from '../../../simulators/kit/platform-auth.js';
import { findPersonById, wellKnownPersonIds } from '../../../simulators/kit/people.js';
import { orderTo, seededShipments, vietnamDateTime } from './order-book.js';
import { postalSandboxDevCredentials, startPostalSandbox, type PostalSandbox } from './server.js';

/** The simulator speaks VNPost's order API behind the data-sharing platform: client-credentials token, lgspaccesstoken, orders that move. */
describe('postal-delivery sandbox (VNPost)', () => {
  let sandbox: PostalSandbox;
  let clock = Date.parse('2026-01-05T08:00:00+07:00');
  let bearer: string;
  const stepMs = 60_000;
  const { clientId, clientSecret, ...keys } = postalSandboxDevCredentials;
  const lgspaccesstoken = encodeLgspAccessToken(keys);

  beforeAll(async () => {
    sandbox = await startPostalSandbox({ now: () => clock, stepMs });
  });

  // The platform's tokens live on the same clock the tests move: a fresh one for every test.
  beforeEach(async () => {
    const issued = await fetch(`${sandbox.baseUrl}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(issued.status).toBe(200);
    bearer = ((await issued.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await sandbox.close();
  });

  afterEach(() => sandbox.faults.clear());

  const headers = () => ({ authorization: `Bearer ${bearer}`, lgspaccesstoken, 'content-type': 'application/json' });
  const post = (path: string, body: unknown) => fetch(`${sandbox.apiUrl}${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  const tracking = async (query: string) => (await fetch(`${sandbox.apiUrl}/order/tracking?${query}`, { headers: headers() })).json() as Promise<{ _embedded: { 'rh:doc': Array<Record<string, string>> } }>;
  const person = findPersonById(wellKnownPersonIds.manBornInHanoi1990)!;
  const order = (orderNumber: string, overrides: Record<string, unknown> = {}) => ({ ...orderTo(person, orderNumber), ...overrides });

  it('refuses calls without the platform token or the lgspaccesstoken', async () => {
    expect((await fetch(`${sandbox.apiUrl}/order/tracking?orderNumber=X`)).status).toBe(401);
    expect((await fetch(`${sandbox.apiUrl}/order/tracking?orderNumber=X`, { headers: { authorization: `Bearer ${bearer}` } })).status).toBeGreaterThanOrEqual(401);
  });

  it('books an order once: the same order number again is 409 Code 09', async () => {
    const first = await post('/order/post', order('SBX-1'));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ Code: '00', OrderNumber: 'SBX-1', ItemCode: expect.stringMatching(/^HCC[0-9]{9}VN$/) });
    const again = await post('/order/post', order('SBX-1'));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ Code: '09' });
  });

  it('refuses an order with a pre-2025 or unknown ward (Code 02), missing fields or another customer code (Code 01)', async () => {
    expect(await (await post('/order/post', order('SBX-2', { ReceiverWard: '99999' }))).json()).toMatchObject({ Code: '02' });
    expect(await (await post('/order/post', order('SBX-2', { ReceiverName: '' }))).json()).toMatchObject({ Code: '01' });
    expect((await post('/order/post', order('SBX-2', { CustomerCode: 'OTHER' }))).status).toBe(400);
    expect(sandbox.book.get('SBX-2')).toBeUndefined();
  });

  it('moves an order one step per stepMs, deterministically by the clock, dated when each step was reached', async () => {
    const postedAt = clock;
    await post('/order/post', order('SBX-3'));
    expect((await tracking('orderNumber=SBX-3'))._embedded['rh:doc']).toEqual([expect.objectContaining({ orderNumber: 'SBX-3', statusCode: '100', statusTime: vietnamDateTime(postedAt) })]);
    clock += 2 * stepMs + 1;
    expect((await tracking('orderNumber=SBX-3'))._embedded['rh:doc'][0]).toMatchObject({ statusCode: '300', statusMessage: 'Đang vận chuyển', statusTime: vietnamDateTime(postedAt + 2 * stepMs) });
    clock += 10 * stepMs;
    expect((await tracking('orderNumber=SBX-3'))._embedded['rh:doc'][0]).toMatchObject({ statusCode: '500' });
  });

  it('cancels only before pick-up (Code 03 after), and a cancelled order stays cancelled', async () => {
    await post('/order/post', order('SBX-4'));
    expect(await (await post('/order/cancel', { CustomerCode: 'LGSP-DEV-HCC', OrderNumber: 'SBX-4' })).json()).toMatchObject({ Code: '00' });
    clock += 10 * stepMs;
    expect((await tracking('orderNumber=SBX-4'))._embedded['rh:doc'][0]).toMatchObject({ statusCode: '900' });
    await post('/order/post', order('SBX-5'));
    sandbox.book.advance('SBX-5');
    const late = await post('/order/cancel', { CustomerCode: 'LGSP-DEV-HCC', OrderNumber: 'SBX-5' });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ Code: '03' });
    expect((await post('/order/cancel', { CustomerCode: 'LGSP-DEV-HCC', OrderNumber: 'NOPE' })).status).toBe(404);
  });

  it('holds the seeded shipments of seeded people at their current 2025 addresses, frozen at their step', async () => {
    const delivered = sandbox.book.get(seededShipments.delivered.dossierCode)!;
    expect(delivered.order).toMatchObject({ ReceiverName: 'Nguyễn Văn An', ReceiverWard: person.currentAddress.communeCode, ReceiverAddress: person.currentAddress.street });
    expect((await tracking(`orderNumber=${seededShipments.returned.dossierCode}`))._embedded['rh:doc'][0]).toMatchObject({ statusCode: '700' });
  });

  it('pages the whole feed by pagesize and lastId, as the seen client reads it', async () => {
    const first = (await tracking('pagesize=2'))._embedded['rh:doc'];
    expect(first).toHaveLength(2);
    const next = (await tracking(`pagesize=2&lastId=${first[1]!._id ? (first[1]!._id as unknown as { $oid: string }).$oid : ''}`))._embedded['rh:doc'];
    expect(next[0]!.orderNumber).not.toBe(first[0]!.orderNumber);
    expect(next[0]!.orderNumber).not.toBe(first[1]!.orderNumber);
  });

  it('answers its own system error for the soap-fault switch, scoped to one operation', async () => {
    sandbox.faults.set({ kind: 'soap-fault' }, { operation: 'apiPostOrder' });
    const failed = await post('/order/post', order('SBX-6'));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ Code: '99' });
    expect((await tracking('orderNumber=SBX-1'))._embedded['rh:doc']).toHaveLength(1);
  });
});
