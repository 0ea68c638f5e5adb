import { benchConnectors, scaledBenchConnectors } from './bench-connectors.js';
import { gatewayConfigDocument, loadBenchGatewayConfig, throwawayUpstreamCredentials, type BenchGatewayOptions } from './gateway-config.js';

/**
 * The bench starts its gateways in production mode with this document. When
 * production mode starts requiring something the document does not give, the
 * bench stops starting; these tests fail first. Throwaway values: nothing is
 * connected to.
 */
const options: BenchGatewayOptions = {
  schema: 'bench_test',
  issuer: 'http://127.0.0.1:1/realms/lgsp',
  jwksUri: 'http://127.0.0.1:1/realms/lgsp/protocol/openid-connect/certs',
  credentials: throwawayUpstreamCredentials(),
  upstreamA: 'http://127.0.0.1:2',
  upstreamB: 'http://127.0.0.1:3',
  logLevel: 'info',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: 'redis://127.0.0.1:6379',
  inFlight: 2000,
};

describe('bench gateway configuration', () => {
  it('passes the loader and the production guard, as bench/gateway-process.ts runs them', () => {
    const config = loadBenchGatewayConfig(gatewayConfigDocument(options), benchConnectors);
    expect(config.mode).toBe('production');
    expect(Object.keys(config.connectors)).toEqual(benchConnectors.map((connector) => connector.id));
  });

  it('passes them with 60 connectors and a seed file of its own (the scale runs)', () => {
    const connectors = scaledBenchConnectors(60);
    const config = loadBenchGatewayConfig(gatewayConfigDocument({ ...options, connectors, seedFile: '/tmp/lgsp-bench-seed.yaml' }), connectors);
    expect(Object.keys(config.connectors)).toHaveLength(60);
  });

  it('really is put through the production guard: without the vault it is refused', () => {
    const { vault: _vault, ...document } = gatewayConfigDocument(options);
    expect(() => loadBenchGatewayConfig(document, benchConnectors)).toThrow(/production mode refuses development settings[\s\S]*vault/);
  });
});
