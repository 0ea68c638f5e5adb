import type { AuditOutcome } from '../audit/audit-record.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { Principal } from '../auth/principal.js';
import { ProblemError } from '../errors/index.js';
import type { Metrics } from '../observability/metrics.js';
import type { PersonalDataHeaders } from './personal-data-headers.js';
import type { RequestContext } from './request-context.js';
import type { CallOutcome } from './upstream-problem.js';

export interface AccessFacts {
  context: RequestContext;
  principal: Principal;
  headers: PersonalDataHeaders;
  operation: string;
  connector: string;
  subjectId: string | undefined;
  fieldsReleased: string[];
  outcome: CallOutcome;
  httpStatus: number;
  upstreamReference?: string;
}

/** The pipeline's audit step: turns what the request did into one durable audit record. */
export interface AccessAuditor {
  /** Commits the record or throws LGSP_AUDIT_UNAVAILABLE: callers send no 2xx without it. */
  recordAccess(facts: AccessFacts): Promise<void>;
  /** For failed calls: the caller already gets an error, so an audit failure is logged and counted, not thrown. */
  recordAccessQuietly(facts: AccessFacts): Promise<void>;
}

export function createAccessAuditor(deps: { writer: AuditWriter; metrics: Metrics }): AccessAuditor {
  async function recordAccess(facts: AccessFacts): Promise<void> {
    const started = performance.now();
    try {
      await deps.writer.record({
        requestId: facts.context.requestId,
        occurredAt: new Date(),
        consumer: facts.principal.clientId,
        endUser: facts.headers.endUser,
        purpose: facts.headers.purpose,
        operation: facts.operation,
        connector: facts.connector,
        subjectId: facts.subjectId,
        fieldsReleased: facts.fieldsReleased,
        outcome: auditOutcomeOf(facts.outcome),
        httpStatus: facts.httpStatus,
        latencyMs: Math.round(performance.now() - facts.context.startedAt),
        upstreamReference: facts.upstreamReference,
      });
      deps.metrics.auditWriteDuration.observe({ result: 'ok' }, (performance.now() - started) / 1000);
    } catch (error) {
      // The writer has logged the failure (without personal data); here it is only counted.
      deps.metrics.auditWriteDuration.observe({ result: 'failed' }, (performance.now() - started) / 1000);
      throw error instanceof ProblemError ? error : new ProblemError('LGSP_AUDIT_UNAVAILABLE', { cause: error });
    }
  }

  return {
    recordAccess,
    async recordAccessQuietly(facts) {
      await recordAccess(facts).catch(() => undefined);
    },
  };
}

/** The trail keeps coarse outcomes; metrics keep the fine ones. */
function auditOutcomeOf(outcome: CallOutcome): AuditOutcome {
  switch (outcome) {
    case 'success':
    case 'not_found':
    case 'client_error':
      return outcome;
    case 'unauthenticated':
    case 'denied':
      return 'denied';
    case 'rate_limited':
      return 'client_error';
    case 'upstream_timeout':
    case 'upstream_error':
    case 'upstream_unavailable':
    case 'contract_violation':
      return 'upstream_error';
    case 'audit_unavailable':
    case 'internal_error':
      return 'gateway_error';
  }
}
