/**
 * The admin API's answers the connectors page reads (src/admin/connector-*.ts).
 * Nothing here ever holds a credential value: the API has none to give.
 */
export type JsonSchema = { [keyword: string]: unknown };

export type Availability = 'available' | 'disabled' | 'maintenance';
export type BreakerState = 'closed' | 'half-open' | 'open';

export interface ProbeReport {
  status: 'pending' | 'ok' | 'failed' | 'disabled';
  errorKind?: string;
  error?: string;
  latencyMs?: number;
  checkedAt?: string;
  consecutiveFailures: number;
  /** The replica that ran the last probe (replicas share their probes). */
  probedBy?: string;
}

export interface CallPolicy {
  timeoutMs: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
}

export interface EffectivePolicy extends CallPolicy {
  connectTimeoutMs: number;
  breaker: { errorThresholdPercentage: number; volumeThreshold: number; rollingWindowMs: number; resetTimeoutMs: number };
  bulkhead: { maxConcurrent: number; maxQueue: number };
  operations: Record<string, CallPolicy>;
}

export interface TrafficPoint {
  at: string;
  requests: number;
  errors: number;
  requestsPerMinute: number;
  errorRate: number | null;
  p95Ms: number | null;
}

/** GET /connectors (items) and GET /connectors/{id}/health. */
export interface ConnectorHealth {
  connector: string;
  title: string;
  availability: Availability | string;
  breaker: BreakerState;
  probe: ProbeReport;
  recentErrorRate: number | null;
  recentCalls: number;
  recentWindowMs: number;
  bulkhead: { inFlight: number; queued: number };
  policy: EffectivePolicy;
  traffic?: TrafficPoint | null;
}

export interface Sourced<T> {
  value: T;
  source: 'config' | 'admin';
}

export interface MaintenanceNotice {
  message: string;
  retryAfterSeconds: number;
}

export interface ProbeSetting {
  call?: 'default' | 'login' | 'operation' | 'none';
  operation?: string;
  input?: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
}

export type CredentialSource = 'vault' | 'config' | 'env' | 'file';

export interface CredentialsInUse {
  source: CredentialSource;
  activeVersion?: number;
  previousVersion?: number;
  previousUsableUntil?: string;
  fieldsSet: string[];
  readOnly: boolean;
}

/** GET/PATCH /connectors/{id}. */
export interface ConnectorView {
  connector: string;
  title: string;
  upstream: string;
  protocol: string;
  authScheme: string;
  enabled: Sourced<boolean>;
  maintenance: MaintenanceNotice | null;
  baseUrl: Sourced<string>;
  settings: Sourced<Record<string, unknown>>;
  probe: Sourced<ProbeSetting | null>;
  credentials: CredentialsInUse;
  availability: Availability;
  appliedAt?: string;
  lastApplyError?: { at: string; message: string };
}

/** The body of PATCH /connectors/{id}: a member set to null goes back to the configuration's value. */
export interface SettingsPatch {
  baseUrl?: string | null;
  settings?: Record<string, unknown> | null;
  enabled?: boolean | null;
  maintenance?: MaintenanceNotice | null;
  probe?: ProbeSetting | null;
}

/** GET /connectors/{id}/settings/schema. */
export interface SettingsSchemaView {
  connector: string;
  settings: JsonSchema;
  probe: JsonSchema;
  probeableOperations: string[];
}

export type ResilienceOverride = Partial<Omit<EffectivePolicy, 'breaker' | 'retry' | 'bulkhead' | 'operations'>> & {
  breaker?: Partial<EffectivePolicy['breaker']>;
  retry?: Partial<EffectivePolicy['retry']>;
  bulkhead?: Partial<EffectivePolicy['bulkhead']>;
  operations?: Record<string, { timeoutMs?: number; retry?: Partial<CallPolicy['retry']> }>;
};

/** GET/PUT /connectors/{id}/resilience. */
export interface ResilienceView {
  connector: string;
  override: ResilienceOverride | null;
  updatedAt?: string;
  updatedBy?: string;
  effective: EffectivePolicy;
}

export type CredentialState = 'staged' | 'active' | 'previous' | 'destroyed';
export type ConnectionTestOutcome = 'ok' | 'refused' | 'unreachable' | 'tls_error' | 'timeout' | 'redirected' | 'address_refused' | 'error';

/** One vault version's metadata (src/vault/types.ts CredentialVersionView). */
export interface CredentialVersion {
  connectorId: string;
  version: number;
  state: CredentialState;
  source: CredentialSource;
  fieldsSet: string[];
  fingerprint: string;
  expiresAt?: string;
  createdAt: string;
  createdBy: string;
  activatedAt?: string;
  activatedBy?: string;
  usableUntil?: string;
  destroyedAt?: string;
  lastTest?: { outcome: ConnectionTestOutcome; at: string; by: string; detail?: string };
}

/** GET /connectors/{id}/credentials. */
export interface CredentialsView {
  connector: string;
  inUse: CredentialsInUse | null;
  versions: CredentialVersion[];
}

/** GET /connectors/{id}/credentials/schema. */
export interface CredentialSchemaView {
  connector: string;
  authScheme: string;
  schema: JsonSchema;
  secretFields: string[];
}

/** POST /connectors/{id}/credentials/{version}/test. */
export interface ConnectionTestResult {
  connector: string;
  version: number;
  outcome: ConnectionTestOutcome;
  detail?: string;
  testedAt: string;
}
