import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { encodeLgspAccessToken } from './platform-auth.js';
import { buildSoapRequestEnvelope, fetchPlatformToken, recordSoapExchanges } from './soap-fixtures.js';
import { businessSoapFault, SandboxSoapFault, soapArgumentText, soapOperationOf, startSoapSandbox, type SoapSandbox } from './soap-sandbox.js';

// Any document/literal WSDL does: the population one is the project's reference.
const namespace = { prefix: 'dan', uri: 'http://dancuquocgia.bca' };
const credentials = {
  clientId: 'kit-client',
  clientSecret: 'kit-secret',
  accessKey: 'kit-access',
  secretKey: 'kit-secret-key',
  appName: 'KIT',
  partnerCode: '000.00.00.H00',
};

let sandbox: SoapSandbox;
const seen: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  sandbox = await startSoapSandbox(
    {
      wsdlPath: connectorFile('population', 'population.wsdl'),
      endpointPath: '/kit/Service',
      serviceName: 'DanCuQuocGiaService',
      portName: 'DanCuQuocGiaPort',
      operations: {
        TraCuuThongTinCongDan: (args) => {
          seen.push(args);
          if (soapArgumentText(args.SoDinhDanh) === 'refuse') throw new SandboxSoapFault('Client', 'bad id', '<x:Loi xmlns:x="urn:x"><x:Ma>E-1</x:Ma></x:Loi>');
          return `<ns1:CongdanCollection xmlns:ns1="http://www.mic.gov.vn/dancu/1.0"><ns1:MaKetQua>00</ns1:MaKetQua></ns1:CongdanCollection>`;
        },
      },
      injectedFault: () => businessSoapFault('Server', 'busy', { element: 'Loi', fields: { Ma: 'E-99' }, namespace: { prefix: 'x', uri: 'urn:x' } }),
    },
    { credentials },
  );
});

afterAll(async () => {
  await sandbox?.close();
});

afterEach(() => sandbox.faults.clear());

async function call(id: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await fetch(sandbox.endpointUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', ...headers },
    body: buildSoapRequestEnvelope(namespace, 'TraCuuThongTinCongDan', { MaYeuCau: 'r1', MaDVC: 'x', MaCanBo: 'o', SoDinhDanh: id }),
  });
  return { status: response.status, body: await response.text() };
}

async function authorized(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await fetchPlatformToken(sandbox.tokenUrl, credentials)}`, lgspaccesstoken: encodeLgspAccessToken(credentials) };
}

describe('SOAP sandbox kit', () => {
  it('serves the WSDL pointing at its own endpoint', async () => {
    const wsdl = await (await fetch(sandbox.wsdlUrl)).text();
    expect(wsdl).toContain(`location="${sandbox.endpointUrl}"`);
  });

  it('guards data calls with the platform token and lgspaccesstoken', async () => {
    expect((await call('001090012345', {})).status).toBe(401);
    const { authorization } = await authorized();
    expect((await call('001090012345', { authorization })).status).toBe(403);
  });

  it('answers with the operation handler\'s XML inside a SOAP envelope', async () => {
    const answer = await call('001090012345', await authorized());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/<soap:Envelope[^]*<ns1:MaKetQua>00<\/ns1:MaKetQua>/);
    expect(soapArgumentText(seen.at(-1)?.SoDinhDanh)).toBe('001090012345');
  });

  it('renders business faults and the injected fault as SOAP 1.1 Faults with HTTP 500', async () => {
    const refused = await call('refuse', await authorized());
    expect(refused.status).toBe(500);
    expect(refused.body).toContain('<faultcode>soap:Client</faultcode>');
    expect(refused.body).toContain('<x:Ma>E-1</x:Ma>');
    sandbox.faults.set({ kind: 'soap-fault' }, { times: 1 });
    const busy = await call('001090012345', await authorized());
    expect(busy.status).toBe(500);
    expect(busy.body).toContain('<faultcode>soap:Server</faultcode>');
    expect(busy.body).toContain('<x:Ma>E-99</x:Ma>');
  });

  it('applies the shared HTTP faults after the auth check', async () => {
    sandbox.faults.set({ kind: 'http-500' });
    expect((await call('001090012345', await authorized())).status).toBe(500);
    sandbox.faults.set({ kind: 'expired-token' });
    expect((await call('001090012345', await authorized())).status).toBe(401);
    expect((await call('001090012345', {})).status).toBe(401);
  });

  it('records exchanges as raw bodies with a final newline', async () => {
    const recorded = await recordSoapExchanges(sandbox, {
      credentials,
      namespace,
      cases: [{ file: 'a.xml', operation: 'TraCuuThongTinCongDan', shows: 'x', fields: { MaYeuCau: 'r', MaDVC: 'x', MaCanBo: 'o', SoDinhDanh: '1' } }],
    });
    expect(recorded.get('a.xml')).toEqual({ status: 200, body: expect.stringMatching(/<\/soap:Envelope>\n$/) });
  });

  it('tells the operation from SOAPAction or from the body', () => {
    expect(soapOperationOf('"http://x/Op"', '')).toBe('Op');
    expect(soapOperationOf(undefined, '<s:Envelope><s:Body>\n <d:Other/>')).toBe('Other');
  });
});
