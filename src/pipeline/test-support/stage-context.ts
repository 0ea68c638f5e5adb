import { ConnectorSlot } from '../../connector-runtime/connector-slot.js';
import { EventEmitter } from 'node:events';
import type { ApiRequest, ApiResponse } from '../api-request.js';
import type { Consumer, Grant, Purpose } from '../../../contracts/types.generated.js';
import type { AccessPolicy } from '../../access/access-policy.js';
import type { ConnectorDescriptor, OperationDescriptor } from '../../connector-kit/descriptor.js';
import type { OperationContext } from '../operation-context.js';

/** A request with these headers (lower-case names), params and query, as the data plane hands it to a stage. */
export function fakeRequest(options: { headers?: Record<string, string>; params?: Record<string, string>; query?: Record<string, string>; body?: unknown; method?: string } = {}): ApiRequest {
  const headers = options.headers ?? {};
  return { method: options.method ?? 'GET', header: (name: string) => headers[name.toLowerCase()], params: options.params ?? {}, query: options.query ?? {}, body: options.body };
}

/** A response that records headers and emits 'close' like node's (the deadline stage listens for it). */
export function fakeResponse(): ApiResponse & { headersSet: Map<string, string>; hangUp(): void } {
  const emitter = new EventEmitter();
  const headersSet = new Map<string, string>();
  return Object.assign(emitter, {
    headersSet,
    writableFinished: false,
    setHeader: (name: string, value: string) => headersSet.set(name.toLowerCase(), String(value)),
    hangUp: () => emitter.emit('close'),
  }) as unknown as ApiResponse & { headersSet: Map<string, string>; hangUp(): void };
}

export const testOperation = (overrides: Partial<OperationDescriptor<any>> = {}): OperationDescriptor<any> => ({
  id: 'test.thing.get',
  method: 'GET',
  path: '/things/{code}',
  summary: 'a thing',
  description: 'a thing',
  personalData: true,
  idempotent: true,
  request: {},
  response: 'https://lgsp.gov.vn/contracts/test/thing.json',
  subjectIdOf: (input) => input.params.code,
  releasedFields: (data: Record<string, unknown>) => Object.keys(data),
  invoke: async () => ({ kind: 'found', data: {} }),
  ...overrides,
});

export function stageContext(overrides: Partial<OperationContext> = {}): OperationContext {
  return {
    req: fakeRequest(),
    res: fakeResponse(),
    request: { requestId: 'req-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', startedAt: performance.now() },
    connector: { id: 'test' } as ConnectorDescriptor<any>,
    operation: testOperation(),
    handle: availableHandle('test', {}),
    upstreamAsked: false,
    ...overrides,
  };
}

export const activeConsumer: Consumer = { id: 'one-stop', clientId: 'one-stop', name: 'One-stop system', status: 'active' } as Consumer;
export const grantOf = (overrides: Partial<Grant> = {}): Grant => ({ consumerId: 'one-stop', operation: 'test.thing.get', purposes: ['DOSSIER-PROCESSING'], fields: ['*'], ...overrides });

/** An access policy holding exactly these consumers, grants and purposes (what AccessPolicy serves from its snapshot). */
export function accessPolicyOf(state: { consumers?: Consumer[]; grants?: Grant[]; purposes?: Purpose[] }): AccessPolicy {
  return {
    consumerByClientId: (clientId: string) => state.consumers?.find((consumer) => consumer.clientId === clientId),
    grantFor: (consumerId: string, operation: string) => state.grants?.find((grant) => grant.consumerId === consumerId && grant.operation === operation),
    purposes: new Map((state.purposes ?? []).map((purpose) => [purpose.code, purpose])),
  } as unknown as AccessPolicy;
}

/** A connector handle serving this client, available: what the connector runtime installs for an enabled connector. */
export function availableHandle(connectorId: string, client: unknown): ConnectorSlot {
  const slot = new ConnectorSlot(connectorId);
  slot.replace({ client, close: () => undefined });
  slot.setAvailability({ kind: 'available' });
  return slot;
}
