import type { ConnectorDescriptor, OperationDescriptor } from '../connector-kit/descriptor.js';
import { problemCodes } from '../errors/problem-codes.js';
import type { ContractRegistry } from './contract-registry.js';
import { lookupFormOf, registerLookupForm, type LookupForm } from './lookup-form.js';
import type { JsonSchema } from './json-schema.js';

const problemRef = { $ref: '#/components/schemas/common.v1.definitions/$defs/problem' };

/**
 * The OpenAPI 3.1 document, generated from the contracts and the connector
 * descriptors at start — never hand-maintained. Each contract becomes one
 * component and every $ref is rewritten to point inside the document, so
 * tools that cannot fetch our $id URLs still resolve everything.
 */
export function buildOpenApiDocument(options: {
  registry: ContractRegistry;
  connectors: ReadonlyArray<ConnectorDescriptor>;
  version: string;
  serverUrl?: string;
}): Record<string, unknown> {
  const { registry } = options;
  // Before the components are listed: the lookup forms' body contracts are generated, not files.
  for (const connector of options.connectors) for (const operation of connector.operations) registerLookupForm(registry, operation);
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of registry.schemas) schemas[componentName(id)] = localizeRefs(schema, id);

  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: string, description: Record<string, unknown>) => {
    paths[`/api/v1${path}`] ??= {};
    paths[`/api/v1${path}`]![method] = description;
  };
  for (const connector of options.connectors) {
    for (const operation of connector.operations) {
      const lookup = lookupFormOf(operation);
      const described = describeOperation(connector, operation, registry, lookup);
      add(operation.path, operation.method.toLowerCase(), described);
      if (lookup) add(lookup.path, 'post', describeLookupForm(described, operation, lookup, registry));
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'LGSP gateway API',
      version: options.version,
      description:
        'One normalized, secured API in front of the national databases. Personal-data operations require the X-End-User and X-Purpose headers and are recorded in the audit trail. Errors are application/problem+json (RFC 9457) with a stable `code`.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    tags: options.connectors.map((connector) => ({ name: connector.id, description: `${connector.title} — ${connector.upstream}` })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from the province Keycloak realm (client credentials).' },
      },
      schemas,
    },
  };
}

function describeOperation(connector: ConnectorDescriptor, operation: OperationDescriptor, registry: ContractRegistry, lookup: LookupForm | undefined): Record<string, unknown> {
  const parameters: unknown[] = Object.entries(operation.request.params ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: localizeRefs(schema, operation.request.body ?? operation.response),
  }));
  const query = operation.request.query;
  for (const [name, schema] of Object.entries(query?.properties ?? {})) {
    parameters.push({ name, in: 'query', required: query?.required?.includes(name) ?? false, schema: localizeRefs(schema, operation.response) });
  }
  if (operation.personalData) {
    parameters.push(
      { name: 'X-End-User', in: 'header', required: true, description: 'The officer on whose behalf the call is made.', schema: { $ref: '#/components/schemas/common.v1.definitions/$defs/endUser' } },
      { name: 'X-Purpose', in: 'header', required: true, description: 'Dossier code or registered purpose code.', schema: { $ref: '#/components/schemas/common.v1.definitions/$defs/purpose' } },
    );
  }
  parameters.push({ name: 'X-Request-Id', in: 'header', required: false, description: 'Correlation id; generated when absent and echoed on every response.', schema: { type: 'string', maxLength: 128 } });
  if (operation.payment === 'create') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description: 'Required: a retried request with the same key and body is the same payment (200, `duplicate: true`), never a second one. Reused with another body: 422 LGSP_IDEMPOTENCY_KEY_REUSED; missing: 400.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    });
  }
  if (operation.write) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Makes a retried request the same accepted message (recommended). Without it, a body equal to the latest one accepted for this resource is the same message. Reused with another body: 422 LGSP_IDEMPOTENCY_KEY_REUSED.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    });
  }
  if (operation.local) {
    parameters.push({ name: 'If-None-Match', in: 'header', required: false, description: 'The ETag of an answer the caller holds: 304 without a body when it is still this answer.', schema: { type: 'string' } });
  }
  parameters.push({
    name: 'Request-Timeout',
    in: 'header',
    required: false,
    description:
      'Seconds the caller will wait (e.g. `2.5`, at most three decimals), counted from arrival; the gateway maximum applies when absent or larger. Upstream attempts, queueing and retries fit inside it, then 504 LGSP_DEADLINE_EXCEEDED.',
    schema: { type: 'string', pattern: '^[0-9]{1,7}(\\.[0-9]{1,3})?$' },
  });

  const responseSchema = registry.get(operation.response);
  // A lookup by a path parameter (a record, a procedure) can find nothing; a search answers an empty list.
  const canBeNotFound = operation.personalData || Object.keys(operation.request.params ?? {}).length > 0;
  const creates = operation.write !== undefined || operation.payment === 'create';
  const errorStatuses = [400, 401, 403, ...(canBeNotFound ? [404] : []), ...(operation.payment === 'receipt' ? [409] : []), ...(creates ? [422] : []), 502, 503, 504];
  const success = {
    headers: { 'X-Request-Id': { schema: { type: 'string' } }, ...(operation.cache ? cacheHeaders : {}), ...(operation.local ? conditionalHeaders(operation.local.cacheControl) : {}) },
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${componentName(operation.response)}` }, ...firstExample(responseSchema) } },
  };
  const responses: Record<string, unknown> =
    operation.payment === 'create'
      ? {
          201: { description: 'Created: the payment is stored and registered with the payment platform; send the payer to paymentUrl', ...success },
          200: { description: 'The same request again (same Idempotency-Key and body): the payment it made, `duplicate: true`', ...success },
        }
      : { [operation.write ? 202 : 200]: { description: operation.write ? 'Accepted: stored durably in the outbox, delivered to the upstream later, in order per key' : 'OK', ...success } };
  if (operation.local) responses[304] = { description: 'Not modified: If-None-Match names this answer (no body)', headers: conditionalHeaders(operation.local.cacheControl) };
  for (const status of errorStatuses) {
    const codes = Object.entries(problemCodes).filter(([, entry]) => entry.status === status).map(([code]) => code);
    responses[status] = {
      description: codes.join(', '),
      content: { 'application/problem+json': { schema: problemRef } },
    };
  }

  return {
    operationId: operation.id,
    'x-lgsp-operation': operation.id,
    tags: [connector.id],
    summary: operation.summary,
    description:
      operation.description +
      (operation.personalData ? '\n\nPersonal data: audited; X-End-User and X-Purpose required.' : '') +
      (lookup ? `\n\nAlso offered as \`POST /api/v1${lookup.path}\` with these parameters in a JSON body: prefer that form, it keeps the ids out of the URLs that proxies log.` : ''),
    parameters,
    ...(operation.request.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${componentName(operation.request.body)}` }, ...firstExample(registry.get(operation.request.body)) } },
          },
        }
      : {}),
    responses,
    'x-personal-data': operation.personalData,
  };
}

/**
 * The POST form of a GET lookup: the same operation (the same
 * `x-lgsp-operation`, which grants name) with its parameters in the body. Its
 * OpenAPI operationId is its own, as OpenAPI requires them unique.
 */
function describeLookupForm(described: Record<string, unknown>, operation: OperationDescriptor, lookup: LookupForm, registry: ContractRegistry): Record<string, unknown> {
  const headers = (described.parameters as Array<{ in: string }>).filter((parameter) => parameter.in === 'header');
  return {
    ...described,
    operationId: `${operation.id}.lookup`,
    summary: `${operation.summary} (parameters in the body)`,
    description:
      `The same operation as \`${operation.method} /api/v1${operation.path}\` (\`${operation.id}\`: the same grant, purposes, quotas and audit), ` +
      'with its parameters in a JSON body instead of the URL. Prefer this form: ids in URLs end up in the access logs of every proxy on the way.\n\n' +
      operation.description +
      (operation.personalData ? '\n\nPersonal data: audited; X-End-User and X-Purpose required.' : ''),
    parameters: headers,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${componentName(lookup.contractId)}` }, ...firstExample(registry.get(lookup.contractId)) } },
    },
  };
}

/** On answers the response cache may give (see src/pipeline/cached-invoke.ts). */
const cacheHeaders = {
  Age: { description: 'Seconds since the upstream gave this answer; present when it came from the gateway cache.', schema: { type: 'integer', minimum: 0 } },
  Warning: {
    description: '`110 - "Response is Stale"`: stale, being refreshed in the background. `111 - "Revalidation Failed"`: stale, served because the upstream is failing.',
    schema: { type: 'string' },
  },
};

function firstExample(schema: JsonSchema): { example?: unknown } {
  const examples = schema.examples;
  return Array.isArray(examples) && examples.length > 0 ? { example: examples[0] } : {};
}

/** `https://lgsp.gov.vn/contracts/population/v1/citizen.json` → `population.v1.citizen`. */
export function componentName(id: string): string {
  const path = new URL(id).pathname.replace(/^\/contracts\//, '').replace(/\.json$/, '');
  return path.split('/').join('.');
}

/** Rewrites every $ref of a contract (relative or absolute) to a document-local component pointer. */
function localizeRefs(schema: JsonSchema, baseId: string): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id' || key === '$schema') continue;
      if (key === '$ref' && typeof value === 'string') {
        const absolute = new URL(value, baseId);
        const fragment = absolute.hash.replace(/^#/, '');
        absolute.hash = '';
        out.$ref = `#/components/schemas/${componentName(absolute.href)}${fragment}`;
      } else {
        out[key] = visit(value);
      }
    }
    return out;
  };
  return visit(schema) as JsonSchema;
}

/** The same document with only the given operations (a consumer's view of what it is granted). */
export function restrictOpenApiDocument(document: Record<string, unknown>, operationIds: ReadonlySet<string>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, { operationId?: string; 'x-lgsp-operation'?: string }>>)) {
    // Granted by gateway operation: a lookup form goes with the operation it is a form of.
    const kept = Object.fromEntries(Object.entries(methods).filter(([, operation]) => operationIds.has(operation['x-lgsp-operation'] ?? operation.operationId ?? '')));
    if (Object.keys(kept).length > 0) paths[path] = kept;
  }
  return { ...document, paths };
}

/** The headers of an answer the gateway serves from its own data (the catalogs): its tag and how long it may be kept. */
function conditionalHeaders(cacheControl: string): Record<string, unknown> {
  return {
    ETag: { description: 'Strong tag of this answer (the same on every replica): send it as If-None-Match.', schema: { type: 'string' } },
    'Cache-Control': { description: `\`${cacheControl}\``, schema: { type: 'string' } },
  };
}
