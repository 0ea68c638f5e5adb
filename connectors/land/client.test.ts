import { landConnector } from './descriptor.js';
import { plainClientContext, startEndlessUpstream, startStrictUpstream, testInvocation, type StrictUpstream } from '../../simulators/kit/test-support/strict-upstream.js';
import { createLandClient } from './client.js';

describe('land client: the configured path is the one called', () => {
  let upstream: StrictUpstream | undefined;
  afterEach(async () => upstream?.close());

  it.each([
    ['', undefined, '/api/dat-dai/v1/thua-dat'],
    ['/lgsp', undefined, '/lgsp/api/dat-dai/v1/thua-dat'],
    ['/lgsp/', '/dat-dai/', '/lgsp/dat-dai/thua-dat'],
  ])('base path %j + apiPath %j → GET %s', async (basePath, apiPath, target) => {
    upstream = await startStrictUpstream({ method: 'GET', target, contentType: 'application/json', body: JSON.stringify({ MaLoi: '00', DuLieu: [] }) });
    const client = await createLandClient(plainClientContext(`${upstream.origin}${basePath}`, apiPath === undefined ? {} : { apiPath }));
    try {
      await client.findParcels({ communeCode: '00001', mapSheet: '12', parcelNumber: '34' }, testInvocation());
      expect(upstream.targets).toEqual([`${target}?maXa=00001&soTo=12&soThua=34`]);
    } finally {
      await client.close();
    }
  });
});

describe('land health probe', () => {
  it('obeys the answer size cap: an endless answer fails the probe as too_large and its socket is closed', async () => {
    const endless = await startEndlessUpstream();
    const client = await createLandClient(plainClientContext(endless.origin, {}));
    try {
      await expect(landConnector.probe!(client, AbortSignal.timeout(20_000))).rejects.toMatchObject({ kind: 'too_large' });
      expect(await Promise.all(endless.closedEarly)).toEqual([true]);
    } finally {
      await client.close();
      await endless.close();
    }
  });
});
