import type { ConnectorDescriptor } from '../src/connector-kit/descriptor.js';
import { renamedConnector } from '../simulators/kit/renamed-connector.js';
import { populationConnector } from '../connectors/population/descriptor.js';
import type { PopulationClient } from '../connectors/population/client.js';

/**
 * The connectors the benchmark mounts. There is one real connector today, so
 * the other two are copies of it built here, never registered in the product:
 *
 *   population         the real descriptor (personal data, audited) → upstream A
 *   population-b       the same connector under another id → upstream B, its own
 *                      sandbox: the one that hangs in the isolation and fail-fast runs
 *   population-open    the same operation declared without personal data (no
 *                      X-End-User/X-Purpose, no audit record) → upstream A: the
 *                      "same-shaped operation" the audit cost is measured against
 */
export const isolatedConnectorId = 'population-b';
export const openConnectorId = 'population-open';

function renamed(id: string, options: { personalData?: boolean } = {}): ConnectorDescriptor<PopulationClient> {
  return renamedConnector(populationConnector, id, {
    title: `${populationConnector.title} (benchmark copy: ${id})`,
    operation: (operation) =>
      options.personalData === false
        ? {
            personalData: false,
            // The upstream still wants an officer and a purpose on every call; a non-personal
            // operation has none from the caller, so a fixed service identity stands in.
            invoke: (client, input, context) => operation.invoke!(client, input, { ...context, endUser: 'lgsp-bench', purpose: 'BENCH-OPEN' }),
          }
        : {},
  });
}

export const benchConnectors: ReadonlyArray<ConnectorDescriptor<any>> = [
  populationConnector,
  renamed(isolatedConnectorId),
  renamed(openConnectorId, { personalData: false }),
];

/** Id of the n-th connector of a scaled set (n from 4: the first three are `benchConnectors`). */
export const connectorCopyId = (n: number) => `population-copy-${String(n).padStart(2, '0')}`;

/**
 * The bench's three connectors and copies of `population` (personal data,
 * audited) up to `total`, for the "cost as the work grows" runs: the same
 * lookup under `population-copy-04` … `population-copy-<total>`.
 */
export function scaledBenchConnectors(total: number): ReadonlyArray<ConnectorDescriptor<any>> {
  const copies = Array.from({ length: Math.max(0, total - benchConnectors.length) }, (_, index) => renamed(connectorCopyId(benchConnectors.length + 1 + index)));
  return [...benchConnectors, ...copies];
}
