import type { LookupFunction } from 'node:net';
import type { CachePolicy } from './cache-policy.js';
import type { ConnectorLogger } from './connector-logger.js';
import type { JsonSchema } from './json-schema.js';
import type { OperationPolicyOverride, ResiliencePolicyOverride } from './resilience-policy.js';
import type { SettingsOf } from './settings.js';
import type { UpstreamAuth, UpstreamAuthSchemeId } from './upstream-auth/upstream-auth.js';

/** What the core knows about the call while a connector handles it. */
export interface InvocationContext {
  signal: AbortSignal;
  requestId: string;
  /** W3C traceparent to forward upstream. */
  traceparent: string;
  /** Officer in the one-stop system (personal-data operations only). */
  endUser?: string;
  /** Dossier code or registered purpose (personal-data operations only). */
  purpose?: string;
  /**
   * When this attempt is abandoned, in the pipeline's one clock (performance.now()
   * milliseconds, monotonic, never the wall clock): the upstream modules forward
   * what is left of it as a Request-Timeout header, so an upstream that reads
   * it can stop working for an answer nobody will wait for.
   */
  deadline?: number;
}

export interface OperationInput {
  params: Record<string, string>;
  /** Only the declared query parameters, validated. */
  query: Record<string, string>;
  body: unknown;
}

export type OperationResult<Output> =
  | { kind: 'found'; data: Output; upstreamReference?: string }
  | { kind: 'not_found'; upstreamReference?: string };

export interface OperationDescriptor<Client = unknown, Output = unknown> {
  /** Stable operation id used by grants, audit and metrics: `<connector>.<resource>.<action>`. */
  id: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Path under /api/v1 in OpenAPI syntax, e.g. `/population/citizens/{personalId}`. */
  path: string;
  summary: string;
  description: string;
  /** Personal-data operations require X-End-User and X-Purpose and are audited. */
  personalData: boolean;
  /**
   * Whether sending the call twice is harmless (a read, even over POST). Only
   * idempotent operations are retried; the others reach the upstream at most once.
   */
  idempotent: boolean;
  /**
   * A GET lookup's POST form, e.g. `{ path: '/population/citizens/lookup' }`:
   * the same operation (id, grants, purposes, quotas, audit, metrics) with its
   * path and query parameters sent as a JSON body, so that subject ids stay out
   * of the URLs every proxy logs. The body contract is derived from `request`
   * (src/contracts/lookup-form.ts). Every personal-data GET whose parameters
   * name its data subject (subjectIdOf reads them) declares one; a GET keyed by
   * something else (a payment's receipt, by our payment reference) needs none.
   */
  lookup?: { path: string };
  /** This operation's own attempt timeout and retry budget, over the connector's. */
  resilience?: OperationPolicyOverride;
  request: {
    /** Path parameters: name → schema (usually a $ref into contracts). */
    params?: Record<string, JsonSchema>;
    /** Query parameters: name → schema; `required` lists the ones that must be present. Unknown ones are refused. */
    query?: { properties: Record<string, JsonSchema>; required?: string[] };
    /** $id of the request body contract. */
    body?: string;
  };
  /** $id of the response contract. */
  response: string;
  /** Reference data only: how long answers may be reused (overridable in config; absent = never cached unless config says so). */
  cache?: CachePolicy;
  /** The data subject of this call, for the audit record (hashed and masked there). */
  subjectIdOf(input: OperationInput): string | undefined;
  /** Field names the response releases (audit's "fields released"). */
  releasedFields(data: Output): string[];
  /** Asks the upstream (read operations). A write or a delivery-status read declares `write` / `deliveryStatus` instead. */
  invoke?(client: Client, input: OperationInput, context: InvocationContext): Promise<OperationResult<Output>>;
  /**
   * A write: the validated request is accepted into the gateway's durable
   * outbox (202) and delivered later, in order per key, by the connector's
   * `deliveries[target]`; no upstream is called while the caller waits.
   */
  write?: OutboxWrite;
  /** A read of the outbox's delivery state of one key (e.g. a dossier's sync status). */
  deliveryStatus?: DeliveryStatusRead<Client>;
  /**
   * Answered by the gateway from data it holds (the common catalogs,
   * src/catalogs): `invoke` reads that data, with no breaker, retries or
   * audit around it. The answer carries a strong ETag and this Cache-Control;
   * a request whose If-None-Match names the ETag gets a 304 without a body.
   */
  local?: { cacheControl: string };
  /**
   * A payment operation of a payment-platform connector (its descriptor's
   * `payments`): the core keeps the payments (src/payments) and runs its own
   * stage for these: create (Idempotency-Key required, INIT through the
   * platform), status (the stored payment), receipt (GET_BILL).
   */
  payment?: PaymentOperationKind;
}

export type PaymentOperationKind = 'create' | 'status' | 'receipt';

/** What the core sends a payment platform to register one payment (INIT). */
export interface PlatformPaymentRequest {
  /** Our reference (MaThamChieu): 1-20 of [A-Z0-9]. */
  reference: string;
  dossierCode: string;
  procedureCode: string;
  /** '' when the caller gave none. */
  agencyCode: string;
  /** Personal data: travels to the platform and nowhere else. */
  payerName: string;
  items: ReadonlyArray<{ code: string; name: string; amount: number; kind: 'fee' | 'charge' }>;
  /** Integer VND, the sum of the items. */
  totalAmount: number;
  currency: 'VND';
  description?: string;
  /** When the payment was created. */
  createdAt: Date;
}

/** What a payment platform says about one payment (QUERY). */
export interface PlatformPaymentStatus {
  state: 'paid' | 'pending' | 'failed';
  platformTransactionId?: string;
  amount?: number;
  currency?: string;
  /** ISO 8601 with offset. */
  paidAt?: string;
}

/** A payment's receipt as a platform issues it (GET_BILL); contracts/paygov/v1/payment-receipt.json minus our reference. */
export interface PlatformReceipt {
  receiptNumber: string;
  receiptSeries?: string;
  receiptUrl?: string;
  paidAt: string;
  payerName?: string;
  platformTransactionId?: string;
  dossierCode?: string;
  procedureCode?: string;
  amount: number;
  currency: string;
  items: Array<{ code: string; name: string; amount: number }>;
}

/**
 * A connector that is a payment platform (Paygov). The core owns the
 * payments, their state machine and the callback route; it asks the
 * platform only through these, on the connector's guarded client.
 */
export interface PaymentPlatform<Client> {
  /** Registers the payment; resolves with where to send the payer. A refusal is an UpstreamError. */
  init(client: Client, payment: PlatformPaymentRequest, context: InvocationContext): Promise<{ paymentUrl: string; platformTransactionId?: string }>;
  /** undefined when the platform holds no payment with this reference. */
  query(client: Client, reference: string, context: InvocationContext): Promise<PlatformPaymentStatus | undefined>;
  /** undefined when there is no receipt (no such payment, or not paid). */
  receipt(client: Client, reference: string, context: InvocationContext): Promise<PlatformReceipt | undefined>;
  /**
   * The callback's checksum, checked in constant time against each secret
   * (the active one first, then the previous one inside a rotation's
   * overlap): which one matched, if any. Pure: the core hands it the secrets.
   */
  verifyCallback(message: Readonly<Record<string, unknown>>, secrets: readonly string[]): { valid: boolean; secretIndex?: number };
  /** Which credential fields hold the shared secret and our partner code (the core reads them from the vault for callbacks). */
  credentialFields: { secret: string; partnerCode: string };
}

export interface DeliveryStatusRead<Client> {
  target: string;
  keyOf(input: OperationInput): string;
  /**
   * What the upstream holds now for this key, asked only when the caller asks
   * (`upstreamWanted`): a short view without personal data (the operation is
   * not a personal-data one).
   */
  upstreamView?: { wanted(input: OperationInput): boolean; read(client: Client, key: string, context: InvocationContext): Promise<unknown> };
}

export interface OutboxWrite {
  /** Outbox target, `<connector>.<what>`; the connector's `deliveries` has a handler under the same name. */
  target: string;
  /** Messages of one key (e.g. one dossier code) are delivered one at a time, in the order they were accepted. */
  keyOf(input: OperationInput): string;
  /** What is stored (JSON) and handed to the delivery handler. */
  messageOf(input: OperationInput): unknown;
  /** Names of the fields sent on (the audit record's "fields released" of this transfer). */
  fieldsSent(input: OperationInput): string[];
}

/** One outbox message as a delivery handler receives it. */
export interface DeliveryMessage {
  key: string;
  sequence: number;
  payload: unknown;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * Delivers one accepted message to the upstream; resolves once the upstream
 * holds it (with a short answer, no personal data). Failures are thrown as
 * UpstreamError: `rejected` means the message can never be delivered (it
 * goes dead), every other kind is retried with backoff.
 */
export type DeliveryHandler<Client> = (client: Client, message: DeliveryMessage, context: InvocationContext) => Promise<{ answer?: string }>;

export interface ConnectorClientContext<Settings = Readonly<Record<string, unknown>>> {
  baseUrl: string;
  /** Validated against the descriptor's settingsSchema by the config loader (defaults filled). */
  settings: Settings;
  /** Authenticates calls; connector code never sees the credentials behind it. */
  auth: UpstreamAuth;
  logger: ConnectorLogger;
  /** Transport settings from the resilience policy, for the upstream modules (createRestUpstream / createSoapUpstream). */
  transport: UpstreamTransport;
}

export interface UpstreamTransport {
  /** Time to open a connection to the upstream. */
  connectTimeoutMs: number;
  /** How every connection to this upstream (its calls and its logins) is opened; see upstream-transport.ts. */
  connect?: UpstreamConnectOptions;
}

export interface UpstreamConnectOptions {
  /**
   * Replaces dns.lookup for every connection: the gateway's upstream address
   * guard (upstream-address-guard.ts), which refuses addresses outside the
   * allowlist at connect time, not only when the URL was configured.
   */
  lookup?: LookupFunction;
  /** A client certificate for upstreams that require mutual TLS. */
  tls?: UpstreamClientTls;
}

/** PEM texts; they come from the connector's credentials (never logged, never in an error). */
export interface UpstreamClientTls {
  /** The gateway's client certificate (with its intermediates, leaf first). */
  cert: string;
  /** Its private key. */
  key: string;
  /** CA certificates trusted for the upstream's server certificate, instead of Node's default list (a private PKI). */
  ca?: string;
}

export interface ConnectorDescriptor<Client = unknown> {
  id: string;
  title: string;
  /** The national system behind it, in one line. */
  upstream: string;
  /** `local`: no upstream of its own, answered from data the gateway holds (the common catalogs). */
  protocol: 'soap' | 'rest' | 'local';
  authScheme: UpstreamAuthSchemeId;
  /** JSON Schema of the credentials; secret fields carry `x-secret: true`. */
  credentialSchema: JsonSchema;
  /** JSON Schema of non-secret settings (integration codes, paths...). */
  settingsSchema: JsonSchema;
  /** Resilience defaults of this connector; what is left out keeps the kit's (src/connector-kit/resilience-policy.ts). */
  resilience: Omit<ResiliencePolicyOverride, 'operations'>;
  operations: Array<OperationDescriptor<Client, any>>;
  createClient(context: ConnectorClientContext): Promise<Client>;
  /** A cheap upstream call proving the upstream answers (health probe). */
  probe(client: Client, signal: AbortSignal): Promise<void>;
  /** The simulated upstream started for this connector in embedded mode and tests. */
  sandbox?: ConnectorSandbox;
  /** Delivery handlers of this connector's outbox targets (see OutboxWrite). */
  deliveries?: Record<string, DeliveryHandler<Client>>;
  /** A payment platform (see PaymentPlatform): its operations declare `payment`. */
  payments?: PaymentPlatform<Client>;
}

/**
 * A connector's simulator, declared lazily: `load` is an `import()` of the
 * sandbox folder, taken only by the embedded launcher and tests, so a
 * production process never loads simulator code.
 */
export interface ConnectorSandbox {
  /** Where it listens in embedded mode unless `sandboxes.ports.<id>` says otherwise (0 = any free port). */
  port: number;
  load(): Promise<SandboxModule>;
}

export interface SandboxModule {
  /**
   * The connector's config section in embedded mode when the document does
   * not point it elsewhere: the development credentials this simulator accepts
   * and the settings that fit it (the base URL is the running simulator's).
   */
  devConfig: SandboxDevConfig;
  /** Starts the simulator; it accepts the connector's configured credentials (merged over its development ones). */
  start(options: { host: string; port: number; credentials: Readonly<Record<string, unknown>>; settings?: Readonly<Record<string, unknown>> }): Promise<RunningSandbox>;
}

/** A `connectors.<id>` section without its baseUrl: what embedded mode fills in under the document. */
export interface SandboxDevConfig {
  credentials: Readonly<Record<string, unknown>>;
  settings?: Readonly<Record<string, unknown>>;
  resilience?: Omit<ResiliencePolicyOverride, 'operations'>;
}

export interface RunningSandbox {
  baseUrl: string;
  /** For simulators that call the gateway back (the payment platform's IPN): told the gateway's address once it listens. */
  gatewayListening?(gatewayUrl: string): void;
  close(): Promise<void>;
}

/**
 * A descriptor as a connector writes it: the client receives settings typed
 * from its own `settingsSchema` (declared `as const`), so a client cannot
 * read a setting the schema does not declare, nor miss a required one.
 */
export interface ConnectorDefinition<Client, Schema extends JsonSchema> extends Omit<ConnectorDescriptor<Client>, 'settingsSchema' | 'createClient'> {
  settingsSchema: Schema;
  createClient: (context: ConnectorClientContext<SettingsOf<Schema>>) => Promise<Client>;
}

/** Keeps descriptor literals type-checked against their own client and settings types. */
export function defineConnector<Client, Schema extends JsonSchema = JsonSchema>(definition: ConnectorDefinition<Client, Schema>): ConnectorDescriptor<Client> {
  return {
    ...definition,
    // The one place settings become typed: the config loader validated them against this very schema before any client is created.
    createClient: (context) => definition.createClient({ ...context, settings: context.settings as SettingsOf<Schema> }),
  };
}
