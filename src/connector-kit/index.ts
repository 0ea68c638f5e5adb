/**
 * The connector kit's one entry: everything a connector (descriptor, client,
 * mapping, upstream types) may use from src/. The kit itself imports nothing
 * from the core; test/architecture/dependency-rules.test.ts keeps both true.
 */
export type { CachePolicy } from './cache-policy.js';
export { referenceDataCachePolicy } from './cache-policy.js';
export { connectorFile } from './connector-files.js';
export type { ConnectorLogger } from './connector-logger.js';
export * from './administrative-units-2025.js';
export * from './deadline-header.js';
export type {
  ConnectorClientContext,
  ConnectorDefinition,
  ConnectorDescriptor,
  ConnectorSandbox,
  DeliveryHandler,
  DeliveryStatusRead,
  DeliveryMessage,
  InvocationContext,
  OperationDescriptor,
  OperationInput,
  OperationResult,
  OutboxWrite,
  PaymentOperationKind,
  PaymentPlatform,
  PlatformPaymentRequest,
  PlatformPaymentStatus,
  PlatformReceipt,
  RunningSandbox,
  SandboxDevConfig,
  SandboxModule,
  UpstreamClientTls,
  UpstreamConnectOptions,
  UpstreamTransport,
} from './descriptor.js';
export { defineConnector } from './descriptor.js';
export type { JsonSchema } from './json-schema.js';
export * from './national-code-lists.js';
export * from './platform-soap.js';
export type { OperationPolicyOverride, ResiliencePolicy, ResiliencePolicyOverride, RetryPolicy } from './resilience-policy.js';
export * from './rest-upstream.js';
export type { SettingsOf } from './settings.js';
export * from './soap-upstream.js';
export * from './tax-code.js';
export * from './upstream-auth/client-credentials-lgsp.js';
export * from './upstream-auth/password-grant.js';
export * from './upstream-auth/session-dstcode.js';
export * from './upstream-auth/message-checksum.js';
export * from './upstream-auth/upstream-auth.js';
export * from './upstream-errors.js';
export * from './upstream-url.js';
export * from './upstream-values.js';
