import type { ApiResponse } from '../api-request.js';
import { CallerGone, requestDeadline } from '../../resilience/deadline.js';
import type { OperationContext } from '../operation-context.js';
import type { PipelineDependencies } from '../pipeline-dependencies.js';
import type { Stage } from '../stage.js';

/**
 * How long this request may take, from its arrival: Request-Timeout clamped
 * to the gateway's maximum. Cancelled too when the caller hangs up, so the
 * upstream call is abandoned with it.
 */
export function deadlineStage(deps: Pick<PipelineDependencies, 'maxRequestTimeoutMs'>): Stage<OperationContext> {
  return {
    name: 'deadline',
    run(context) {
      context.deadline = requestDeadline(context.request.startedAt, context.req.header('request-timeout'), deps.maxRequestTimeoutMs, callerGone(context.res));
    },
  };
}

/** Aborted when the caller closes the connection before the answer is sent. */
function callerGone(res: ApiResponse): CallerGone {
  const gone = new CallerGone();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone;
}
