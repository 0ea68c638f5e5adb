import { loadShippedCatalogs } from '../../src/catalogs/shipped-catalogs.js';
import { foldForSearch } from '../../src/catalogs/text-folding.js';
import { historicDistricts, historicProvinces } from '../../simulators/kit/historic-admin-units.js';
import { loadAdministrativeUnits2025 } from '../../simulators/kit/administrative-units.js';

// The sandboxes' seeded story (simulators/kit) and the catalogs tell the same geography: an old code a sandbox
// puts in a record is one the pre-2025 catalog knows, with the same name and the same 2025 successor.
const catalogs = loadShippedCatalogs();
const historic = new Map(catalogs.historicUnits.map((unit) => [unit.code, unit]));
// Names compare folded: the two lists place some tone marks differently (Thanh Hoá / Thanh Hóa), the same name.
const nameOf = (code: string) => foldForSearch(historic.get(code)?.name ?? '(none)');

describe('the sandboxes\' administrative units and the catalogs', () => {
  it('name every sandbox pre-2025 province as the catalog does, and the sandbox successor among the catalog\'s', () => {
    // The catalog names each unit as it was on 30 June 2025: Thừa Thiên Huế had become Thành phố Huế on 1 January
    // 2025; the sandboxes' older records still say Tỉnh Thừa Thiên Huế. Same code, same successor.
    const renamedBeforeJuly2025: Record<string, string> = { '46': 'Thành phố Huế' };
    for (const province of historicProvinces) {
      const expected = renamedBeforeJuly2025[province.code] ?? province.fullName;
      expect({ code: province.code, name: nameOf(province.code) }).toEqual({ code: province.code, name: foldForSearch(expected) });
      expect(historic.get(province.code)!.successors.map((successor) => successor.code)).toContain(province.successorCode);
    }
  });

  it('know the sandbox districts and wards under the same codes and names', () => {
    for (const district of historicDistricts) {
      expect(historic.get(district.code)).toMatchObject({ level: 'district', parentCode: district.provinceCode });
      expect(nameOf(district.code)).toBe(foldForSearch(district.fullName));
      if (!district.ward) continue;
      expect(historic.get(district.ward.code)).toMatchObject({ level: 'ward', parentCode: district.code });
      expect(nameOf(district.ward.code)).toBe(foldForSearch(district.ward.fullName));
    }
  });

  it('serve the same 2025 list the sandboxes read', () => {
    const communes = loadAdministrativeUnits2025().flatMap((province) => province.communes.map((commune) => commune.code));
    expect(catalogs.units2025.filter((unit) => unit.level === 'commune').map((unit) => unit.code)).toEqual(communes);
  });
});
