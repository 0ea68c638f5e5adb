import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { once } from 'node:events';
import { classifyConnectionOutcome } from './connection-outcome.js';
import { createRestUpstream } from './rest-upstream.js';
import { noUpstreamAuth } from './upstream-auth/upstream-auth.js';
import type { UpstreamTransport } from './descriptor.js';
import { createTestPki, type TestPki } from './test-support/test-pki.js';
import { failureOf } from './test-support/upstream-failure.js';

/** An upstream that requires mutual TLS: it accepts only client certificates issued by the test CA. */
let pki: TestPki;
let server: https.Server;
let origin: string;
const clientsSeen: string[] = [];

beforeAll(async () => {
  pki = createTestPki();
  server = https.createServer({ ...pki.server, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    clientsSeen.push(String((request.socket as TLSSocket).getPeerCertificate().subject?.CN ?? ''));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"mutual":true}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

const context = () => ({ signal: AbortSignal.timeout(5000), requestId: 'r-mtls', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

async function callWith(transport: UpstreamTransport) {
  const upstream = createRestUpstream({ baseUrl: `${origin}/api`, auth: noUpstreamAuth, transport });
  try {
    return await upstream.request<{ mutual: boolean }>({ method: 'GET', path: '/x' }, context());
  } finally {
    await upstream.close();
  }
}

describe('mutual TLS through the REST upstream', () => {
  it('is accepted with the client certificate from the transport', async () => {
    await expect(callWith({ connectTimeoutMs: 2000, connect: { tls: { ...pki.client, ca: pki.ca } } })).resolves.toEqual({ status: 200, body: { mutual: true } });
    expect(clientsSeen).toEqual(['lgsp-gateway']);
  });

  it('is refused without it', async () => {
    clientsSeen.length = 0;
    // Trusting the server but presenting no certificate (empty PEMs are left out by Node): the server ends the handshake.
    const failure = await failureOf(callWith({ connectTimeoutMs: 2000, connect: { tls: { cert: '', key: '', ca: pki.ca } } }));
    expect(failure.kind).toBe('connection');
    expect(clientsSeen).toEqual([]);
    // TLS 1.3 finishes the client's side of the handshake before the server checks its certificate: the refusal then
    // reaches the client as a closed socket (UND_ERR_SOCKET) or as the server's alert, depending on timing.
    expect(classifyConnectionOutcome(failure).outcome).toMatch(/^(tls_error|unreachable)$/);
  });

  it('does not trust the server without the CA (Node default list)', async () => {
    const failure = await failureOf(callWith({ connectTimeoutMs: 2000, connect: { tls: pki.client } }));
    expect(classifyConnectionOutcome(failure)).toEqual({ outcome: 'tls_error', detail: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });
});
