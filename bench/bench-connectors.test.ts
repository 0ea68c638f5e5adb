import { refuseRouteClashes } from '../src/contracts/lookup-form.js';
import { benchConnectors, connectorCopyId, scaledBenchConnectors } from './bench-connectors.js';

describe('bench connectors', () => {
  it('mount side by side: every copy has routes of its own, the lookup forms included', () => {
    expect(() => refuseRouteClashes(benchConnectors.flatMap((connector) => connector.operations))).not.toThrow();
  });

  it('scale to 60: the bench three first, then copies of population under ids of their own', () => {
    const connectors = scaledBenchConnectors(60);
    expect(connectors).toHaveLength(60);
    expect(connectors.slice(0, 3)).toEqual(benchConnectors);
    expect(connectors.at(-1)!.id).toBe(connectorCopyId(60));
    expect(new Set(connectors.map((connector) => connector.id)).size).toBe(60);
    expect(connectors.at(-1)!.operations.map((operation) => operation.path)).toEqual(['/population-copy-60/citizens/{personalId}', '/population-copy-60/citizens/verify']);
    expect(() => refuseRouteClashes(connectors.flatMap((connector) => connector.operations))).not.toThrow();
  });
});
