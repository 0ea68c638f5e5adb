import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { PlatformAuthority, type PlatformCredentials } from '../../../simulators/kit/platform-auth.js';
import { createClientCredentialsLgspAuth } from './client-credentials-lgsp.js';
import { expectAbandonedLoginKept, expectCallerLeavesWhileLoginGoesOn, loginDeadlineTiming } from './test-support/login-deadline.js';

const credentials: PlatformCredentials = {
  clientId: 'lgsp-province',
  clientSecret: 'client secret',
  accessKey: 'access',
  secretKey: 'secret',
  appName: 'lgsp',
  partnerCode: 'T01',
};

describe('OAuth2 client credentials + lgspaccesstoken', () => {
  const authority = new PlatformAuthority({ credentials });
  let server: http.Server;
  let tokenUrl: string;
  let logins = 0;
  let tokenDelayMs = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      logins += 1;
      setTimeout(() => void authority.handleTokenRequest(request, response), tokenDelayMs);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    tokenDelayMs = 0;
  });

  const auth = () => createClientCredentialsLgspAuth({ tokenUrl, credentials });

  it('logs in once for a burst of calls and sends the token with lgspaccesstoken', async () => {
    const before = logins;
    const upstream = auth();
    const burst = await Promise.all(Array.from({ length: 5 }, () => upstream.headers()));
    expect(new Set(burst.map((headers) => headers.authorization)).size).toBe(1);
    expect(burst[0]).toEqual({ authorization: expect.stringMatching(/^Bearer \S+$/), lgspaccesstoken: expect.any(String) });
    expect(logins - before).toBe(1);
  });

  describe('with a slow token endpoint', () => {
    beforeEach(() => {
      tokenDelayMs = loginDeadlineTiming.loginDelayMs;
    });

    it('lets a caller leave at its own deadline (timeout) while the one shared login goes on for the others', async () => {
      await expectCallerLeavesWhileLoginGoesOn(auth(), () => logins);
    });

    it('keeps a login every caller gave up on, for the next call', async () => {
      await expectAbandonedLoginKept(auth(), () => logins);
    });
  });
});
