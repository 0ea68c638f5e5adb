import { readdirSync, readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { createSoapUpstream, type SoapUpstream } from '../../src/connector-kit/soap-upstream.js';
import { noUpstreamAuth } from '../../src/connector-kit/upstream-auth/upstream-auth.js';
import { nodeSoapReference, type NodeSoapReference } from '../../simulators/kit/test-support/node-soap-reference.js';
import { callOutcome, startScriptedSoapUpstream, type ScriptedSoapUpstream } from '../../simulators/kit/test-support/scripted-soap-upstream.js';
import { plainClientContext, testInvocation } from '../../simulators/kit/test-support/strict-upstream.js';
import { classifyTaxFault, createTaxClient, defaultTaxEndpointPath } from './client.js';

/**
 * Tax calls moved from node-soap's client to the compiled SOAP path: every
 * recorded answer must read as node-soap read it (so the mapping sees the
 * same), except the empty 200 node-soap took for "no taxpayer".
 */
const args = { MA_YEU_CAU: 'REQ-1', MA_TICH_HOP: 'LGSP-TEST', MA_CAN_BO: 'officer01', MA_HO_SO: 'HS-1', MA_SO_THUE: '0101234567' };
const operationOf = (fixture: string) => (fixture.startsWith('nghia-vu') ? 'TraCuuNghiaVuThue' : 'TraCuuThongTinNNT');

let upstream: ScriptedSoapUpstream;
let reference: NodeSoapReference;
let compiled: SoapUpstream;

beforeAll(async () => {
  upstream = await startScriptedSoapUpstream();
  const common = { wsdlPath: connectorFile('tax', 'tax.wsdl'), endpoint: `${upstream.origin}${defaultTaxEndpointPath}`, auth: noUpstreamAuth, classifyFault: classifyTaxFault };
  reference = await nodeSoapReference(common);
  compiled = await createSoapUpstream(common);
});

afterAll(async () => {
  compiled.close();
  await upstream.close();
});

const fixtures = readdirSync(connectorFile('tax', 'fixtures')).filter((file) => file.endsWith('.xml'));

it.each(fixtures)('recorded answer %s reads as node-soap reads it', async (fixture) => {
  upstream.answer = { status: fixture.includes('-fault-') ? 500 : 200, body: readFileSync(connectorFile('tax', 'fixtures', fixture), 'utf8') };
  const viaNodeSoap = await callOutcome(reference.call(operationOf(fixture), args, testInvocation()));
  const viaCompiled = await callOutcome(compiled.call(operationOf(fixture), args, testInvocation()));
  expect(viaCompiled).toEqual(viaNodeSoap);
});

it.each(['TraCuuThongTinNNT', 'TraCuuNghiaVuThue'])('%s: an empty HTTP 200 is a contract violation, not an empty result', async (operation) => {
  upstream.answer = { status: 200, body: '' };
  // What node-soap made of it: a success with nothing in it, which the mapping read as "not found".
  expect(await callOutcome(reference.call(operation, args, testInvocation()))).toMatchObject({ ok: true });
  const outcome = await callOutcome(compiled.call(operation, args, testInvocation()));
  expect(outcome).toMatchObject({ ok: false, kind: 'contract' });
});

describe('the configured endpoint is the one called', () => {
  it.each([
    ['', defaultTaxEndpointPath, defaultTaxEndpointPath],
    ['/ndxp', '/gdt/TraCuuNNTService', '/ndxp/gdt/TraCuuNNTService'],
    ['/ndxp/', '/gdt/TraCuuNNTService/', '/ndxp/gdt/TraCuuNNTService/'],
    ['/ndxp', '/gdt/TraCuuNNTService.svc?v=1.0&ma=A', '/ndxp/gdt/TraCuuNNTService.svc?v=1.0&ma=A'],
  ])('base path %j + endpointPath %j → POST %s', async (basePath, endpointPath, target) => {
    upstream.answer = { status: 200, body: readFileSync(connectorFile('tax', 'fixtures', 'nnt-active-company.xml'), 'utf8') };
    upstream.targets.length = 0;
    const client = await createTaxClient(plainClientContext(`${upstream.origin}${basePath}`, { integrationCode: 'LGSP-TEST', endpointPath }));
    try {
      await client.lookUpTaxpayer('0101234567', testInvocation());
      expect(upstream.targets).toEqual([target]);
    } finally {
      client.close();
    }
  });
});
