import type { PortalCatalogSource } from '../../contracts/types.generated.js';
import type { Logger } from '../observability/logger.js';

/** A copy of one of the portal's catalogs, with where it comes from. */
export interface PortalCatalogCopy<T> {
  items: readonly T[];
  source: PortalCatalogSource;
}

export interface PortalCatalogOptions<T> {
  /** e.g. `agencies`: names the catalog in log lines. */
  name: string;
  /** Asks the portal (through its connector: breaker, cache, contract); ageSeconds when the answer came from the response cache. */
  fetch(): Promise<{ items: readonly T[]; ageSeconds: number }>;
  /** The shipped snapshot, for a start with the portal down. */
  snapshot?: { items: readonly T[]; asOf: string };
  /** A copy younger than this is answered without asking the portal. */
  refreshIntervalMs: number;
  /** After a failure, callers get the fallback at once for this long instead of each waiting on a failing portal. */
  retryAfterFailureMs: number;
  logger: Pick<Logger, 'warn'>;
  now?: () => number;
}

/**
 * The portal's agency or field catalog as the catalogs serve it: the portal's
 * list when it answers (refreshed every refreshIntervalMs, one fetch at a time),
 * else the last list it gave (kept for as long as this process runs), else the
 * shipped snapshot. Only when none exists does a failure reach the caller.
 */
export class PortalCatalog<T> {
  private last: { items: readonly T[]; asOf: string; fetchedAt: number } | undefined;
  private failedAt: number | undefined;
  private inFlight: Promise<PortalCatalogCopy<T>> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: PortalCatalogOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  read(): Promise<PortalCatalogCopy<T>> {
    const now = this.now();
    if (this.last && now - this.last.fetchedAt < this.options.refreshIntervalMs) return Promise.resolve(this.copy('portal'));
    if (this.failedAt !== undefined && now - this.failedAt < this.options.retryAfterFailureMs && this.fallback()) return Promise.resolve(this.fallback()!);
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<PortalCatalogCopy<T>> {
    try {
      const { items, ageSeconds } = await this.options.fetch();
      const fetchedAt = this.now();
      this.last = { items, asOf: new Date(fetchedAt - ageSeconds * 1000).toISOString(), fetchedAt };
      this.failedAt = undefined;
      return this.copy('portal');
    } catch (error) {
      this.failedAt = this.now();
      const fallback = this.fallback();
      // The error's kind only: what the portal said stays in the connector's own log lines.
      this.options.logger.warn({ catalog: this.options.name, error: (error as { code?: string }).code ?? (error as Error).name, answeredFrom: fallback?.source.kind ?? 'nothing' }, 'portal catalog refresh failed');
      if (!fallback) throw error;
      return fallback;
    }
  }

  private copy(kind: 'portal' | 'last-good-copy'): PortalCatalogCopy<T> {
    return { items: this.last!.items, source: { kind, asOf: this.last!.asOf } };
  }

  private fallback(): PortalCatalogCopy<T> | undefined {
    if (this.last) return this.copy('last-good-copy');
    const { snapshot } = this.options;
    return snapshot && { items: snapshot.items, source: { kind: 'snapshot', asOf: snapshot.asOf } };
  }
}
