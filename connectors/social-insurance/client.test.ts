import { readdirSync, readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { createSoapUpstream, type SoapUpstream } from '../../src/connector-kit/soap-upstream.js';
import { noUpstreamAuth } from '../../src/connector-kit/upstream-auth/upstream-auth.js';
import { nodeSoapReference, type NodeSoapReference } from '../../simulators/kit/test-support/node-soap-reference.js';
import { callOutcome, startScriptedSoapUpstream, type ScriptedSoapUpstream } from '../../simulators/kit/test-support/scripted-soap-upstream.js';
import { plainClientContext, testInvocation } from '../../simulators/kit/test-support/strict-upstream.js';
import { classifySocialInsuranceFault, createSocialInsuranceClient, defaultEndpointPath } from './client.js';

/**
 * Social-insurance calls moved from node-soap's client to the compiled SOAP
 * path: every recorded answer must read as node-soap read it (so the mapping
 * sees the same), except the empty 200 node-soap took for "no participant".
 */
const operation = 'TraCuuThongTinNguoiThamGia';
const args = { MaYeuCau: 'REQ-1', MaDVC: 'HS-1', MaTichHop: 'LGSP-TEST', MaCanBo: 'officer01', MaSoBHXH: '0123456789' };

let upstream: ScriptedSoapUpstream;
let reference: NodeSoapReference;
let compiled: SoapUpstream;

beforeAll(async () => {
  upstream = await startScriptedSoapUpstream();
  const common = {
    wsdlPath: connectorFile('social-insurance', 'social-insurance.wsdl'),
    endpoint: `${upstream.origin}${defaultEndpointPath}`,
    auth: noUpstreamAuth,
    classifyFault: classifySocialInsuranceFault,
  };
  reference = await nodeSoapReference(common);
  compiled = await createSoapUpstream(common);
});

afterAll(async () => {
  compiled.close();
  await upstream.close();
});

const fixtures = readdirSync(connectorFile('social-insurance', 'fixtures')).filter((file) => file.endsWith('.xml'));

it.each(fixtures)('recorded answer %s reads as node-soap reads it', async (fixture) => {
  upstream.answer = { status: fixture.includes('-fault-') ? 500 : 200, body: readFileSync(connectorFile('social-insurance', 'fixtures', fixture), 'utf8') };
  const viaNodeSoap = await callOutcome(reference.call(operation, args, testInvocation()));
  const viaCompiled = await callOutcome(compiled.call(operation, args, testInvocation()));
  expect(viaCompiled).toEqual(viaNodeSoap);
});

it('an empty HTTP 200 is a contract violation, not an empty result', async () => {
  upstream.answer = { status: 200, body: '' };
  // What node-soap made of it: a success with nothing in it, which the mapping read as "not found".
  expect(await callOutcome(reference.call(operation, args, testInvocation()))).toMatchObject({ ok: true });
  expect(await callOutcome(compiled.call(operation, args, testInvocation()))).toMatchObject({ ok: false, kind: 'contract' });
});

describe('the configured endpoint is the one called', () => {
  it.each([
    ['', defaultEndpointPath, defaultEndpointPath],
    ['/ndxp', '/bhxh/TraCuuBHXHService', '/ndxp/bhxh/TraCuuBHXHService'],
    ['/ndxp', '/bhxh/TraCuuBHXHService?wsdl=0', '/ndxp/bhxh/TraCuuBHXHService?wsdl=0'],
  ])('base path %j + endpointPath %j → POST %s', async (basePath, endpointPath, target) => {
    upstream.answer = { status: 200, body: readFileSync(connectorFile('social-insurance', 'fixtures', 'tra-cuu-compulsory-employee.xml'), 'utf8') };
    upstream.targets.length = 0;
    const client = await createSocialInsuranceClient(plainClientContext(`${upstream.origin}${basePath}`, { integrationCode: 'LGSP-TEST', endpointPath }));
    try {
      await client.lookUpParticipant({ MaSoBHXH: '0123456789' }, testInvocation());
      expect(upstream.targets).toEqual([target]);
    } finally {
      client.close();
    }
  });
});
