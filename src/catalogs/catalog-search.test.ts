import { createCatalogIndex } from './catalog-search.js';

interface Unit {
  code: string;
  name: string;
  aliases: string[];
  parentCode?: string;
  successors: string[];
}

const units: Unit[] = [
  { code: '01', name: 'Thành phố Hà Nội', aliases: [], successors: [] },
  { code: '00004', name: 'Phường Ba Đình', aliases: [], parentCode: '01', successors: ['00004'] },
  { code: '00008', name: 'Phường Ngọc Hà', aliases: ['Ngoc Ha'], parentCode: '01', successors: ['00004', '00008'] },
  { code: '79', name: 'Thành phố Hồ Chí Minh', aliases: ['Sài Gòn'], successors: [] },
  { code: '26734', name: 'Phường Sài Gòn', aliases: [], parentCode: '79', successors: ['26734'] },
];

const index = createCatalogIndex(units, {
  codesOf: (unit) => [unit.code],
  namesOf: (unit) => [unit.name, ...unit.aliases],
  filters: { parentCode: (unit) => unit.parentCode, successorCode: (unit) => unit.successors },
});
const codes = (page: { items: Unit[] }) => page.items.map((unit) => unit.code);

describe('createCatalogIndex', () => {
  it('finds an exact code, and nothing for a code it does not hold', () => {
    expect(codes(index.search({ code: '00008', page: 1, pageSize: 10 }))).toEqual(['00008']);
    expect(index.search({ code: '0000', page: 1, pageSize: 10 })).toEqual({ items: [], total: 0, page: 1, pageSize: 10 });
  });

  it('finds names ignoring case and diacritics, other names included', () => {
    expect(codes(index.search({ name: 'HA NOI', page: 1, pageSize: 10 }))).toEqual(['01']);
    expect(codes(index.search({ name: 'sai gon', page: 1, pageSize: 10 }))).toEqual(['79', '26734']);
    expect(codes(index.search({ name: 'Sài  Gòn', page: 1, pageSize: 10 }))).toEqual(['79', '26734']);
  });

  it('combines name, code and filters (a list-valued filter holds the value)', () => {
    expect(codes(index.search({ name: 'phuong', filters: { parentCode: '01' }, page: 1, pageSize: 10 }))).toEqual(['00004', '00008']);
    expect(codes(index.search({ filters: { successorCode: '00004' }, page: 1, pageSize: 10 }))).toEqual(['00004', '00008']);
    expect(codes(index.search({ name: 'sai gon', filters: { parentCode: '79' }, page: 1, pageSize: 10 }))).toEqual(['26734']);
    expect(codes(index.search({ filters: { parentCode: undefined }, page: 1, pageSize: 10 }))).toHaveLength(5);
  });

  it('pages in the catalog order, with the total over all pages', () => {
    expect(index.search({ page: 1, pageSize: 2 })).toMatchObject({ total: 5, page: 1, pageSize: 2, items: [units[0], units[1]] });
    expect(codes(index.search({ page: 3, pageSize: 2 }))).toEqual(['26734']);
    expect(index.search({ page: 4, pageSize: 2 })).toMatchObject({ total: 5, items: [] });
  });

  it('refuses a filter nobody declared (a wiring bug, not a caller mistake)', () => {
    expect(() => index.search({ filters: { colour: 'blue' }, page: 1, pageSize: 1 })).toThrow(/colour/);
  });
});
