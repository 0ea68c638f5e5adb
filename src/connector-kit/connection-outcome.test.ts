import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { classifyConnectionOutcome, testUpstreamLogin } from './connection-outcome.js';
import type { UpstreamTransport } from './descriptor.js';
import { createUpstreamAddressGuard } from './upstream-address-guard.js';
import { createUpstreamAuth } from './upstream-auth/create-upstream-auth.js';
import { UpstreamError } from './upstream-errors.js';
import { createUpstreamDispatcher } from './upstream-transport.js';
import { createTestPki, type TestPki } from './test-support/test-pki.js';

/**
 * "Test connection" against real endpoints: each way a login can go wrong
 * comes back as one outcome with a short code, and never with the secret
 * the endpoint echoed back.
 */
type Reply = (response: http.ServerResponse) => void;
let reply: Reply;
let logins = 0;
const plain = http.createServer((request, response) => {
  logins += 1;
  request.resume();
  reply(response);
});
let plainOrigin: string;
let pki: TestPki;
let selfSigned: https.Server;
let caSigned: https.Server;

const secret = 'planted-client-secret-9f3a';
const answerJson = (status: number, body: unknown): Reply => (response) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function listen(server: http.Server | https.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  pki = createTestPki();
  plainOrigin = `http://127.0.0.1:${await listen(plain)}`;
  selfSigned = https.createServer(pki.selfSigned, (_request, response) => answerJson(200, { access_token: 't' })(response));
  caSigned = https.createServer(pki.server, (_request, response) => answerJson(200, { access_token: 't' })(response));
  await listen(selfSigned);
  await listen(caSigned);
});

afterAll(async () => {
  for (const server of [plain, selfSigned, caSigned]) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

beforeEach(() => {
  logins = 0;
  reply = answerJson(200, { access_token: 'token', expires_in: 3600 });
});

const portOf = (server: http.Server | https.Server) => (server.address() as AddressInfo).port;

/** The password-grant login of a land-style connector, at `tokenUrl`, through a dispatcher built like the gateway's. */
async function testLogin(tokenUrl: string, transport: UpstreamTransport = { connectTimeoutMs: 1000 }, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  const dispatcher = createUpstreamDispatcher(transport);
  try {
    const auth = createUpstreamAuth(
      'oauth2-password',
      { baseUrl: 'http://unused.example', settings: { tokenUrl }, credentials: { clientId: 'lgsp', clientSecret: secret, username: 'tinh', password: secret } },
      { dispatcher, ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) },
    );
    return await testUpstreamLogin(auth, options.signal ?? AbortSignal.timeout(5000));
  } finally {
    await dispatcher.destroy();
  }
}

describe('test connection (testUpstreamLogin + classifyConnectionOutcome)', () => {
  it('ok: a fresh login every time, never a cached session', async () => {
    const dispatcher = createUpstreamDispatcher({ connectTimeoutMs: 1000 });
    const auth = createUpstreamAuth('oauth2-password', { baseUrl: plainOrigin, settings: {}, credentials: { clientId: 'lgsp', username: 'tinh', password: secret } }, { dispatcher });
    await auth.headers();
    expect(await testUpstreamLogin(auth, AbortSignal.timeout(5000))).toEqual({ outcome: 'ok' });
    expect(logins).toBe(2);
    await dispatcher.destroy();
  });

  it('refused: the token endpoint answers 401, with the OAuth error code and never what the body echoed', async () => {
    reply = answerJson(401, { error: 'invalid_client', error_description: `client secret ${secret} is wrong` });
    const result = await testLogin(`${plainOrigin}/token`);
    expect(result).toEqual({ outcome: 'refused', detail: 'HTTP 401 invalid_client' });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('unreachable: nothing listens on the port', async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    closed.close();
    await once(closed, 'close');
    expect(await testLogin(`http://127.0.0.1:${port}/token`)).toEqual({ outcome: 'unreachable', detail: 'ECONNREFUSED' });
  });

  it('tls_error: a self-signed server certificate, or one issued for another name', async () => {
    expect(await testLogin(`https://127.0.0.1:${portOf(selfSigned)}/token`)).toEqual({ outcome: 'tls_error', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const trusting: UpstreamTransport = { connectTimeoutMs: 1000, connect: { tls: { ...pki.client, ca: pki.ca } } };
    expect(await testLogin(`https://127.0.0.1:${portOf(caSigned)}/token`, trusting)).toEqual({ outcome: 'ok' });
    expect(await testLogin(`https://localhost:${portOf(caSigned)}/token`, trusting)).toEqual({ outcome: 'tls_error', detail: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('timeout: the endpoint accepts but never answers', async () => {
    reply = () => undefined;
    expect(await testLogin(`${plainOrigin}/token`, undefined, { timeoutMs: 200 })).toMatchObject({ outcome: 'timeout' });
    // The caller's own wait ends first: the same outcome.
    expect(await testLogin(`${plainOrigin}/token`, undefined, { timeoutMs: 5000, signal: AbortSignal.timeout(150) })).toMatchObject({ outcome: 'timeout' });
    plain.closeAllConnections();
  });

  it('redirected: the endpoint answers a redirect', async () => {
    reply = (response) => response.writeHead(302, { location: `https://elsewhere.example/token?secret=${secret}` }).end();
    const result = await testLogin(`${plainOrigin}/token`);
    expect(result).toEqual({ outcome: 'redirected', detail: 'HTTP 302' });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('address_refused: the address guard refuses the login endpoint at connect time', async () => {
    const guard = createUpstreamAddressGuard({ enforce: true, allowedHosts: ['127.0.0.1'], allowedCidrs: [] });
    expect(await testLogin(`${plainOrigin}/token`, { connectTimeoutMs: 1000, connect: { lookup: guard.lookup } })).toEqual({ outcome: 'address_refused', detail: 'loopback: 127.0.0.1' });
    expect(logins).toBe(0);
  });

  it('error: the endpoint answers something unusable; unknown failures say nothing more', () => {
    expect(classifyConnectionOutcome(new UpstreamError('garbage', 'token endpoint answered with a body that is not JSON'))).toEqual({ outcome: 'error', detail: 'garbage' });
    expect(classifyConnectionOutcome(new UpstreamError('http', 'token endpoint answered HTTP 502', { upstreamCode: '502' }))).toEqual({ outcome: 'error', detail: 'HTTP 502' });
    expect(classifyConnectionOutcome(new Error(`password ${secret} rejected`))).toEqual({ outcome: 'error', detail: 'unexpected failure' });
    expect(classifyConnectionOutcome(new UpstreamError('auth', 'session login refused by the adapter', { upstreamCode: `bad ${secret}` }))).toEqual({ outcome: 'refused', detail: 'credentials refused' });
  });
});
