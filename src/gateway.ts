import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessPolicy } from './access/access-policy.js';
import { AccessRepository } from './access/access-repository.js';
import { applyAccessSeed } from './access/access-seed.js';
import { createAdminRouter } from './admin/admin-router.js';
import { createApp, type MountedConnector } from './app.js';
import { createAuditWriter } from './audit/audit-writer.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { GatewayConfig } from './config/gateway-config.js';
import type { ConnectorDescriptor } from './connector-kit/descriptor.js';
import { createUpstreamAuth } from './connector-kit/upstream-auth/create-upstream-auth.js';
import { ContractRegistry } from './contracts/contract-registry.js';
import { buildOpenApiDocument } from './contracts/openapi.js';
import { createHealthChecks } from './observability/health.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { fromProjectRoot } from './paths.js';
import { createAccessAuditor } from './pipeline/access-auditor.js';
import { BreakerRegistry } from './resilience/breaker-registry.js';
import { HealthProber } from './resilience/health-prober.js';
import { mergeResiliencePolicy } from './resilience/policy.js';
import { createRateLimiter } from './rate-limit/rate-limiter.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { httpOrigin } from './util/http-url.js';

export interface RunningGateway {
  url: string;
  port: number;
  store: Store;
  metrics: ReturnType<typeof createMetrics>;
  breakers: BreakerRegistry;
  prober: HealthProber;
  /** Graceful: stop accepting, let in-flight requests finish (up to the grace period), then release everything. */
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  config: GatewayConfig;
  connectors: ReadonlyArray<ConnectorDescriptor<any>>;
  logger: Logger;
  version?: string;
}

/** Builds every part from the frozen config, in dependency order, and starts listening. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
  const metrics = createMetrics();
  const breakers = new BreakerRegistry({ metrics, logger });
  const store = await openStore(config.store, logger);
  const tokenVerifier = createTokenVerifier({
    issuer: config.auth.issuer,
    jwksUri: config.auth.jwksUri ?? `${config.auth.issuer}/protocol/openid-connect/certs`,
    audience: config.auth.audience,
    algorithms: [...config.auth.algorithms],
    clockToleranceSeconds: config.auth.clockToleranceSeconds,
  });

  const mounted: MountedConnector[] = [];
  const closeClients: Array<() => void> = [];
  for (const descriptor of options.connectors) {
    const connectorConfig = config.connectors[descriptor.id];
    if (!connectorConfig || !connectorConfig.enabled) continue;
    const auth = createUpstreamAuth(descriptor.authScheme, connectorConfig);
    const client = await descriptor.createClient({
      baseUrl: connectorConfig.baseUrl,
      settings: connectorConfig.settings,
      auth,
      logger: logger.child({ connector: descriptor.id }),
    });
    const closable = client as { close?: () => void };
    if (typeof closable.close === 'function') closeClients.push(() => closable.close!());
    breakers.register(descriptor.id, mergeResiliencePolicy(descriptor.resilience, connectorConfig.resilience));
    mounted.push({ descriptor, client });
  }

  // Probes run beside the breaker, never through it: a probe neither trips nor resets it.
  const prober = new HealthProber({
    targets: mounted.map(({ descriptor, client }) => ({ connectorId: descriptor.id, probe: (signal: AbortSignal) => descriptor.probe(client, signal) })),
    intervalMs: config.health.probeIntervalMs,
    timeoutMs: config.health.probeTimeoutMs,
    metrics,
    logger,
  });
  const connectorHealth = { connectors: new Map(mounted.map(({ descriptor }) => [descriptor.id, descriptor.title])), breakers, prober };

  const operations = new Map(mounted.flatMap(({ descriptor }) => descriptor.operations.map((operation) => [operation.id, operation.response] as const)));
  const repository = new AccessRepository(store);
  if (config.access.seedFile) await applyAccessSeed(fromProjectRoot(config.access.seedFile), repository, { contracts, operations });
  const access = new AccessPolicy({ repository, logger, refreshIntervalMs: config.access.refreshIntervalMs });
  await access.start();
  const limiter = createRateLimiter({
    redis: config.redis ? { url: config.redis.url, keyPrefix: config.redis.keyPrefix, commandTimeoutMs: config.redis.commandTimeoutMs } : undefined,
    replicas: config.redis?.replicas,
    logger,
    metrics: metrics.registry,
  });

  const auditor = createAccessAuditor({
    writer: createAuditWriter({ store, subjectKey: config.audit.subjectHashKey, logger }),
    metrics,
  });

  let shuttingDown = false;
  const app = createApp({
    contracts,
    tokenVerifier,
    breakers,
    auditor,
    access,
    limiter,
    metrics,
    logger,
    connectors: mounted,
    openApiShowsOnlyGranted: config.access.openApiShowsOnlyGranted,
    adminRouter: createAdminRouter({ store, repository, access, contracts, tokenVerifier, operations, auditSubjectKey: config.audit.subjectHashKey, bodyLimitBytes: config.server.bodyLimitBytes, connectorHealth }),
    openApiDocument: buildOpenApiDocument({ registry: contracts, connectors: mounted.map((m) => m.descriptor), version: options.version ?? '0.1.0' }),
    health: createHealthChecks(
      { store: () => store.ping(), identityProviderKeys: () => tokenVerifier.ready() },
      // One upstream down does not make the gateway unready (its breaker answers for it), but operators see it here.
      {
        detail: () => ({
          upstreams: Object.fromEntries(mounted.map(({ descriptor }) => [descriptor.id, { breaker: breakers.state(descriptor.id), probe: prober.report(descriptor.id) }])),
        }),
      },
    ),
    bodyLimitBytes: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    isShuttingDown: () => shuttingDown,
  });

  const server = createServer(app);
  // Behind a load balancer idle keep-alive sockets must outlive its own idle timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = httpOrigin(config.server.host, port);
  logger.info({ url, mode: config.mode, connectors: mounted.map((m) => m.descriptor.id) }, 'gateway listening');
  prober.start();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    metrics,
    breakers,
    prober,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        prober.stop();
        await drain(server, config.server.shutdownGraceMs);
        breakers.shutdown();
        access.stop();
        await limiter.close();
        for (const close of closeClients) close();
        await store.close();
        logger.info('gateway stopped');
      })();
      return closing;
    },
  };
}

/** Stop accepting, close idle keep-alive sockets, wait for in-flight requests, then cut what is left. */
async function drain(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
