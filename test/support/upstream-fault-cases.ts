import type { Fault } from '../../simulators/kit/fault-injection.js';

/**
 * The sandbox faults every connector's end-to-end test plays, with the problem
 * each must become: no answer in time is a timeout, everything else the
 * upstream's failure.
 */
export const upstreamFaultCases: ReadonlyArray<readonly [Fault, number, string]> = [
  [{ kind: 'hang' }, 504, 'LGSP_UPSTREAM_TIMEOUT'],
  [{ kind: 'soap-fault' }, 502, 'LGSP_UPSTREAM_ERROR'],
  [{ kind: 'http-500' }, 502, 'LGSP_UPSTREAM_ERROR'],
  [{ kind: 'garbage' }, 502, 'LGSP_UPSTREAM_ERROR'],
  [{ kind: 'reset' }, 502, 'LGSP_UPSTREAM_ERROR'],
];
