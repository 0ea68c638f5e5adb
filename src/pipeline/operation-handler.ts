import type { Request, Response } from 'express';
import type { AccessPolicy } from '../access/access-policy.js';
import { projectFields, releasedFields } from '../access/field-projection.js';
import type { Principal, TokenVerifier } from '../auth/token-verifier.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { ConnectorDescriptor, OperationDescriptor, OperationInput } from '../connector-kit/descriptor.js';
import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { describeViolations, type ContractRegistry } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { requestDeadline } from '../resilience/deadline.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';
import type { AccessAuditor } from './access-auditor.js';
import { authorize, bindRequestPurpose } from './authorize.js';
import { createCachedInvoke, type ConfiguredResponseCache } from './cached-invoke.js';
import { enforceQuotas } from './enforce-quotas.js';
import { requirePersonalDataHeaders, type PersonalDataHeaders } from './personal-data-headers.js';
import { requestContextOf } from './request-context.js';
import { outcomeOf, upstreamProblem, type CallOutcome } from './upstream-problem.js';
import { createRequestValidator } from './validate-request.js';

export interface PipelineDependencies {
  contracts: ContractRegistry;
  tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>;
  upstreams: UpstreamCaller;
  /** Longest a request may take (ms); a Request-Timeout header can only shorten it. */
  maxRequestTimeoutMs: number;
  auditor: AccessAuditor;
  access: AccessPolicy;
  limiter: Pick<RateLimiter, 'consume' | 'refund'>;
  metrics: Metrics;
  logger: Logger;
  /** Reference-data cache (cached-invoke.ts); absent: every call asks the upstream. */
  responseCache?: ConfiguredResponseCache;
}

/**
 * The one request pipeline, the same for every operation: token → consumer
 * and grant (deny by default) → personal-data headers and purpose binding →
 * request validation (and its deadline) → quotas → bulkhead + breaker +
 * retries → connector → response validation → field minimization → audit →
 * response. Each step lives in its own module; this file only puts them in
 * order and keeps score.
 */
export function createOperationHandler<Client>(
  deps: PipelineDependencies,
  connector: ConnectorDescriptor<Client>,
  operation: OperationDescriptor<Client>,
  client: Client,
) {
  const validateRequest = createRequestValidator(operation as OperationDescriptor, deps.contracts);
  const validateResponse = deps.contracts.validator(operation.response);
  const labels = { connector: connector.id, operation: operation.id };
  const route = `/api/v1${operation.path}`;
  const cachedInvoke = createCachedInvoke({ responseCache: deps.responseCache, connectorId: connector.id, operation, sharedCallTimeoutMs: deps.maxRequestTimeoutMs });

  return async function handleOperation(req: Request, res: Response): Promise<void> {
    const context = requestContextOf(res);
    res.locals.route = route;
    let outcome: CallOutcome = 'internal_error';
    let principal: Principal | undefined;
    let headers: PersonalDataHeaders | undefined;
    let input: OperationInput | undefined;
    let upstreamAsked = false;
    try {
      principal = await deps.tokenVerifier.verifyAuthorizationHeader(req.header('authorization'));
      const authorization = authorize(deps.access, principal, operation.id);
      if (operation.personalData) {
        headers = requirePersonalDataHeaders(req);
        bindRequestPurpose(deps.access, authorization.grant, headers.purpose, req.header('x-procedure'));
      }
      input = validateRequest(req);
      const deadline = requestDeadline(context.startedAt, req.header('request-timeout'), deps.maxRequestTimeoutMs, callerGone(res));
      await enforceQuotas(deps.limiter, authorization, res);
      const granted = authorization.grant.fields;

      const call = { connectorId: connector.id, operationId: operation.id, idempotent: operation.idempotent, requestId: context.requestId };
      const result = await cachedInvoke({ input, grant: authorization.grant, res, deadline }, (callDeadline) =>
        deps.upstreams
        .call({ ...call, deadline: callDeadline }, async (signal, attemptDeadline) => {
          // Set here, not before: an open breaker refuses without asking, and its fast 503 must not wait on an audit write.
          upstreamAsked = true;
          const answer = await operation.invoke(client, input!, { signal, requestId: context.requestId, traceparent: context.traceparent, deadline: attemptDeadline, ...headers });
          // Checked inside the attempt, so that a broken answer counts against the upstream's breaker.
          if (answer.kind === 'found' && !validateResponse(answer.data)) {
            deps.metrics.contractViolations.inc(labels);
            // Field names only: the values may be personal data.
            deps.logger.warn({ ...labels, requestId: context.requestId, violations: describeViolations(validateResponse.errors).map((v) => v.field) }, 'upstream answer violates its contract');
            throw new UpstreamError('contract', 'mapped answer violates the response contract');
          }
          return answer;
        })
        .catch((error: unknown) => {
          throw upstreamProblem(error, connector.id);
        }),
      );

      if (result.kind === 'not_found') {
        throw new ProblemError('LGSP_SUBJECT_NOT_FOUND', { connector: connector.id, detail: 'the upstream holds no record for this request' });
      }

      // Only what the grant releases leaves the gateway; the rest is dropped here, after validation.
      const released = projectFields(result.data, granted);
      if (operation.personalData) {
        // No 2xx leaves without its audit record committed.
        await deps.auditor.recordAccess({
          context,
          principal,
          headers: headers!,
          operation: operation.id,
          connector: connector.id,
          subjectId: operation.subjectIdOf(input),
          fieldsReleased: releasedFields(released, granted, () => operation.releasedFields(result.data)),
          outcome: 'success',
          httpStatus: 200,
          upstreamReference: result.upstreamReference,
        });
      }
      outcome = 'success';
      res.status(200).json(released);
    } catch (error) {
      const problem = error instanceof ProblemError ? error : upstreamProblem(error, connector.id);
      outcome = outcomeOf(problem);
      if (problem.status === 403) {
        // Attempted access outside a grant: worth a look by whoever watches the logs (no personal data here).
        deps.logger.warn({ ...labels, requestId: context.requestId, consumerClient: principal?.clientId, code: problem.code }, 'access denied');
      }
      if (operation.personalData && upstreamAsked && principal && headers && input && problem.code !== 'LGSP_AUDIT_UNAVAILABLE') {
        // The upstream was asked about a person even if nothing was released: that is processing too.
        await deps.auditor.recordAccessQuietly({
          context,
          principal,
          headers,
          operation: operation.id,
          connector: connector.id,
          subjectId: operation.subjectIdOf(input),
          fieldsReleased: [],
          outcome,
          httpStatus: problem.status,
        });
      }
      throw problem;
    } finally {
      deps.metrics.requests.inc({ ...labels, outcome });
      deps.metrics.requestDuration.observe({ ...labels, outcome }, (performance.now() - context.startedAt) / 1000);
    }
  };
}

/** Aborted when the caller closes the connection before the answer is sent: the upstream call is then abandoned too. */
function callerGone(res: Response): AbortSignal {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone.signal;
}
