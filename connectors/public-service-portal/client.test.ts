import { plainClientContext, startStrictUpstream, testInvocation, type StrictUpstream } from '../../simulators/kit/test-support/strict-upstream.js';
import { createPublicServicePortalClient } from './client.js';

// The adapter is called at exactly the configured path: base URL path + servicePath, no slash added (a strict adapter 404s `/dvcqg/`).
describe('portal client: the configured service path is the one called', () => {
  let upstream: StrictUpstream | undefined;
  afterEach(async () => upstream?.close());

  it.each([
    ['', '/dvcqg', '/dvcqg'],
    ['/adapter', '/dvcqg', '/adapter/dvcqg'],
    ['/adapter/', '/dvcqg', '/adapter/dvcqg'],
    ['/adapter', '/dvcqg/', '/adapter/dvcqg/'],
  ])('base path %j + servicePath %j → POST %s', async (basePath, servicePath, target) => {
    upstream = await startStrictUpstream({ method: 'POST', target, contentType: 'application/json', body: JSON.stringify({ error_code: '0', message: '', result: [] }) });
    const client = await createPublicServicePortalClient(plainClientContext(`${upstream.origin}${basePath}`, { unitCode: '000.00.00.H22', servicePath }));
    try {
      const answer = await client.procedure('1.000001', testInvocation());
      expect(answer.error_code).toBe('0');
      expect(upstream.targets).toEqual([target]);
    } finally {
      await client.close();
    }
  });
});
