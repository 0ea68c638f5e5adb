import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import { validateProbeSetting } from '../resilience/probe-plan.js';
import type { GatewayConfig } from './gateway-config.js';
import { ConfigError } from './load-config.js';

/**
 * What the configuration schema cannot say about `connectors.<id>.probe`
 * (whether the named operation may be probed, whether its input fits):
 * refused at start, before anything listens, naming each key — the same
 * rules an admin route applies through validateProbeSetting.
 */
export function assertProbeSettings(config: Pick<GatewayConfig, 'connectors'>, connectors: ReadonlyArray<ConnectorDescriptor<any>>): void {
  const problems = connectors.flatMap((descriptor) => {
    const section = config.connectors[descriptor.id];
    if (!section?.enabled) return [];
    return validateProbeSetting(descriptor, section.probe).map((problem) => `  - connectors.${descriptor.id}.probe.${problem}`);
  });
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}
