import { addressUnitProblem, commune2025, loadAdministrativeUnits2025 } from './administrative-units-2025.js';

describe('2025 administrative units', () => {
  it('loads the shipped list: 34 provinces, each commune under its own province', () => {
    const provinces = loadAdministrativeUnits2025();
    expect(provinces).toHaveLength(34);
    expect(commune2025('00004')).toEqual({ code: '00004', fullName: 'Phường Ba Đình', provinceCode: '01' });
    expect(provinces.every((province) => province.communes.every((commune) => commune.provinceCode === province.code))).toBe(true);
  });

  it('accepts a 2025 province and one of its communes', () => {
    expect(addressUnitProblem({ provinceCode: '01', communeCode: '00004' })).toBeUndefined();
  });

  it('refuses an unknown province, an unknown commune and a commune of another province', () => {
    expect(addressUnitProblem({ provinceCode: '02', communeCode: '00004' })).toBe('provinceCode 02 is not a 2025 province');
    expect(addressUnitProblem({ provinceCode: '01', communeCode: '99999' })).toBe('communeCode 99999 is not a 2025 commune');
    const other = loadAdministrativeUnits2025().find((province) => province.code === '79')!.communes[0]!;
    expect(addressUnitProblem({ provinceCode: '01', communeCode: other.code })).toBe(`communeCode ${other.code} is not in province 01`);
  });
});
