import pino from 'pino';
import { createPaygovClient, type PaygovClient } from '../../../connectors/paygov/client.js';
import { paygovConnector } from '../../../connectors/paygov/descriptor.js';
import { initOutcome } from '../../../connectors/paygov/mapping.js';
import { startPaygovSandbox, type PaygovSandbox } from '../../../connectors/paygov/sandbox/server.js';
import type { ConnectorDescriptor } from '../../connector-kit/descriptor.js';
import { createMessageChecksumAuth } from '../../connector-kit/upstream-auth/message-checksum.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics, type Metrics } from '../../observability/metrics.js';
import { BreakerRegistry } from '../../resilience/breaker-registry.js';
import { resolvePolicies, type ResiliencePolicyOverride } from '../../resilience/policy.js';
import { UpstreamCaller } from '../../resilience/upstream-caller.js';
import { guardedPlatform, platformOperationIds, type GuardedPlatform } from '../platform-calls.js';
import type { PaymentView } from '../payment-types.js';
import { activeSecret, partnerCode } from './payments-harness.js';

/**
 * The paygov sandbox over HTTP, asked through the real guards (UpstreamCaller:
 * bulkhead, breaker, timeout) as the gateway will ask it. The connector's
 * descriptor's payment platform is used as is, on a client sealed with the
 * sandbox's development secret.
 */
export interface GuardedPaygov {
  sandbox: PaygovSandbox;
  client: PaygovClient;
  platform: GuardedPlatform;
  metrics: Metrics;
  breakers: BreakerRegistry;
  /** INIT at the sandbox for a payment we created (so QUERY knows it). */
  init(payment: PaymentView): Promise<{ paymentUrl: string; platformTransactionId?: string }>;
  close(): Promise<void>;
}

export async function startGuardedPaygov(resilience: ResiliencePolicyOverride = {}): Promise<GuardedPaygov> {
  const sandbox = await startPaygovSandbox({ credentials: { partnerCode, secretKey: activeSecret }, ipnAttempts: 1, ipnRetryDelayMs: 10 });
  const client = await createPaygovClient({
    baseUrl: sandbox.baseUrl, settings: {}, auth: createMessageChecksumAuth({ partnerCode, secretKey: activeSecret }), logger: pino({ level: 'silent' }), transport: { connectTimeoutMs: 2000 },
  });
  // The connector's own descriptor: its payment platform (QUERY, GET_BILL...) exactly as the gateway mounts it.
  const connector: ConnectorDescriptor<any> = paygovConnector;
  const logger = createLogger({ level: 'silent' });
  const metrics = createMetrics();
  const breakers = new BreakerRegistry({ metrics, logger });
  const upstreams = new UpstreamCaller({ breakers, metrics, logger });
  upstreams.configure('paygov', resolvePolicies(Object.values(platformOperationIds), [{ timeoutMs: 2000, retry: { maxAttempts: 1 }, ...resilience }]));
  const platform = guardedPlatform({ connector, handle: { acquire: () => ({ client, release: () => undefined }) }, upstreams, defaultTimeoutMs: 5000 });
  return {
    sandbox,
    client,
    platform,
    metrics,
    breakers,
    async init(payment) {
      const reply = await client.init(
        {
          reference: payment.reference, dossierCode: payment.dossierCode, procedureCode: payment.procedureCode, agencyCode: '000.00.01.H22', payerName: 'Nguyễn Thị Bích Ngọc',
          feeItems: payment.items, createdAt: payment.createdAt,
        },
        { signal: AbortSignal.timeout(5000), requestId: 'init', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      );
      return initOutcome(reply);
    },
    async close() {
      await client.close();
      await sandbox.close();
    },
  };
}
