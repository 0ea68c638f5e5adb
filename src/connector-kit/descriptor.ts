import type { JsonSchema } from '../contracts/json-schema.js';
import type { Logger } from '../observability/logger.js';
import type { ResiliencePolicy } from '../resilience/policy.js';
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
  method: 'GET' | 'POST';
  /** Path under /api/v1 in OpenAPI syntax, e.g. `/population/citizens/{personalId}`. */
  path: string;
  summary: string;
  description: string;
  /** Personal-data operations require X-End-User and X-Purpose and are audited. */
  personalData: boolean;
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
  /** The data subject of this call, for the audit record (hashed and masked there). */
  subjectIdOf(input: OperationInput): string | undefined;
  /** Field names the response releases (audit's "fields released"). */
  releasedFields(data: Output): string[];
  invoke(client: Client, input: OperationInput, context: InvocationContext): Promise<OperationResult<Output>>;
}

export interface ConnectorClientContext {
  baseUrl: string;
  settings: Record<string, unknown>;
  /** Authenticates calls; connector code never sees the credentials behind it. */
  auth: UpstreamAuth;
  logger: Logger;
}

export interface ConnectorDescriptor<Client = unknown> {
  id: string;
  title: string;
  /** The national system behind it, in one line. */
  upstream: string;
  protocol: 'soap' | 'rest';
  authScheme: UpstreamAuthSchemeId;
  /** JSON Schema of the credentials; secret fields carry `x-secret: true`. */
  credentialSchema: JsonSchema;
  /** JSON Schema of non-secret settings (integration codes, paths...). */
  settingsSchema: JsonSchema;
  resilience: ResiliencePolicy;
  operations: Array<OperationDescriptor<Client, any>>;
  createClient(context: ConnectorClientContext): Promise<Client>;
  /** A cheap upstream call proving the upstream answers (health probe). */
  probe(client: Client, signal: AbortSignal): Promise<void>;
}

/** Keeps descriptor literals type-checked against their own client type. */
export function defineConnector<Client>(descriptor: ConnectorDescriptor<Client>): ConnectorDescriptor<Client> {
  return descriptor;
}
