import { existsSync, readFileSync } from 'node:fs';
import { fromProjectRoot } from '../../src/paths.js';

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

export function loadAdministrativeUnits2025(file: string = defaultAdministrativeUnitsFile()): Province2025[] {
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    throw new Error(
      `administrative units file not found: ${file} — the sandboxes need the 2025 province/commune list ` +
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
