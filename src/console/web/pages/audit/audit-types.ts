/**
 * What the audit routes of the admin API answer (src/audit/query,
 * src/audit/chain/verify-chain.ts, src/access/access-repository.ts): the
 * browser's copy of those shapes. Subjects arrive masked (001*******45).
 */
export const auditOutcomes = ['success', 'not_found', 'client_error', 'upstream_error', 'denied', 'gateway_error'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

export interface AuditRecordView {
  id: string;
  occurredAt: string;
  requestId: string;
  consumer: string;
  endUser: string;
  purpose: string;
  operation: string;
  connector: string;
  subject: string | null;
  fieldsReleased: string[];
  outcome: AuditOutcome;
  httpStatus: number;
  latencyMs: number;
  upstreamReference: string | null;
}

export interface AuditPage {
  items: AuditRecordView[];
  nextCursor: string | null;
}

/** The filters of POST /audit/search (every one optional; times ISO 8601 with the zone). */
export interface AuditSearchFilter {
  from?: string;
  to?: string;
  consumer?: string;
  endUser?: string;
  operation?: string;
  purpose?: string;
  outcome?: AuditOutcome;
  /** A personal id or other subject key in clear: only ever sent in a request body. */
  subject?: string;
}

export interface SubjectAccess {
  occurredAt: string;
  consumer: string;
  consumerName: string | null;
  agency: string | null;
  endUser: string;
  operation: string;
  purpose: string;
  fieldsReleased: string[];
  outcome: AuditOutcome;
  requestId: string;
}

export interface SubjectAccessReport {
  subject: string;
  generatedAt: string;
  from?: string;
  to?: string;
  count: number;
  truncated: boolean;
  accesses: SubjectAccess[];
}

export type ChainStream = 'data_access' | 'admin';
export type ChainBreakReason = 'missing' | 'duplicate' | 'altered' | 'broken_link' | 'head_mismatch' | 'beyond_head' | 'truncated_tail';
export type CheckpointFailureReason = 'unknown_key' | 'bad_signature' | 'hash_mismatch' | 'row_missing' | 'timestamp_mismatch';

export interface ChainVerificationReport {
  stream: ChainStream;
  ok: boolean;
  from: number;
  to: number;
  checked: number;
  head: { seq: number; anchorSeq: number };
  firstBroken?: { seq: number; reason: ChainBreakReason };
  unchained: number;
  checkpoints: {
    checked: number;
    valid: number;
    timestamped: number;
    newestSeq: number | null;
    firstInvalid?: { seq: number; reason: CheckpointFailureReason };
  };
}

export interface AdminAuditEntry {
  id: number;
  occurredAt: string;
  requestId: string;
  actor: string;
  actorClient: string;
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
}

export interface ConsumerSummary {
  clientId: string;
  name: string;
  agency: string;
}
