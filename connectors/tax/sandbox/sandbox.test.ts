import { XMLParser } from 'fast-xml-parser';
import { seededBusinesses, wellKnownTaxCodes } from '../../../simulators/kit/enterprises.js';
import { seededPeople, wellKnownPersonIds } from '../../../simulators/kit/people.js';
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

  it("finds seeded citizens by personal id: an individual, a household business under its owner's id; other citizens not", async () => {
    const individual = await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownPersonIds.manBornInHanoi1990 }));
    expect(individual.KetQuaTraCuuNNT).toMatchObject({ MA_KET_QUA: '00', NNT: { MA_SO_THUE: wellKnownPersonIds.manBornInHanoi1990, LOAI_NNT: '05', TEN_NNT: 'NGUYEN VAN AN' } });
    const household = await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownPersonIds.upperCaseNoDiacritics }));
    expect(household.KetQuaTraCuuNNT.NNT).toMatchObject({ MA_SO_THUE: wellKnownPersonIds.upperCaseNoDiacritics, LOAI_NNT: '03', TEN_NNT: 'HO KINH DOANH NGUYEN THI HOA' });
    for (const personalId of [wellKnownPersonIds.sparseRecord, wellKnownPersonIds.minorWithLegalRepresentative]) {
      expect((await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: personalId }))).KetQuaTraCuuNNT).toMatchObject({ MA_KET_QUA: '01' });
    }
  });

  it("keeps a household business's ledger under its owner's personal id as under its old code", async () => {
    const byOldCode = (await body(await call('TraCuuNghiaVuThue', { ...caller, MA_SO_THUE: wellKnownTaxCodes.householdBusiness }))).KetQuaNghiaVuThue;
    const byPersonalId = (await body(await call('TraCuuNghiaVuThue', { ...caller, MA_SO_THUE: wellKnownPersonIds.upperCaseNoDiacritics }))).KetQuaNghiaVuThue;
    expect(byPersonalId.TONG_SO_TIEN).toBe(byOldCode.TONG_SO_TIEN);
    expect(byPersonalId.ROW_LIST.ROW.map((row: Record<string, string>) => row.MA_SO_THUE)).toEqual([wellKnownPersonIds.upperCaseNoDiacritics, wellKnownPersonIds.upperCaseNoDiacritics]);
    expect(byPersonalId.ROW_LIST.ROW.map((row: Record<string, string>) => row.MA_TIEUMUC)).toEqual(byOldCode.ROW_LIST.ROW.map((row: Record<string, string>) => row.MA_TIEUMUC));
  });

  it('finds the owner of every seeded household business by personal id, as that household business', async () => {
    const owners = seededBusinesses().filter((business) => business.kind === 'household-business').map((business) => business.representativeIds[0]!);
    expect(owners.length).toBeGreaterThan(1);
    const people = new Set(seededPeople().map((person) => person.personalId));
    for (const owner of new Set(owners)) {
      expect(people.has(owner)).toBe(true);
      const answer = (await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: owner }))).KetQuaTraCuuNNT;
      expect({ owner, type: answer.NNT?.LOAI_NNT, code: answer.NNT?.MA_SO_THUE }).toEqual({ owner, type: '03', code: owner });
    }
  });

  it('refuses a 12-digit code that is no personal id (TN-01), without checking it against the 2025 provinces', async () => {
    const invalid = await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: '990090012345' });
    expect((await body(invalid)).Fault.detail.LOI_NGHIEP_VU.MA_LOI).toBe('TN-01');
    // 026: Vĩnh Phúc, merged into Phú Thọ in 2025, still a valid birth-registration code: Hoàng Văn Tú's id is
    // answered (he is no individual taxpayer and owns no household business: not found), not refused.
    expect((await body(await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownPersonIds.wholeNameInGivenName }))).KetQuaTraCuuNNT.MA_KET_QUA).toBe('01');
  });

  it('answers the injected soap-fault with its own "system busy" server fault', async () => {
    sandbox.faults.set({ kind: 'soap-fault' }, { times: 1 });
    const response = await call('TraCuuThongTinNNT', { ...caller, MA_SO_THUE: wellKnownTaxCodes.activeCompany });
    expect(response.status).toBe(500);
    expect((await body(response)).Fault).toMatchObject({ faultcode: 'soap:Server', detail: { LOI_NGHIEP_VU: { MA_LOI: 'TN-99', MA_YEU_CAU: 'TEST-1' } } });
  });
});
