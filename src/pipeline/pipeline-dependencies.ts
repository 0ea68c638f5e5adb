import type { AccessPolicy } from '../access/access-policy.js';
import type { AuditGate } from '../audit/audit-gate.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ContractRegistry } from '../contracts/contract-registry.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';
import type { AccessAuditor } from './access-auditor.js';
import type { ConfiguredResponseCache } from './cached-invoke.js';
import type { Clock } from './clock.js';
import type { OutboxAccess } from './outbox-access.js';
import type { PaymentsAccess } from './payments-access.js';

/** What the stages are built from; the gateway creates each part once (src/gateway.ts). */
export interface PipelineDependencies {
  contracts: ContractRegistry;
  tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>;
  upstreams: UpstreamCaller;
  /** Longest a request may take (ms); a Request-Timeout header can only shorten it. */
  maxRequestTimeoutMs: number;
  auditor: AccessAuditor;
  /** Is the audit trail writable? Asked before a personal-data call leaves the gateway. */
  auditGate: Pick<AuditGate, 'assertOpen'>;
  access: AccessPolicy;
  limiter: Pick<RateLimiter, 'consume' | 'refund'>;
  metrics: Metrics;
  logger: Logger;
  /** Reference-data cache (cached-invoke.ts); absent: every call asks the upstream. */
  responseCache?: ConfiguredResponseCache;
  /** The durable outbox that write operations are accepted into (required as soon as one is mounted). */
  outbox?: OutboxAccess;
  /** The payments, their platform and the fee tables (required as soon as a payment operation is mounted). */
  payments?: PaymentsAccess;
  /** Defaults to the system clock. */
  clock?: Clock;
}
