import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { landSandboxDevCredentials } from '../../connectors/land/sandbox/server.js';
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

    it('refuses an administrator\'s base URL at a loopback, link-local or metadata address not allowed, saying which rule, and changes nothing', async () => {
      const { admin } = await harness.staffTokens();
      const cases = [
        ['http://169.254.169.254/latest', 'metadata', /169\.254\.169\.254 is a cloud metadata address/],
        ['http://169.254.10.1:8080/api', 'link_local', /169\.254\.10\.1 is a link-local address/],
        ['http://127.0.0.2:8204/', 'loopback', /127\.0\.0\.2 is a loopback address/],
        ['http://[::1]:8204/', 'loopback', /\[::1\] is a loopback address/],
      ] as const;
      for (const [baseUrl, reason, message] of cases) {
        const refused = await request(harness.url).patch('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`).send({ baseUrl });
        expect({ baseUrl, status: refused.status, code: refused.body.code, reason: refused.body.reason }).toEqual({ baseUrl, status: 400, code: 'LGSP_UPSTREAM_URL_REFUSED', reason });
        expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(refused.body.errors).toEqual([{ field: 'baseUrl', message: expect.stringMatching(message) }]);
      }
      const view = await request(harness.url).get('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`);
      expect(view.body.baseUrl.source).toBe('config');
    });

    it('does not follow an upstream\'s redirect to another host: the connection test says so, and nothing reaches that host', async () => {
      const { admin } = await harness.staffTokens();
      let elsewhere = 0;
      const other = createServer((_req, res) => {
        elsewhere += 1;
        res.end('{}');
      });
      // An allowed address that answers every request (the token endpoint included) with a redirect to another host, one that would answer.
      const redirector: Server = createServer((_req, res) => {
        res.writeHead(302, { location: `http://localhost:${(other.address() as AddressInfo).port}/connect/token` }).end();
      });
      await Promise.all([new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve)), new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve))]);
      try {
        const moved = await request(harness.url)
          .patch('/admin/v1/connectors/land')
          .set('authorization', `Bearer ${admin}`)
          .send({ baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}` });
        expect(moved.status).toBe(200);
        const staged = await request(harness.url).post('/admin/v1/connectors/land/credentials').set('authorization', `Bearer ${admin}`).send({ credentials: { ...landSandboxDevCredentials } });
        expect(staged.status).toBe(201);
        const tested = await request(harness.url).post(`/admin/v1/connectors/land/credentials/${staged.body.version}/test`).set('authorization', `Bearer ${admin}`);
        expect(tested.body).toMatchObject({ outcome: 'redirected', detail: expect.stringMatching(/302/) });
        expect(elsewhere).toBe(0);
      } finally {
        await request(harness.url).patch('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`).send({ baseUrl: null });
        await new Promise((resolve) => redirector.close(resolve));
        await new Promise((resolve) => other.close(resolve));
      }
    });
  });
});
