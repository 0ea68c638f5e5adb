import { LRUCache } from 'lru-cache';
import type { Logger } from '../observability/logger.js';
import { deepFreeze } from '../util/deep-freeze.js';
import type { CachePolicy } from './response-cache-policy.js';

/**
 * Reuses upstream answers for reference data (RFC 9111 freshness with RFC
 * 5861's stale-while-revalidate and stale-if-error), in two layers: a bounded
 * in-process LRU (entries and bytes) in front of an optional shared layer
 * (Redis) that lets replicas reuse each other's answers.
 *
 * It also keeps the upstream calm: concurrent misses for one key share one
 * upstream call, and a stale entry is refreshed by one background call however
 * many requests read it meanwhile.
 *
 * The shared layer is best effort by contract: it may fail or be slow, and the
 * cache then behaves as if it were empty (see response-cache-redis.ts).
 */
export interface StoredEntry {
  /** The stored answer, frozen: every reader shares it. */
  value: unknown;
  /** When the answer left the upstream (epoch ms). */
  storedAt: number;
}

/**
 * An entry on its way to the shared layer, with its value already in JSON:
 * the cache serializes an answer once per store, for the local byte count and
 * the shared layer's copy alike.
 */
export interface SerializedEntry extends StoredEntry {
  /** `JSON.stringify(value)` (undefined for a value JSON cannot represent). */
  valueJson: string | undefined;
}

export function serializeEntry(entry: StoredEntry): SerializedEntry {
  return { ...entry, valueJson: JSON.stringify(entry.value) };
}

/** `sealed`: the entry is kept only encrypted at rest, and read only when it was (personal data, or config says every entry). */
export interface SharedEntryOptions {
  sealed: boolean;
}

export interface SharedCacheLayer {
  get(key: string, options: SharedEntryOptions): Promise<StoredEntry | undefined>;
  set(key: string, entry: SerializedEntry, retainMs: number, options: SharedEntryOptions): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface CacheLabels {
  connector: string;
  operation: string;
}

/** The counters the cache keeps score with (lgsp_cache_* in metrics.ts). */
export interface CacheMetrics {
  hits: { inc(labels: CacheLabels & { layer: 'local' | 'shared' }): void };
  misses: { inc(labels: CacheLabels): void };
  staleServes: { inc(labels: CacheLabels & { reason: StaleReason }): void };
}

/** Why a stale answer was served: it is being refreshed, or the upstream just failed. */
export type StaleReason = 'revalidating' | 'upstream_failed';

export interface CacheRequest {
  /** A keyed hash of operation and input (cached-invoke.ts): no input can be read back from it. */
  key: string;
  /** Encrypt the entry at rest in the shared layer (personal data, or every entry when config says so). */
  sealed: boolean;
  policy: CachePolicy;
  labels: CacheLabels;
  /**
   * Whether a stale entry within stale-while-revalidate may be served while a
   * background call refreshes it. False makes that window a foreground
   * revalidation (stale-if-error still applies).
   */
  backgroundRevalidation: boolean;
}

export interface LoadRules<Loaded> {
  /** What to store of a fresh answer, or undefined for answers never cached (not found, contract drift). */
  storable(loaded: Loaded): unknown;
  /** Whether this answer says the stored one is no longer true (the upstream now says "not found"): it is dropped. */
  invalidates?(loaded: Loaded): boolean;
  /** Whether this failure may be covered by a stale answer (upstream failures: yes; a caller's mistake: no). */
  staleOnError(error: unknown): boolean;
}

export type CacheAnswer<Loaded> =
  /** `joined`: this caller waited for another caller's upstream call instead of making its own. */
  | { source: 'upstream'; loaded: Loaded; joined: boolean }
  | { source: 'cache'; value: unknown; ageSeconds: number; layer: 'local' | 'shared'; stale?: { warning: 110 | 111; reason: StaleReason } };

/** RFC 9111 §5.5 (obsoleted warn-codes, still what clients and proxies recognize) — the issue asks for them. */
export const staleWarnings = {
  110: '110 - "Response is Stale"',
  111: '111 - "Revalidation Failed"',
} as const;

export interface ResponseCacheOptions {
  maxEntries: number;
  maxBytes: number;
  shared?: SharedCacheLayer;
  metrics: CacheMetrics;
  logger: Logger;
  now?: () => number;
}

interface LocalEntry extends StoredEntry {
  bytes: number;
}

export class ResponseCache {
  private readonly local: LRUCache<string, LocalEntry>;
  /** In-flight upstream loads by key: misses and background refreshes alike, so concurrent callers share one call. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(private readonly options: ResponseCacheOptions) {
    this.now = options.now ?? Date.now;
    this.local = new LRUCache<string, LocalEntry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.bytes),
    });
  }

  async fetch<Loaded>(request: CacheRequest, load: () => Promise<Loaded>, rules: LoadRules<Loaded>): Promise<CacheAnswer<Loaded>> {
    const { key, policy, labels } = request;
    const found = await this.lookUp(request);
    const ageMs = found ? Math.max(0, this.now() - found.entry.storedAt) : Infinity;

    if (found && ageMs < policy.ttlMs) {
      this.options.metrics.hits.inc({ ...labels, layer: found.layer });
      return { source: 'cache', value: found.entry.value, ageSeconds: seconds(ageMs), layer: found.layer };
    }
    if (found && request.backgroundRevalidation && ageMs < policy.ttlMs + policy.staleWhileRevalidateMs) {
      this.revalidateInBackground(request, load, rules);
      this.options.metrics.staleServes.inc({ ...labels, reason: 'revalidating' });
      return { source: 'cache', value: found.entry.value, ageSeconds: seconds(ageMs), layer: found.layer, stale: { warning: 110, reason: 'revalidating' } };
    }

    // Our shared-layer read took a round trip: a load of this key may have finished (and stored) meanwhile. Its answer,
    // now held here, is as fresh as a new call's, and asking the upstream again would break "one call per key at a time".
    const storedMeanwhile = this.inFlight.has(key) ? undefined : this.local.get(key);
    if (storedMeanwhile && storedMeanwhile !== found?.entry && this.now() - storedMeanwhile.storedAt < policy.ttlMs) {
      this.options.metrics.hits.inc({ ...labels, layer: 'local' });
      return { source: 'cache', value: storedMeanwhile.value, ageSeconds: seconds(Math.max(0, this.now() - storedMeanwhile.storedAt)), layer: 'local' };
    }
    this.options.metrics.misses.inc(labels);
    const joined = this.inFlight.has(key);
    try {
      return { source: 'upstream', loaded: await this.loadOnce(request, load, rules), joined };
    } catch (error) {
      if (!found || !rules.staleOnError(error) || ageMs >= policy.ttlMs + policy.staleIfErrorMs) throw error;
      this.options.metrics.staleServes.inc({ ...labels, reason: 'upstream_failed' });
      const age = Math.max(0, this.now() - found.entry.storedAt);
      return { source: 'cache', value: found.entry.value, ageSeconds: seconds(age), layer: found.layer, stale: { warning: 111, reason: 'upstream_failed' } };
    }
  }

  /** Entries held in this process (for tests and the admin view). */
  get localSize(): { entries: number; bytes: number } {
    return { entries: this.local.size, bytes: this.local.calculatedSize };
  }

  /** Waits for background refreshes still running (tests; graceful shutdown). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  async close(): Promise<void> {
    await this.settle();
    this.local.clear();
    await this.options.shared?.close();
  }

  private async lookUp({ key, policy, sealed }: CacheRequest): Promise<{ entry: StoredEntry; layer: 'local' | 'shared' } | undefined> {
    const local = this.local.get(key);
    if (local) return { entry: local, layer: 'local' };
    // Best effort even if a layer breaks its promise never to throw: a failed read is a miss.
    const shared = await this.options.shared?.get(key, { sealed }).catch(() => undefined);
    if (!shared) return undefined;
    // Another replica's answer: keep it here too, for as long as it would still be of use.
    this.keepLocally(key, shared, retentionLeft(shared, policy, this.now()));
    return { entry: this.local.get(key) ?? shared, layer: 'shared' };
  }

  /** One upstream call per key at a time; whoever arrives meanwhile waits for the same answer. */
  private loadOnce<Loaded>(request: CacheRequest, load: () => Promise<Loaded>, rules: LoadRules<Loaded>): Promise<Loaded> {
    const running = this.inFlight.get(request.key) as Promise<Loaded> | undefined;
    if (running) return running;
    const loading = (async () => {
      const loaded = await load();
      const value = rules.storable(loaded);
      if (value !== undefined) this.store(request, value);
      else if (rules.invalidates?.(loaded)) this.drop(request.key);
      // Anything else leaves the stored answer as it was.
      return loaded;
    })().finally(() => this.inFlight.delete(request.key));
    this.inFlight.set(request.key, loading);
    return loading;
  }

  private revalidateInBackground<Loaded>(request: CacheRequest, load: () => Promise<Loaded>, rules: LoadRules<Loaded>): void {
    if (this.inFlight.has(request.key)) return;
    // Nobody awaits this call: its failure is logged, never left unhandled; the stale entry stays for stale-if-error.
    this.loadOnce(request, load, rules).catch((error: unknown) => {
      this.options.logger.warn({ ...request.labels, err: describeFailure(error) }, 'background cache refresh failed; the stale entry stays');
    });
  }

  /** The upstream now says the stored answer is gone: it must not outlive that, here or in the shared layer. */
  private drop(key: string): void {
    // Only what was held: a plain "not found" costs no Redis command (a shared entry read earlier is held here too).
    if (!this.local.delete(key)) return;
    void this.options.shared?.delete(key);
  }

  private store(request: CacheRequest, value: unknown): void {
    const entry = serializeEntry({ value: deepFreeze(value), storedAt: this.now() });
    const retainMs = request.policy.ttlMs + Math.max(request.policy.staleWhileRevalidateMs, request.policy.staleIfErrorMs);
    this.keepLocally(request.key, entry, retainMs, entry.valueJson);
    // Never awaited: the shared layer must not add its latency (or its outage) to the request.
    void this.options.shared?.set(request.key, entry, retainMs, { sealed: request.sealed });
  }

  /** `valueJson`: the value already serialized, when the caller has it (an entry read from the shared layer is serialized here). */
  private keepLocally(key: string, entry: StoredEntry, retainMs: number, valueJson = JSON.stringify(entry.value)): void {
    if (retainMs <= 0) return;
    const bytes = Buffer.byteLength(valueJson ?? '');
    // An answer larger than the whole budget is served but not kept (lru-cache would refuse it anyway).
    if (bytes > this.options.maxBytes) return;
    this.local.set(key, { value: deepFreeze(entry.value), storedAt: entry.storedAt, bytes }, { ttl: retainMs });
  }
}

function retentionLeft(entry: StoredEntry, policy: CachePolicy, now: number): number {
  return entry.storedAt + policy.ttlMs + Math.max(policy.staleWhileRevalidateMs, policy.staleIfErrorMs) - now;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Only the failure's class and kind go to the log: messages of upstream errors are ours, but causes may quote a body. */
function describeFailure(error: unknown): { name: string; kind?: string; code?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const { kind, code } = error as { kind?: string; code?: string };
  return { name: error.name, ...(kind && { kind }), ...(code && { code }) };
}
