import { jest } from '@jest/globals';
import soap from 'soap';
import { connectorFile } from './connector-files.js';
import { compileSoapOperation } from './soap-fast-path.js';

/**
 * The request element of a compiled operation is node-soap's own, for every
 * shape of arguments: written once per shape with node-soap and filled in
 * after, or handed to node-soap whole. Each case is sent twice with other
 * values, so both the first call (which writes the template) and a later one
 * (which fills it) are compared with what node-soap writes for the same call.
 */
interface WsdlInternals {
  definitions: { services: Record<string, { ports: Record<string, { binding: { methods: Record<string, { input: { $name: string; targetNSAlias: string; targetNamespace: string; $type?: string; $lookupType?: string } }> } }> }> };
  objectToDocumentXML(name: string, args: unknown, nsAlias: string, namespace: string, type: string | undefined, options: object): string;
}

const operation = 'XacThucThongTinCongDan';
let client: soap.Client;

beforeAll(async () => {
  client = await soap.createClientAsync(connectorFile('population', 'population.wsdl'), { endpoint: 'http://127.0.0.1:9/' });
});

/** What node-soap writes as the request element for these arguments. */
function nodeSoapElement(args: unknown): string {
  const wsdl = (client as unknown as { wsdl: WsdlInternals }).wsdl;
  const service = Object.values(wsdl.definitions.services)[0]!;
  const { input } = Object.values(service.ports)[0]!.binding.methods[operation]!;
  return wsdl.objectToDocumentXML(input.$name, args, input.targetNSAlias, input.targetNamespace, input.$type ?? input.$lookupType, {});
}

const base = { MaYeuCau: 'REQ-1', MaDVC: 'DVC', MaTichHop: 'LGSP', MaCanBo: 'officer01', SoDinhDanh: '001090012345', HoVaTen: 'Trần Thị Ánh' };

it.each<[string, (value: string) => Record<string, unknown>]>([
  ['plain strings', (value) => ({ ...base, HoVaTen: value })],
  ['every character xmlEscape replaces', (value) => ({ ...base, MaYeuCau: `a&b<c>d"e'f\tg\rh\ni ${value}` })],
  ['an entity already written out', (value) => ({ ...base, HoVaTen: `&amp; &#273; ${value}` })],
  ['a CDATA section (node-soap writes it as it is)', (value) => ({ ...base, HoVaTen: `<![CDATA[ <raw> & ${value} ]]>` })],
  ['empty strings', (value) => ({ ...base, MaDVC: '', MaCanBo: '', HoVaTen: value })],
  ['a nested element', (value) => ({ ...base, NgayThangNamSinh: { Nam: '2001', NgayThangNam: value } })],
  ['members left undefined', (value) => ({ ...base, GioiTinh: undefined, NgayThangNamSinh: { Nam: value, NgayThangNam: undefined } })],
  ['members in another order than the schema', (value) => ({ GioiTinh: '2', HoVaTen: value, SoDinhDanh: '1', MaCanBo: 'o', MaTichHop: 't', MaDVC: 'd', MaYeuCau: 'r' })],
  ['a member the schema does not know', (value) => ({ ...base, Unknown: value })],
  ['a number (not templated)', (value) => ({ ...base, GioiTinh: value.length })],
  ['null (not templated: xsi:nil)', (value) => ({ ...base, GioiTinh: null, HoVaTen: value })],
  ['an array (not templated)', (value) => ({ ...base, HoVaTen: [value, 'x'] })],
  ['attributes (not templated)', (value) => ({ ...base, HoVaTen: { attributes: { lang: 'vi' }, $value: value } })],
  ['raw XML (not templated)', (value) => ({ _xml: `<dan:XacThucThongTinCongDan>${value}</dan:XacThucThongTinCongDan>` })],
  ['a Date (not templated)', () => ({ ...base, HoVaTen: new Date(0) })],
])('%s: the bytes node-soap writes, first and later calls alike', (_name, args) => {
  const compiled = compileSoapOperation(client, operation);
  for (const value of ['Nguyễn Văn An', 'x <y> & "z"', '', '\u0001 0 \u0001']) {
    const envelope = compiled.envelope(args(value));
    expect(envelope.endsWith(`${nodeSoapElement(args(value))}</soap:Body></soap:Envelope>`)).toBe(true);
  }
});

it('keeps the envelope around the element as node-soap writes it', () => {
  const compiled = compileSoapOperation(client, operation);
  expect(compiled.envelope(base)).toBe(
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"  xmlns:dan="http://dancuquocgia.bca" xmlns:ns1="http://www.mic.gov.vn/dancu/1.0"><soap:Body>${nodeSoapElement(base)}</soap:Body></soap:Envelope>`,
  );
  expect(compiled.soapActionHeader).toBe(`"http://dancuquocgia.bca/${operation}"`);
});

it('asks node-soap once per shape of arguments, and every time for a shape it cannot template', () => {
  const wsdl = (client as unknown as { wsdl: WsdlInternals }).wsdl;
  const compiled = compileSoapOperation(client, operation);
  const write = jest.spyOn(wsdl, 'objectToDocumentXML');
  try {
    for (const value of ['a', 'b', 'c']) compiled.envelope({ ...base, HoVaTen: value });
    expect(write).toHaveBeenCalledTimes(1);
    for (const value of ['a', 'b', 'c']) compiled.envelope({ ...base, NgayThangNamSinh: { Nam: value } });
    expect(write).toHaveBeenCalledTimes(2);
    for (const value of [1, 2, 3]) compiled.envelope({ ...base, GioiTinh: value });
    expect(write).toHaveBeenCalledTimes(5);
  } finally {
    write.mockRestore();
  }
});
