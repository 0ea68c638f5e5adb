import type { ConnectorDescriptor } from '../../src/connector-kit/index.js';
import { renamedConnector } from '../../simulators/kit/renamed-connector.js';
import { populationConnector } from '../../connectors/population/descriptor.js';
import { publicServicePortalConnector } from '../../connectors/public-service-portal/descriptor.js';

/**
 * Connectors that exist only in tests, mounted beside the registry's to prove
 * that a new connector needs its descriptor (with its sandbox) and nothing in
 * config/default.yaml or config/access-seed.yaml. Renamed copies of shipped
 * descriptors (simulators/kit/renamed-connector.ts), as the benchmark builds too:
 *
 *   civil-registry    personal data; its own sandbox module (./civil-registry-sandbox.ts)
 *                     with its own development credentials
 *   service-catalog   reference data (no purposes); the portal's sandbox module as it is
 */
const testCopy = <Client>(descriptor: ConnectorDescriptor<Client>, id: string, sandbox: ConnectorDescriptor<Client>['sandbox']) =>
  renamedConnector(descriptor, id, { title: `${descriptor.title} (test copy: ${id})`, sandbox });

export const civilRegistryConnector = testCopy(populationConnector, 'civil-registry', { port: 0, load: () => import('./civil-registry-sandbox.js') });
// The catalog reads only: the portal's dossier sync (its writes, their outbox target and delivery handler) stays the portal's own.
const catalogOnly: ConnectorDescriptor<unknown> = {
  ...(publicServicePortalConnector as ConnectorDescriptor<unknown>),
  operations: publicServicePortalConnector.operations.filter((operation) => !operation.write && !operation.deliveryStatus) as ConnectorDescriptor<unknown>['operations'],
  deliveries: undefined,
};
export const serviceCatalogConnector = testCopy(catalogOnly, 'service-catalog', { ...publicServicePortalConnector.sandbox!, port: 0 });
