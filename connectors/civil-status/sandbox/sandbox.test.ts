import { loadAdministrativeUnits2025 } from '../../../simulators/kit/administrative-units.js';
import { fetchPasswordGrantToken } from '../../../simulators/kit/password-grant-rest-sandbox.js';
import { historicDistricts } from '../../../simulators/kit/historic-admin-units.js';
import { findPersonById, fullNameOf } from '../../../simulators/kit/people.js';
import { identityDocumentTypes } from '../upstream-types.js';
import { civilStatusSandboxDevCredentials, startCivilStatusSandbox, type CivilStatusSandbox } from './server.js';
import { lateWifeOfLeVanBay, seededCivilStatus } from './seed.js';

const registers = seededCivilStatus();
const isoOf = (printed: string | null | undefined) => (printed ?? '').split('/').reverse().join('-');
const commune2025 = new Set(loadAdministrativeUnits2025().flatMap((province) => province.communes.map((commune) => commune.code)));
const historicAuthorities = new Set(historicDistricts.flatMap((district) => [district.code, ...(district.ward ? [district.ward.code] : [])]));

describe('civil-status seed: the same people as every other sandbox', () => {
  it('keeps the well-known registrations the docs, fixtures and tests name', () => {
    expect(registers.wellKnown).toEqual({
      anBirth: { authorityCode: '00001', book: '01/1990', number: '30' },
      anAnhMarriage: { authorityCode: '00004', book: '01/2025', number: '57' },
      hoaDivorcedMarriage: { authorityCode: '492', book: '01/2010', number: '121' },
      binhDeath: { authorityCode: '00001', book: '01/2012', number: '32' },
      tamDeath: { authorityCode: '380', book: '01/2019', number: '85', personalId: '038140004321' },
      linkedProcedureBirth: { authorityCode: '00001', book: '01/2016', number: '168', childId: '001216084292', motherId: '001191212300', fatherId: '001091542444' },
    });
  });

  it('births: the child is the seeded person (sex, birth date, name as their record keys it), parents with their own birth dates', () => {
    expect(registers.births.size).toBeGreaterThan(50);
    for (const record of registers.births.values()) {
      if (!record.nksSoDinhDanh) continue;
      const child = findPersonById(record.nksSoDinhDanh)!;
      expect(child).toBeDefined();
      expect(record.nksGioiTinh).toBe(child.sex === 'male' ? '1' : '2');
      const { year, month, day } = child.birthDate;
      expect(record.nksNgaySinh).toBe(`${String(day ?? 0).padStart(2, '0')}/${String(month ?? 0).padStart(2, '0')}/${year}`);
      if (record.meLoaiGiayToTuyThan === identityDocumentTypes.personalId) {
        const mother = findPersonById(record.meSoGiayToTuyThan!)!;
        expect(child.mother?.personalId).toBe(mother.personalId);
        expect(record.meHoTen).toBe(fullNameOf(mother.name));
      }
      if (record.chaLoaiGiayToTuyThan === identityDocumentTypes.personalId) expect(child.father?.personalId).toBe(record.chaSoGiayToTuyThan);
      // Registered after the birth.
      expect(isoOf(record.ngayDangKy) >= isoOf(record.nksNgaySinh).replace(/-00/g, '')).toBe(true);
    }
  });

  it('marriages: spouses the seed marries to each other, never before 18/20, never after the first child', () => {
    for (const record of registers.marriages.values()) {
      if (record.tinhTrangKetHon === '2') continue;
      const husband = findPersonById(record.chongSoGiayToTuyThan!) ?? undefined;
      const wife = findPersonById(record.voSoGiayToTuyThan!) ?? undefined;
      if (!husband || !wife) continue;
      expect(husband.spouse?.personalId).toBe(wife.personalId);
      expect(Number(record.ngayDangKy!.slice(-4)) - wife.birthDate.year).toBeGreaterThanOrEqual(18);
    }
    expect(registers.marriagesByPersonalId.get('001090012345')).toHaveLength(1);
  });

  it('deaths: nobody the population sandbox holds (it marks no one deceased)', () => {
    for (const record of registers.deaths.values()) {
      if (record.nktSoGiayToTuyThan) expect(findPersonById(record.nktSoGiayToTuyThan)).toBeUndefined();
    }
    expect(registers.deathsByPersonalId.get(lateWifeOfLeVanBay.personalId)).toHaveLength(1);
    expect(findPersonById('038038000123')!.maritalStatus).toBe('widowed');
  });

  it('places: 2025 units from 1 July 2025, pre-2025 units before', () => {
    for (const record of [...registers.births.values(), ...registers.marriages.values(), ...registers.deaths.values()]) {
      const after = isoOf(record.ngayDangKy) >= '2025-07-01';
      expect({ code: record.noiDangKy, known: (after ? commune2025 : historicAuthorities).has(record.noiDangKy!) }).toEqual({ code: record.noiDangKy, known: true });
    }
  });
});

describe('civil-status sandbox over HTTP', () => {
  let sandbox: CivilStatusSandbox;
  beforeAll(async () => {
    sandbox = await startCivilStatusSandbox();
  });
  afterAll(async () => sandbox.close());

  const lookUp = (token: string | undefined, body: unknown) =>
    fetch(`${sandbox.apiUrl}/khai-sinh/tra-cuu`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });

  it('wants a bearer token from its token endpoint', async () => {
    expect((await lookUp(undefined, {})).status).toBe(401);
    const token = await fetchPasswordGrantToken(sandbox.tokenUrl, civilStatusSandboxDevCredentials);
    const answer = await lookUp(token, { maDonVi: '000.00.01.H22', maHoSo: 'X', nguoiTraCuu: 'o', data: { soDinhDanh: '001090012345' } });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it('refuses a lookup without the unit and dossier codes, and a malformed key', async () => {
    const token = await fetchPasswordGrantToken(sandbox.tokenUrl, civilStatusSandboxDevCredentials);
    const noDossier = await lookUp(token, { maDonVi: '000.00.01.H22', data: { soDinhDanh: '001090012345' } });
    expect([noDossier.status, ((await noDossier.json()) as { statusCode: string }).statusCode]).toEqual([400, '03']);
    const malformed = await lookUp(token, { maDonVi: 'U', maHoSo: 'X', data: { noiDangKy: '00001', quyenSo: '01/1990', so: 'thirty' } });
    expect([malformed.status, ((await malformed.json()) as { statusCode: string }).statusCode]).toEqual([400, '01']);
  });
});
