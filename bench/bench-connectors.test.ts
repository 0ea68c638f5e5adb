import { refuseRouteClashes } from '../src/contracts/lookup-form.js';
import { benchConnectors } from './bench-connectors.js';

describe('bench connectors', () => {
  it('mount side by side: every copy has routes of its own, the lookup forms included', () => {
    expect(() => refuseRouteClashes(benchConnectors.flatMap((connector) => connector.operations))).not.toThrow();
  });
});
