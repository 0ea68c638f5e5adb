import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { AccessPolicy } from './access/access-policy.js';
import { AccessRepository } from './access/access-repository.js';
import { applyAccessSeed, applyAccessSeedEntries, type AccessSeed } from './access/access-seed.js';
import { createAdminRouter } from './admin/admin-router.js';
import { resolveAlertingSecrets, startAlerting, type AlertingSecrets, type AlertingService } from './alerting/alerting-service.js';
import { alertingConfigProblems } from './alerting/config-check.js';
import { createApp, type MountedConnector } from './app.js';
import { createDataPlane } from './data-plane/data-plane.js';
import { consoleSettings } from './console/console-settings.js';
import { createConsoleRouter } from './console/console-router.js';
import { ConsoleSessionStore } from './console/session-store.js';
import { createAuditGate } from './audit/audit-gate.js';
import { createAuditWriter } from './audit/audit-writer.js';
import { appendInTransaction } from './audit/chain/append-in-transaction.js';
import { chainUnchainedRecords } from './audit/chain/chain-backfill.js';
import { chainStreams } from './audit/chain/chain-streams.js';
import { loadCheckpointKeys } from './audit/chain/checkpoint-key.js';
import { startCheckpointScheduler } from './audit/chain/checkpoint-scheduler.js';
import { createTimestampRequester, timestampTokenMatches } from './audit/chain/tsa-client.js';
import { createAuditMaintenance } from './audit/retention/audit-maintenance.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { ConfigError } from './config/load-config.js';
import { upstreamAddressPolicy } from './config/upstream-address-policy.js';
import type { ConnectorDescriptor } from './connector-kit/descriptor.js';
import { createUpstreamAddressGuard, UpstreamAddressRefusedError } from './connector-kit/upstream-address-guard.js';
import { createUpstreamDispatcher } from './connector-kit/upstream-transport.js';
import { CredentialReferenceError } from './connector-runtime/config-credentials.js';
import { ConnectorRuntime } from './connector-runtime/connector-runtime.js';
import { ConnectorSettingsStore } from './connector-runtime/connector-settings-store.js';
import { startCredentialExpiryWatch } from './connector-runtime/credential-expiry.js';
import { createGenerationFactory } from './connector-runtime/generation-factory.js';
import { openCredentialVault } from './vault/open-vault.js';
import { ContractRegistry } from './contracts/contract-registry.js';
import { buildOpenApiDocument } from './contracts/openapi.js';
import { ConnectorTrafficHistory } from './observability/connector-history.js';
import { createHealthChecks } from './observability/health.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { createOpsApp } from './observability/ops-app.js';
import { createOutboxMetrics, OutboxDispatcher, type TargetRegistration } from './outbox/index.js';
import { fromProjectRoot } from './paths.js';
import { createAccessAuditor } from './pipeline/access-auditor.js';
import { BreakerRegistry } from './resilience/breaker-registry.js';
import { HealthProber } from './resilience/health-prober.js';
import { probeFingerprintKeyFrom, StoredProbeResults } from './resilience/shared-probe-results.js';
import { assertProbeSettings } from './config/probe-settings-check.js';
import { descriptorPolicyLayer, resolvePolicies } from './resilience/policy.js';
import { ResilienceOverrideStore } from './resilience/resilience-override-store.js';
import { ResilienceOverrides, type OverrideTarget } from './resilience/resilience-overrides.js';
import { UpstreamCaller } from './resilience/upstream-caller.js';
import { createResponseCache } from './resilience/response-cache-setup.js';
import { createRateLimiter } from './rate-limit/rate-limiter.js';
import { openStore } from './store/open-store.js';
import { resolvePaymentNoticeSecret } from './payments/payment-notice.js';
import { wirePayments, type PaymentHooks, type PaymentsWiring } from './payments/payments-wiring.js';
import { connectorDeliveryTargets } from './outbox/connector-deliveries.js';
import { enqueue, listMessages } from './outbox/index.js';
import type { Store } from './store/store.js';
import { httpOrigin } from './util/http-url.js';

export interface RunningGateway {
  url: string;
  port: number;
  /** The ops listener: /metrics, /readyz with detail, /healthz (server.opsHost/opsPort). */
  opsUrl: string;
  store: Store;
  metrics: ReturnType<typeof createMetrics>;
  breakers: BreakerRegistry;
  upstreams: UpstreamCaller;
  prober: HealthProber;
  /** The connectors as they run now (settings, credentials, availability), changed by administrators without a restart. */
  connectors: ConnectorRuntime;
  /** The alerting channel of this process (rules, alerts, silences, receivers, the engine and its lease). */
  alerting: AlertingService;
  /**
   * The durable outbox of this process: one dispatcher on the gateway's
   * store. Write paths register their target's handler here (before or
   * after start); until one does, the dispatcher neither queries nor polls.
   */
  outbox: {
    dispatcher: OutboxDispatcher;
    register(target: string, registration: TargetRegistration): void;
  };
  /** The payments (store, guarded platform, IPN route), when a payment-platform connector (paygov) is mounted. */
  payments?: PaymentsWiring;
  /** Graceful: stop accepting, let in-flight requests finish (up to the grace period), then release everything. */
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  config: GatewayConfig;
  connectors: ReadonlyArray<ConnectorDescriptor<any>>;
  logger: Logger;
  version?: string;
  /** Where `{ fromEnv }` credential references are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Access objects added after `access.seedFile`, the same way (only what the
   * store lacks): embedded mode's dev grants, derived from the registry.
   */
  accessDefaults?: AccessSeed;
  /** Where other parts plug into the payments (payment anomalies to the alerting channel...): src/payments/payments-wiring.ts. */
  paymentHooks?: PaymentHooks;
}

/** Builds every part from the frozen config, in dependency order, and starts listening. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  // What the schema cannot say about the probe settings fails here, before anything is opened.
  assertProbeSettings(config, options.connectors);
  const alertingSecrets = alertingSecretsOf(config, options.env ?? process.env);
  // The one-stop system's webhook key, like the alerting secrets: a missing reference fails the start, not the first notice.
  const paymentNoticeSecret = resolvePaymentNoticeSecret(config.payments.notifications, options.env ?? process.env);
  const consoleOptions = config.console.enabled ? consoleSettings(config, options.env ?? process.env) : undefined;
  const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
  const metrics = createMetrics();
  const breakers = new BreakerRegistry({ metrics, logger });
  const upstreams = new UpstreamCaller({ breakers, metrics, logger });
  // Upstream addresses (config `upstreams`): every base URL is checked when its client is built (from the file at start, or an administrator's), and again at every connect (the guard's lookup).
  const addressGuard = createUpstreamAddressGuard(upstreamAddressPolicy(config));
  const store = await openStore(config.store, logger);
  // Rows written before the hash chain existed (migration 0004) are chained once, before anything new is appended.
  await chainUnchainedRecords(store, logger);
  const tokenVerifier = createTokenVerifier({
    issuer: config.auth.issuer,
    jwksUri: config.auth.jwksUri ?? `${config.auth.issuer}/protocol/openid-connect/certs`,
    audience: config.auth.audience,
    algorithms: [...config.auth.algorithms],
    clockToleranceSeconds: config.auth.clockToleranceSeconds,
  });

  // Every connector with a configuration section is mounted, switched on or off: an administrator may change that at run time.
  const configured = options.connectors.flatMap((descriptor) => {
    const connectorConfig = config.connectors[descriptor.id];
    return connectorConfig ? [{ descriptor, config: connectorConfig }] : [];
  });
  // Kit defaults < descriptor (connector, then each operation's own) < deployment config < admin override (below).
  const overrideTargets: OverrideTarget[] = configured.map(({ descriptor, config: connectorConfig }) => ({
    connectorId: descriptor.id,
    operationIds: descriptor.operations.map((operation) => operation.id),
    baseLayers: [descriptorPolicyLayer(descriptor), connectorConfig.resilience],
  }));
  for (const target of overrideTargets) upstreams.configure(target.connectorId, resolvePolicies(target.operationIds, target.baseLayers));

  // This process among the replicas: lease holder in the outbox and the alerting channel, `probedBy` of the probes it runs.
  const replicaId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // Probes run beside the breaker, never through it: a probe neither trips nor resets it. The connector runtime installs each one.
  // On PostgreSQL, shared by the replicas: one probes an upstream per interval, all report its result. PGlite lives
  // inside this one process, so no other replica can share it. Breakers stay per replica (src/resilience/README.md).
  const { probeIntervalMs: intervalMs, probeTimeoutMs: timeoutMs } = config.health;
  const prober = new HealthProber({
    targets: [],
    intervalMs,
    timeoutMs,
    metrics,
    logger,
    replica: replicaId,
    ...(store.driver === 'pg' && {
      sharing: new StoredProbeResults({ store, replica: replicaId, intervalMs, timeoutMs, fingerprintKey: probeFingerprintKeyFrom(config.audit.subjectHashKey) }),
    }),
  });
  const generations = createGenerationFactory({ addressGuard, connectTimeoutMsOf: (id) => upstreams.policies(id).connector.connectTimeoutMs, logger });
  const vault = config.vault ? await openCredentialVault({ config, store, connectors: configured.map(({ descriptor }) => descriptor) }) : undefined;
  const settingsStore = new ConnectorSettingsStore(store);
  let credentialExpiry: ReturnType<typeof startCredentialExpiryWatch> | undefined;
  const runtime = new ConnectorRuntime({
    connectors: configured,
    settingsStore,
    ...(vault && { vault }),
    env: options.env ?? process.env,
    buildGeneration: async (input) => {
      try {
        return await generations.buildGeneration(input);
      } catch (error) {
        if (error instanceof UpstreamAddressRefusedError) throw new ConfigError(`connectors.${input.descriptor.id}.baseUrl refused: ${error.message}`);
        throw error;
      }
    },
    setProbe: (id, probe, fingerprint) => prober.setTarget(id, probe, fingerprint),
    logger,
    refreshIntervalMs: config.access.refreshIntervalMs,
    // A credential change moves the expiry signals now, not at the watch's next round.
    onReloaded: () => void credentialExpiry?.check().catch(() => undefined),
  });
  await runtime.start().catch(async (error: unknown) => {
    // A connector the configuration cannot build (a refused base URL...) fails the start: leave nothing open behind.
    runtime.closeAll();
    await store.close();
    throw error;
  });
  const mounted: MountedConnector[] = configured.map(({ descriptor }) => ({ descriptor, handle: runtime.handle(descriptor.id) }));
  credentialExpiry = vault ? startCredentialExpiryWatch({ vault, registry: metrics.registry, connectorIds: runtime.connectorIds(), logger }) : undefined;
  await credentialExpiry?.start();

  // One dispatcher per process: replicas share the work through leases in the store (src/outbox/README.md).
  const { shutdownGraceMs: outboxGraceMs, ...dispatcherOptions } = config.outbox;
  const outboxDispatcher = new OutboxDispatcher({ store, id: replicaId, logger: logger.child({ component: 'outbox' }), metrics: createOutboxMetrics(metrics.registry, store, logger), ...dispatcherOptions });
  // The connectors' write paths (dossier sync...): each target delivered through its connector's guarded client.
  for (const { descriptor, handle } of mounted) {
    for (const [target, registration] of connectorDeliveryTargets({ connector: descriptor, handle, upstreams, breakers, deliveryTimeoutMs: config.outbox.deliveryTimeoutMs })) {
      outboxDispatcher.register(target, registration);
    }
  }

  // Admin overrides of the resilience policies, applied on every replica without a restart.
  const overrideStore = new ResilienceOverrideStore(store);
  const resilienceOverrides = new ResilienceOverrides({ store: overrideStore, upstreams, targets: overrideTargets, logger, refreshIntervalMs: config.access.refreshIntervalMs });
  await resilienceOverrides.start();
  // This replica's traffic per connector for the console's overview, read from the metrics above (nothing added per request).
  const trafficHistory = new ConnectorTrafficHistory({
    metrics,
    connectorIds: mounted.map(({ descriptor }) => descriptor.id),
    sampleIntervalMs: config.health.trafficSampleIntervalMs,
    replica: outboxDispatcher.id,
    logger,
  });
  const connectorHealth = {
    connectors: new Map(mounted.map(({ descriptor }) => [descriptor.id, descriptor.title])),
    breakers,
    prober,
    upstreams,
    resilience: { store: overrideStore, overrides: resilienceOverrides },
    availability: (id: string) => runtime.handle(id).availability().kind,
    traffic: trafficHistory,
  };
  const connectorAdmin = {
    settings: {
      runtime,
      store: settingsStore,
      checkUpstreamUrl: (url: string) => addressGuard.checkUrl(url),
    },
    ...(vault && { credentials: { runtime, vault, testConnection: generations.testConnection } }),
  };

  const operations = new Map(mounted.flatMap(({ descriptor }) => descriptor.operations.map((operation) => [operation.id, operation.response] as const)));
  const personalDataOperations = new Set(mounted.flatMap(({ descriptor }) => descriptor.operations.filter((operation) => operation.personalData).map((operation) => operation.id)));
  const repository = new AccessRepository(store);
  if (config.access.seedFile) await applyAccessSeed(fromProjectRoot(config.access.seedFile), repository, { contracts, operations, personalDataOperations });
  if (options.accessDefaults) await applyAccessSeedEntries(options.accessDefaults, 'embedded dev grants', repository, { contracts, operations, personalDataOperations });
  const access = new AccessPolicy({ repository, logger, refreshIntervalMs: config.access.refreshIntervalMs });
  await access.start();
  const limiter = createRateLimiter({
    redis: config.redis ? { url: config.redis.url, keyPrefix: config.redis.keyPrefix, commandTimeoutMs: config.redis.commandTimeoutMs } : undefined,
    replicas: config.redis?.replicas,
    leasePercent: config.redis?.quotaLeasePercent,
    logger,
    metrics: metrics.registry,
  });

  const responseCache = createResponseCache({ config, connectors: mounted.map((m) => m.descriptor), metrics, logger });
  // Payments (issue 15), when the payment platform's connector is mounted: the stages' store and platform, and the IPN route.
  // Webhooks and the Bot API are outbound connections like upstreams: the address guard checks every connect.
  const noticeDispatcher = createUpstreamDispatcher({ connectTimeoutMs: 10_000, connect: { lookup: addressGuard.lookup } });
  const payments = wirePayments({
    config, store, connectors: mounted, runtime, upstreams, responseCache, contracts, metrics, logger,
    ...(options.paymentHooks && { hooks: options.paymentHooks }),
    outbox: { register: (target, registration) => outboxDispatcher.register(target, registration), wake: () => outboxDispatcher.wake() },
    noticeDispatcher,
    ...(paymentNoticeSecret !== undefined && { noticeSecret: paymentNoticeSecret }),
  });

  // Before serving: the current month's audit partition must exist (see src/audit/partitions).
  const auditMaintenance = createAuditMaintenance({
    store,
    monthsAhead: config.audit.partitions.monthsAhead,
    retention: config.audit.retention,
    logger,
    metrics,
    // Each removal is itself an admin-stream record, committed with the removal or not at all.
    recordRemoval: (tx, removal) =>
      appendInTransaction(tx, 'admin', {
        occurredAt: new Date(),
        requestId: `retention-${randomUUID()}`,
        actor: 'lgsp-retention',
        actorClient: 'lgsp-gateway',
        action: 'delete',
        resourceType: `audit_stream:${removal.stream}`,
        resourceId: removal.before.toISOString(),
        before: null,
        after: { ...removal, before: removal.before.toISOString() },
      }),
  });
  await auditMaintenance.start();

  // Asked before a personal-data call leaves: the group commits keep it informed, a ping fills the gaps.
  const auditGate = createAuditGate({ ping: () => store.ping(), logger });
  const auditWriter = createAuditWriter({
    store,
    subjectKey: config.audit.subjectHashKey,
    logger,
    onFlush: (records, ok) => {
      auditGate.recordCommit(ok);
      metrics.auditCommitBatchSize.observe({ result: ok ? 'committed' : 'failed' }, records);
    },
  });
  const auditor = createAccessAuditor({ writer: auditWriter, metrics });
  const checkpointKeys = await loadCheckpointKeys(config.audit.checkpoints, logger);
  const checkpoints = startCheckpointScheduler({
    store,
    keys: checkpointKeys,
    streams: Object.keys(chainStreams),
    intervalMs: config.audit.checkpoints.intervalMs,
    logger,
    ...(config.audit.checkpoints.tsaUrl ? { timestamp: createTimestampRequester({ url: config.audit.checkpoints.tsaUrl, timeoutMs: config.audit.checkpoints.tsaTimeoutMs }) } : {}),
    onResult: (stream, result) => metrics.auditCheckpoints.inc({ stream, result }),
  });

  // The alerting channel: every replica publishes its signals and delivers notices; the lease holder evaluates for all.
  const alerting = await startAlerting({
    config: config.alerting,
    store,
    registry: metrics.registry,
    logger,
    connectorIds: runtime.connectorIds(),
    ...(vault && { vault }),
    outbox: outboxDispatcher,
    replicaId: outboxDispatcher.id,
    secrets: alertingSecrets,
    // A closed audit gate refuses every personal-data call: that is an alert even before a commit fails.
    extraReadings: [() => [{ signal: 'audit_unavailable', labels: {}, windowSeconds: 0, value: auditGate.state === 'closed' ? 1 : 0 }]],
    checkUrl: (url) => addressGuard.checkUrl(url),
    dispatcher: noticeDispatcher,
    refreshIntervalMs: config.access.refreshIntervalMs,
  });

  let shuttingDown = false;
  const health = createHealthChecks(
    { store: () => store.ping(), identityProviderKeys: () => tokenVerifier.ready() },
    // One upstream down does not make the gateway unready (its breaker answers for it), but operators see it on the ops listener.
    {
      detail: () => ({
        upstreams: Object.fromEntries(mounted.map(({ descriptor }) => [descriptor.id, { breaker: breakers.state(descriptor.id), probe: prober.report(descriptor.id) }])),
        // open: a commit or ping succeeded within the last second; closed: personal-data calls are being refused.
        auditGate: auditGate.state,
      }),
    },
  );
  const adminRouter = createAdminRouter({ store, repository, access, contracts, tokenVerifier, operations, personalDataOperations, connectors: mounted.map((m) => m.descriptor), auditSubjectKey: config.audit.subjectHashKey, auditChainVerification: { publicKeys: checkpointKeys.verifying, verifyTimestamp: timestampTokenMatches }, bodyLimitBytes: config.server.bodyLimitBytes, connectorHealth, connectorAdmin, outbox: { store, dispatcher: outboxDispatcher }, alerting, ...(payments && { payments: { store, payments: payments.store, reconciliation: payments.reconciliation } }) });
  // Console sessions live in the store, so any replica serves any user; expired ones are pruned by every replica (idempotent).
  const consoleSessions = consoleOptions ? new ConsoleSessionStore({ store, defaultTtlMs: config.console.sessionIdleMs, logger, encryptionSecret: consoleOptions.sessionSecret }) : undefined;
  const consoleRouter = consoleOptions && consoleSessions ? createConsoleRouter({ ...consoleOptions, adminRouter, sessionStore: consoleSessions, logger }) : undefined;
  const stopConsoleSessionPruning = consoleSessions?.startPruning(15 * 60_000);
  const isShuttingDown = () => shuttingDown;
  const dataPlane = createDataPlane({
    contracts,
    tokenVerifier,
    upstreams,
    maxRequestTimeoutMs: config.server.maxRequestTimeoutMs,
    auditor,
    auditGate,
    // Writes are accepted into the outbox in a transaction of their own (the per-key sequence lock lives only inside one).
    outbox: {
      enqueue: async (message) => {
        const accepted = await store.transaction((tx) => enqueue(tx, message));
        // Committed: this replica's dispatcher takes it at once; the others on their next poll.
        if (accepted.created) outboxDispatcher.wake();
        return accepted;
      },
      messagesOf: (target, key) => listMessages(store, { target, key, limit: 1000 }),
    },
    ...(payments && { payments: payments.access }),
    access,
    limiter,
    metrics,
    logger,
    responseCache,
    connectors: mounted,
    bodyLimitBytes: config.server.bodyLimitBytes,
    isShuttingDown,
  });
  const app = createApp({
    tokenVerifier,
    access,
    logger,
    ...(payments && { callbackRouter: payments.callbackRouter }),
    connectors: mounted,
    openApiShowsOnlyGranted: config.access.openApiShowsOnlyGranted,
    adminRouter,
    ...(consoleRouter && { consoleRouter }),
    openApiDocument: buildOpenApiDocument({ registry: contracts, connectors: mounted.map((m) => m.descriptor), version: options.version ?? '0.1.0' }),
    health,
    bodyLimitBytes: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    isShuttingDown,
  });

  // The operations' routes are answered by the data plane; everything else by express.
  const server = createServer((req, res) => {
    if (!dataPlane(req, res)) app(req, res);
  });
  // Behind a load balancer idle keep-alive sockets must outlive its own idle timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = httpOrigin(config.server.host, port);
  const opsServer = createServer(createOpsApp({ registry: metrics.registry, health, logger, isShuttingDown: () => shuttingDown }));
  await new Promise<void>((resolve, reject) => {
    opsServer.once('error', reject);
    opsServer.listen(config.server.opsPort, config.server.opsHost, () => resolve());
  }).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  const opsUrl = httpOrigin(config.server.opsHost, (opsServer.address() as AddressInfo).port);
  logger.info({ url, opsUrl, mode: config.mode, connectors: mounted.map((m) => m.descriptor.id) }, 'gateway listening');
  prober.start();
  trafficHistory.start();
  outboxDispatcher.start();
  alerting.start();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    opsUrl,
    store,
    metrics,
    breakers,
    upstreams,
    prober,
    connectors: runtime,
    alerting,
    ...(payments && { payments }),
    outbox: {
      dispatcher: outboxDispatcher,
      register: (target, registration) => void outboxDispatcher.register(target, registration),
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        prober.stop();
        trafficHistory.stop();
        resilienceOverrides.stop();
        runtime.stop();
        credentialExpiry?.stop();
        // Live alert streams end first: they would hold the drain open until its grace ran out.
        alerting.feed.stop();
        await drain(server, config.server.shutdownGraceMs);
        // After the drain: an IPN in flight has committed its notices; no reconciliation run starts any more.
        await payments?.stop();
        // The lease is released, so another replica evaluates at once; notices already enqueued stay in the outbox.
        await alerting.stop();
        // No request enqueues any more; deliveries in flight finish (or are given back to another replica) while the store, breakers and audit writer still work.
        await outboxDispatcher.stop(outboxGraceMs);
        await noticeDispatcher.close();
        // The ops listener last among the listeners: metrics and /readyz (503 while shutting down) stay readable while the API drains.
        await drain(opsServer, 1000);
        await auditWriter.idle();
        await checkpoints.stop();
        breakers.shutdown();
        access.stop();
        await auditMaintenance.stop();
        await stopConsoleSessionPruning?.();
        await limiter.close();
        await responseCache?.cache.close();
        runtime.closeAll();
        await store.close();
        logger.info('gateway stopped');
      })();
      return closing;
    },
  };
}

/** The alerting section checked and its secret references resolved before anything is opened: a bad rule or a missing secret is a configuration error. */
function alertingSecretsOf(config: GatewayConfig, env: NodeJS.ProcessEnv): AlertingSecrets {
  // The rules and matchers of the file get the admin API's checks, before anything opens: one bad pattern would fail every evaluation.
  const problems = alertingConfigProblems(config.alerting);
  if (problems.length > 0) throw new ConfigError(`invalid alerting configuration:\n  ${problems.join('\n  ')}`);
  try {
    return resolveAlertingSecrets(config.alerting, env);
  } catch (error) {
    if (error instanceof CredentialReferenceError) throw new ConfigError(error.message);
    throw error;
  }
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
