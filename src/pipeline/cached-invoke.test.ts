import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { Grant } from '../../contracts/types.generated.js';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { BreakerOpenError } from '../resilience/breaker-registry.js';
import { BulkheadFullError } from '../resilience/bulkhead.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { Deadline, DeadlineExceededError } from '../resilience/deadline.js';
import { ResponseCache, type SharedCacheLayer } from '../resilience/response-cache.js';
import { cacheKeyOf, createCachedInvoke, type AskUpstream } from './cached-invoke.js';

const policy = { ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 60_000 };
const grant = (allowCachedResponses?: boolean): Grant => ({ consumerId: 'one-stop', operation: 'x', purposes: ['P'], fields: ['*'], ...(allowCachedResponses !== undefined && { allowCachedResponses }) });
const input = { params: { code: '0101234565' }, query: {}, body: undefined };
const roomy = () => new Deadline(performance.now() + 10_000);
const keyHashKey = 'test-cache-key-hash-key-of-32-chars-or-more';

/** A shared layer that only records what the cache asks of it: the keys it uses and which entries must be sealed. */
function recordingLayer() {
  const seen: Array<{ key: string; sealed: boolean }> = [];
  const layer: SharedCacheLayer = {
    get: async (key, { sealed }) => void seen.push({ key, sealed }),
    set: async (key, _entry, _retainMs, { sealed }) => void seen.push({ key, sealed }),
    delete: async () => undefined,
    close: async () => undefined,
  };
  return { layer, seen };
}

function setUp(personalData: boolean, options: { cached?: boolean; sealEveryEntry?: boolean; shared?: SharedCacheLayer } = {}) {
  const metrics = createMetrics();
  const cache = new ResponseCache({
    maxEntries: 10,
    maxBytes: 100_000,
    metrics: { hits: metrics.cacheHits, misses: metrics.cacheMisses, staleServes: metrics.cacheStaleServes },
    logger: createLogger({ level: 'silent' }),
    ...(options.shared && { shared: options.shared }),
  });
  const invoke = createCachedInvoke({
    responseCache: { cache, policyOf: () => (options.cached === false ? undefined : policy), keyHashKey, sealEveryEntry: options.sealEveryEntry ?? false },
    connectorId: 'c',
    operation: { id: 'c.thing.get', personalData },
    sharedCallTimeoutMs: 30_000,
  });
  let calls = 0;
  const ask = (data: unknown): AskUpstream => async () => {
    calls += 1;
    return { kind: 'found', data };
  };
  const headers = new Map<string, string>();
  const res = { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as Response;
  return { invoke, ask, headers, res, calls: () => calls };
}

describe('createCachedInvoke', () => {
  it('reference data: the second call is the cache, with Age and upstreamReference cache', async () => {
    const { invoke, ask, headers, res, calls } = setUp(false);
    await invoke({ input, grant: grant(), res, deadline: roomy() }, ask({ name: 'a' }));
    expect(await invoke({ input, grant: grant(), res, deadline: roomy() }, ask({ name: 'b' }))).toEqual({ kind: 'found', data: { name: 'a' }, upstreamReference: 'cache' });
    expect(headers.get('Age')).toBe('0');
    expect(calls()).toBe(1);
  });

  it('personal data: never cached without the grant flag, cached with it', async () => {
    const { invoke, ask, res, calls } = setUp(true);
    await invoke({ input, grant: grant(), res, deadline: roomy() }, ask({ name: 'a' }));
    await invoke({ input, grant: grant(false), res, deadline: roomy() }, ask({ name: 'a' }));
    expect(calls()).toBe(2);
    await invoke({ input, grant: grant(true), res, deadline: roomy() }, ask({ name: 'a' }));
    expect(await invoke({ input, grant: grant(true), res, deadline: roomy() }, ask({ name: 'a' }))).toMatchObject({ upstreamReference: 'cache' });
    expect(calls()).toBe(3);
  });

  it('personal-data entries are sealed in the shared layer, others only when config says every entry; keys are keyed hashes', async () => {
    const sealedFlags = async (personalData: boolean, sealEveryEntry: boolean) => {
      const { layer, seen } = recordingLayer();
      const { invoke, ask, res } = setUp(personalData, { sealEveryEntry, shared: layer });
      await invoke({ input, grant: grant(true), res, deadline: roomy() }, ask({ name: 'a' }));
      expect(seen.map((call) => call.key)).toEqual([cacheKeyOf(keyHashKey, 'c.thing.get', input), cacheKeyOf(keyHashKey, 'c.thing.get', input)]);
      return seen.map((call) => call.sealed);
    };
    expect(await sealedFlags(true, false)).toEqual([true, true]);
    expect(await sealedFlags(false, false)).toEqual([false, false]);
    expect(await sealedFlags(false, true)).toEqual([true, true]);
  });

  it('personal data with the flag but no policy configured: not cached', async () => {
    const { invoke, ask, res, calls } = setUp(true, { cached: false });
    await invoke({ input, grant: grant(true), res, deadline: roomy() }, ask({ name: 'a' }));
    await invoke({ input, grant: grant(true), res, deadline: roomy() }, ask({ name: 'a' }));
    expect(calls()).toBe(2);
  });

  it('covers upstream problems with a stale answer (Warning 111), never the caller\'s own', async () => {
    let now = 0;
    const metrics = createMetrics();
    const cache = new ResponseCache({ maxEntries: 10, maxBytes: 100_000, now: () => now, metrics: { hits: metrics.cacheHits, misses: metrics.cacheMisses, staleServes: metrics.cacheStaleServes }, logger: createLogger({ level: 'silent' }) });
    const invoke = createCachedInvoke({ responseCache: { cache, policyOf: () => policy, keyHashKey, sealEveryEntry: false }, connectorId: 'c', operation: { id: 'c.thing.get', personalData: false }, sharedCallTimeoutMs: 30_000 });
    const headers = new Map<string, string>();
    const res = { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as Response;
    await invoke({ input, grant: grant(), res, deadline: roomy() }, async () => ({ kind: 'found', data: { name: 'old' } }));
    now += policy.ttlMs + 5000;
    // Decided on the error's kind, before any problem code exists (the edge translates once).
    const upstreamFailures: Array<[string, () => Error]> = [
      ['http', () => new UpstreamError('http', 'upstream answered HTTP 500', { upstreamCode: '500' })],
      ['timeout', () => new UpstreamError('timeout', 'aborted')],
      ['contract', () => new UpstreamError('contract', 'mapped answer violates the response contract')],
      ['breaker open', () => new BreakerOpenError('c', 1000)],
      ['bulkhead full', () => new BulkheadFullError({ maxConcurrent: 1, maxQueue: 0 })],
      ['deadline', () => new DeadlineExceededError('c', 'attempt')],
    ];
    for (const [, failure] of upstreamFailures) {
      expect(await invoke({ input, grant: grant(), res, deadline: roomy() }, async () => { throw failure(); })).toMatchObject({ data: { name: 'old' }, upstreamReference: 'cache' });
      expect(headers.get('Warning')).toBe('111 - "Revalidation Failed"');
      expect(headers.get('Age')).toBe('65');
    }
    const rejected = new UpstreamError('rejected', 'the upstream refused the request');
    await expect(invoke({ input, grant: grant(), res, deadline: roomy() }, async () => { throw rejected; })).rejects.toBe(rejected);
    const bug = new TypeError('mapping bug');
    await expect(invoke({ input, grant: grant(), res, deadline: roomy() }, async () => { throw bug; })).rejects.toBe(bug);
  });
});

describe('cachedInvoke: deadlines of a shared upstream call', () => {
  it("a shared load runs on the cache's own deadline, not the first caller's; each caller waits no longer than its own", async () => {
    const { invoke, res } = setUp(false);
    const deadlinesSeen: number[] = [];
    let answer!: () => void;
    const slowAsk: AskUpstream = async (deadline) => {
      deadlinesSeen.push(deadline.remaining());
      await new Promise<void>((resolve) => (answer = resolve));
      return { kind: 'found', data: { name: 'a' } };
    };
    const hurried = invoke({ input, grant: grant(), res, deadline: new Deadline(performance.now() + 50) }, slowAsk);
    const patient = invoke({ input, grant: grant(), res, deadline: roomy() }, slowAsk);
    // The first caller's 50 ms budget ends while the shared call is still running: only that caller gives up.
    await expect(hurried).rejects.toBeInstanceOf(DeadlineExceededError);
    answer();
    expect(await patient).toMatchObject({ kind: 'found', data: { name: 'a' } });
    expect(deadlinesSeen).toHaveLength(1);
    expect(deadlinesSeen[0]).toBeGreaterThan(20_000);
  });

  it('a caller that hangs up stops waiting at once', async () => {
    const { invoke, res } = setUp(false);
    const gone = new AbortController();
    const waiting = invoke({ input, grant: grant(), res, deadline: new Deadline(performance.now() + 10_000, gone.signal) }, () => new Promise(() => undefined));
    gone.abort();
    await expect(waiting).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});

describe('cacheKeyOf', () => {
  it('ignores parameter order, separates operations and inputs, and never holds the input in clear', () => {
    const a = cacheKeyOf(keyHashKey, 'op', { params: {}, query: { keyword: 'khai sinh', page: '1' } });
    expect(cacheKeyOf(keyHashKey, 'op', { params: {}, query: { page: '1', keyword: 'khai sinh' } })).toBe(a);
    expect(cacheKeyOf(keyHashKey, 'other', { params: {}, query: { page: '1', keyword: 'khai sinh' } })).not.toBe(a);
    expect(cacheKeyOf(keyHashKey, 'op', { params: {}, query: { keyword: 'khai sinh', page: '2' } })).not.toBe(a);
    // A value moved from the query to the path is another request.
    expect(cacheKeyOf(keyHashKey, 'op', { params: { keyword: 'khai sinh' }, query: { page: '1' } })).not.toBe(a);
    const personal = cacheKeyOf(keyHashKey, 'business-registry.enterprise.get', { params: { enterpriseCode: '0101234565' }, query: {} });
    expect(personal).toMatch(/^business-registry\.enterprise\.get:[A-Za-z0-9_-]{43}$/);
    expect(personal).not.toContain('0101234565');
  });

  it('is a keyed hash: not the plain SHA-256 of the input (found again by hashing every 12-digit id), and another key gives another one', () => {
    const personalId = '001090012345';
    const lookup = { params: { personalId }, query: {} };
    const key = cacheKeyOf(keyHashKey, 'population.citizen.get', lookup);
    const digest = key.slice('population.citizen.get:'.length);
    const sha256 = (text: string) => [createHash('sha256').update(text).digest('base64url'), createHash('sha256').update(text).digest('hex')];
    // Every plain hashing of the input the old keys or a naive attacker would try.
    const candidates = [personalId, JSON.stringify([[['personalId', personalId]], []]), JSON.stringify(['population.citizen.get', [['personalId', personalId]], []])].flatMap(sha256);
    expect(candidates).not.toContain(digest);
    expect(key).not.toContain(personalId);
    expect(cacheKeyOf('another-cache-key-hash-key-of-32-chars-plus', 'population.citizen.get', lookup)).not.toBe(key);
  });
});
