import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { connectorFile } from './connector-files.js';
import { createRestUpstream } from './rest-upstream.js';
import { createSoapUpstream } from './soap-upstream.js';
import { createUpstreamAuth } from './upstream-auth/create-upstream-auth.js';
import { createSessionDstcodeAuth } from './upstream-auth/session-dstcode.js';
import { noUpstreamAuth } from './upstream-auth/upstream-auth.js';
import { createUpstreamDispatcher } from './upstream-transport.js';
import { failureOf } from './test-support/upstream-failure.js';

/**
 * Redirects are refused, never followed, on every path to an upstream: its
 * calls (REST, SOAP) and its logins. "Another host" is the same machine
 * under another name (127.0.0.1 → localhost), which is all a redirect target
 * check can see.
 */
let redirecting: http.Server;
let other: http.Server;
let origin: string;
let otherOrigin: string;
let otherRequests = 0;
let nextRedirect: { status: number; location: string } = { status: 302, location: '/' };

async function listen(server: http.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  redirecting = http.createServer((request, response) => {
    request.resume();
    response.writeHead(nextRedirect.status, { location: nextRedirect.location, 'content-type': 'text/html' }).end('<html>moved</html>');
  });
  other = http.createServer((request, response) => {
    otherRequests += 1;
    request.resume();
    // Whatever reached here would be a success: a token, a session, an answer.
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen","expires_in":300,"session":"s","error_code":0}');
  });
  origin = `http://127.0.0.1:${await listen(redirecting)}`;
  otherOrigin = `http://localhost:${await listen(other)}`;
});

afterAll(async () => {
  for (const server of [redirecting, other]) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

beforeEach(() => {
  otherRequests = 0;
});

const context = () => ({ signal: AbortSignal.timeout(5000), requestId: 'r-redirect', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

describe('a redirect from a login endpoint', () => {
  it('to another host: the OAuth2 login fails with the redirect error and the other host receives nothing', async () => {
    nextRedirect = { status: 302, location: `${otherOrigin}/token?code=secret-in-the-location` };
    const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: 1000 });
    try {
      const auth = createUpstreamAuth(
        'oauth2-client-credentials+lgspaccesstoken',
        { baseUrl: `${origin}/lgsp`, settings: {}, credentials: { clientId: 'c', clientSecret: 's', accessKey: 'a', secretKey: 'k', appName: 'app', partnerCode: 'T01' } },
        { dispatcher },
      );
      const failure = await failureOf(auth.headers());
      expect(failure).toMatchObject({ kind: 'http', upstreamCode: '302' });
      expect(failure.message).toBe('upstream answered a redirect (HTTP 302) to another host; redirects are not followed: set the final address as settings.tokenUrl');
      expect(failure.message).not.toContain('secret-in-the-location');
      expect(otherRequests).toBe(0);
    } finally {
      await dispatcher.close();
    }
  });

  it('to the same host: the session login says so', async () => {
    nextRedirect = { status: 307, location: '/v2/login' };
    const auth = createSessionDstcodeAuth({ loginUrl: `${origin}/login`, credentials: { username: 'u', password: 'p', dstcode: 'VN:GOV:X' } });
    const failure = await failureOf(auth.headers());
    expect(failure).toMatchObject({ kind: 'http', upstreamCode: '307' });
    expect(failure.message).toBe('upstream answered a redirect (HTTP 307) to the same host; redirects are not followed: set the final address as settings.loginUrl');
  });
});

describe('a redirect from an upstream call', () => {
  it('REST: refused with the fix (baseUrl), never followed', async () => {
    nextRedirect = { status: 301, location: `${otherOrigin}/api/echo` };
    const upstream = createRestUpstream({ baseUrl: `${origin}/api`, auth: noUpstreamAuth, classifyError: () => 'answer' });
    try {
      const failure = await failureOf(upstream.request({ method: 'GET', path: '/echo' }, context()));
      expect(failure).toMatchObject({ kind: 'http', upstreamCode: '301' });
      expect(failure.message).toBe('upstream answered a redirect (HTTP 301) to another host; redirects are not followed: set the final address as baseUrl');
      expect(otherRequests).toBe(0);
    } finally {
      await upstream.close();
    }
  });

  it('SOAP: refused the same way', async () => {
    nextRedirect = { status: 308, location: '/soap/v2' };
    const upstream = await createSoapUpstream({ wsdlPath: connectorFile('population', 'population.wsdl'), endpoint: `${origin}/soap`, auth: noUpstreamAuth });
    try {
      const failure = await failureOf(upstream.call('TraCuuThongTinCongDan', { SoDinhDanh: '001090012345' }, context()));
      expect(failure).toMatchObject({ kind: 'http', upstreamCode: '308' });
      expect(failure.message).toBe('upstream answered a redirect (HTTP 308) to the same host; redirects are not followed: set the final address as baseUrl');
    } finally {
      upstream.close();
    }
  });
});
