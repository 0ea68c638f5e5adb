/**
 * A name as the catalog search compares it: lower case, Vietnamese diacritics
 * and tone marks removed (đ → d, which Unicode does not decompose), spaces
 * collapsed. "Thành phố Hồ Chí Minh", "THANH PHO HO CHI MINH" and
 * "thanh  pho ho chi minh" fold alike, and so do the two tone-mark
 * placements in use ("Hòa" / "Hoà").
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
