import { XMLParser } from 'fast-xml-parser';
import { wellKnownTaxCodes } from '../../../simulators/kit/enterprises.js';
import { encodeLgspAccessToken } from '../../../simulators/kit/platform-auth.js';
import { buildSoapRequestEnvelope, fetchPlatformToken } from '../../../simulators/kit/soap-fixtures.js';
import { taxNamespace } from './operations.js';
import { startTaxSandbox, taxSandboxDevCredentials, type TaxSandbox } from './server.js';

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });
const caller = { MA_YEU_CAU: 'TEST-1', MA_TICH_HOP: 'LGSP-TEST', MA_CAN_BO: 'officer01', MA_HO_SO: '000.00.01.H29-261123-0001' };

let sandbox: TaxSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startTaxSandbox();
  token = await fetchPlatformToken(sandbox.tokenUrl, taxSandboxDevCredentials);
});

afterAll(async () => {
  await sandbox.close();
});

function call(operation: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(sandbox.endpointUrl, {
    method: 'POST',
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      authorization: `Bearer ${token}`,
      lgspaccesstoken: encodeLgspAccessToken(taxSandboxDevCredentials),
      ...headers,
    },
    body: buildSoapRequestEnvelope({ prefix: 'nnt', uri: taxNamespace }, operation, fields),
  });
}

async function body(response: Response): Promise<Record<string, any>> {
  return parser.parse(await response.text()).Envelope.Body;
}

describe('tax sandbox', () => {
  it('serves its WSDL pointing at its own endpoint', async () => {
    const wsdl = await (await fetch(sandbox.wsdlUrl)).text();
    expect(wsdl).toContain(`targetNamespace="${taxNamespace}"`);
    expect(wsdl).toContain(`location="${sandbox.endpointUrl}"`);
  });

  it('wants the platform token and the partner keys', async () => {
    expect((await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownTaxCodes.activeCompany }, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownTaxCodes.activeCompany }, { lgspaccesstoken: 'e30=' })).status).toBe(403);
  });

  it('tells the same story as the business registry: status from the shared businesses', async () => {
    const suspended = await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownTaxCodes.suspendedCompany }));
    expect(suspended.KetQuaTraCuuNNT.NNT).toMatchObject({ TRANG_THAI: '05', TEN_NNT: 'CONG TY CO PHAN THUY SAN HA HAI' });
    const closed = await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownTaxCodes.dissolvedPrivateEnterprise }));
    expect(closed.KetQuaTraCuuNNT.NNT.TRANG_THAI).toBe('01');
  });

  it('refuses a call that does not name the dossier (TN-05) or carries a bad check digit (TN-01)', async () => {
    const { MA_HO_SO: _dossier, ...withoutDossier } = caller;
    const missing = await call('TraCuuNghiaVuThue', { ...withoutDossier, MA_SO_THUE: wellKnownTaxCodes.activeCompany });
    expect(missing.status).toBe(500);
    expect((await body(missing)).Fault.detail.LOI_NGHIEP_VU.MA_LOI).toBe('TN-05');
    const invalid = await call('TraCuuNghiaVuThue', { ...caller, MA_SO_THUE: '0101234566' });
    expect((await body(invalid)).Fault).toMatchObject({ faultcode: 'soap:Client', detail: { LOI_NGHIEP_VU: { MA_LOI: 'TN-01' } } });
  });

  it('answers the injected soap-fault with its own "system busy" server fault', async () => {
    sandbox.faults.set({ kind: 'soap-fault' }, { times: 1 });
    const response = await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownTaxCodes.activeCompany });
    expect(response.status).toBe(500);
    expect((await body(response)).Fault).toMatchObject({ faultcode: 'soap:Server', detail: { LOI_NGHIEP_VU: { MA_LOI: 'TN-99', MA_YEU_CAU: 'TEST-1' } } });
  });
});
