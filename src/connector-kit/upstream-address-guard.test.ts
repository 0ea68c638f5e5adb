import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createRestUpstream } from './rest-upstream.js';
import { createUpstreamAddressGuard, UpstreamAddressRefusedError, type ResolveHost, type UpstreamAddressPolicy } from './upstream-address-guard.js';
import { noUpstreamAuth } from './upstream-auth/upstream-auth.js';
import { failureOf } from './test-support/upstream-failure.js';

const enforced = (overrides: Partial<UpstreamAddressPolicy> = {}): UpstreamAddressPolicy => ({ enforce: true, allowedHosts: [], allowedCidrs: [], ...overrides });

/** A resolver that answers from a table (what DNS says about each name in the test), each name's answers in turn. */
function fakeDns(table: Record<string, string[][]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    const answers = table[host];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

async function refusal(promise: Promise<unknown>): Promise<UpstreamAddressRefusedError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UpstreamAddressRefusedError);
  return error as UpstreamAddressRefusedError;
}

describe('upstream address guard: checkUrl', () => {
  it.each([
    ['http://127.0.0.1:9464/metrics', 'loopback'],
    ['http://127.8.9.10/', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://169.254.10.20/', 'link_local'],
    ['http://[fe80::1]/', 'link_local'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::ffff:169.254.169.254]/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://100.100.100.200/', 'metadata'],
    ['http://0.0.0.0:8080/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
  ])('refuses %s (%s) even when every host is allowed by name', async (url, reason) => {
    const host = new URL(url).hostname;
    const error = await refusal(createUpstreamAddressGuard(enforced({ allowedHosts: [host, '*.example.gov.vn'], allowedCidrs: ['10.0.0.0/8'] })).checkUrl(url));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(/^upstream host \S+ .*is an? .+ address: allow it in upstreams.allowedCidrs if it really is the upstream$/);
  });

  it('names the host and the rule', async () => {
    const error = await refusal(createUpstreamAddressGuard(enforced()).checkUrl('http://127.0.0.1/'));
    expect(error.message).toBe('upstream host 127.0.0.1 is a loopback address: allow it in upstreams.allowedCidrs if it really is the upstream');
  });

  it('allows a special address only through a CIDR entry inside its own range', async () => {
    await expect(createUpstreamAddressGuard(enforced({ allowedCidrs: ['127.0.0.1/32'] })).checkUrl('http://127.0.0.1:8080/')).resolves.toBeUndefined();
    await expect(createUpstreamAddressGuard(enforced({ allowedCidrs: ['127.0.0.0/8'] })).checkUrl('http://[::ffff:127.0.0.2]/')).resolves.toBeUndefined();
    await expect(createUpstreamAddressGuard(enforced({ allowedCidrs: ['169.254.169.254'] })).checkUrl('http://169.254.169.254/')).resolves.toBeUndefined();
    // Broad blocks allow ordinary addresses, never the special ones inside them.
    const broad = createUpstreamAddressGuard(enforced({ allowedCidrs: ['0.0.0.0/0', '::/0'] }));
    await expect(broad.checkUrl('http://203.0.113.7/')).resolves.toBeUndefined();
    expect((await refusal(broad.checkUrl('http://127.0.0.1/'))).reason).toBe('loopback');
    // The link-local block does not open the metadata address inside it.
    expect((await refusal(createUpstreamAddressGuard(enforced({ allowedCidrs: ['169.254.0.0/16'] })).checkUrl('http://169.254.169.254/'))).reason).toBe('metadata');
  });

  it('allows hosts by exact name or *. suffix, and refuses the rest as not allowlisted', async () => {
    const dns = fakeDns({ 'lgsp.example.gov.vn': [['203.0.113.10']], 'a.b.example.gov.vn': [['203.0.113.11']], 'example.gov.vn': [['203.0.113.12']], 'evil.example.com': [['198.51.100.1']] });
    const guard = createUpstreamAddressGuard(enforced({ allowedHosts: ['LGSP.example.gov.vn', '*.b.example.gov.vn'] }), { resolve: dns });
    await expect(guard.checkUrl('https://lgsp.example.gov.vn/adapter')).resolves.toBeUndefined();
    await expect(guard.checkUrl('https://a.b.example.gov.vn./x')).resolves.toBeUndefined();
    const outside = await refusal(guard.checkUrl('https://evil.example.com/'));
    expect(outside.reason).toBe('not_allowlisted');
    expect(outside.message).toBe('upstream host evil.example.com is not allowlisted: add it to upstreams.allowedHosts, or its addresses (198.51.100.1) to upstreams.allowedCidrs');
    expect((await refusal(guard.checkUrl('https://b.example.gov.vn/'))).reason).toBe('not_allowlisted');
  });

  it('allows a host whose every address lies in allowedCidrs', async () => {
    const dns = fakeDns({ 'ndxp.internal': [['10.20.1.5', '10.20.1.6']], 'mixed.internal': [['10.20.1.5', '198.51.100.1']] });
    const guard = createUpstreamAddressGuard(enforced({ allowedCidrs: ['10.20.0.0/16'] }), { resolve: dns });
    await expect(guard.checkUrl('http://ndxp.internal/')).resolves.toBeUndefined();
    await expect(guard.checkUrl('http://10.20.9.9/')).resolves.toBeUndefined();
    expect((await refusal(guard.checkUrl('http://mixed.internal/'))).reason).toBe('not_allowlisted');
    expect((await refusal(guard.checkUrl('http://10.21.0.1/'))).reason).toBe('not_allowlisted');
  });

  it('refuses a name allowed by name when it resolves to loopback (localhost), unless the CIDR is allowed', async () => {
    // The system resolver: localhost is 127.0.0.1 and/or ::1 on every host the tests run on.
    const byName = createUpstreamAddressGuard(enforced({ allowedHosts: ['localhost'] }));
    const error = await refusal(byName.checkUrl('http://localhost:8080/'));
    expect(error.reason).toBe('loopback');
    expect(error.message).toMatch(/^upstream host localhost \((127\.0\.0\.1|::1)\) is a loopback address/);
    await expect(createUpstreamAddressGuard(enforced({ allowedHosts: ['localhost'], allowedCidrs: ['127.0.0.0/8', '::1/128'] })).checkUrl('http://localhost:8080/')).resolves.toBeUndefined();
  });

  it('refuses other schemes and unparsable URLs', async () => {
    const guard = createUpstreamAddressGuard(enforced({ allowedHosts: ['lgsp.example.gov.vn'] }));
    expect((await refusal(guard.checkUrl('ftp://lgsp.example.gov.vn/'))).reason).toBe('scheme');
    expect((await refusal(guard.checkUrl('file:///etc/passwd'))).reason).toBe('scheme');
    expect((await refusal(guard.checkUrl('not a url'))).reason).toBe('scheme');
  });

  it('lets a name allowed by name pass while DNS is down, but not one that needs its addresses checked', async () => {
    const guard = createUpstreamAddressGuard(enforced({ allowedHosts: ['lgsp.example.gov.vn'] }), { resolve: fakeDns({}) });
    await expect(guard.checkUrl('https://lgsp.example.gov.vn/')).resolves.toBeUndefined();
    const error = await refusal(guard.checkUrl('https://other.example.gov.vn/'));
    expect(error.message).toContain('could not be resolved (ENOTFOUND)');
  });

  it('lets everything pass when not enforced (embedded mode)', async () => {
    const guard = createUpstreamAddressGuard({ enforce: false, allowedHosts: [], allowedCidrs: [] });
    await expect(guard.checkUrl('http://127.0.0.1:9464/')).resolves.toBeUndefined();
    await expect(guard.checkUrl('http://169.254.169.254/')).resolves.toBeUndefined();
  });

  it('refuses a malformed allowedCidrs entry when built', () => {
    expect(() => createUpstreamAddressGuard(enforced({ allowedCidrs: ['10.0.0.0/33'] }))).toThrow(/upstreams.allowedCidrs: '10.0.0.0\/33'/);
    expect(() => createUpstreamAddressGuard(enforced({ allowedCidrs: ['lgsp.example.gov.vn'] }))).toThrow(/not a CIDR block/);
  });
});

describe('upstream address guard: at connect time, through the REST upstream', () => {
  let server: http.Server;
  let port: number;
  let requests = 0;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    server.on('connection', () => {
      connections += 1;
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    requests = 0;
    connections = 0;
  });

  const context = () => ({ signal: AbortSignal.timeout(5000), requestId: 'r-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

  async function call(baseUrl: string, guard: ReturnType<typeof createUpstreamAddressGuard>) {
    const upstream = createRestUpstream({ baseUrl, auth: noUpstreamAuth, transport: { connectTimeoutMs: 1000, connect: { lookup: guard.lookup } } });
    try {
      return await upstream.request<{ ok: boolean }>({ method: 'GET', path: '/x' }, context());
    } finally {
      await upstream.close();
    }
  }

  it('refuses a name that resolved to an allowed address when checked and to loopback when dialled (DNS rebinding)', async () => {
    const dns = fakeDns({ 'upstream.example.gov.vn': [['203.0.113.10'], ['127.0.0.1']] });
    const guard = createUpstreamAddressGuard(enforced({ allowedHosts: ['upstream.example.gov.vn'] }), { resolve: dns });
    const baseUrl = `http://upstream.example.gov.vn:${port}/`;
    await expect(guard.checkUrl(baseUrl)).resolves.toBeUndefined();
    const failure = await failureOf(call(baseUrl, guard));
    expect(failure.kind).toBe('connection');
    expect(failure.message).toBe('upstream host upstream.example.gov.vn (127.0.0.1) is a loopback address: allow it in upstreams.allowedCidrs if it really is the upstream');
    expect(failure.cause).toBeInstanceOf(UpstreamAddressRefusedError);
    expect(dns.asked).toEqual(['upstream.example.gov.vn', 'upstream.example.gov.vn']);
    expect(connections).toBe(0);
  });

  it('connects when the loopback CIDR is allowed', async () => {
    const guard = createUpstreamAddressGuard(enforced({ allowedHosts: ['upstream.example.gov.vn'], allowedCidrs: ['127.0.0.1/32'] }), { resolve: fakeDns({ 'upstream.example.gov.vn': [['127.0.0.1']] }) });
    await expect(call(`http://upstream.example.gov.vn:${port}/`, guard)).resolves.toEqual({ status: 200, body: { ok: true } });
    expect(requests).toBe(1);
  });

  it('refuses an IP literal at connect time too (net never calls lookup for one)', async () => {
    const failure = await failureOf(call(`http://127.0.0.1:${port}/`, createUpstreamAddressGuard(enforced({ allowedHosts: ['127.0.0.1'] }))));
    expect(failure.message).toContain('upstream host 127.0.0.1 is a loopback address');
    expect(connections).toBe(0);
    await expect(call(`http://127.0.0.1:${port}/`, createUpstreamAddressGuard(enforced({ allowedCidrs: ['127.0.0.1/32'] })))).resolves.toMatchObject({ status: 200 });
  });
});
