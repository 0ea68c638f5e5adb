import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromProjectRoot } from '../src/paths.js';
import { foldForSearch } from '../src/catalogs/text-folding.js';
import { parseCsv } from '../src/util/csv.js';

/**
 * npm run catalogs:generate -- --pre2025 <file> --conversion <file> --iso3166 <file>
 *
 * Writes the two generated catalog files of config/catalogs/ (their sources are
 * named in config/catalogs/README.md; none of them is fetched here):
 *
 * - administrative-units-pre-2025.json, from the pre-July-2025 list
 *   (vietnamese-provinces-database v2.4.1, json/simplified_json_generated_data_vn_units.json)
 *   and the statistics office's old→new conversion table
 *   (BangChuyendoiĐVHCmoi_cu_khong_merge.csv, as exported in the VietnamProvinces project),
 *   checked against administrative-units-2025.json;
 * - nationalities.json, from ISO 3166-1 as Debian's iso-codes ships it
 *   (/usr/share/iso-codes/json/iso_3166-1.json) with Vietnamese names from ICU
 *   (Intl.DisplayNames of the Node.js that runs this).
 *
 * The conversion table's codes are taken as they are, except where the table
 * contradicts itself in a way the other two lists settle (each such case is
 * listed under `corrections` in the output, with its reason); anything else
 * that does not fit stops the run instead of being guessed.
 * Exit 0: written; 1: the inputs do not fit together; 2: usage.
 */
const usage = 'usage: npm run catalogs:generate -- --pre2025 <json> --conversion <csv> --iso3166 <json>';

interface OldWard { Code: string; FullName: string; DistrictCode: string }
interface OldDistrict { Code: string; FullName: string; ProvinceCode: string; Ward: OldWard[] | null }
interface OldProvince { Code: string; FullName: string; District: OldDistrict[] }
interface NewProvince { Code: string; FullName: string; Wards: Array<{ Code: string; FullName: string; ProvinceCode: string }> }

interface Successor { code: string; level: 'province' | 'commune'; whole?: boolean }
interface HistoricUnit { code: string; name: string; level: 'province' | 'district' | 'ward'; parentCode?: string; provinceCode: string; successors: Successor[] }

class InputMismatch extends Error {}

function main(): number {
  let args;
  try {
    args = parseArgs({ options: { pre2025: { type: 'string' }, conversion: { type: 'string' }, iso3166: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    process.stderr.write(`catalogs:generate: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (!args.pre2025 || !args.conversion || !args.iso3166) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  try {
    const current = JSON.parse(readFileSync(fromProjectRoot('config/catalogs/administrative-units-2025.json'), 'utf8')) as NewProvince[];
    const historic = historicUnits(JSON.parse(readFileSync(args.pre2025, 'utf8')) as OldProvince[], parseCsv(readFileSync(args.conversion, 'utf8'), { records: 'any-line-break' }), current);
    writeJson('config/catalogs/administrative-units-pre-2025.json', historic);
    writeJson('config/catalogs/nationalities.json', nationalities(JSON.parse(readFileSync(args.iso3166, 'utf8')) as { '3166-1': IsoCountry[] }));
    return 0;
  } catch (error) {
    if (!(error instanceof InputMismatch)) throw error;
    process.stderr.write(`catalogs:generate: ${error.message}\n`);
    return 1;
  }
}

/** One list entry per line: small enough to ship, and a change to one unit is a one-line diff. */
function writeJson(path: string, value: Record<string, unknown>): void {
  const members = Object.entries(value).map(([key, member]) =>
    Array.isArray(member) && member.length > 0 ? `${JSON.stringify(key)}: [\n  ${member.map((entry) => JSON.stringify(entry)).join(',\n  ')}\n ]` : `${JSON.stringify(key)}: ${JSON.stringify(member)}`,
  );
  writeFileSync(fromProjectRoot(path), `{\n ${members.join(',\n ')}\n}\n`);
  process.stdout.write(`wrote ${path}\n`);
}


/** "Tỉnh Cao Bằng (04)" → "04". */
const codeInParentheses = (text: string): string | undefined => /\((\d+)\)\s*$/.exec(text.trim())?.[1];

/** The statistics office's notes: whole units ("Nhập toàn bộ", "Giữ nguyên", renamed...) versus parts ("một phần", "phần còn lại"). */
const isPartial = (note: string): boolean => /một\s+phần|phần còn lại/i.test(note.replace(/\s+/g, ' '));

function historicUnits(oldProvinces: OldProvince[], csv: string[][], current: NewProvince[]) {
  const communes = new Map(current.flatMap((province) => province.Wards.map((ward) => [ward.Code, ward] as const)));
  const provinces2025 = new Set(current.map((province) => province.Code));
  const oldWards = new Map<string, OldWard & { provinceCode: string }>();
  const oldDistricts = new Map<string, OldDistrict>();
  for (const province of oldProvinces) {
    for (const district of province.District) {
      oldDistricts.set(district.Code, district);
      for (const ward of district.Ward ?? []) oldWards.set(ward.Code, { ...ward, provinceCode: province.Code });
    }
  }
  const corrections: Array<{ table: string; used: string; reason: string }> = [];
  // Columns: new province, new name, new code, old name, old code, note, old district "(code)", old province "(code)".
  const rows = csv.filter((row) => /^\d{5}$/.test((row[2] ?? '').trim()));
  const rowsByOldCode = new Map<string, number>();
  for (const row of rows) rowsByOldCode.set(row[4]!.trim(), (rowsByOldCode.get(row[4]!.trim()) ?? 0) + 1);

  const wardSuccessors = new Map<string, Successor[]>();
  const districtCommunes = new Map<string, Set<string>>();
  const provinceSuccessors = new Map<string, Set<string>>();
  for (const row of rows) {
    const [newProvinceText, newName, newCodeText, oldName, oldCodeText, note, districtText, oldProvinceText] = row.map((cell) => cell.trim());
    const newProvince = codeInParentheses(newProvinceText!);
    const oldDistrict = codeInParentheses(districtText!);
    const oldProvince = codeInParentheses(oldProvinceText!);
    if (!newProvince || !provinces2025.has(newProvince) || !oldDistrict || !oldDistricts.has(oldDistrict) || !oldProvince) {
      throw new InputMismatch(`conversion row for ${newCodeText} ${newName}: province or district not in the lists (${newProvinceText} / ${districtText} / ${oldProvinceText})`);
    }
    const newCode = communeCode(newCodeText!, newName!, newProvince, current, communes, corrections);
    let oldCode = oldCodeText!;
    if (oldCode !== '') oldCode = oldWardCode(oldCode, oldName!, oldDistrict, oldWards, oldDistricts, rowsByOldCode, corrections);
    if (!provinceSuccessors.has(oldProvince)) provinceSuccessors.set(oldProvince, new Set());
    provinceSuccessors.get(oldProvince)!.add(newProvince);
    if (!districtCommunes.has(oldDistrict)) districtCommunes.set(oldDistrict, new Set());
    districtCommunes.get(oldDistrict)!.add(newCode);
    // A row without an old ward turns a whole district (an island district) or an unnumbered area into the commune.
    if (oldCode === '') continue;
    const successors = wardSuccessors.get(oldCode) ?? [];
    if (!successors.some((successor) => successor.code === newCode)) successors.push({ code: newCode, level: 'commune', whole: !isPartial(note!) });
    wardSuccessors.set(oldCode, successors);
  }

  const units: HistoricUnit[] = [];
  for (const province of oldProvinces) {
    const successors = [...(provinceSuccessors.get(province.Code) ?? [])].sort();
    if (successors.length === 0) throw new InputMismatch(`old province ${province.Code} has no 2025 successor in the conversion table`);
    units.push({ code: province.Code, name: province.FullName, level: 'province', provinceCode: province.Code, successors: successors.map((code) => ({ code, level: 'province' })) });
  }
  for (const province of oldProvinces) {
    for (const district of province.District) {
      const communeCodes = [...(districtCommunes.get(district.Code) ?? [])].sort();
      if (communeCodes.length === 0) throw new InputMismatch(`old district ${district.Code} ${district.FullName} has no 2025 successor`);
      units.push({ code: district.Code, name: district.FullName, level: 'district', parentCode: province.Code, provinceCode: province.Code, successors: communeCodes.map((code) => ({ code, level: 'commune' })) });
    }
  }
  for (const province of oldProvinces) {
    for (const district of province.District) {
      for (const ward of district.Ward ?? []) {
        const successors = wardSuccessors.get(ward.Code);
        if (!successors) throw new InputMismatch(`old ward ${ward.Code} ${ward.FullName} has no 2025 successor in the conversion table`);
        units.push({ code: ward.Code, name: ward.FullName, level: 'ward', parentCode: district.Code, provinceCode: province.Code, successors: [...successors].sort((a, b) => a.code.localeCompare(b.code)) });
      }
    }
  }
  return {
    description: 'Administrative units in force until 30 June 2025 (63 provinces, their districts and wards), each with the 2025 units it became. Generated by scripts/catalogs-generate.ts; sources in config/catalogs/README.md.',
    effectiveUntil: '2025-06-30',
    corrections,
    units,
  };
}

/** The 2025 code of a conversion row: the table's, unless the 2025 list has no such commune and one of this name in the same province. */
function communeCode(code: string, name: string, province: string, current: NewProvince[], communes: Map<string, { FullName: string }>, corrections: Array<{ table: string; used: string; reason: string }>): string {
  if (communes.has(code)) return code;
  const byName = current.find((p) => p.Code === province)!.Wards.filter((ward) => foldForSearch(ward.FullName) === foldForSearch(name));
  if (byName.length !== 1) throw new InputMismatch(`2025 commune ${code} ${name} is not in administrative-units-2025.json`);
  const used = byName[0]!.Code;
  if (!corrections.some((c) => c.table === code && c.used === used)) {
    corrections.push({ table: code, used, reason: `the conversion table gives ${name} (province ${province}) the code ${code}, which administrative-units-2025.json does not have; it lists ${name} as ${used}` });
  }
  return used;
}

/**
 * The pre-2025 code of a conversion row: the table's, unless the table names
 * another ward than the list does at that code, and the ward it names is the
 * only one of that name in the district and has no row of its own.
 */
function oldWardCode(
  code: string,
  name: string,
  district: string,
  oldWards: Map<string, OldWard>,
  oldDistricts: Map<string, OldDistrict>,
  rowsByOldCode: Map<string, number>,
  corrections: Array<{ table: string; used: string; reason: string }>,
): string {
  const listed = oldWards.get(code);
  if (!listed) throw new InputMismatch(`old ward ${code} ${name} is not in the pre-2025 list`);
  if (foldForSearch(listed.FullName) === foldForSearch(name)) return code;
  const namesake = (oldDistricts.get(district)!.Ward ?? []).filter((ward) => foldForSearch(ward.FullName) === foldForSearch(name));
  if (namesake.length !== 1 || rowsByOldCode.has(namesake[0]!.Code)) return code; // a spelling variant (Quí/Quý, NT/Nông trường): the code stands
  const used = namesake[0]!.Code;
  corrections.push({ table: code, used, reason: `the conversion table gives ${name} (district ${district}) the code ${code}, which the pre-2025 list holds for ${listed.FullName}; ${name} is ${used} there and has no row of its own` });
  return used;
}

interface IsoCountry { alpha_2: string; alpha_3: string; numeric: string; name: string; official_name?: string; common_name?: string }

function nationalities(iso: { '3166-1': IsoCountry[] }) {
  const vietnamese = new Intl.DisplayNames(['vi'], { type: 'region', fallback: 'none' });
  const items = iso['3166-1'].map((country) => {
    const name = vietnamese.of(country.alpha_2);
    if (!name) throw new InputMismatch(`ICU ${process.versions.icu} has no Vietnamese name for ${country.alpha_2}`);
    return { code: country.alpha_2, alpha3: country.alpha_3, numeric: country.numeric, name, nameEn: country.common_name ?? country.name };
  });
  items.sort((a, b) => a.code.localeCompare(b.code));
  return {
    description: `ISO 3166-1 countries (alpha-2 as the code, alpha-3, numeric) with English names from Debian iso-codes and Vietnamese names from ICU ${process.versions.icu} (Intl.DisplayNames). Generated by scripts/catalogs-generate.ts.`,
    items,
  };
}

process.exitCode = main();
