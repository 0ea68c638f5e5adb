import type { Queryable } from '../../store/store.js';

export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/**
 * The first statement a query builder sends, without running it: lets tests
 * and the benchmark EXPLAIN the query API's real SQL instead of a copy.
 */
export async function captureQuery(run: (db: Queryable) => Promise<unknown>): Promise<CapturedQuery> {
  let captured: CapturedQuery | undefined;
  const db: Queryable = {
    async query<Row>(sql: string, params: unknown[] = []) {
      captured ??= { sql, params };
      return { rows: [] as Row[], rowCount: 0 };
    },
    async exec() {},
  };
  await run(db);
  if (!captured) throw new Error('the builder sent no query');
  return captured;
}

/** Every node of an EXPLAIN (FORMAT JSON) plan, depth first. */
export function planNodes(plan: unknown): Array<Record<string, unknown>> {
  const nodes: Array<Record<string, unknown>> = [];
  const visit = (node: Record<string, unknown>) => {
    nodes.push(node);
    for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) visit(child);
  };
  const root = (Array.isArray(plan) ? plan[0] : plan) as { Plan: Record<string, unknown> };
  visit(root.Plan);
  return nodes;
}
