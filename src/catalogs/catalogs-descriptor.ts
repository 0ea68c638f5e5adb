import type {
  AdministrativeUnit,
  CatalogAgency,
  CatalogField,
  Ethnicity,
  HistoricAdministrativeUnit,
  Nationality,
  Religion,
} from '../../contracts/types.generated.js';
import type { ConnectorDescriptor, OperationDescriptor, OperationInput } from '../connector-kit/descriptor.js';
import type { JsonSchema } from '../connector-kit/json-schema.js';
import { createCatalogIndex, defaultPageSize, type CatalogIndex, type CatalogQuery } from './catalog-search.js';
import type { PortalCatalogCopy } from './portal-catalog.js';

/** What the catalog operations read: the shipped catalogs, indexed, and the portal's two, kept by PortalCatalog. */
export interface CatalogService {
  units2025: CatalogIndex<AdministrativeUnit>;
  historicUnits: CatalogIndex<HistoricAdministrativeUnit>;
  ethnicities: CatalogIndex<Ethnicity>;
  religions: CatalogIndex<Religion>;
  nationalities: CatalogIndex<Nationality>;
  agencies: { read(): Promise<PortalCatalogCopy<CatalogAgency>> };
  fields: { read(): Promise<PortalCatalogCopy<CatalogField>> };
}

export const catalogsModuleId = 'catalogs';

const contracts = 'https://lgsp.gov.vn/contracts/catalogs/v1';
const defs = `${contracts}/definitions.json#/$defs`;

// Shipped data changes only with a gateway release; the portal's lists are refreshed hourly. `private`: a shared
// proxy must not hand an answer to a caller the gateway would refuse (every catalog is behind a grant).
const shippedCacheControl = 'private, max-age=3600';
const portalCacheControl = 'private, max-age=300';

const paging = { page: { $ref: `${defs}/catalogPage` }, pageSize: { $ref: `${defs}/catalogPageSize` } };
const code = (description: string): JsonSchema => ({ $ref: `${defs}/catalogCode`, description });
const name = (description: string): JsonSchema => ({ $ref: `${defs}/catalogNameQuery`, description });

/** The query as CatalogIndex.search takes it, from the validated parameters (the contract already bounded them). */
function queryOf(input: OperationInput, filters: readonly string[] = []): CatalogQuery {
  const { query } = input;
  return {
    ...(query.code !== undefined && { code: query.code }),
    ...(query.name !== undefined && { name: query.name }),
    filters: Object.fromEntries(filters.map((filter) => [filter, query[filter]])),
    page: Number(query.page ?? 1),
    pageSize: Number(query.pageSize ?? defaultPageSize),
  };
}

interface SearchOperation {
  id: string;
  path: string;
  summary: string;
  description: string;
  query: Record<string, JsonSchema>;
  response: string;
  cacheControl: string;
  search(service: CatalogService, input: OperationInput): Promise<unknown> | unknown;
}

/** A catalog search: no personal data (no X-End-User / X-Purpose, no audit record), a GET that is safe to repeat. */
function searchOperation(spec: SearchOperation): OperationDescriptor<CatalogService> {
  return {
    id: spec.id,
    method: 'GET',
    path: spec.path,
    summary: spec.summary,
    description: `${spec.description} Every parameter is optional and they combine; \`name\` ignores case and Vietnamese diacritics. Answers carry an ETag (send it back in If-None-Match for a 304) and Cache-Control \`${spec.cacheControl}\`.`,
    personalData: false,
    idempotent: true,
    local: { cacheControl: spec.cacheControl },
    request: { query: { properties: { ...spec.query, ...paging } } },
    response: `${contracts}/${spec.response}`,
    subjectIdOf: () => undefined,
    releasedFields: (page: object) => Object.keys(page),
    async invoke(service, input) {
      return { kind: 'found', data: await spec.search(service, input) };
    },
  };
}

type ShippedCatalog = 'units2025' | 'historicUnits' | 'ethnicities' | 'religions' | 'nationalities';

/** A search of a catalog shipped in config/catalogs/ (kept by a release: an hour in the caller's cache), with these filters besides code and name. */
function shippedSearch(catalog: ShippedCatalog, filters: readonly string[], spec: Omit<SearchOperation, 'cacheControl' | 'search'>): OperationDescriptor<CatalogService> {
  return searchOperation({ ...spec, cacheControl: shippedCacheControl, search: (service, input) => service[catalog].search(queryOf(input, filters)) });
}

/** A page of one of the portal's catalogs, searched in the copy at hand, with where that copy comes from. */
async function portalPage<T>(read: () => Promise<PortalCatalogCopy<T>>, indexOf: (items: readonly T[]) => CatalogIndex<T>, input: OperationInput) {
  const copy = await read();
  return { ...indexOf(copy.items).search(queryOf(input)), source: copy.source };
}

// One index per copy the portal gave: built on the first search of a new copy, dropped with it.
const indexesOfCopies = new WeakMap<object, CatalogIndex<unknown>>();
function indexOfCopy<T>(items: readonly T[], build: (items: readonly T[]) => CatalogIndex<T>): CatalogIndex<T> {
  let index = indexesOfCopies.get(items) as CatalogIndex<T> | undefined;
  if (!index) indexesOfCopies.set(items, (index = build(items)) as CatalogIndex<unknown>);
  return index;
}
const agencyIndex = (items: readonly CatalogAgency[]) => indexOfCopy(items, (list) => createCatalogIndex(list, { codesOf: (agency) => [agency.code], namesOf: (agency) => [agency.name] }));
const fieldIndex = (items: readonly CatalogField[]) => indexOfCopy(items, (list) => createCatalogIndex(list, { codesOf: (field) => [field.code], namesOf: (field) => [field.label] }));

/**
 * The common catalogs (`/api/v1/catalogs/...`) as operations of the one
 * pipeline: the same token check, deny-by-default grants (one per catalog, as
 * for the portal's procedure catalog), quotas, request contracts, metrics,
 * problems and OpenAPI as every connector's, mounted by the gateway itself
 * (src/gateway.ts) rather than through the connector runtime: they have no
 * upstream, credentials or settings of their own. The portal's two catalogs
 * ask the portal through its own connector (portal-operation-fetch.ts).
 */
export const catalogsDescriptor: ConnectorDescriptor<CatalogService> = {
  id: catalogsModuleId,
  title: 'Common catalogs',
  upstream: 'Reference data shipped with the gateway (config/catalogs/) and the National Public Service Portal\'s agency and field catalogs',
  protocol: 'local',
  authScheme: 'none',
  credentialSchema: { type: 'object', additionalProperties: false, properties: {} },
  settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
  resilience: {},
  async createClient() {
    throw new Error('the catalogs are mounted by the gateway with their own data (src/catalogs/catalogs-mount.ts)');
  },
  async probe() {},
  operations: [
    shippedSearch('units2025', ['level', 'parentCode'], {
      id: 'catalogs.administrative-unit.search',
      path: '/catalogs/administrative-units',
      summary: 'Search the administrative units in force since 1 July 2025',
      description: 'The two-level units: 34 provinces and centrally-run cities, 3,321 communes, wards and special zones, with their codes.',
      query: {
        code: code('A province (2 digits) or commune (5 digits) code.'),
        name: name('Words of the unit\'s name.'),
        level: { enum: ['province', 'commune'], description: 'Only provinces, or only communes.' },
        parentCode: { type: 'string', pattern: '^[0-9]{2}$', description: 'The communes of this province.' },
      },
      response: 'administrative-unit-page.json',
    }),
    shippedSearch('historicUnits', ['level', 'parentCode', 'provinceCode', 'successorCode'], {
      id: 'catalogs.historic-administrative-unit.search',
      path: '/catalogs/administrative-units/pre-2025',
      summary: 'Search the administrative units in force until 30 June 2025, with what each became',
      description:
        'The three-level units of records made before the reorganisation (63 provinces, their districts, wards and communes), each with the 2025 units it became (`successors`; for a ward, whether all of it or a part went there). `successorCode` lists the old units a 2025 unit was made from.',
      query: {
        code: code('A province (2 digits), district (3) or ward (5) code.'),
        name: name('Words of the unit\'s name.'),
        level: { enum: ['province', 'district', 'ward'], description: 'Only units of this level.' },
        parentCode: { type: 'string', pattern: '^([0-9]{2}|[0-9]{3})$', description: 'The districts of this province, or the wards of this district.' },
        provinceCode: { type: 'string', pattern: '^[0-9]{2}$', description: 'Every unit of this pre-2025 province.' },
        successorCode: { type: 'string', pattern: '^([0-9]{2}|[0-9]{5})$', description: 'The old units this 2025 province or commune was made from.' },
      },
      response: 'historic-administrative-unit-page.json',
    }),
    shippedSearch('ethnicities', [], {
      id: 'catalogs.ethnicity.search',
      path: '/catalogs/ethnicities',
      summary: 'Search the ethnic groups',
      description: 'Ethnic groups with the statistics office\'s codes (Quyết định 1019/QĐ-TCTK, 2008); other names are searched too (codes 21–54: names only, see config/catalogs/README.md).',
      query: { code: code('A two-digit code.'), name: name('Words of the name or of another name.') },
      response: 'ethnicity-page.json',
    }),
    shippedSearch('religions', [], {
      id: 'catalogs.religion.search',
      path: '/catalogs/religions',
      summary: 'Search the religions',
      description: 'Religions with the statistics office\'s codes (Quyết định 1019/QĐ-TCTK, 2008, as QCVN 109:2017/BTTTT reproduces it) and their main organizations (searched by name too).',
      query: { code: code('A two-digit code.'), name: name('Words of the religion\'s or an organization\'s name.') },
      response: 'religion-page.json',
    }),
    shippedSearch('nationalities', [], {
      id: 'catalogs.nationality.search',
      path: '/catalogs/nationalities',
      summary: 'Search the nationalities',
      description: 'ISO 3166-1 countries with Vietnamese and English names.',
      query: { code: code('ISO 3166-1 alpha-2, alpha-3 or numeric code.'), name: name('Words of the Vietnamese or English name.') },
      response: 'nationality-page.json',
    }),
    searchOperation({
      id: 'catalogs.agency.search',
      path: '/catalogs/public-service-portal/agencies',
      summary: 'Search the agencies of the National Public Service Portal\'s catalog',
      description:
        'The portal\'s agency catalog (LayDanhMucCoQuan), kept by the gateway: the portal\'s list while it answers (refreshed hourly), the last list it gave or the shipped snapshot while it does not; `source` says which and as of when.',
      query: { code: code('An agency code, e.g. 000.00.05.H22.'), name: name('Words of the agency\'s name.') },
      response: 'agency-page.json',
      cacheControl: portalCacheControl,
      search: (service, input) => portalPage(() => service.agencies.read(), agencyIndex, input),
    }),
    searchOperation({
      id: 'catalogs.field.search',
      path: '/catalogs/public-service-portal/fields',
      summary: 'Search the procedure fields of the National Public Service Portal\'s catalog',
      description:
        'The portal\'s field catalog (LayDanhMucLinhVuc), kept like the agency catalog: the portal\'s list while it answers, the last list it gave or the shipped snapshot while it does not; `source` says which.',
      query: { code: code('A field code.'), name: name('Words of the field\'s label.') },
      response: 'field-page.json',
      cacheControl: portalCacheControl,
      search: (service, input) => portalPage(() => service.fields.read(), fieldIndex, input),
    }),
  ],
};

/** Indexes over the shipped catalogs: codes, names (and other names) and the filters the operations declare. */
export function indexShippedCatalogs(data: {
  units2025: readonly AdministrativeUnit[];
  historicUnits: readonly HistoricAdministrativeUnit[];
  ethnicities: readonly Ethnicity[];
  religions: readonly Religion[];
  nationalities: readonly Nationality[];
}): Pick<CatalogService, 'units2025' | 'historicUnits' | 'ethnicities' | 'religions' | 'nationalities'> {
  return {
    units2025: createCatalogIndex(data.units2025, {
      codesOf: (unit) => [unit.code],
      namesOf: (unit) => [unit.name],
      filters: { level: (unit) => unit.level, parentCode: (unit) => unit.parentCode },
    }),
    historicUnits: createCatalogIndex(data.historicUnits, {
      codesOf: (unit) => [unit.code],
      namesOf: (unit) => [unit.name],
      filters: {
        level: (unit) => unit.level,
        parentCode: (unit) => unit.parentCode,
        provinceCode: (unit) => unit.provinceCode,
        successorCode: (unit) => unit.successors.map((successor) => successor.code),
      },
    }),
    ethnicities: createCatalogIndex(data.ethnicities, { codesOf: (group) => [group.code], namesOf: (group) => [group.name, ...group.otherNames] }),
    religions: createCatalogIndex(data.religions, { codesOf: (religion) => [religion.code], namesOf: (religion) => [religion.name, ...religion.organizations] }),
    nationalities: createCatalogIndex(data.nationalities, {
      codesOf: (country) => [country.code, country.alpha3, country.numeric],
      namesOf: (country) => [country.name, country.nameEn],
    }),
  };
}
