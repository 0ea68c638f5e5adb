import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromProjectRoot } from '../paths.js';
import { CatalogDataError, loadShippedCatalogs } from './shipped-catalogs.js';

// The files in config/catalogs/ as shipped: their counts and their cross-references.
const catalogs = loadShippedCatalogs();

describe('the shipped catalogs (config/catalogs/)', () => {
  it('hold the 34 provinces and 3,321 communes of 2025, every commune in one of them', () => {
    const provinces = catalogs.units2025.filter((unit) => unit.level === 'province');
    const communes = catalogs.units2025.filter((unit) => unit.level === 'commune');
    expect(provinces).toHaveLength(34);
    expect(communes).toHaveLength(3321);
    const provinceCodes = new Set(provinces.map((province) => province.code));
    expect(communes.filter((commune) => !provinceCodes.has(commune.parentCode!))).toEqual([]);
    expect(new Set(catalogs.units2025.map((unit) => unit.code)).size).toBe(34 + 3321);
  });

  it('hold the 63 pre-2025 provinces, their districts and wards, each mapped to existing 2025 units of the right level', () => {
    const byLevel = (level: string) => catalogs.historicUnits.filter((unit) => unit.level === level);
    expect(byLevel('province')).toHaveLength(63);
    expect(byLevel('district').length).toBeGreaterThan(690);
    expect(byLevel('ward').length).toBeGreaterThan(10_000);
    const levelOf = new Map(catalogs.units2025.map((unit) => [unit.code, unit.level]));
    const broken = catalogs.historicUnits.filter((unit) => unit.successors.length === 0 || unit.successors.some((successor) => levelOf.get(successor.code) !== successor.level));
    expect(broken).toEqual([]);
    // Provinces become provinces; districts and wards become communes.
    expect(byLevel('province').every((unit) => unit.successors.every((successor) => successor.level === 'province'))).toBe(true);
    expect([...byLevel('district'), ...byLevel('ward')].every((unit) => unit.successors.every((successor) => successor.level === 'commune'))).toBe(true);
  });

  it('keep the pre-2025 tree whole: every ward in a listed district, every district in a listed province', () => {
    const codesOf = (level: string) => new Set(catalogs.historicUnits.filter((unit) => unit.level === level).map((unit) => unit.code));
    const districts = codesOf('district');
    const provinces = codesOf('province');
    expect(catalogs.historicUnits.filter((unit) => unit.level === 'ward' && !districts.has(unit.parentCode!))).toEqual([]);
    expect(catalogs.historicUnits.filter((unit) => unit.level === 'district' && !provinces.has(unit.parentCode!))).toEqual([]);
  });

  it('make every 2025 commune the successor of at least one old unit', () => {
    const successors = new Set(catalogs.historicUnits.flatMap((unit) => unit.successors.map((successor) => successor.code)));
    expect(catalogs.units2025.filter((unit) => !successors.has(unit.code))).toEqual([]);
  });

  it('say for every ward successor whether all of the ward went there; a ward split between communes has several', () => {
    const wards = catalogs.historicUnits.filter((unit) => unit.level === 'ward');
    expect(wards.every((ward) => ward.successors.every((successor) => typeof successor.whole === 'boolean'))).toBe(true);
    expect(wards.filter((ward) => ward.successors.length > 1).length).toBeGreaterThan(400);
    // The one ward the table gives a whole successor and partial ones: Kỳ Lợi's territory went to Vũng Áng ("Nhập
    // toàn bộ diện tích"), parts of its population to Sông Trí and Hoành Sơn ("Nhập một phần dân số").
    expect(wards.filter((ward) => ward.successors.length > 1 && ward.successors.some((successor) => successor.whole)).map((ward) => ward.code)).toEqual(['18796']);
  });

  it('hold religions 01-14, ethnicities with unique two-digit codes, and ISO 3166-1 nationalities with Viet Nam', () => {
    expect(catalogs.religions.map((religion) => religion.code)).toEqual(Array.from({ length: 14 }, (_, i) => String(i + 1).padStart(2, '0')));
    // The 54 groups, 01-54 in order, the 2008 numbering (04 Mường, 06 Hoa; the last three Rơ Măm, Brâu, Ơ Đu).
    expect(catalogs.ethnicities.map((group) => group.code)).toEqual(Array.from({ length: 54 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(catalogs.ethnicities.map((group) => group.name)).size).toBe(54);
    expect(['04', '06', '21', '52', '53', '54'].map((code) => catalogs.ethnicities.find((group) => group.code === code)?.name)).toEqual(['Mường', 'Hoa', 'Thổ', 'Rơ Măm', 'Brâu', 'Ơ Đu']);
    expect(catalogs.nationalities.length).toBeGreaterThanOrEqual(249);
    expect(catalogs.nationalities.find((country) => country.code === 'VN')).toEqual({ code: 'VN', alpha3: 'VNM', numeric: '704', name: 'Việt Nam', nameEn: 'Vietnam' });
  });
});

describe('loadShippedCatalogs on broken files', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'lgsp-catalogs-'));
    cpSync(fromProjectRoot('config/catalogs'), directory, { recursive: true });
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const rewrite = (file: string, change: (text: string) => string) => writeFileSync(join(directory, file), change(readFileSync(join(directory, file), 'utf8')));

  it('refuses a commune whose province is not in the list', () => {
    rewrite('administrative-units-2025.json', (text) => text.replace('"ProvinceCode": "01"', '"ProvinceCode": "99"'));
    expect(() => loadShippedCatalogs(directory)).toThrow(new CatalogDataError('2025 commune 00004 names province 99, which the list does not have'));
  });

  it('refuses an old unit whose successor is not a 2025 unit', () => {
    rewrite('administrative-units-pre-2025.json', (text) => text.replace('"successors":[{"code":"08","level":"province"}]', '"successors":[{"code":"98","level":"province"}]'));
    expect(() => loadShippedCatalogs(directory)).toThrow(/pre-2025 province 02 names province 98, which is not a 2025 province/);
  });
});
