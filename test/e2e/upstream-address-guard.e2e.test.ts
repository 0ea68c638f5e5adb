import request from 'supertest';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * The upstream address guard in the gateway (config `upstreams`), on the
 * embedded stack whose sandboxes listen on 127.0.0.1: enforced without an
 * allowance the start fails naming the connector and the rule; with
 * 127.0.0.1/32 allowed, calls and logins go through the guarded transport.
 */
describe('upstream address guard in the gateway (embedded stack, enforced)', () => {
  it('refuses to start when a base URL is a loopback address, naming the connector and the fix', async () => {
    await expect(startHarness({ store: 'pglite', overrides: { upstreams: { enforceAllowlist: true } } })).rejects.toThrow(
      /^connectors\.[a-z-]+\.baseUrl refused: upstream host 127\.0\.0\.1 is a loopback address: allow it in upstreams\.allowedCidrs if it really is the upstream$/,
    );
  }, 60_000);

  describe('with the loopback address allowed', () => {
    let harness: Harness;

    beforeAll(async () => {
      harness = await startHarness({ store: 'pglite', overrides: { upstreams: { enforceAllowlist: true, allowedCidrs: ['127.0.0.1/32'] } } });
    }, 60_000);

    afterAll(async () => {
      await harness?.close();
    });

    it('logs in (password grant) and calls the land upstream through the guarded transport', async () => {
      const response = await request(harness.url)
        .get('/api/v1/land/parcels')
        .query({ communeCode: '00004', mapSheet: '12', parcelNumber: '345' })
        .set(personalDataHeaders(await harness.token()));
      expect(response.status).toBe(200);
      expect(response.body.parcels).toHaveLength(1);
    });
  });
});
