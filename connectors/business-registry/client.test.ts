import { plainClientContext, startStrictUpstream, testInvocation, type StrictUpstream } from '../../simulators/kit/test-support/strict-upstream.js';
import { createBusinessRegistryClient } from './client.js';

describe('business-registry client: the configured path is the one called', () => {
  let upstream: StrictUpstream | undefined;
  afterEach(async () => upstream?.close());

  it.each([
    ['', undefined, '/dkkd/DoanhNghiep/chiTietDoanhNghiep'],
    // servicePath lies under the base URL's path (as the session login's path does), never replaces it.
    ['/proxy', '/dkkd', '/proxy/dkkd/DoanhNghiep/chiTietDoanhNghiep'],
    ['/proxy/', '/dkkd/', '/proxy/dkkd/DoanhNghiep/chiTietDoanhNghiep'],
  ])('base path %j + servicePath %j → GET %s', async (basePath, servicePath, target) => {
    upstream = await startStrictUpstream({ method: 'GET', target, contentType: 'application/json', body: JSON.stringify({ error_code: 0, message: '', data: null }) });
    const client = await createBusinessRegistryClient(plainClientContext(`${upstream.origin}${basePath}`, servicePath === undefined ? {} : { servicePath }));
    try {
      await client.enterprise('0101234567', testInvocation());
      expect(upstream.targets).toEqual([`${target}?msdn=0101234567`]);
    } finally {
      await client.close();
    }
  });
});
