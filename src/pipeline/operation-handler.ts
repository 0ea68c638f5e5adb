import type { Request, Response } from 'express';
import type { ConnectorDescriptor, OperationDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import type { OperationContext } from './operation-context.js';
import { operationStages } from './operation-pipeline.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import { requestContextOf } from './request-context.js';
import { runStages } from './stage.js';
import { outcomeOf, problemOf, type CallOutcome } from './upstream-problem.js';

export type { PipelineDependencies } from './pipeline-dependencies.js';

/**
 * The edge of the pipeline for one operation: runs its stages
 * (operation-pipeline.ts), answers with what they released, and on failure
 * translates the typed error into a problem exactly once, records the
 * attempt when a national system was asked about a person, and keeps score.
 */
export function createOperationHandler<Client>(deps: PipelineDependencies, connector: ConnectorDescriptor<Client>, operation: OperationDescriptor<Client>, handle: ConnectorHandle) {
  const stages = operationStages(deps, connector, operation, handle);
  const labels = { connector: connector.id, operation: operation.id };
  const route = `/api/v1${operation.path}`;

  return async function handleOperation(req: Request, res: Response): Promise<void> {
    const context: OperationContext = { req, res, request: requestContextOf(res), connector, operation, handle, upstreamAsked: false };
    res.locals.route = res.locals.route ?? route;
    let outcome: CallOutcome = 'internal_error';
    try {
      await runStages(stages, context);
      outcome = 'success';
      res.status(context.status ?? 200).json(context.released!.body);
    } catch (error) {
      const problem = problemOf(error, connector.id);
      outcome = outcomeOf(problem);
      if (problem.status === 403) {
        // Attempted access outside a grant: worth a look by whoever watches the logs (no personal data here).
        deps.logger.warn({ ...labels, requestId: context.request.requestId, consumerClient: context.principal?.clientId, code: problem.code }, 'access denied');
      }
      await recordFailedAccess(deps, context, outcome, problem.status, problem.code);
      throw problem;
    } finally {
      deps.metrics.requests.inc({ ...labels, outcome });
      deps.metrics.requestDuration.observe({ ...labels, outcome }, ((deps.clock?.monotonicMs() ?? performance.now()) - context.request.startedAt) / 1000);
    }
  };
}

/** The upstream was asked about a person even if nothing was released: that is processing too, and is recorded. */
async function recordFailedAccess(deps: PipelineDependencies, context: OperationContext, outcome: CallOutcome, httpStatus: number, code: string): Promise<void> {
  const { operation, connector, principal, personalData, input } = context;
  // A failed success-record (LGSP_AUDIT_UNAVAILABLE) is not retried as a failure record: the store is the problem.
  if (!operation.personalData || !context.upstreamAsked || !principal || !personalData || !input || code === 'LGSP_AUDIT_UNAVAILABLE') return;
  await deps.auditor.recordAccessQuietly({
    context: context.request,
    principal,
    headers: personalData,
    operation: operation.id,
    connector: connector.id,
    subjectId: operation.subjectIdOf(input),
    fieldsReleased: [],
    outcome,
    httpStatus,
  });
}
