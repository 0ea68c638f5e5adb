import type { Router } from 'express';
import type { Dispatcher } from 'undici';
import type { MountedConnector } from '../app.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { ConnectorRuntime } from '../connector-runtime/connector-runtime.js';
import type { ContractRegistry } from '../contracts/contract-registry.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ConfiguredResponseCache } from '../pipeline/cached-invoke.js';
import type { PaymentsAccess } from '../pipeline/payments-access.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';
import type { Store } from '../store/store.js';
import { catalogProcedureOperationId, createCatalogFeeTable } from './catalog-fee-table.js';
import type { IpnProcessorDeps } from './ipn-processor.js';
import { createIpnCounter, createIpnRouter, type IpnCounter } from './ipn-route.js';
import type { TargetRegistration } from '../outbox/dispatcher.js';
import { createFinalStateHooks } from './final-state-hooks.js';
import { createPaymentAnomalyCounter } from './payment-metrics.js';
import { installPaymentNotices, paymentNoticeRegistration, paymentNoticeTarget } from './payment-notice.js';
import type { PaymentAnomaly } from './payment-states.js';
import { createPaymentStore, type PaymentStore } from './payment-store.js';
import { startPaymentReconciliation, type PaymentReconciliation } from './reconciliation-schedule.js';
import { guardedPlatform, type GuardedPlatform } from './platform-calls.js';
import { ConfigError } from '../config/load-config.js';
import { addressMatcher } from '../connector-kit/upstream-address-guard.js';

/**
 * Where the parts built elsewhere plug into the payments (the lead wires
 * them in src/gateway.ts). onAnomaly is told, after the commit, about
 * anything a human must look at that an IPN revealed (amount or currency
 * mismatch, a late failure after paid, paid after closed, a second payment);
 * its failure changes nothing (it is logged).
 */
export interface PaymentHooks {
  onAnomaly?: IpnProcessorDeps['onAnomaly'];
}

/** The outbox of this process, as the payments use it: the notices' target registered on it, and woken after an applied IPN. */
export interface PaymentsOutbox {
  register(target: string, registration: TargetRegistration): void;
  wake(): void;
}

export interface PaymentsWiringOptions {
  config: Pick<GatewayConfig, 'payments' | 'audit' | 'server'>;
  store: Store;
  /** Every mounted connector: the payment platform is the one whose descriptor has `payments`, the fee tables come from the one serving the catalog. */
  connectors: ReadonlyArray<MountedConnector>;
  runtime: Pick<ConnectorRuntime, 'usableCredentials'>;
  upstreams: UpstreamCaller;
  responseCache: ConfiguredResponseCache | undefined;
  contracts: ContractRegistry;
  metrics: Metrics;
  logger: Logger;
  hooks?: PaymentHooks;
  outbox: PaymentsOutbox;
  /** The address guard's dispatcher for the one-stop system's webhook (every connect checked like an upstream's). */
  noticeDispatcher?: Dispatcher;
  /** payments.notifications.secret, resolved at start (resolvePaymentNoticeSecret). */
  noticeSecret?: string;
}

/** What the payments give the rest of the gateway. */
export interface PaymentsWiring {
  /** PipelineDependencies.payments: what the payment operations' stages use. */
  access: PaymentsAccess;
  /** POST /callbacks/paygov/ipn, mounted by the app ahead of /api/v1 (AppOptions.callbackRouter). */
  callbackRouter: Router;
  /** The payments themselves (reconciliation, admin routes and the daily report read and change them through this). */
  store: PaymentStore;
  /** The platform behind its guards: INIT, QUERY (reconciliation), GET_BILL. */
  platform: GuardedPlatform;
  /** lgsp_payment_ipn_total{verdict}. */
  ipnCounter: IpnCounter;
  /** The reconciliation job of this process (scheduled unless payments.reconciliation.enabled is false; runNow for the admin route). */
  reconciliation: PaymentReconciliation;
  /** Stops the reconciliation job; call after the API has drained (an IPN in flight still writes its notices). */
  stop(): Promise<void>;
}

/**
 * The payments of one gateway, built once at start when a payment-platform
 * connector (descriptor.payments: paygov) has a configuration section;
 * undefined otherwise (the payment operations are then not mounted either).
 */
export function wirePayments(options: PaymentsWiringOptions): PaymentsWiring | undefined {
  const platforms = options.connectors.filter(({ descriptor }) => descriptor.payments !== undefined);
  if (platforms.length === 0) return undefined;
  if (platforms.length > 1) throw new Error(`one payment platform at a time: ${platforms.map(({ descriptor }) => descriptor.id).join(', ')} are all mounted`);
  const { descriptor, handle } = platforms[0]!;
  const { config, logger } = options;
  const paymentsLogger = logger.child({ component: 'payments' });

  // This gateway's own registry of what runs inside a final transition's transaction: the notices (outbox messages).
  const finalStateHooks = createFinalStateHooks();
  installPaymentNotices(config.payments.notifications, finalStateHooks);
  const { url: noticeUrl } = config.payments.notifications;
  if (noticeUrl) {
    if (!options.noticeSecret) throw new Error('payments.notifications.url needs its secret (resolvePaymentNoticeSecret)');
    options.outbox.register(paymentNoticeTarget, paymentNoticeRegistration({ url: noticeUrl, secret: options.noticeSecret, timeoutMs: config.payments.notifications.timeoutMs, ...(options.noticeDispatcher && { dispatcher: options.noticeDispatcher }) }));
  }
  // Every anomaly (IPN or reconciliation) counts in lgsp_payment_anomalies_total{kind}, which the payments.anomaly alert rule watches.
  const countAnomaly = createPaymentAnomalyCounter(options.metrics.registry, paymentsLogger);
  const onAnomaly = async (kind: PaymentAnomaly, reference: string) => {
    countAnomaly(kind, reference);
    await options.hooks?.onAnomaly?.(kind, reference);
  };

  const store = createPaymentStore({ store: options.store, subjectKey: config.audit.subjectHashKey, paymentTtlMs: config.payments.paymentTtlMs, finalStateHooks });
  const platform = guardedPlatform({ connector: descriptor, handle, upstreams: options.upstreams, defaultTimeoutMs: config.server.maxRequestTimeoutMs });

  const catalog = options.connectors.find(({ descriptor: candidate }) => candidate.operations.some((operation) => operation.id === catalogProcedureOperationId));
  const feeTable = catalog
    ? createCatalogFeeTable({
        connector: catalog.descriptor,
        operation: catalog.descriptor.operations.find((operation) => operation.id === catalogProcedureOperationId)!,
        handle: catalog.handle,
        upstreams: options.upstreams,
        responseCache: options.responseCache,
        contracts: options.contracts,
        metrics: options.metrics,
        logger: paymentsLogger,
        sharedCallTimeoutMs: config.server.maxRequestTimeoutMs,
      })
    : undefined;

  const credentials = callbackCredentials(options.runtime, descriptor.id, platform.credentialFields);
  const ipnCounter = createIpnCounter(options.metrics.registry);
  const callbackRouter = createIpnRouter({
    processor: {
      store: options.store,
      partnerCode: credentials.partnerCode,
      secrets: credentials.secrets,
      verifyChecksum: (message, secrets) => platform.verifyCallback(message, secrets),
      ...(config.payments.ipn.allowedSources.length > 0 && { sourceAllowed: sourceAllowlist(config.payments.ipn.allowedSources) }),
      maxBodyBytes: config.payments.ipn.maxBodyBytes,
      logger: paymentsLogger,
      onAnomaly,
      finalStateHooks,
    },
    counter: ipnCounter,
    logger: paymentsLogger,
    // Applied: its notices are committed; this replica's dispatcher takes them now rather than at its next poll.
    onProcessed: (result) => {
      if (result.verdict === 'applied') options.outbox.wake();
    },
  });

  const reconciliation = startPaymentReconciliation({
    store: options.store,
    payments: store,
    platform,
    config: config.payments.reconciliation,
    logger: paymentsLogger,
    onAnomaly,
    paymentTtlMs: config.payments.paymentTtlMs,
  });

  return {
    access: { store, platform, feeCheck: config.payments.feeCheck, ...(feeTable && { feeTable }) },
    callbackRouter,
    store,
    platform,
    ipnCounter,
    reconciliation,
    stop: () => reconciliation.stop(),
  };
}

/**
 * The callback's secrets and our partner code, read from the credentials the
 * connector runtime uses now (the vault's active version, or the
 * configuration's): the active secret first, then the previous version's
 * while its rotation overlap lasts. Read at each IPN, so a rotation applies
 * without a restart. Missing credentials are an error (the route answers 503
 * and the platform retries), never an empty list that would refuse every IPN
 * as forged.
 */
export function callbackCredentials(runtime: Pick<ConnectorRuntime, 'usableCredentials'>, connectorId: string, fields: GuardedPlatform['credentialFields']) {
  const current = () => {
    const credentials = runtime.usableCredentials(connectorId);
    const secret = credentials?.active[fields.secret];
    if (typeof secret !== 'string' || secret === '') throw new Error(`${connectorId} has no usable checksum secret`);
    return credentials!;
  };
  return {
    partnerCode(): string {
      const partnerCode = current().active[fields.partnerCode];
      if (typeof partnerCode !== 'string' || partnerCode === '') throw new Error(`${connectorId} has no partner code`);
      return partnerCode;
    },
    async secrets(): Promise<string[]> {
      const credentials = current();
      const previous = credentials.previous?.fields[fields.secret];
      return [credentials.active[fields.secret] as string, ...(typeof previous === 'string' && previous !== '' ? [previous] : [])];
    },
  };
}

/** payments.ipn.allowedSources, parsed once at start: an entry that is not an address or CIDR block fails the start. */
function sourceAllowlist(entries: readonly string[]): (address: string) => boolean {
  try {
    return addressMatcher(entries, 'payments.ipn.allowedSources');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
