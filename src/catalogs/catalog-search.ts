import { foldForSearch } from './text-folding.js';

/** One search of one catalog: every criterion given must hold (an exact code, words of a name, exact filter values). */
export interface CatalogQuery {
  code?: string;
  /** Matched against every name of an entry, folded (case and diacritics ignored). */
  name?: string;
  /** Filter name → the exact value an entry must have (or hold, for a list-valued filter). */
  filters?: Readonly<Record<string, string | undefined>>;
  page: number;
  pageSize: number;
}

export interface CatalogPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CatalogIndexSpec<T> {
  /** The codes an entry is found by (a nationality: alpha-2, alpha-3 and numeric). */
  codesOf(entry: T): readonly string[];
  /** Its names: the official one and any other the catalog lists. */
  namesOf(entry: T): readonly string[];
  filters?: Readonly<Record<string, (entry: T) => string | readonly string[] | undefined>>;
}

export interface CatalogIndex<T> {
  readonly size: number;
  search(query: CatalogQuery): CatalogPage<T>;
}

export const defaultPageSize = 50;

/**
 * A catalog held in memory, searched by scanning: a name search of the
 * largest (10,794 pre-2025 units) took ~0.6 ms here, and an exact code goes
 * through a map. Names are folded once, here, not per search. All shipped
 * catalogs together hold ~9 MB of heap, read and indexed in ~160 ms at start.
 */
export function createCatalogIndex<T>(entries: readonly T[], spec: CatalogIndexSpec<T>): CatalogIndex<T> {
  const rows = entries.map((entry) => ({ entry, folded: spec.namesOf(entry).map(foldForSearch) }));
  const byCode = new Map<string, typeof rows>();
  for (const row of rows) {
    for (const code of spec.codesOf(row.entry)) {
      const list = byCode.get(code.toUpperCase()) ?? [];
      list.push(row);
      byCode.set(code.toUpperCase(), list);
    }
  }
  const filters = spec.filters ?? {};
  return {
    size: entries.length,
    search(query) {
      let candidates = query.code === undefined ? rows : byCode.get(query.code.toUpperCase()) ?? [];
      const name = query.name === undefined ? undefined : foldForSearch(query.name);
      if (name) candidates = candidates.filter((row) => row.folded.some((folded) => folded.includes(name)));
      for (const [filter, wanted] of Object.entries(query.filters ?? {})) {
        if (wanted === undefined) continue;
        const valueOf = filters[filter];
        if (!valueOf) throw new Error(`catalog filter ${filter} is not declared`);
        candidates = candidates.filter((row) => {
          const value = valueOf(row.entry);
          return typeof value === 'string' ? value === wanted : (value?.includes(wanted) ?? false);
        });
      }
      const start = (query.page - 1) * query.pageSize;
      return { items: candidates.slice(start, start + query.pageSize).map((row) => row.entry), total: candidates.length, page: query.page, pageSize: query.pageSize };
    },
  };
}
