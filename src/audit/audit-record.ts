/**
 * What the trail keeps about one personal-data access (DESIGN.md, core idea
 * 4): who (consumer, end user), why (purpose), what (operation, connector,
 * subject, fields released), when, result, latency, request id.
 */

export const auditOutcomes = ['success', 'not_found', 'client_error', 'upstream_error', 'denied', 'gateway_error'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

interface AuditFacts {
  /** X-Request-Id of the call. */
  requestId: string;
  occurredAt: Date;
  /** OAuth2 client id of the calling system. */
  consumer: string;
  /**
   * The officer in the one-stop system (X-End-User). Stored as given because
   * they are the accountable actor, not the data subject; still personal
   * data, so never logged.
   */
  endUser: string;
  /** X-Purpose: the dossier code or a registered purpose code. */
  purpose: string;
  /** e.g. `population.citizen.get`. */
  operation: string;
  /** Connector id, e.g. `population`. */
  connector: string;
  /** Contract field names released to the caller (after minimization); empty when nothing was. */
  fieldsReleased: string[];
  outcome: AuditOutcome;
  httpStatus: number;
  latencyMs: number;
  /** The upstream's own transaction or message id, when it gave one. */
  upstreamReference?: string;
}

/** What the pipeline hands to the audit writer: the subject id still in clear. */
export interface AuditEntry extends AuditFacts {
  /**
   * The data subject's identifier (e.g. personal id), hashed and masked
   * before storage, never stored or logged. Undefined when the request was
   * refused before it named a subject.
   */
  subjectId?: string | undefined;
}

/** What is stored: the subject only as a keyed hash and a masked form. */
export interface AuditRecord extends AuditFacts {
  /** Both present or both absent. */
  subjectHash?: string;
  subjectMasked?: string;
}

/** A record as read back from the store. */
export interface StoredAuditRecord extends AuditRecord {
  id: number | bigint;
  stream: string;
  recordedAt: Date;
}
