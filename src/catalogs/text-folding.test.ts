import { foldForSearch } from './text-folding.js';

describe('foldForSearch', () => {
  it.each([
    ['Thành phố Hồ Chí Minh', 'thanh pho ho chi minh'],
    ['THÀNH PHỐ HỒ CHÍ MINH', 'thanh pho ho chi minh'],
    ['Đắk Lắk', 'dak lak'],
    ['  Phường   Ba Đình ', 'phuong ba dinh'],
    ['Quảng Ngãi', 'quang ngai'],
    ['Ơ Đu', 'o du'],
  ])('folds %j to %j', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });

  it('folds both tone-mark placements and both Unicode forms alike', () => {
    expect(foldForSearch('Hòa')).toBe(foldForSearch('Hoà'));
    expect(foldForSearch('Hòa'.normalize('NFD'))).toBe(foldForSearch('Hòa'.normalize('NFC')));
  });
});
