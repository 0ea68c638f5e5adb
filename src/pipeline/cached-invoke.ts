import type { ApiResponse } from './api-request.js';
import type { Grant } from '../../contracts/types.generated.js';
import type { OperationDescriptor, OperationInput, OperationResult } from '../connector-kit/descriptor.js';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { BreakerOpenError } from '../resilience/breaker-registry.js';
import { BulkheadFullError } from '../resilience/bulkhead.js';
import { Deadline, DeadlineExceededError } from '../resilience/deadline.js';
import type { CachePolicy } from '../resilience/response-cache-policy.js';
import { staleWarnings, type ResponseCache } from '../resilience/response-cache.js';
import { keyedCacheHash, type CacheSecret } from '../resilience/response-cache-sealing.js';

/** What the audit record names as the source of an answer the upstream was not asked for. */
export const cacheUpstreamReference = 'cache';

/** The gateway's response cache with the policy in force per operation (descriptor + config). */
export interface ConfiguredResponseCache {
  cache: ResponseCache;
  /** Undefined: this operation is never cached. */
  policyOf(operationId: string): CachePolicy | undefined;
  /** The HMAC key of cache keys (config `cache.keyHashKey`). */
  keyHashKey: CacheSecret;
  /** Encrypt every entry at rest, not only personal data (config `cache.encryptAllEntries`). */
  sealEveryEntry: boolean;
}

export interface CachedInvokeSetup {
  responseCache: ConfiguredResponseCache | undefined;
  connectorId: string;
  operation: Pick<OperationDescriptor, 'id' | 'personalData'>;
  /** Deadline of an upstream call the cache makes for several callers (the gateway's maximum request time). */
  sharedCallTimeoutMs: number;
}

/** Asks the upstream within the given deadline. */
export type AskUpstream = (deadline: Deadline) => Promise<OperationResult<unknown>>;

/**
 * The pipeline's cache step, around the breaker-guarded upstream call. The
 * cache holds validated, mapped answers before field projection, so each
 * caller still gets only what its grant releases. Personal-data answers are
 * reused only for a consumer whose grant says allowCachedResponses, and only
 * with a policy configured for the operation; they are never refreshed in the
 * background (every upstream call about a person belongs to an audited request).
 *
 * An answer from the cache carries `Age` (and `Warning` when stale) and comes
 * back with upstreamReference `cache`, which the audit record keeps.
 */
export function createCachedInvoke(setup: CachedInvokeSetup) {
  const { operation } = setup;
  const configured = setup.responseCache;
  const policy = configured?.policyOf(operation.id);
  const labels = { connector: setup.connectorId, operation: operation.id };

  // `res` only receives the Age / Warning headers; a caller answering something else than this operation's answer gives a sink.
  return async function cachedInvoke(call: { input: OperationInput; grant: Pick<Grant, 'allowCachedResponses'>; res: Pick<ApiResponse, 'setHeader'>; deadline: Deadline }, ask: AskUpstream): Promise<OperationResult<unknown>> {
    if (!configured || !policy) return ask(call.deadline);
    if (operation.personalData && call.grant.allowCachedResponses !== true) return ask(call.deadline);
    // A load the cache makes may serve several callers (coalesced misses, background refresh): it runs on a
    // deadline of its own, never the first caller's short Request-Timeout or its hang-up; each caller still
    // waits no longer than its own deadline.
    const sharedAsk = () => ask(new Deadline(performance.now() + setup.sharedCallTimeoutMs));
    const fetched = configured.cache.fetch(
      {
        key: cacheKeyOf(configured.keyHashKey, operation.id, call.input),
        sealed: operation.personalData || configured.sealEveryEntry,
        policy,
        labels,
        backgroundRevalidation: !operation.personalData,
      },
      sharedAsk,
      {
        // The attempt already refused an answer that breaks the response contract (it never gets here).
        storable: (result) => (result.kind === 'found' ? result.data : undefined),
        invalidates: (result) => result.kind === 'not_found',
        staleOnError: isUpstreamFailure,
      },
    );
    const answer = await withinDeadline(fetched, call.deadline, setup.connectorId);
    // A caller that waited for another caller's upstream call did not ask the upstream itself: the audit says so.
    if (answer.source === 'upstream') return answer.joined ? { ...answer.loaded, upstreamReference: cacheUpstreamReference } : answer.loaded;
    call.res.setHeader('Age', String(answer.ageSeconds));
    if (answer.stale) call.res.setHeader('Warning', staleWarnings[answer.stale.warning]);
    return { kind: 'found', data: answer.value, upstreamReference: cacheUpstreamReference };
  };
}

/** The caller's own wait for a (possibly shared) load, cut at its deadline or when it hangs up. */
async function withinDeadline<T>(work: Promise<T>, deadline: Deadline, connectorId: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let stopFollowing: (() => void) | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    const fail = () => reject(new DeadlineExceededError(connectorId, 'queue'));
    timer = setTimeout(fail, deadline.remaining());
    stopFollowing = deadline.onCancel(fail);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    stopFollowing?.();
    // The shared load may still fail after this caller left: its other waiters (or nobody) handle that.
    work.catch(() => undefined);
  }
}

/**
 * One key per operation and validated input (flat string maps, sorted so
 * parameter order does not matter), as an HMAC under the configured key:
 * inputs may be personal ids, and a plain hash of a 12-digit id is found
 * again by hashing every id. The same key serves the in-process layer and Redis.
 */
export function cacheKeyOf(keyHashKey: CacheSecret, operationId: string, input: Pick<OperationInput, 'params' | 'query'>): string {
  const sorted = (values: Record<string, string>) => Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([operationId, sorted(input.params), sorted(input.query)]);
  return `${operationId}:${keyedCacheHash(keyHashKey, canonical)}`;
}

/**
 * Failures a stale answer may stand in for: the upstream's (an answer
 * breaking its contract included), decided on the error's kind, before it
 * becomes a problem at the edge. Never the caller's: a request the upstream
 * rejected as invalid is not answered from the cache.
 */
export function isUpstreamFailure(error: unknown): boolean {
  if (error instanceof UpstreamError) return error.countsAgainstUpstream;
  return error instanceof BreakerOpenError || error instanceof BulkheadFullError || error instanceof DeadlineExceededError;
}
