import { readFileSync } from 'node:fs';
import type { AdministrativeUnit, Ethnicity, HistoricAdministrativeUnit, Nationality, Religion } from '../../contracts/types.generated.js';
import { loadAdministrativeUnits2025 } from '../connector-kit/administrative-units-2025.js';
import { fromProjectRoot } from '../paths.js';

/** The catalogs shipped as files in config/catalogs/ (sources and licences in its README). */
export interface ShippedCatalogs {
  units2025: AdministrativeUnit[];
  historicUnits: HistoricAdministrativeUnit[];
  ethnicities: Ethnicity[];
  religions: Religion[];
  nationalities: Nationality[];
}

export class CatalogDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogDataError';
  }
}

const readJson = <T>(directory: string, file: string): T => JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) as T;

/**
 * Reads and cross-checks the shipped files once, at start: a commune whose
 * province is missing, or an old unit whose successor is not a 2025 unit,
 * stops the gateway with the unit named rather than serving a catalog that
 * contradicts itself.
 */
export function loadShippedCatalogs(directory = fromProjectRoot('config/catalogs')): ShippedCatalogs {
  // The same parsed list the connectors check addresses against (read once per file).
  const provinces = loadAdministrativeUnits2025(`${directory}/administrative-units-2025.json`);
  const units2025: AdministrativeUnit[] = [];
  for (const province of provinces) units2025.push({ code: province.code, name: province.fullName, level: 'province' });
  const provinceCodes = new Set(provinces.map((province) => province.code));
  for (const province of provinces) {
    for (const commune of province.communes) {
      if (!provinceCodes.has(commune.provinceCode)) throw new CatalogDataError(`2025 commune ${commune.code} names province ${commune.provinceCode}, which the list does not have`);
      units2025.push({ code: commune.code, name: commune.fullName, level: 'commune', parentCode: commune.provinceCode });
    }
  }
  const levelOf = new Map(units2025.map((unit) => [unit.code, unit.level]));
  const historic = readJson<{ units: HistoricAdministrativeUnit[] }>(directory, 'administrative-units-pre-2025.json').units;
  for (const unit of historic) {
    if (unit.successors.length === 0) throw new CatalogDataError(`pre-2025 ${unit.level} ${unit.code} has no 2025 successor`);
    for (const successor of unit.successors) {
      if (levelOf.get(successor.code) !== successor.level) throw new CatalogDataError(`pre-2025 ${unit.level} ${unit.code} names ${successor.level} ${successor.code}, which is not a 2025 ${successor.level}`);
    }
  }
  return {
    units2025,
    historicUnits: historic,
    ethnicities: readJson<{ items: Ethnicity[] }>(directory, 'ethnicities.json').items,
    religions: readJson<{ items: Religion[] }>(directory, 'religions.json').items,
    nationalities: readJson<{ items: Nationality[] }>(directory, 'nationalities.json').items,
  };
}
