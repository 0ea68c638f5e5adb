import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { createRestUpstream, type RestUpstream } from './rest-upstream.js';
import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';
import { failureOf } from './test-support/upstream-failure.js';

/** A tiny upstream whose routes each show one behaviour. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let connectionsOpened = 0;
let hungSocket: Socket | undefined;
let acceptedToken = 'token-1';
let server: http.Server;
let baseUrl: string;

function handle(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
  const url = new URL(request.url ?? '/', 'http://upstream');
  seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
  const json = (status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(value));
  };
  if (url.pathname.endsWith('/protected') && request.headers.authorization !== `Bearer ${acceptedToken}`) {
    return json(401, { error: 'invalid_token' });
  }
  switch (url.pathname) {
    case '/prefix/echo':
    case '/prefix/protected':
      return json(200, { method: request.method, query: Object.fromEntries(url.searchParams), body: body ? JSON.parse(body) : null });
    case '/prefix/created':
      response.writeHead(204).end();
      return;
    case '/prefix/hang':
      hungSocket = request.socket;
      return; // never answers
    case '/prefix/http-500':
      response.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      return;
    case '/prefix/garbage':
      response.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json');
      return;
    case '/prefix/reset':
      request.socket.destroy();
      return;
    case '/prefix/unavailable':
      response.writeHead(503, { 'content-type': 'text/html', 'retry-after': '7' }).end('<html>busy</html>');
      return;
    case '/prefix/forbidden':
      return json(403, { error: 'forbidden' });
    case '/prefix/business-400':
      return json(400, { MaLoi: 'DD-01', MoTa: 'Mã xã không hợp lệ' });
    case '/prefix/missing':
      return json(404, { MaLoi: 'DD-04', MoTa: 'Không tìm thấy' });
    case '/prefix/busy':
      return json(400, { MaLoi: 'DD-99', MoTa: 'Hệ thống bận' });
    default:
      return json(418, { error: 'no such route' });
  }
}

function countingAuth(): UpstreamAuth & { logins: number; invalidations: number } {
  let current: string | undefined;
  const auth = {
    scheme: 'none' as const,
    logins: 0,
    invalidations: 0,
    async headers() {
      if (current === undefined) {
        auth.logins += 1;
        current = `token-${auth.logins}`;
      }
      return { authorization: `Bearer ${current}` };
    },
    invalidate() {
      auth.invalidations += 1;
      current = undefined;
    },
  };
  return auth;
}

const context = (signal: AbortSignal = AbortSignal.timeout(5000)) => ({
  signal,
  requestId: 'req-123',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

let upstream: RestUpstream;
let auth: ReturnType<typeof countingAuth>;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handle(request, response, body));
  });
  server.on('connection', () => {
    connectionsOpened += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`;
});

beforeEach(() => {
  seen.length = 0;
  connectionsOpened = 0;
  hungSocket = undefined;
  acceptedToken = 'token-1';
  auth = countingAuth();
  upstream = createRestUpstream({
    baseUrl,
    auth,
    classifyError: ({ status, body }) => {
      const code = (body as { MaLoi?: string } | undefined)?.MaLoi;
      if (status === 404 && code === 'DD-04') return 'answer';
      if (code === 'DD-99') return 'fault';
      if (code?.startsWith('DD-0')) return { verdict: 'rejected', upstreamCode: code };
      return undefined;
    },
  });
});

afterEach(async () => {
  await upstream.close();
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

describe('createRestUpstream', () => {
  it('sends the query, JSON body, auth, trace and request id under the base path and parses the JSON answer', async () => {
    const answer = await upstream.request<{ method: string; query: Record<string, string>; body: unknown }>(
      { method: 'POST', path: '/echo', query: { communeCode: '00004', mapSheet: 12, empty: undefined }, body: { HoTen: 'NGUYEN VAN AN' } },
      context(),
    );
    expect(answer).toEqual({ status: 200, body: { method: 'POST', query: { communeCode: '00004', mapSheet: '12' }, body: { HoTen: 'NGUYEN VAN AN' } } });
    const [call] = seen;
    expect(call!.url).toBe('/prefix/echo?communeCode=00004&mapSheet=12');
    expect(call!.headers.authorization).toBe('Bearer token-1');
    expect(call!.headers.traceparent).toBe(context().traceparent);
    expect(call!.headers['x-request-id']).toBe('req-123');
    expect(call!.headers['content-type']).toMatch(/^application\/json/);
  });

  it('keeps connections alive across calls', async () => {
    for (let index = 0; index < 5; index += 1) await upstream.request({ method: 'GET', path: 'echo' }, context());
    expect(new Set(seen.map((call) => call.headers.connection))).not.toContain('close');
    // undici may open a second socket while the first finishes its answer; it never opens one per call.
    expect(connectionsOpened).toBeLessThanOrEqual(2);
  });

  it('accepts an empty 2xx answer', async () => {
    await expect(upstream.request({ method: 'POST', path: '/created', body: {} }, context())).resolves.toEqual({ status: 204, body: undefined });
  });

  it('hands a status the connector marks as an answer to the connector', async () => {
    await expect(upstream.request({ method: 'GET', path: '/missing' }, context())).resolves.toEqual({ status: 404, body: { MaLoi: 'DD-04', MoTa: 'Không tìm thấy' } });
  });

  it('classifies a deadline as timeout and releases the socket', async () => {
    const error = await failureOf(upstream.request({ method: 'GET', path: '/hang' }, context(AbortSignal.timeout(150))));
    expect(error.kind).toBe('timeout');
    // The server sees the client's socket close: nothing is left waiting on the hung exchange.
    expect(hungSocket).toBeDefined();
    if (!hungSocket!.destroyed) await once(hungSocket!, 'close');
    expect(hungSocket!.destroyed).toBe(true);
  });

  it('classifies a refused connection and a reset socket as connection', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const nowhere = createRestUpstream({ baseUrl: `http://127.0.0.1:${port}`, auth });
    try {
      expect((await failureOf(nowhere.request({ method: 'GET', path: '/echo' }, context()))).kind).toBe('connection');
    } finally {
      await nowhere.close();
    }
    expect((await failureOf(upstream.request({ method: 'GET', path: '/reset' }, context()))).kind).toBe('connection');
  });

  it('classifies a 5xx as http with the status as upstream code', async () => {
    const error = await failureOf(upstream.request({ method: 'GET', path: '/http-500' }, context()));
    expect(error).toMatchObject({ kind: 'http', upstreamCode: '500' });
    expect(error.countsAgainstUpstream).toBe(true);
  });

  it("classifies a 503 as a transient http failure and carries the upstream's Retry-After", async () => {
    const error = await failureOf(upstream.request({ method: 'GET', path: '/unavailable' }, context()));
    expect(error).toMatchObject({ kind: 'http', upstreamCode: '503', retryAfterMs: 7000 });
    expect(error.transient).toBe(true);
  });

  it('forwards what is left of the deadline as Request-Timeout (seconds)', async () => {
    await upstream.request({ method: 'GET', path: '/echo' }, { ...context(), deadline: performance.now() + 2500 });
    const forwarded = Number(seen[0]!.headers['request-timeout']);
    expect(forwarded).toBeGreaterThan(1);
    expect(forwarded).toBeLessThanOrEqual(2.5);
    await upstream.request({ method: 'GET', path: '/echo' }, context());
    expect(seen[1]!.headers['request-timeout']).toBeUndefined();
  });

  it('classifies a 2xx whose body is not JSON as a contract violation (the same rule as SOAP)', async () => {
    expect((await failureOf(upstream.request({ method: 'GET', path: '/garbage' }, context()))).kind).toBe('contract');
  });

  it('classifies a business 4xx as rejected or fault as the connector says, and an unknown 4xx as http', async () => {
    const rejected = await failureOf(upstream.request({ method: 'GET', path: '/business-400' }, context()));
    expect(rejected).toMatchObject({ kind: 'rejected', upstreamCode: 'DD-01' });
    expect(rejected.countsAgainstUpstream).toBe(false);
    expect((await failureOf(upstream.request({ method: 'GET', path: '/busy' }, context()))).kind).toBe('fault');
    expect((await failureOf(upstream.request({ method: 'GET', path: '/no-such-route' }, context()))).kind).toBe('http');
  });

  it('on 401 drops the session and retries exactly once with a fresh login', async () => {
    acceptedToken = 'token-2';
    const answer = await upstream.request({ method: 'GET', path: '/protected' }, context());
    expect(answer.status).toBe(200);
    expect(auth.invalidations).toBe(1);
    expect(seen.map((call) => call.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('rebuilds a body that carries the session on the retry after a 401', async () => {
    acceptedToken = 'token-2';
    const answer = await upstream.request<{ body: { session: string } }>(
      { method: 'POST', path: '/protected', bodyWithAuth: (authHeaders) => ({ session: authHeaders.authorization, service: 'LayThuTuc' }) },
      context(),
    );
    expect(answer.body.body).toEqual({ session: 'Bearer token-2', service: 'LayThuTuc' });
    expect(seen.map((call) => JSON.parse(call.body).session)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('gives up with an auth error when the fresh login is refused too', async () => {
    acceptedToken = 'never';
    const error = await failureOf(upstream.request({ method: 'GET', path: '/protected' }, context()));
    expect(error).toMatchObject({ kind: 'auth', upstreamCode: '401' });
    expect(seen).toHaveLength(2);
    expect(auth.invalidations).toBe(1);
  });

  it('classifies a 403 as auth without retrying', async () => {
    const error = await failureOf(upstream.request({ method: 'GET', path: '/forbidden' }, context()));
    expect(error.kind).toBe('auth');
    expect(seen).toHaveLength(1);
  });
});
