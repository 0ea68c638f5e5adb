import type { ConnectorDescriptor, OperationDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import type { OperationContext } from './operation-context.js';
import { operationStages } from './operation-pipeline.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import type { ApiRequest, ApiResponse } from './api-request.js';
import type { RequestContext } from './request-context.js';
import { runStages } from './stage.js';
import { outcomeOf, problemOf, type CallOutcome } from './upstream-problem.js';

export type { PipelineDependencies } from './pipeline-dependencies.js';

/** What a call released: the status and the JSON body the caller gets. */
export interface OperationAnswer {
  status: number;
  body: unknown;
  /** The body as JSON text, when a stage has serialized it already. */
  text?: string;
}

export type OperationHandler = (req: ApiRequest, res: ApiResponse, request: RequestContext) => Promise<OperationAnswer>;

/**
 * The edge of the pipeline for one operation: runs its stages
 * (operation-pipeline.ts), returns what they released (the data plane
 * writes it), and on failure
 * translates the typed error into a problem exactly once, records the
 * attempt when a national system was asked about a person, and keeps score.
 */
export function createOperationHandler<Client>(deps: PipelineDependencies, connector: ConnectorDescriptor<Client>, operation: OperationDescriptor<Client>, handle: ConnectorHandle): OperationHandler {
  const stages = operationStages(deps, connector, operation, handle);
  const labels = { connector: connector.id, operation: operation.id };
  // prom-client resolves a label set on every call; its children, resolved once here, skip that.
  const requestsBy = new Map<CallOutcome, { inc(): void }>();
  const durationBy = new Map<CallOutcome, { observe(seconds: number): void }>();
  const countRequest = (outcome: CallOutcome) => {
    let counter = requestsBy.get(outcome);
    if (!counter) requestsBy.set(outcome, (counter = deps.metrics.requests.labels({ ...labels, outcome })));
    counter.inc();
  };
  const observeDuration = (outcome: CallOutcome, seconds: number) => {
    let histogram = durationBy.get(outcome);
    if (!histogram) durationBy.set(outcome, (histogram = deps.metrics.requestDuration.labels({ ...labels, outcome })));
    histogram.observe(seconds);
  };

  return async function handleOperation(req, res, request) {
    const context: OperationContext = { req, res, request, connector, operation, handle, upstreamAsked: false };
    let outcome: CallOutcome = 'internal_error';
    try {
      await runStages(stages, context);
      outcome = 'success';
      const { body, text } = context.released!;
      return { status: context.status ?? 200, body, ...(text !== undefined && { text }) };
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
      countRequest(outcome);
      observeDuration(outcome, ((deps.clock?.monotonicMs() ?? performance.now()) - context.request.startedAt) / 1000);
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
