import { jest } from '@jest/globals';
import { Registry } from 'prom-client';
import { createMetrics } from '../observability/metrics.js';
import { createLogger } from '../observability/logger.js';
import { ResponseCache, type CacheRequest, type LoadRules, type SharedCacheLayer, type StoredEntry } from './response-cache.js';

// A fake clock: freshness is a matter of the clock, not of waiting.
let clock = 1_000_000;
const now = () => clock;
const logger = createLogger({ level: 'silent' });
const policy = { ttlMs: 60_000, staleWhileRevalidateMs: 60_000, staleIfErrorMs: 600_000 };
const labels = { connector: 'catalog', operation: 'catalog.procedure.get' };

class UpstreamDown extends Error {}
class CallerMistake extends Error {}

type Answer = { kind: 'found'; data: { name: string } } | { kind: 'not_found' };
const rules: LoadRules<Answer> = {
  storable: (answer) => (answer.kind === 'found' && answer.data.name !== 'broken' ? answer.data : undefined),
  invalidates: (answer) => answer.kind === 'not_found',
  staleOnError: (error) => error instanceof UpstreamDown,
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

function setUp(options: { shared?: SharedCacheLayer; maxBytes?: number; maxEntries?: number } = {}) {
  const metrics = createMetrics();
  const cache = new ResponseCache({
    maxEntries: options.maxEntries ?? 100,
    maxBytes: options.maxBytes ?? 1_000_000,
    metrics: { hits: metrics.cacheHits, misses: metrics.cacheMisses, staleServes: metrics.cacheStaleServes },
    logger,
    now,
    ...(options.shared && { shared: options.shared }),
  });
  const count = async (name: string, match: Record<string, string> = {}) => {
    const metric = (await (metrics.registry as Registry).getMetricsAsJSON()).find((m) => m.name === name) as { values: Array<{ value: number; labels: Record<string, string> }> };
    return metric.values.filter((v) => Object.entries(match).every(([k, want]) => v.labels[k] === want)).reduce((sum, v) => sum + v.value, 0);
  };
  return { cache, count };
}

const request = (key = 'k1', backgroundRevalidation = true, sealed = false): CacheRequest => ({ key, sealed, policy, labels, backgroundRevalidation });
const found = (name: string) => async (): Promise<Answer> => ({ kind: 'found', data: { name } });

beforeEach(() => {
  clock = 1_000_000;
});

describe('freshness', () => {
  it('asks the upstream once, then serves the fresh entry with its age', async () => {
    const { cache, count } = setUp();
    const load = jest.fn(found('Đăng ký khai sinh'));
    expect(await cache.fetch(request(), load, rules)).toEqual({ source: 'upstream', loaded: { kind: 'found', data: { name: 'Đăng ký khai sinh' } }, joined: false });
    clock += 59_999;
    const answer = await cache.fetch(request(), load, rules);
    expect(answer).toMatchObject({ source: 'cache', value: { name: 'Đăng ký khai sinh' }, ageSeconds: 59, layer: 'local' });
    expect(answer).not.toHaveProperty('stale');
    expect(load).toHaveBeenCalledTimes(1);
    expect(await count('lgsp_cache_hits_total', { layer: 'local' })).toBe(1);
    expect(await count('lgsp_cache_misses_total')).toBe(1);
  });

  it('never stores what the rules refuse (not found), and asks again next time', async () => {
    const { cache } = setUp();
    const load = jest.fn(async (): Promise<Answer> => ({ kind: 'not_found' }));
    await cache.fetch(request(), load, rules);
    await cache.fetch(request(), load, rules);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('hands out frozen values: one reader cannot change what the next one sees', async () => {
    const { cache } = setUp();
    await cache.fetch(request(), found('A'), rules);
    const answer = await cache.fetch(request(), found('B'), rules);
    expect(answer.source === 'cache' && Object.isFrozen(answer.value)).toBe(true);
  });
});

describe('coalescing', () => {
  it('N concurrent misses for one key make one upstream call and all get its answer', async () => {
    const { cache } = setUp();
    const upstream = deferred<Answer>();
    const load = jest.fn(() => upstream.promise);
    const answers = Promise.all(Array.from({ length: 20 }, () => cache.fetch(request(), load, rules)));
    upstream.resolve({ kind: 'found', data: { name: 'x' } });
    const results = await answers;
    expect(load).toHaveBeenCalledTimes(1);
    expect(results.every((result) => result.source === 'upstream' && result.loaded.kind === 'found')).toBe(true);
    // The first made the call; the others joined it.
    expect(results.map((result) => result.source === 'upstream' && result.joined)).toEqual([false, ...Array(19).fill(true)]);
  });

  it('a failed shared call fails every waiter, and the next call asks again', async () => {
    const { cache } = setUp();
    const upstream = deferred<Answer>();
    const load = jest.fn(() => upstream.promise);
    const answers = Promise.allSettled([cache.fetch(request(), load, rules), cache.fetch(request(), load, rules)]);
    upstream.reject(new UpstreamDown('down'));
    expect((await answers).map((a) => a.status)).toEqual(['rejected', 'rejected']);
    await cache.fetch(request(), found('back'), rules);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('stale-while-revalidate', () => {
  it('serves stale at once with Warning 110 and refreshes with one background call however many read', async () => {
    const { cache, count } = setUp();
    await cache.fetch(request(), found('old'), rules);
    clock += 90_000; // past ttl, within swr
    const refresh = deferred<Answer>();
    const load = jest.fn(() => refresh.promise);
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.fetch(request(), load, rules)));
    expect(answers.every((a) => a.source === 'cache' && a.stale?.warning === 110 && (a.value as { name: string }).name === 'old')).toBe(true);
    expect(answers[0]).toMatchObject({ ageSeconds: 90 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(await count('lgsp_cache_stale_serves_total', { reason: 'revalidating' })).toBe(10);

    refresh.resolve({ kind: 'found', data: { name: 'new' } });
    await cache.settle();
    expect(await cache.fetch(request(), load, rules)).toMatchObject({ source: 'cache', value: { name: 'new' }, ageSeconds: 0 });
  });

  it('a failing background refresh is logged, not thrown, and the stale entry stays', async () => {
    const { cache } = setUp();
    await cache.fetch(request(), found('old'), rules);
    clock += 90_000;
    await cache.fetch(request(), async () => Promise.reject(new UpstreamDown('down')), rules);
    await cache.settle();
    expect(await cache.fetch(request(), async () => Promise.reject(new UpstreamDown('down')), rules)).toMatchObject({ value: { name: 'old' }, stale: { warning: 110 } });
  });

  it('without background revalidation (personal data), the window is a foreground call', async () => {
    const { cache } = setUp();
    await cache.fetch(request('k1', false), found('old'), rules);
    clock += 90_000;
    expect(await cache.fetch(request('k1', false), found('new'), rules)).toMatchObject({ source: 'upstream', loaded: { data: { name: 'new' } } });
  });

  it('a refresh answering "not found" drops the entry', async () => {
    const { cache } = setUp();
    await cache.fetch(request(), found('old'), rules);
    clock += 90_000;
    await cache.fetch(request(), async (): Promise<Answer> => ({ kind: 'not_found' }), rules);
    await cache.settle();
    expect(await cache.fetch(request(), async (): Promise<Answer> => ({ kind: 'not_found' }), rules)).toMatchObject({ source: 'upstream' });
  });
});

describe('stale-if-error', () => {
  it('an answer that may not be stored (contract drift) leaves the stored one in place', async () => {
    const { cache } = setUp();
    await cache.fetch(request('k1', false), found('old'), rules);
    clock += policy.ttlMs + 1;
    expect(await cache.fetch(request('k1', false), found('broken'), rules)).toMatchObject({ source: 'upstream', loaded: { data: { name: 'broken' } } });
    expect(await cache.fetch(request('k1', false), async () => Promise.reject(new UpstreamDown('down')), rules)).toMatchObject({ value: { name: 'old' }, stale: { warning: 111 } });
  });

  it('covers an upstream failure with the stale entry and Warning 111 until staleIfErrorMs past freshness', async () => {
    const { cache, count } = setUp();
    await cache.fetch(request(), found('old'), rules);
    const failing = async (): Promise<Answer> => Promise.reject(new UpstreamDown('down'));
    clock += policy.ttlMs + policy.staleIfErrorMs - 1;
    expect(await cache.fetch(request(), failing, rules)).toMatchObject({ source: 'cache', value: { name: 'old' }, stale: { warning: 111, reason: 'upstream_failed' } });
    expect(await count('lgsp_cache_stale_serves_total', { reason: 'upstream_failed' })).toBe(1);
    clock += 1;
    await expect(cache.fetch(request(), failing, rules)).rejects.toBeInstanceOf(UpstreamDown);
  });

  it('does not cover a failure that is not the upstream\'s', async () => {
    const { cache } = setUp();
    await cache.fetch(request(), found('old'), rules);
    clock += policy.ttlMs + policy.staleWhileRevalidateMs + 1;
    await expect(cache.fetch(request(), async () => Promise.reject(new CallerMistake('no')), rules)).rejects.toBeInstanceOf(CallerMistake);
  });
});

describe('bounds', () => {
  it('keeps at most maxEntries and maxBytes', async () => {
    const { cache } = setUp({ maxEntries: 3, maxBytes: 1_000 });
    for (let i = 0; i < 10; i += 1) await cache.fetch(request(`k${i}`), found(`name ${i}`), rules);
    expect(cache.localSize.entries).toBe(3);
    const big = setUp({ maxBytes: 200 });
    for (let i = 0; i < 10; i += 1) await big.cache.fetch(request(`k${i}`), found('x'.repeat(60)), rules);
    expect(big.cache.localSize.bytes).toBeLessThanOrEqual(200);
    expect(big.cache.localSize.entries).toBeGreaterThan(0);
  });
});

describe('shared layer', () => {
  function memoryLayer(): SharedCacheLayer & { entries: Map<string, StoredEntry>; sealedFlags: boolean[] } {
    const entries = new Map<string, StoredEntry>();
    const sealedFlags: boolean[] = [];
    return {
      entries,
      sealedFlags,
      get: async (key, { sealed }) => {
        sealedFlags.push(sealed);
        return entries.get(key);
      },
      set: async (key, entry, _retainMs, { sealed }) => {
        sealedFlags.push(sealed);
        entries.set(key, entry);
      },
      delete: async (key) => void entries.delete(key),
      close: async () => undefined,
    };
  }

  it('a miss whose shared read outlasts another caller\'s load serves what that load stored: one upstream call per key', async () => {
    const shared = memoryLayer();
    const slowRead = deferred<StoredEntry | undefined>();
    let reads = 0;
    const { cache } = setUp({ shared: { ...shared, get: async () => (++reads === 2 ? slowRead.promise : undefined) } });
    const upstream = deferred<Answer>();
    const load = jest.fn(() => upstream.promise);
    const first = cache.fetch(request(), load, rules);
    await new Promise((resolve) => setImmediate(resolve));
    // The second caller's shared read is still on the wire when the first load finishes and stores its answer.
    const second = cache.fetch(request(), load, rules);
    upstream.resolve({ kind: 'found', data: { name: 'fresh' } });
    await first;
    slowRead.resolve(undefined);
    expect(await second).toMatchObject({ source: 'cache', layer: 'local', value: { name: 'fresh' } });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a second replica serves what the first stored, with the original age', async () => {
    const shared = memoryLayer();
    const first = setUp({ shared });
    const second = setUp({ shared });
    await first.cache.fetch(request(), found('shared'), rules);
    clock += 5_000;
    const load = jest.fn(found('never'));
    expect(await second.cache.fetch(request(), load, rules)).toMatchObject({ source: 'cache', layer: 'shared', ageSeconds: 5, value: { name: 'shared' } });
    expect(load).not.toHaveBeenCalled();
    expect(await second.count('lgsp_cache_hits_total', { layer: 'shared' })).toBe(1);
    // Now held locally too.
    expect(await second.cache.fetch(request(), load, rules)).toMatchObject({ layer: 'local' });
  });

  it('tells the shared layer, on reads and writes, which entries are kept only encrypted', async () => {
    const shared = memoryLayer();
    const { cache } = setUp({ shared });
    await cache.fetch(request('plain'), found('catalog'), rules);
    await cache.fetch(request('personal', false, true), found('person'), rules);
    expect(shared.sealedFlags).toEqual([false, false, true, true]);
  });

  it('a failing shared layer reads as a miss, never as a failed request', async () => {
    const broken: SharedCacheLayer = {
      get: async () => {
        throw new Error('Redis is gone');
      },
      set: async () => undefined,
      delete: async () => undefined,
      close: async () => undefined,
    };
    const { cache } = setUp({ shared: broken });
    expect(await cache.fetch(request(), found('x'), rules)).toMatchObject({ source: 'upstream' });
  });
});
