import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { composeConfigSchema } from '../src/config/compose-config-schema.js';
import type { GatewayConfig } from '../src/config/gateway-config.js';
import { loadConfig } from '../src/config/load-config.js';
import { assertProductionReady } from '../src/config/production-guard.js';
import type { ConnectorDescriptor } from '../src/connector-kit/descriptor.js';
import { fromProjectRoot } from '../src/paths.js';
import { benchConnectors, isolatedConnectorId } from './bench-connectors.js';

/**
 * The benchmark gateway's configuration document (production mode), apart
 * from bench/run.ts so that a test (gateway-config.test.ts) can put it
 * through the loader and the production guard: when production mode starts
 * requiring something new, that test fails instead of the bench silently no
 * longer starting. Nothing here runs at import.
 */

/**
 * The hanging connector: a short deadline so its calls fail within the measured window, a short rolling
 * window so the healthy calls just before do not outvote the failures, a reset long enough to stay open through fail-fast,
 * a small bulkhead so that until the breaker opens at most 20 calls hold sockets (the rest: 503 LGSP_UPSTREAM_BUSY at once),
 * and no retry (a retried timeout would only keep the calls longer).
 */
export const isolatedResilience = {
  timeoutMs: 1000,
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, rollingWindowMs: 1000, resetTimeoutMs: 6000 },
  bulkhead: { maxConcurrent: 20, maxQueue: 20 },
  retry: { maxAttempts: 1 },
};

/** Upstream A must take every call of the in-flight (memory) run: its bulkhead is set above that run's connections. */
const wideBulkhead = (inFlightCalls: number) => ({ bulkhead: { maxConcurrent: inFlightCalls + 100, maxQueue: 0 } });

/** Throwaway credentials the bench's upstreams accept and its gateways log in with (random per run). */
export function throwawayUpstreamCredentials(): Record<string, string> & { clientId: string; clientSecret: string } {
  return {
    clientId: 'bench-province',
    clientSecret: randomBytes(18).toString('base64url'),
    accessKey: randomBytes(12).toString('hex'),
    secretKey: randomBytes(18).toString('base64url'),
    appName: 'LGSP-BENCH',
    partnerCode: '000.00.00.H00',
    partnerCodeCus: '000.00.01.H00',
  };
}

export interface BenchGatewayOptions {
  /** PostgreSQL schema of this gateway's store (throwaway). */
  schema: string;
  issuer: string;
  jwksUri: string;
  credentials: Record<string, string>;
  upstreamA: string;
  /** Where `population-b` (the connector that hangs) goes. */
  upstreamB: string;
  logLevel: string;
  databaseUrl: string;
  redisUrl: string;
  /** Connections of the in-flight (memory) run: upstream A's bulkhead is sized above it. */
  inFlight: number;
  /** The connectors mounted (default: the bench's three); every one but `population-b` goes to upstream A. */
  connectors?: ReadonlyArray<ConnectorDescriptor<any>>;
  /** Access seed file (default bench/access-seed.yaml). */
  seedFile?: string;
}

export function gatewayConfigDocument(options: BenchGatewayOptions): Record<string, unknown> {
  const connectors = options.connectors ?? benchConnectors;
  const connector = (baseUrl: string, extra: Record<string, unknown> = {}) => ({ baseUrl, credentials: options.credentials, settings: { integrationCode: 'LGSP-BENCH' }, ...extra });
  const document: Record<string, unknown> = {
    mode: 'production',
    server: { host: '127.0.0.1', port: 0, opsPort: 0, shutdownGraceMs: 2000 },
    log: { level: options.logLevel },
    store: { driver: 'pg', url: options.databaseUrl, schema: options.schema, poolSize: 20 },
    auth: { issuer: options.issuer, jwksUri: options.jwksUri, audience: 'lgsp-gateway', algorithms: ['RS256'] },
    // Production mode signs audit checkpoints with a managed key: a throwaway one for the run.
    audit: { subjectHashKey: randomBytes(32).toString('base64url'), checkpoints: { signingKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } },
    // Production keeps connector credentials in the vault: a throwaway master key for the run.
    vault: { masterKeys: [{ id: 'bench', key: randomBytes(32).toString('base64') }], activeKeyId: 'bench' },
    connectors: Object.fromEntries(
      connectors.map(({ id }) => [
        id,
        id === isolatedConnectorId ? connector(options.upstreamB, { resilience: isolatedResilience }) : connector(options.upstreamA, { resilience: wideBulkhead(options.inFlight) }),
      ]),
    ),
  };
  // Shared counters live in Redis in production; use the real one once the configuration has a place for it.
  const schemaProperties = (composeConfigSchema(connectors) as { properties?: Record<string, { properties?: Record<string, unknown> }> }).properties ?? {};
  // Production refuses loopback upstreams unless allowlisted: the bench's upstreams are local processes.
  if (schemaProperties.upstreams) document.upstreams = { allowedCidrs: ['127.0.0.1/32'] };
  if (schemaProperties.redis?.properties?.url) {
    document.redis = { url: options.redisUrl, ...(schemaProperties.redis.properties.keyPrefix ? { keyPrefix: `lgsp:bench:${options.schema}` } : {}) };
  }
  // Production shares cached answers through Redis only with real cache secrets: throwaway ones for the run.
  if (document.redis && schemaProperties.cache?.properties?.keyHashKey) {
    document.cache = { keyHashKey: randomBytes(32).toString('base64url'), entryEncryptionKey: randomBytes(32).toString('base64url') };
  }
  // Grants and quotas are checked on every call once the gateway has them: the bench registers its client.
  if (schemaProperties.access?.properties?.seedFile) document.access = { seedFile: options.seedFile ?? fromProjectRoot('bench/access-seed.yaml') };
  return document;
}

/**
 * What bench/gateway-process.ts does with the document before it starts the
 * gateway: the same schema, loader and production guard as `npm start`.
 */
export function loadBenchGatewayConfig(document: Record<string, unknown>, connectors: ReadonlyArray<ConnectorDescriptor<any>>): GatewayConfig {
  const config = loadConfig({ schema: composeConfigSchema(connectors), document, env: {} });
  assertProductionReady(config);
  return config;
}
