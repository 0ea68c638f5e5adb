import { wellKnownPersonIds } from '../../../simulators/kit/people.js';
import { platformCallHeaders } from './record-fixtures.js';
import { seededDeclaration, seededRequests } from './seed.js';
import { startJudicialRecordsSandbox, type JudicialRecordsSandbox } from './server.js';

// The sandbox over raw HTTP: the platform's guard, the seeded requests, the applicant check, duplicates.
let sandbox: JudicialRecordsSandbox;
let headers: Record<string, string>;

beforeAll(async () => {
  sandbox = await startJudicialRecordsSandbox();
  headers = await platformCallHeaders(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => sandbox.resetRequests());

const post = async (service: string, body: unknown, withHeaders = headers) => {
  const response = await fetch(`${sandbox.serviceUrl}/${service}`, { method: 'POST', headers: withHeaders, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('judicial-records sandbox', () => {
  it('refuses calls without the platform token (401) or with the wrong partner keys (403)', async () => {
    expect((await post('traCuuHoSoLLTP', { maHoSoMCDT: seededRequests[0]!.dossierCode }, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post('traCuuHoSoLLTP', { maHoSoMCDT: seededRequests[0]!.dossierCode }, { ...headers, lgspaccesstoken: 'e30=' })).status).toBe(403);
  });

  it('holds one seeded request per state for the shared citizens, deterministically', async () => {
    const states = [];
    for (const entry of seededRequests) {
      const answer = await post('traCuuHoSoLLTP', { maHoSoMCDT: entry.dossierCode });
      const data = answer.body.data as { nycSoGiayTo: string; trangThaiXuLy: string };
      expect(data.nycSoGiayTo).toBe(entry.personalId);
      states.push(data.trangThaiXuLy);
    }
    expect(states).toEqual(['10', '4', '3', '9']);
    expect(sandbox.journal).toEqual([]);
    expect(await post('traCuuHoSoLLTP', { maHoSoMCDT: '000.00.01.H22-251001-0999' })).toEqual({ status: 200, body: { statusCode: '02', errorDetail: 'Không tìm thấy hồ sơ' } });
  });

  it('lodges a request for a seeded citizen once, and answers a repeat with the "already received" phrase', async () => {
    const item = { ...seededDeclaration(seededRequests[0]!), maHoSoMCDT: '000.00.01.H22-251125-0001' };
    expect((await post('tiepNhanHoSoLLTP', item)).body).toEqual({ statusCode: '00', errorDetail: '' });
    expect((await post('tiepNhanHoSoLLTP', item)).body).toMatchObject({ statusCode: '01', errorDetail: expect.stringContaining('đã được tiếp nhận, không thể cập nhật thông tin') });
    expect(sandbox.journal.map((entry) => entry.kind)).toEqual(['lodged', 'refused-duplicate']);
  });

  it('refuses an applicant the population data does not confirm, and a malformed declaration', async () => {
    const item = { ...seededDeclaration(seededRequests[1]!), maHoSoMCDT: '000.00.01.H22-251125-0002' };
    expect((await post('tiepNhanHoSoLLTP', { ...item, toKhai: { ...item.toKhai, nycNgaySinh: '01/01/2001' } })).body).toMatchObject({ statusCode: '01' });
    expect((await post('tiepNhanHoSoLLTP', { ...item, toKhai: { ...item.toKhai, nycSoGiayTo: '001099999999' } })).body).toMatchObject({ statusCode: '01' });
    expect((await post('tiepNhanHoSoLLTP', { ...item, toKhai: { ...item.toKhai, loaiPhieu: '3' } })).body).toMatchObject({ statusCode: '01', errorDetail: expect.stringContaining('loaiPhieu') });
    // The name is compared without case or diacritics, as legacy records hold it.
    expect((await post('tiepNhanHoSoLLTP', { ...item, toKhai: { ...item.toKhai, nycHoTen: item.toKhai.nycHoTen.toUpperCase() } })).body).toMatchObject({ statusCode: '00' });
    expect(sandbox.requests.has(item.maHoSoMCDT)).toBe(true);
    expect(sandbox.requests.get(item.maHoSoMCDT)!.item.toKhai.nycSoGiayTo).toBe(wellKnownPersonIds.womanBorn2001WithDiacritics);
  });

  it('moves a request on through its control route (no credentials), and refuses what it cannot do', async () => {
    const control = (body: unknown) => fetch(`${sandbox.baseUrl}/__sandbox/requests/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const code = seededRequests[1]!.dossierCode;
    expect(await (await control({ dossierCode: code, to: 'result-ready' })).json()).toEqual({ dossierCode: code, status: '9' });
    expect(((await post('traCuuHoSoLLTP', { maHoSoMCDT: code })).body.data as { ketQuaXuLy: { loaiPhieu: string } }).ketQuaXuLy.loaiPhieu).toBe('2');
    expect((await control({ dossierCode: code, to: 'refused' })).status).toBe(400);
    expect((await control({ dossierCode: code, to: 'lost' })).status).toBe(400);
    expect((await control({ dossierCode: '000.00.01.H22-251001-0999', to: 'processing' })).status).toBe(404);
  });

  it('stores a lodging whose answer it then loses', async () => {
    sandbox.loseNextSubmitAnswers(1);
    const item = { ...seededDeclaration(seededRequests[0]!), maHoSoMCDT: '000.00.01.H22-251125-0003' };
    await expect(post('tiepNhanHoSoLLTP', item)).rejects.toThrow();
    expect(sandbox.journal).toEqual([{ dossierCode: item.maHoSoMCDT, kind: 'lodged' }]);
    expect((await post('tiepNhanHoSoLLTP', item)).body).toMatchObject({ statusCode: '01' });
  });
});
