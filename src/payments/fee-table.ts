import type { Deadline } from '../resilience/deadline.js';

/**
 * A procedure's fee table as the catalog publishes it: fee code → every
 * amount listed for it (one per channel and case: in person, online, by
 * post). Fees published without a code cannot be matched to an item and are
 * left out.
 */
export type FeeTableLookup =
  | { kind: 'listed'; fees: ReadonlyMap<string, readonly number[]> }
  | { kind: 'not_found' }
  /** The catalog could not be asked (switched off, breaker open, timeout, failure): the amounts go unchecked. */
  | { kind: 'unavailable' };

export interface FeeTableCall {
  requestId: string;
  traceparent: string;
  deadline: Deadline;
}

export interface ProcedureFeeTable {
  lookUp(procedureCode: string, call: FeeTableCall): Promise<FeeTableLookup>;
}
