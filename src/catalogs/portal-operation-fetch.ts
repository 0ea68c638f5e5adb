import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import type { Authorization } from '../pipeline/authorize.js';
import type { OperationContext } from '../pipeline/operation-context.js';
import type { PipelineDependencies } from '../pipeline/pipeline-dependencies.js';
import { newRequestContext } from '../pipeline/request-context.js';
import { upstreamCallStage } from '../pipeline/stages/upstream-call.js';
import { Deadline } from '../resilience/deadline.js';

/** The gateway itself asks, for no consumer: what the cache step reads of a grant (the list is not personal data). */
const gatewayOwnGrant = { grant: { allowCachedResponses: true } } as unknown as Authorization;

/**
 * One of the portal connector's own operations (agency.list, field.list) as
 * the catalogs ask it: through the same upstream-call stage a consumer's call
 * takes, so the portal's breaker, bulkhead, retries, response cache and
 * response contract all apply, and the catalogs share the cached list with
 * `/public-service-portal/agencies` callers. Resolves with the mapped answer
 * and its age in the cache (0 when the portal was asked now).
 */
export function portalOperationFetch(
  deps: Pick<PipelineDependencies, 'upstreams' | 'responseCache' | 'maxRequestTimeoutMs' | 'contracts' | 'metrics' | 'logger'>,
  mounted: { descriptor: ConnectorDescriptor<any>; handle: ConnectorHandle },
  operationId: string,
): () => Promise<{ data: unknown; ageSeconds: number }> {
  const operation = mounted.descriptor.operations.find((candidate) => candidate.id === operationId);
  if (!operation) throw new Error(`connector ${mounted.descriptor.id} has no operation ${operationId}`);
  const stage = upstreamCallStage(deps, mounted.descriptor, operation, mounted.handle);
  return async () => {
    let ageSeconds = 0;
    const context: OperationContext = {
      req: { method: 'GET', header: () => undefined, params: {}, query: {}, body: undefined },
      // Only the cache step writes here (Age, Warning): the age dates the copy.
      res: {
        setHeader(name: string, value: number | string | readonly string[]) {
          if (name === 'Age') ageSeconds = Number(value);
          return this as never;
        },
        once() {
          return this as never;
        },
        writableFinished: false,
      },
      request: newRequestContext(undefined, undefined),
      connector: mounted.descriptor,
      operation,
      handle: mounted.handle,
      upstreamAsked: false,
      input: { params: {}, query: {}, body: undefined },
      authorization: gatewayOwnGrant,
      deadline: new Deadline(performance.now() + deps.maxRequestTimeoutMs),
    };
    await stage.run(context);
    return { data: context.answer!.data, ageSeconds };
  };
}
