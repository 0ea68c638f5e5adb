import type { ConnectorDescriptor, OperationDescriptor } from '../../src/connector-kit/index.js';
import { populationConnector } from '../../connectors/population/descriptor.js';
import { publicServicePortalConnector } from '../../connectors/public-service-portal/descriptor.js';

/**
 * Connectors that exist only in tests, mounted beside the registry's to prove
 * that a new connector needs its descriptor (with its sandbox) and nothing in
 * config/default.yaml or config/access-seed.yaml. Renamed copies of shipped
 * descriptors, like bench/bench-connectors.ts builds:
 *
 *   civil-registry    personal data; its own sandbox module (./civil-registry-sandbox.ts)
 *                     with its own development credentials
 *   service-catalog   reference data (no purposes); the portal's sandbox module as it is
 */
function renamed<Client>(descriptor: ConnectorDescriptor<Client>, from: string, id: string, sandbox: ConnectorDescriptor['sandbox']): ConnectorDescriptor<Client> {
  const path = (value: string) => value.replace(`/${from}/`, `/${id}/`).replace(new RegExp(`^/${from}$`), `/${id}`);
  return {
    ...descriptor,
    id,
    title: `${descriptor.title} (test copy: ${id})`,
    sandbox,
    operations: descriptor.operations.map(
      (operation): OperationDescriptor<Client, any> => ({
        ...operation,
        id: operation.id.replace(`${from}.`, `${id}.`),
        path: path(operation.path),
        ...(operation.lookup && { lookup: { path: path(operation.lookup.path) } }),
      }),
    ),
  };
}

export const civilRegistryConnector = renamed(populationConnector, 'population', 'civil-registry', { port: 0, load: () => import('./civil-registry-sandbox.js') });
// The catalog reads only: the portal's dossier sync (its writes, their outbox target and delivery handler) stays the portal's own.
const catalogOnly: ConnectorDescriptor<unknown> = {
  ...(publicServicePortalConnector as ConnectorDescriptor<unknown>),
  operations: publicServicePortalConnector.operations.filter((operation) => !operation.write && !operation.deliveryStatus) as ConnectorDescriptor<unknown>['operations'],
  deliveries: undefined,
};
export const serviceCatalogConnector = renamed(catalogOnly, 'public-service-portal', 'service-catalog', { ...publicServicePortalConnector.sandbox!, port: 0 });
