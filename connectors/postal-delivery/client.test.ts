import { plainClientContext, startEndlessUpstream, startStrictUpstream, testInvocation, type StrictUpstream } from '../../simulators/kit/test-support/strict-upstream.js';
import { classifyVnpostAnswer, createPostalDeliveryClient } from './client.js';
import { postalDeliveryConnector } from './descriptor.js';

const settings = { customerCode: 'C-01', sender: { name: 'Trung tâm', phone: '0243823456', provinceCode: '01', communeCode: '00004', address: 'Số 1' } };

describe('postal-delivery client', () => {
  let upstream: StrictUpstream | undefined;
  afterEach(async () => upstream?.close());

  it.each([
    ['', undefined, '/apiVNPostNGSP/p1.0/order/tracking'],
    ['/lgsp', '/vnpost/', '/lgsp/vnpost/order/tracking'],
  ])('base path %j + apiPath %j → GET %s with the order number', async (basePath, apiPath, target) => {
    upstream = await startStrictUpstream({ method: 'GET', target, contentType: 'application/json', body: JSON.stringify({ _embedded: { 'rh:doc': [] } }) });
    const client = await createPostalDeliveryClient(plainClientContext(`${upstream.origin}${basePath}`, { ...settings, ...(apiPath !== undefined && { apiPath }) }));
    try {
      await client.tracking('000.00.01.H22-250714-0001', testInvocation());
      expect(upstream.targets).toEqual([`${target}?orderNumber=000.00.01.H22-250714-0001&pagesize=1`]);
    } finally {
      await client.close();
    }
  });

  it('refuses an apiPostOrder answer about another order number', async () => {
    upstream = await startStrictUpstream({ method: 'POST', target: '/apiVNPostNGSP/p1.0/order/post', contentType: 'application/json', body: JSON.stringify({ Code: '00', OrderNumber: 'SOMETHING-ELSE', ItemCode: 'HCC1VN' }) });
    const client = await createPostalDeliveryClient(plainClientContext(upstream.origin, settings));
    try {
      await expect(client.postOrder({ OrderNumber: 'A-1' } as never, testInvocation())).rejects.toMatchObject({ kind: 'contract' });
    } finally {
      await client.close();
    }
  });

  it('classifies VNPost\'s result codes', () => {
    expect(classifyVnpostAnswer({ status: 409, body: { Code: '09' } })).toEqual({ verdict: 'answer', upstreamCode: '09' });
    expect(classifyVnpostAnswer({ status: 404, body: { Code: '04' } })).toEqual({ verdict: 'answer', upstreamCode: '04' });
    expect(classifyVnpostAnswer({ status: 400, body: { Code: '02' } })).toEqual({ verdict: 'rejected', upstreamCode: '02' });
    expect(classifyVnpostAnswer({ status: 400, body: { Code: '03' } })).toEqual({ verdict: 'rejected', upstreamCode: '03' });
    // A "not found" code on a 500, or any code VNPost uses for itself, is VNPost failing.
    expect(classifyVnpostAnswer({ status: 500, body: { Code: '04' } })).toEqual({ verdict: 'fault', upstreamCode: '04' });
    expect(classifyVnpostAnswer({ status: 500, body: { Code: '99' } })).toEqual({ verdict: 'fault', upstreamCode: '99' });
    expect(classifyVnpostAnswer({ status: 502, body: '<html>proxy</html>' })).toBeUndefined();
  });

  it('probe obeys the answer size cap: an endless answer fails as too_large and its socket is closed', async () => {
    const endless = await startEndlessUpstream();
    const client = await createPostalDeliveryClient(plainClientContext(endless.origin, settings));
    try {
      await expect(postalDeliveryConnector.probe(client, AbortSignal.timeout(20_000))).rejects.toMatchObject({ kind: 'too_large' });
      expect(await Promise.all(endless.closedEarly)).toEqual([true]);
    } finally {
      await client.close();
      await endless.close();
    }
  });
});
