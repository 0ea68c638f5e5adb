import { existsSync, readFileSync } from 'node:fs';
import { fromProjectRoot } from './project-root.js';

/**
 * The 2025 two-level administrative units (34 provinces, their communes,
 * wards and special zones) shipped in config/catalogs/. Connectors check the
 * codes of an address against it before anything leaves the gateway; the
 * sandboxes draw their seeded addresses from the same list
 * (simulators/kit/administrative-units.ts re-exports this module).
 */

/** A 2025 (two-level) province or centrally-run city. */
export interface Province2025 {
  code: string;
  fullName: string;
  communes: Commune2025[];
}

/** A 2025 commune, ward or special zone. */
export interface Commune2025 {
  code: string;
  fullName: string;
  provinceCode: string;
}

interface RawProvince {
  Code: string;
  FullName: string;
  Wards: Array<{ Code: string; FullName: string; ProvinceCode: string }>;
}

/** The 2025 list shipped in config/catalogs/; LGSP_ADMIN_UNITS_FILE points elsewhere (a newer snapshot). */
export function defaultAdministrativeUnitsFile(): string {
  return process.env.LGSP_ADMIN_UNITS_FILE ?? fromProjectRoot('config/catalogs/administrative-units-2025.json');
}

const cache = new Map<string, Province2025[]>();
const communeIndexes = new WeakMap<Province2025[], ReadonlyMap<string, Commune2025>>();

export function loadAdministrativeUnits2025(file: string = defaultAdministrativeUnitsFile()): Province2025[] {
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    throw new Error(
      `administrative units file not found: ${file} — the 2025 province/commune list ` +
        '(config/catalogs/administrative-units-2025.json); set LGSP_ADMIN_UNITS_FILE to its location',
    );
  }
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawProvince[];
  const provinces = raw.map((province) => ({
    code: province.Code,
    fullName: province.FullName,
    communes: province.Wards.map((ward) => ({ code: ward.Code, fullName: ward.FullName, provinceCode: ward.ProvinceCode })),
  }));
  cache.set(file, provinces);
  return provinces;
}

/** The 2025 commune with this code, or undefined when the 2025 list has none (an old code, or no such unit). */
export function commune2025(code: string, provinces: Province2025[] = loadAdministrativeUnits2025()): Commune2025 | undefined {
  let index = communeIndexes.get(provinces);
  if (!index) {
    index = new Map(provinces.flatMap((province) => province.communes.map((commune) => [commune.code, commune] as const)));
    communeIndexes.set(provinces, index);
  }
  return index.get(code);
}

/**
 * Why an address's province and commune codes are not a valid 2025 pair, or
 * undefined when they are: the commune must exist in the 2025 list and lie
 * in that province (a pre-July-2025 commune code, or a commune of another
 * province, is refused).
 */
export function addressUnitProblem(address: { provinceCode: string; communeCode: string }, provinces: Province2025[] = loadAdministrativeUnits2025()): string | undefined {
  if (!provinces.some((province) => province.code === address.provinceCode)) return `provinceCode ${address.provinceCode} is not a 2025 province`;
  const commune = commune2025(address.communeCode, provinces);
  if (!commune) return `communeCode ${address.communeCode} is not a 2025 commune`;
  if (commune.provinceCode !== address.provinceCode) return `communeCode ${address.communeCode} is not in province ${address.provinceCode}`;
  return undefined;
}
