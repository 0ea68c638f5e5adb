import type { Fault } from '../../simulators/kit/fault-injection.js';

/**
 * The sandbox faults every connector's end-to-end test plays, with the problem
 * each must become: no answer in time is a timeout, an empty or unreadable
 * success a contract violation, an answer past the size cap (streamed without
 * end, no Content-Length) too large, everything else the upstream's failure.
 */
export const upstreamFaultCases: ReadonlyArray<readonly [Fault, number, string]> = [
  [{ kind: 'hang' }, 504, 'LGSP_UPSTREAM_TIMEOUT'],
  [{ kind: 'soap-fault' }, 502, 'LGSP_UPSTREAM_ERROR'],
  [{ kind: 'http-500' }, 502, 'LGSP_UPSTREAM_ERROR'],
  [{ kind: 'garbage' }, 502, 'LGSP_UPSTREAM_CONTRACT_VIOLATION'],
  [{ kind: 'empty' }, 502, 'LGSP_UPSTREAM_CONTRACT_VIOLATION'],
  [{ kind: 'oversize' }, 502, 'LGSP_UPSTREAM_RESPONSE_TOO_LARGE'],
  [{ kind: 'reset' }, 502, 'LGSP_UPSTREAM_ERROR'],
];
