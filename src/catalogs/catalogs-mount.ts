import { readFileSync } from 'node:fs';
import { Counter } from 'prom-client';
import type { CatalogAgency, CatalogField } from '../../contracts/types.generated.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import { describeViolations } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import type { PipelineDependencies } from '../pipeline/pipeline-dependencies.js';
import { problemOf } from '../pipeline/upstream-problem.js';
import { fromProjectRoot } from '../paths.js';
import { catalogsDescriptor, catalogsModuleId, indexShippedCatalogs, type CatalogService } from './catalogs-descriptor.js';
import { PortalCatalog } from './portal-catalog.js';
import { portalOperationFetch } from './portal-operation-fetch.js';
import { CatalogDataError, loadShippedCatalogs } from './shipped-catalogs.js';

export interface CatalogsSettings {
  /** How long a list the portal gave is answered without asking again. */
  portalRefreshIntervalMs: number;
  /** A JSON file `{asOf, agencies: [{code, name}], fields: [{code, label}]}` answered while the portal has not answered since start (relative paths: from the project root). */
  portalSnapshotFile?: string;
}

const portalConnectorId = 'public-service-portal';
const defs = 'https://lgsp.gov.vn/contracts/catalogs/v1/definitions.json#/$defs';

/**
 * The catalogs as the data plane mounts them: their descriptor and a handle
 * that always has the catalog service as its client (nothing to switch off
 * or rebuild: the data is the gateway's own). Reads and checks the shipped
 * files now, so a broken catalog stops the start.
 */
export function mountCatalogs(options: {
  deps: Pick<PipelineDependencies, 'upstreams' | 'responseCache' | 'maxRequestTimeoutMs' | 'contracts' | 'metrics' | 'logger'>;
  connectors: ReadonlyArray<{ descriptor: ConnectorDescriptor<any>; handle: ConnectorHandle }>;
  settings: CatalogsSettings;
}): { descriptor: ConnectorDescriptor<CatalogService>; handle: ConnectorHandle } {
  const { deps, settings } = options;
  const snapshot = settings.portalSnapshotFile ? readPortalSnapshot(deps, settings.portalSnapshotFile) : undefined;
  const portal = options.connectors.find(({ descriptor }) => descriptor.id === portalConnectorId);
  const portalCatalog = <T>(name: string, operationId: string, items: readonly T[] | undefined) => {
    const fetchOperation = portal ? portalOperationFetch(deps, portal, operationId) : undefined;
    return new PortalCatalog<T>({
      name,
      async fetch() {
        if (!fetchOperation) throw new ProblemError('LGSP_CONNECTOR_DISABLED', { connector: portalConnectorId, detail: 'the public-service-portal connector is not configured' });
        try {
          const { data, ageSeconds } = await fetchOperation();
          return { items: (data as { items: T[] }).items, ageSeconds };
        } catch (error) {
          // Typed here, naming the portal: a caller with no copy to fall back on learns whose failure it is.
          throw problemOf(error, portalConnectorId);
        }
      },
      ...(snapshot && items && { snapshot: { items, asOf: snapshot.asOf } }),
      refreshIntervalMs: settings.portalRefreshIntervalMs,
      // At most every 30 s (or every refresh, when that is shorter) while the portal fails.
      retryAfterFailureMs: Math.min(30_000, settings.portalRefreshIntervalMs),
      logger: deps.logger,
    });
  };
  // How often each copy answers: a rise of last-good-copy or snapshot answers is the portal failing as the catalogs see it.
  const answers = new Counter({
    name: 'lgsp_catalog_portal_answers_total',
    help: "Answers of the portal's agency and field catalogs by where the copy came from (portal, last-good-copy, snapshot)",
    labelNames: ['catalog', 'source'],
    registers: [deps.metrics.registry],
  });
  const counted = <T>(name: string, catalog: PortalCatalog<T>) => ({
    async read() {
      const copy = await catalog.read();
      answers.inc({ catalog: name, source: copy.source.kind });
      return copy;
    },
  });
  const service: CatalogService = {
    ...indexShippedCatalogs(loadShippedCatalogs()),
    agencies: counted('agencies', portalCatalog<CatalogAgency>('agencies', 'public-service-portal.agency.list', snapshot?.agencies)),
    fields: counted('fields', portalCatalog<CatalogField>('fields', 'public-service-portal.field.list', snapshot?.fields)),
  };
  const lease = { client: service, release() {} };
  return {
    descriptor: catalogsDescriptor,
    handle: { connectorId: catalogsModuleId, availability: () => ({ kind: 'available' }), acquire: () => lease },
  };
}

function readPortalSnapshot(deps: Pick<PipelineDependencies, 'contracts'>, file: string): { asOf: string; agencies: CatalogAgency[]; fields: CatalogField[] } {
  const path = file.startsWith('/') ? file : fromProjectRoot(file);
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const validate = deps.contracts.validator({
    type: 'object',
    required: ['asOf', 'agencies', 'fields'],
    properties: {
      asOf: { type: 'string', format: 'date-time' },
      agencies: { type: 'array', items: { $ref: `${defs}/catalogAgency` } },
      fields: { type: 'array', items: { $ref: `${defs}/catalogField` } },
    },
  });
  if (!validate(snapshot)) {
    throw new CatalogDataError(`catalogs.portalSnapshotFile ${file} is not a portal catalog snapshot: ${describeViolations(validate.errors).map((violation) => `${violation.field} ${violation.message}`).join('; ')}`);
  }
  return snapshot as { asOf: string; agencies: CatalogAgency[]; fields: CatalogField[] };
}
