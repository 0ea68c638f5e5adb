import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRestUpstream } from '../connector-kit/rest-upstream.js';
import { requestOAuth2Token } from '../connector-kit/upstream-auth/oauth2-token-endpoint.js';
import { noUpstreamAuth } from '../connector-kit/upstream-auth/upstream-auth.js';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { describeProbeFailure, probeErrorMaxLength } from './probe-failure-description.js';

// Real failures from the kit's own transports where a local server can provoke them,
// so the descriptions follow what the kit really throws.
let server: Server;
let baseUrl: string;
const personalId = '001090012345';

beforeAll(async () => {
  server = createServer((request, response) => {
    const leak = JSON.stringify({ error: 'invalid_client', error_description: `no client for ${personalId}`, hoTen: 'Nguyễn Văn An' });
    if (request.url === '/token') response.writeHead(401, { 'content-type': 'application/json' }).end(leak);
    else if (request.url === '/missing') response.writeHead(404, { 'content-type': 'text/html' }).end(`<h1>Not found: ${personalId}</h1>`);
    else if (request.url === '/error-envelope') response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ MaLoi: 'DD-05', MoTa: `lỗi hệ thống ${personalId}` }));
    else response.writeHead(200).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const context = () => ({ signal: AbortSignal.timeout(2000), requestId: 'probe', traceparent: `00-${'0'.repeat(31)}1-${'0'.repeat(15)}1-00` });

describe('describeProbeFailure', () => {
  it('HTTP 404 from a REST upstream, never its body', async () => {
    const upstream = createRestUpstream({ baseUrl, auth: noUpstreamAuth });
    const error = await failureOf(() => upstream.request({ method: 'GET', path: '/missing' }, context()));
    upstream.close();
    expect(describeProbeFailure(error)).toBe('HTTP 404 from the upstream');
  });

  it("an upstream's own error envelope: the status and its code, never its text", async () => {
    const upstream = createRestUpstream({
      baseUrl,
      auth: noUpstreamAuth,
      classifyError: ({ body }) => ({ verdict: 'fault', upstreamCode: (body as { MaLoi: string }).MaLoi }),
    });
    const error = await failureOf(() => upstream.request({ method: 'GET', path: '/error-envelope' }, context()));
    upstream.close();
    expect(describeProbeFailure(error)).toBe('the upstream reported an error (HTTP 500, code DD-05)');
  });

  it("the token endpoint's refusal: status and OAuth error name, never its error_description", async () => {
    const error = await failureOf(() => requestOAuth2Token({ tokenUrl: `${baseUrl}/token`, form: { grant_type: 'client_credentials' } }));
    const description = describeProbeFailure(error);
    expect(description).toBe("the token endpoint refused the gateway's credentials (HTTP 401, invalid_client)");
    expect(description).not.toContain(personalId);
  });

  it('a connection refused names the client-side code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const upstream = createRestUpstream({ baseUrl: `http://127.0.0.1:${port}`, auth: noUpstreamAuth });
    const error = await failureOf(() => upstream.request({ method: 'GET', path: '/' }, context()));
    upstream.close();
    expect(describeProbeFailure(error)).toBe('the upstream could not be reached (ECONNREFUSED)');
  });

  it('SOAP faults by fault code (as soap-upstream.ts raises them), server and client side', () => {
    expect(describeProbeFailure(new UpstreamError('fault', 'SOAP fault soap:Server', { upstreamCode: 'soap:Server' }))).toBe('SOAP fault soap:Server');
    expect(describeProbeFailure(new UpstreamError('rejected', 'SOAP fault soap:Client', { upstreamCode: 'soap:Client' }))).toBe("SOAP fault soap:Client: the upstream refused the probe's request");
  });

  it('session logins and refused tokens', () => {
    expect(describeProbeFailure(new UpstreamError('auth', 'session login refused (HTTP 403)'))).toBe("the session login refused the gateway's credentials (HTTP 403)");
    expect(describeProbeFailure(new UpstreamError('auth', 'session login refused by the adapter', { upstreamCode: '99' }))).toBe("the session login refused the gateway's credentials (code 99)");
    expect(describeProbeFailure(new UpstreamError('auth', 'upstream refused the gateway token (HTTP 401)', { upstreamCode: '401' }))).toBe("the upstream refused the gateway's credentials (HTTP 401)");
  });

  it('never copies a message, and drops a code that could be a personal id or is not a code', () => {
    const quoting = new UpstreamError('contract', `record of ${personalId} Nguyễn Văn An has no name`, { upstreamCode: personalId });
    expect(describeProbeFailure(quoting)).toBe("the upstream's answer broke its contract");
    expect(describeProbeFailure(new UpstreamError('fault', 'the registry reported an error', { upstreamCode: 'DA123456' }))).toBe('the upstream reported an error');
    expect(describeProbeFailure(new UpstreamError('fault', 'x', { upstreamCode: 'lỗi <b>hệ thống</b>' }))).toBe('the upstream reported an error');
    expect(describeProbeFailure(new UpstreamError('fault', 'x', { upstreamCode: 'A'.repeat(500) })).length).toBeLessThanOrEqual(probeErrorMaxLength);
  });

  it('timeouts, and failures the connector did not classify', () => {
    expect(describeProbeFailure(new UpstreamError('timeout', 'upstream call aborted at its deadline'))).toBe('the upstream did not answer in time');
    expect(describeProbeFailure(new Error(`boom ${personalId}`))).toBe('the probe failed with an error the connector did not classify');
    expect(describeProbeFailure(new Error('aborted'), { timedOut: true, timeoutMs: 5000 })).toBe('no answer within the probe timeout (5000 ms)');
  });
});
