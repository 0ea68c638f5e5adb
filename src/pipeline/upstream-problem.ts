import { UpstreamError } from '../connector-kit/upstream-errors.js';
import { ProblemError } from '../errors/index.js';
import { BreakerOpenError } from '../resilience/breaker-registry.js';
import { BulkheadFullError } from '../resilience/bulkhead.js';
import { DeadlineExceededError } from '../resilience/deadline.js';
import { ConnectorUnavailableError, type ConnectorAvailability } from '../connector-runtime/connector-slot.js';

/** Outcome labels shared by metrics and audit records. */
export type CallOutcome =
  | 'success'
  | 'not_found'
  | 'client_error'
  | 'unauthenticated'
  | 'denied'
  | 'rate_limited'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'contract_violation'
  | 'audit_unavailable'
  | 'internal_error';

/** The one translation of a typed failure (upstream, breaker, bulkhead, deadline, or already a problem) into the caller's problem, naming the connector at fault; anything else is LGSP_INTERNAL. */
export function problemOf(error: unknown, connector: string): ProblemError {
  if (error instanceof BreakerOpenError) {
    return new ProblemError('LGSP_UPSTREAM_UNAVAILABLE', {
      connector,
      detail: `${connector} is failing; calls are refused until a trial call succeeds`,
      headers: { 'Retry-After': retryAfterSeconds(error.retryAfterMs) },
      cause: error,
    });
  }
  if (error instanceof BulkheadFullError) {
    return new ProblemError('LGSP_UPSTREAM_BUSY', {
      connector,
      detail: `${connector} already has as many calls in flight and waiting as the gateway allows`,
      headers: { 'Retry-After': '1' },
      cause: error,
    });
  }
  if (error instanceof DeadlineExceededError) {
    return new ProblemError('LGSP_DEADLINE_EXCEEDED', { connector, detail: `no answer from ${connector} within the request deadline`, cause: error });
  }
  if (error instanceof UpstreamError) {
    switch (error.kind) {
      case 'timeout':
        return new ProblemError('LGSP_UPSTREAM_TIMEOUT', { connector, cause: error });
      case 'auth':
        return new ProblemError('LGSP_UPSTREAM_AUTH_FAILED', { connector, cause: error });
      case 'contract':
        return new ProblemError('LGSP_UPSTREAM_CONTRACT_VIOLATION', { connector, cause: error });
      case 'too_large':
        return new ProblemError('LGSP_UPSTREAM_RESPONSE_TOO_LARGE', { connector, cause: error });
      case 'rejected':
        return new ProblemError('LGSP_VALIDATION_FAILED', {
          connector,
          detail: `the upstream rejected the request${error.upstreamCode ? ` (code ${error.upstreamCode})` : ''}`,
          cause: error,
        });
      default:
        return new ProblemError('LGSP_UPSTREAM_ERROR', {
          connector,
          detail: `${connector} failed (${error.kind})`,
          // The upstream said when to come back (503/429): the caller may as well know.
          ...(error.retryAfterMs !== undefined && { headers: { 'Retry-After': retryAfterSeconds(error.retryAfterMs) } }),
          cause: error,
        });
    }
  }
  // Switched off between the availability stage and the call (an admin change landed meanwhile).
  if (error instanceof ConnectorUnavailableError) return unavailableConnectorProblem(error.connectorId, error.availability);
  if (error instanceof ProblemError) return error;
  return new ProblemError('LGSP_INTERNAL', { cause: error });
}

/** 503 for a connector that takes no calls: switched off, or under maintenance with the administrator's message and Retry-After. */
export function unavailableConnectorProblem(connector: string, availability: Exclude<ConnectorAvailability, { kind: 'available' }>): ProblemError {
  if (availability.kind === 'maintenance') {
    return new ProblemError('LGSP_CONNECTOR_MAINTENANCE', { connector, detail: availability.message, headers: { 'Retry-After': String(availability.retryAfterSeconds) } });
  }
  return new ProblemError('LGSP_CONNECTOR_DISABLED', { connector, detail: `${connector} is switched off by an administrator` });
}

/** Retry-After in whole seconds (HTTP's unit), never 0: a caller told "0" would retry at once. */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

export function outcomeOf(problem: ProblemError): CallOutcome {
  switch (problem.code) {
    case 'LGSP_UPSTREAM_TIMEOUT':
    case 'LGSP_DEADLINE_EXCEEDED':
      return 'upstream_timeout';
    case 'LGSP_UPSTREAM_UNAVAILABLE':
    case 'LGSP_UPSTREAM_BUSY':
    case 'LGSP_CONNECTOR_DISABLED':
    case 'LGSP_CONNECTOR_MAINTENANCE':
      return 'upstream_unavailable';
    case 'LGSP_UPSTREAM_CONTRACT_VIOLATION':
      return 'contract_violation';
    case 'LGSP_UPSTREAM_ERROR':
    case 'LGSP_UPSTREAM_RESPONSE_TOO_LARGE':
    case 'LGSP_UPSTREAM_AUTH_FAILED':
      return 'upstream_error';
    case 'LGSP_AUDIT_UNAVAILABLE':
      return 'audit_unavailable';
    case 'LGSP_SUBJECT_NOT_FOUND':
      return 'not_found';
    case 'LGSP_TOKEN_MISSING':
    case 'LGSP_TOKEN_INVALID':
    case 'LGSP_TOKEN_EXPIRED':
      return 'unauthenticated';
    case 'LGSP_CONSUMER_UNKNOWN':
    case 'LGSP_CONSUMER_SUSPENDED':
    case 'LGSP_OPERATION_NOT_GRANTED':
    case 'LGSP_GRANT_NOT_VALID_NOW':
    case 'LGSP_PURPOSE_NOT_GRANTED':
      return 'denied';
    case 'LGSP_RATE_LIMITED':
      return 'rate_limited';
    case 'LGSP_INTERNAL':
      return 'internal_error';
    default:
      return 'client_error';
  }
}
