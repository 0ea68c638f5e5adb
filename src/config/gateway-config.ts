import type { AlertRule, InhibitRule, ReceiverKind, ReceiverRoute } from '../alerting/types.js';
import type { ResiliencePolicyOverride } from '../resilience/policy.js';
import type { ProbeSetting } from '../resilience/probe-plan.js';
import type { CachePolicyOverride } from '../resilience/response-cache-policy.js';

/** The validated, frozen configuration (shape of config-schema.ts after defaults). */
export interface GatewayConfig {
  readonly mode: 'embedded' | 'production';
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** The ops listener: metrics and readiness detail, unauthenticated. */
    readonly opsHost: string;
    readonly opsPort: number;
    readonly bodyLimitBytes: number;
    readonly shutdownGraceMs: number;
    readonly trustProxy: boolean;
    readonly maxRequestTimeoutMs: number;
  };
  readonly log: { readonly level: string };
  readonly store:
    | { readonly driver: 'pglite'; readonly dataDir?: string }
    | { readonly driver: 'pg'; readonly url: string; readonly poolSize?: number; readonly schema?: string; readonly connectionTimeoutMs?: number; readonly statementTimeoutMs?: number; readonly migrateOnStart?: boolean };
  readonly auth: {
    readonly issuer: string;
    readonly jwksUri?: string;
    readonly audience: string;
    readonly algorithms: readonly string[];
    readonly clockToleranceSeconds: number;
  };
  readonly devIdp?: {
    readonly host: string;
    readonly port: number;
    readonly realmExport: string;
    readonly keyStorePath?: string;
    readonly accessTokenTtlSeconds: number;
  };
  readonly sandboxes?: { readonly host: string; readonly ports?: Readonly<Record<string, number>> };
  readonly redis?: { readonly url: string; readonly keyPrefix: string; readonly replicas: number; readonly commandTimeoutMs: number; readonly quotaLeasePercent: number };
  readonly cache: {
    readonly enabled: boolean;
    readonly maxEntries: number;
    readonly maxBytes: number;
    readonly sharedKeyPrefix: string;
    readonly keyHashKey?: string;
    readonly entryEncryptionKey?: string;
    readonly encryptAllEntries: boolean;
  };
  readonly access: { readonly refreshIntervalMs: number; readonly openApiShowsOnlyGranted: boolean; readonly seedFile?: string };
  readonly health: { readonly probeIntervalMs: number; readonly probeTimeoutMs: number; readonly trafficSampleIntervalMs: number };
  /** The durable outbox's dispatcher (one per process); targets may override the retry policy. */
  readonly outbox: {
    readonly pollIntervalMs: number;
    readonly leaseMs: number;
    readonly maxConcurrent: number;
    readonly deliveryTimeoutMs: number;
    readonly deferDelayMs: number;
    readonly maxAttempts: number;
    readonly maxAgeMs: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly shutdownGraceMs: number;
  };
  readonly audit: {
    readonly subjectHashKey: string;
    readonly checkpoints: {
      readonly intervalMs: number;
      readonly signingKey?: string;
      readonly keyFile?: string;
      readonly trustedPublicKeys: readonly string[];
      readonly tsaUrl?: string;
      readonly tsaTimeoutMs: number;
    };
    readonly partitions: { readonly monthsAhead: number };
    /** Months per stream; 0 keeps it forever. */
    readonly retention: { readonly dataAccessMonths: number; readonly adminMonths: number };
  };
  /** The credential vault's master keys (src/vault); required in production. */
  readonly vault?: VaultConfig;
  /** Where upstreams may be (see upstreamAddressPolicy for the effective policy). */
  readonly upstreams: {
    /** Absent: enforced in production, not in embedded mode. */
    readonly enforceAllowlist?: boolean;
    readonly allowedHosts: readonly string[];
    readonly allowedCidrs: readonly string[];
  };
  readonly connectors: Readonly<Record<string, ConnectorConfig>>;
  /** The alerting channel (src/alerting). */
  readonly alerting: AlertingConfig;
  /** Payments through the national payment platform (src/payments); active when connectors.paygov is configured. */
  readonly payments: PaymentsConfig;
  /** The web console at /console (src/console). */
  readonly console: ConsoleConfig;
}

export interface PaymentsConfig {
  readonly paymentTtlMs: number;
  readonly feeCheck: 'when-listed' | 'off';
  readonly ipn: { readonly maxBodyBytes: number; readonly allowedSources: readonly string[] };
  readonly notifications: {
    readonly url?: string;
    /** A value, or a { fromEnv } / { fromFile } reference (readSecretReference). */
    readonly secret?: string | { readonly fromEnv: string } | { readonly fromFile: string };
    readonly timeoutMs: number;
    readonly portalProgress: boolean;
  };
  readonly reconciliation: {
    readonly enabled: boolean;
    readonly intervalMs: number;
    readonly minAgeMs: number;
    readonly maxAgeMs: number;
    readonly requeryAfterMs: number;
    readonly batchSize: number;
    readonly concurrency: number;
  };
}

export interface AlertingConfig {
  readonly enabled: boolean;
  /** How often each replica publishes its signals and the leader evaluates (ms). */
  readonly evaluationIntervalMs: number;
  /** How long the leader's lease lasts without renewal (ms); a new leader takes over after it. */
  readonly leaseMs: number;
  /** Ship the default rules for every connector and the gateway itself. */
  readonly defaultRules: boolean;
  /** Rules of the config file: override a default with the same id, or add one. */
  readonly rules: readonly AlertRule[];
  readonly inhibitRules: readonly InhibitRule[];
  readonly grouping: {
    readonly groupBy: readonly string[];
    readonly groupWaitSeconds: number;
    readonly groupIntervalSeconds: number;
    readonly repeatIntervalSeconds: number;
  };
  /** Receivers of the config file (read-only through the API); secrets as values or { fromEnv } / { fromFile }. */
  readonly receivers: ReadonlyArray<ConfigReceiver>;
  readonly smtp?: SmtpConfig;
  /** Resolved alerts, notices and ended silences older than this are removed (0: kept forever). */
  readonly historyRetentionDays: number;
  /** Linked from notices (the console), e.g. https://lgsp.province.gov.vn/console. */
  readonly consoleUrl?: string;
}

export interface ConfigReceiver {
  readonly id: string;
  readonly kind: ReceiverKind;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly route?: ReceiverRoute;
  /** Absent: true. */
  readonly enabled?: boolean;
  readonly secrets?: Readonly<Record<string, unknown>>;
}

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTLS: boolean;
  readonly user?: string;
  /** A value, or { fromEnv } / { fromFile }. */
  readonly password?: unknown;
  readonly from: string;
  readonly connectionTimeoutMs: number;
}

export interface VaultConfig {
  /** Each with `key` (base64 of 32 bytes) or `file` (a mounted file holding it). */
  readonly masterKeys: ReadonlyArray<{ readonly id: string; readonly key?: string; readonly file?: string }>;
  readonly activeKeyId: string;
  /** How long the previous credential version stays usable after an activation. */
  readonly overlapMs: number;
  readonly fingerprintKey?: string;
}

export interface ConnectorConfig {
  readonly enabled: boolean;
  readonly baseUrl: string;
  /** Embedded mode: false = this section's upstream instead of the connector's sandbox (default true; ignored in production). */
  readonly sandbox: boolean;
  readonly credentials: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly resilience?: ResiliencePolicyOverride;
  /** Which call the health probe makes (src/resilience/probe-plan.ts); absent = the descriptor's probe. */
  readonly probe?: ProbeSetting;
  /** Per operation id. */
  readonly cache?: Readonly<Record<string, CachePolicyOverride>>;
}

export interface ConsoleConfig {
  readonly enabled: boolean;
  readonly clientId: string;
  /** A value or a { fromEnv } / { fromFile } reference, resolved at start. */
  readonly clientSecret?: unknown;
  readonly sessionSecret?: unknown;
  readonly realmUrl?: string;
  readonly sessionIdleMs: number;
  readonly secureCookies: 'auto' | 'always';
}
