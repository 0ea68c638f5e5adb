import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { createSoapUpstream, type SoapUpstream } from '../../src/connector-kit/soap-upstream.js';
import { createClientCredentialsLgspAuth } from '../../src/connector-kit/upstream-auth/client-credentials-lgsp.js';
import { noUpstreamAuth } from '../../src/connector-kit/upstream-auth/upstream-auth.js';
import { UpstreamError } from '../../src/connector-kit/upstream-errors.js';
import { nodeSoapReference, type NodeSoapReference } from '../../simulators/kit/test-support/node-soap-reference.js';
import { classifyPopulationFault, createPopulationClient, defaultEndpointPath } from './client.js';
import { populationConnector } from './descriptor.js';
import { plainClientContext, startEndlessUpstream } from '../../simulators/kit/test-support/strict-upstream.js';
import { populationSandboxDevCredentials, startPopulationSandbox, type PopulationSandbox } from './sandbox/server.js';

/**
 * Every SOAP operation goes through the compiled path (prebuilt envelope,
 * undici, fast-xml-parser). It must be indistinguishable from node-soap's
 * client (the reference, test-support/node-soap-reference.ts): same request
 * bytes, same parsed answers, same failure kinds. Each case below runs through
 * both and compares.
 */
const operations = ['TraCuuThongTinCongDan', 'XacThucThongTinCongDan'] as const;
const lookupArgs = { MaYeuCau: 'REQ-1 <&>"\'', MaDVC: '000.00.01.H22-261123-0001', MaTichHop: 'LGSP-TEST', MaCanBo: 'officer01', SoDinhDanh: '001090012345' };
const verifyArgs = {
  MaYeuCau: 'REQ-2',
  MaDVC: 'IDENTITY-VERIFICATION',
  MaTichHop: 'LGSP-TEST',
  MaCanBo: 'officer01',
  SoDinhDanh: '079301005678',
  HoVaTen: 'Trần Thị Ngọc Ánh',
  NgayThangNamSinh: { Nam: '2001', NgayThangNam: '20011123' },
  GioiTinh: '2',
};
const argsOf = (operation: string) => (operation === 'TraCuuThongTinCongDan' ? lookupArgs : verifyArgs);
const context = () => ({ signal: AbortSignal.timeout(5000), requestId: 'req-test', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

type Outcome = { ok: true; result: unknown } | { ok: false; kind: string; upstreamCode?: string; message: string };

async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    // Through JSON: Dates and undefined compare the way a response body would carry them.
    return { ok: true, result: JSON.parse(JSON.stringify((await call) ?? null)) };
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return { ok: false, kind: error.kind, upstreamCode: error.upstreamCode, message: error.message };
  }
}

describe('compiled SOAP path against a scripted upstream', () => {
  let server: http.Server;
  let answer: { status: number; contentType: string; body: string } = { status: 200, contentType: 'text/xml', body: '' };
  const received: Array<{ body: string; soapAction: string | undefined; traceparent: string | undefined; requestId: string | undefined; userAgent: string | undefined }> = [];
  let generic: NodeSoapReference;
  let compiled: SoapUpstream;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          soapAction: req.headers.soapaction as string | undefined,
          traceparent: req.headers.traceparent as string | undefined,
          requestId: req.headers['x-request-id'] as string | undefined,
          userAgent: req.headers['user-agent'],
        });
        res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}${defaultEndpointPath}`;
    const common = { wsdlPath: connectorFile('population', 'population.wsdl'), endpoint, auth: noUpstreamAuth, classifyFault: classifyPopulationFault };
    generic = await nodeSoapReference(common);
    compiled = await createSoapUpstream(common);
  });

  afterAll(async () => {
    compiled.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function both(operation: string, served: typeof answer): Promise<[Outcome, Outcome]> {
    answer = served;
    received.length = 0;
    const viaNodeSoap = await outcomeOf(generic.call(operation, argsOf(operation), context()));
    const viaCompiled = await outcomeOf(compiled.call(operation, argsOf(operation), context()));
    return [viaNodeSoap, viaCompiled];
  }

  it.each(operations)('%s: sends the bytes node-soap sends, with SOAPAction, trace and request id', async (operation) => {
    await both(operation, { status: 200, contentType: 'text/xml', body: '' });
    expect(received).toHaveLength(2);
    const [fromNodeSoap, fromCompiled] = received;
    expect(fromCompiled!.body).toBe(fromNodeSoap!.body);
    expect(fromCompiled!.soapAction).toBe(fromNodeSoap!.soapAction);
    expect(fromCompiled!.soapAction).toBe(`"http://dancuquocgia.bca/${operation}"`);
    expect(fromCompiled).toMatchObject({ traceparent: context().traceparent, requestId: 'req-test' });
    // Proof that the second call really took the compiled path (node-soap announces itself).
    expect(fromNodeSoap!.userAgent).toMatch(/^node-soap\//);
    expect(fromCompiled!.userAgent ?? '').not.toMatch(/node-soap/);
  });

  const fixtures = readdirSync(connectorFile('population', 'fixtures')).filter((file) => file.endsWith('.xml'));
  it.each(fixtures)('recorded answer %s reads the same', async (fixture) => {
    const operation = fixture.startsWith('xac-thuc') ? 'XacThucThongTinCongDan' : 'TraCuuThongTinCongDan';
    const body = readFileSync(connectorFile('population', 'fixtures', fixture), 'utf8');
    const [viaNodeSoap, viaCompiled] = await both(operation, { status: fixture.includes('-fault-') ? 500 : 200, contentType: 'text/xml; charset=utf-8', body });
    expect(viaCompiled).toEqual(viaNodeSoap);
  });

  const envelope = (content: string) =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>${content}</soap:Body></soap:Envelope>`;
  const lookupAnswer = (content: string) => envelope(`<ns1:CongdanCollection xmlns:ns1="http://www.mic.gov.vn/dancu/1.0">${content}</ns1:CongdanCollection>`);
  const verifyAnswer = (content: string) => envelope(`<dan:KetQuaXacThucResponse xmlns:dan="http://dancuquocgia.bca">${content}</dan:KetQuaXacThucResponse>`);

  it.each([
    ['two records (an array either way)', 'TraCuuThongTinCongDan', 200, lookupAnswer('<ns1:MaKetQua>00</ns1:MaKetQua><ns1:CongDan><ns1:SoDinhDanh>1</ns1:SoDinhDanh></ns1:CongDan><ns1:CongDan><ns1:SoDinhDanh>2</ns1:SoDinhDanh></ns1:CongDan>')],
    ['empty complex and string elements', 'TraCuuThongTinCongDan', 200, lookupAnswer('<ns1:MaKetQua> 00 </ns1:MaKetQua><ns1:CongDan><ns1:HoVaTen/><ns1:SoCMND></ns1:SoCMND><ns1:NoiOHienTai></ns1:NoiOHienTai></ns1:CongDan>')],
    ['entities and CDATA', 'TraCuuThongTinCongDan', 200, lookupAnswer('<ns1:MaKetQua>00</ns1:MaKetQua><!-- a comment --><ns1:MoTaKetQua>a &amp; b &lt;c&gt; &#273;&#x1EA1;<![CDATA[ <d> ]]> e</ns1:MoTaKetQua>')],
    ['nil, attributes and booleans', 'XacThucThongTinCongDan', 200, verifyAnswer('<dan:MaYeuCau a="1">x</dan:MaYeuCau><dan:TonTai/><dan:KetQuaKhop><dan:HoVaTen>1</dan:HoVaTen><dan:NgayThangNamSinh xsi:nil="true"/><dan:GioiTinh> TRUE </dan:GioiTinh></dan:KetQuaKhop><dan:MaKetQua>00</dan:MaKetQua>')],
    ['a business fault answered with HTTP 200', 'TraCuuThongTinCongDan', 200, envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>busy</faultstring><detail><dan:LoiNghiepVu xmlns:dan="http://dancuquocgia.bca"><dan:MaLoi>DC-99</dan:MaLoi></dan:LoiNghiepVu></detail></soap:Fault>')],
    ['a client fault without detail', 'TraCuuThongTinCongDan', 500, envelope('<soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad</faultstring></soap:Fault>')],
    ['a proxy error page', 'TraCuuThongTinCongDan', 500, '<html><head><title>500 Internal Server Error</title></head><body><center><h1>500</h1></center></body></html>'],
    ['a gateway timeout in plain text', 'TraCuuThongTinCongDan', 504, 'upstream timed out'],
    ['truncated JSON with HTTP 200', 'TraCuuThongTinCongDan', 200, '{"status":"OK","data":[{"SoDinhDanh":'],
    ["the platform's 401", 'TraCuuThongTinCongDan', 401, '{"error":"invalid_token"}'],
    ["the platform's 403", 'XacThucThongTinCongDan', 403, '{"error":"access_denied"}'],
  ])('%s: same outcome', async (_name, operation, status, body) => {
    const [viaNodeSoap, viaCompiled] = await both(operation, { status, contentType: 'text/xml; charset=utf-8', body });
    expect(viaCompiled).toEqual(viaNodeSoap);
  });
});

describe('compiled SOAP path where node-soap misreads', () => {
  it('calls an empty HTTP 200 a contract violation (node-soap hands {} to the mapping, which reads "not found")', async () => {
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}${defaultEndpointPath}`;
    const compiled = await createSoapUpstream({ wsdlPath: connectorFile('population', 'population.wsdl'), endpoint, auth: noUpstreamAuth });
    try {
      expect(await outcomeOf(compiled.call('TraCuuThongTinCongDan', lookupArgs, context()))).toMatchObject({ ok: false, kind: 'contract' });
    } finally {
      compiled.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('compiled SOAP path against the sandbox: deadline, dropped connection, re-login', () => {
  let sandbox: PopulationSandbox;
  let generic: NodeSoapReference;
  let compiled: SoapUpstream;

  beforeAll(async () => {
    sandbox = await startPopulationSandbox();
    const common = { wsdlPath: connectorFile('population', 'population.wsdl'), endpoint: sandbox.endpointUrl, classifyFault: classifyPopulationFault };
    const auth = () => createClientCredentialsLgspAuth({ tokenUrl: sandbox.tokenUrl, credentials: populationSandboxDevCredentials });
    generic = await nodeSoapReference({ ...common, auth: auth() });
    compiled = await createSoapUpstream({ ...common, auth: auth() });
  });

  afterAll(async () => {
    compiled?.close();
    await sandbox?.close();
  });

  afterEach(() => sandbox.faults.clear());

  it('answers a real lookup and a real verification alike', async () => {
    for (const operation of operations) {
      const viaNodeSoap = await outcomeOf(generic.call(operation, argsOf(operation), context()));
      const viaCompiled = await outcomeOf(compiled.call(operation, argsOf(operation), context()));
      expect(viaNodeSoap.ok).toBe(true);
      expect(viaCompiled).toEqual(viaNodeSoap);
    }
  });

  it('gives up at the deadline on a hanging upstream, as a timeout, without waiting for it', async () => {
    sandbox.faults.set({ kind: 'hang' });
    const started = Date.now();
    const outcome = await outcomeOf(compiled.call('TraCuuThongTinCongDan', lookupArgs, { ...context(), signal: AbortSignal.timeout(200) }));
    expect(outcome).toMatchObject({ ok: false, kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await outcomeOf(generic.call('TraCuuThongTinCongDan', lookupArgs, { ...context(), signal: AbortSignal.timeout(200) }))).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it.each([
    [{ kind: 'reset' } as const, 'once'],
    [{ kind: 'soap-fault' } as const, 'once'],
    [{ kind: 'http-500' } as const, 'once'],
    [{ kind: 'garbage' } as const, 'once'],
    [{ kind: 'expired-token' } as const, 'once'],
    [{ kind: 'expired-token' } as const, 'always'],
  ])('%o (%s): same outcome, re-login included', async (fault, how) => {
    const run = async (upstream: SoapUpstream | NodeSoapReference) => {
      sandbox.faults.set(fault, how === 'once' ? { times: 1 } : {});
      const outcome = await outcomeOf(upstream.call('TraCuuThongTinCongDan', lookupArgs, context()));
      sandbox.faults.clear();
      return outcome.ok ? outcome : { ok: false, kind: outcome.kind, upstreamCode: outcome.upstreamCode };
    };
    const viaNodeSoap = await run(generic);
    const viaCompiled = await run(compiled);
    expect(viaCompiled).toEqual(viaNodeSoap);
    if (fault.kind === 'expired-token') expect(viaCompiled.ok).toBe(how === 'once');
  });
});

describe('population health probe', () => {
  it('obeys the answer size cap: an endless answer fails the probe as too_large and its socket is closed', async () => {
    const endless = await startEndlessUpstream();
    const client = await createPopulationClient(plainClientContext(endless.origin, { integrationCode: 'LGSP-TEST' }));
    try {
      await expect(populationConnector.probe!(client, AbortSignal.timeout(20_000))).rejects.toMatchObject({ kind: 'too_large' });
      expect(await Promise.all(endless.closedEarly)).toEqual([true]);
    } finally {
      client.close();
      await endless.close();
    }
  });
});
