import { auditOutcomes, type AuditOutcome } from '../audit/audit-record.js';
import { maxAuditPageSize, type AuditQueryFilter } from '../audit/query/audit-query.js';
import type { SubjectReportRange } from '../audit/query/subject-report.js';
import { ProblemError } from '../errors/index.js';

/**
 * The audit routes' parameters, read from a query string (GET) or from a
 * JSON body (POST: the forms that carry a personal id, which must not sit in
 * a URL that browsers keep and proxies log). Errors name the parameter
 * (`query:<name>` or the body field) and never echo its value: it may be a
 * personal id.
 */
export type ParameterSource = 'query' | 'body';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ParsedAuditSearch {
  filter: AuditQueryFilter;
  limit: number;
  cursor: string | undefined;
  /** How an error names the cursor (`query:cursor` or `cursor`): only the query decides whether it decodes. */
  cursorField: string;
  format: 'json' | 'csv';
}

const textFilters = ['consumer', 'endUser', 'operation', 'purpose'] as const;
const searchParameters = ['from', 'to', ...textFilters, 'outcome', 'subject', 'limit', 'cursor', 'format'];
const isoDateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
// Subject keys of every connector (personal ids, insurance codes, tax codes) are short and alphanumeric.
const subjectPattern = /^[0-9A-Za-z.-]{1,64}$/;
const defaultPageSize = 100;

/** Reads parameters one by one, collecting every problem so the answer names them all at once. */
class ParameterReader {
  readonly problems: FieldProblem[] = [];

  constructor(
    private readonly values: Record<string, unknown>,
    private readonly source: ParameterSource,
  ) {}

  fieldName(name: string): string {
    return this.source === 'query' ? `query:${name}` : name;
  }

  problem(name: string, message: string): void {
    this.problems.push({ field: this.fieldName(name), message });
  }

  refuseUnknown(known: readonly string[]): void {
    for (const name of Object.keys(this.values)) {
      if (known.includes(name)) continue;
      // A name is the caller's text too: echo it only when it cannot be an identifier someone typed in.
      const shown = /^[A-Za-z_]{1,40}$/.test(name) ? name : '(unnamed)';
      this.problem(shown, this.source === 'query' ? 'is not a parameter of this route' : 'is not a known field');
    }
  }

  text(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || (this.source === 'body' && value === null)) return undefined;
    if (typeof value !== 'string') {
      this.problem(name, this.source === 'query' ? 'must be given once, as text' : 'must be a string');
      return undefined;
    }
    return value;
  }

  /** An ISO 8601 date or date-time with a time zone. */
  instant(name: 'from' | 'to'): Date | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const time = isoDateTime.test(value) ? new Date(value) : undefined;
    if (time && !Number.isNaN(time.getTime())) return time;
    this.problem(name, 'must be an ISO 8601 date or date-time with a time zone');
    return undefined;
  }

  /** from (inclusive) and to (exclusive), to later than from. */
  range(): SubjectReportRange {
    const from = this.instant('from');
    const to = this.instant('to');
    if (from && to && from >= to) this.problem('to', 'must be later than from');
    return { ...(from && { from }), ...(to && { to }) };
  }

  /** A page size: a JSON integer in a body, digits in a query string. */
  limit(): number {
    const value = this.values.limit;
    if (value === undefined || (this.source === 'body' && value === null)) return defaultPageSize;
    const limit = this.source === 'body' ? (typeof value === 'number' ? value : NaN) : typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(limit) && limit >= 1 && limit <= maxAuditPageSize) return limit;
    this.problem('limit', `must be an integer from 1 to ${maxAuditPageSize}`);
    return defaultPageSize;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(name, `must be ${allowed.join(' or ')}`);
    return fallback;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: `${this.source === 'query' ? 'query parameters' : 'body fields'} are not valid`, errors: this.problems });
    }
  }
}

/** The query API's search: GET /audit?… or the body of POST /audit/search. */
export function parseAuditSearch(values: Record<string, unknown>, source: ParameterSource): ParsedAuditSearch {
  const reader = new ParameterReader(values, source);
  reader.refuseUnknown(searchParameters);
  const filter: AuditQueryFilter = { ...reader.range() };
  for (const name of textFilters) {
    const value = reader.text(name);
    if (value === undefined) continue;
    if (value.length < 1 || value.length > 200 || /\p{Cc}/u.test(value)) reader.problem(name, 'must be 1 to 200 printable characters');
    else filter[name] = value;
  }
  const outcome = reader.text('outcome');
  if (outcome !== undefined) {
    if ((auditOutcomes as readonly string[]).includes(outcome)) filter.outcome = outcome as AuditOutcome;
    else reader.problem('outcome', `must be one of ${auditOutcomes.join(', ')}`);
  }
  const subject = reader.text('subject');
  if (subject !== undefined) {
    if (subjectPattern.test(subject)) filter.subjectId = subject;
    else reader.problem('subject', 'must be a subject identifier (letters, digits, dot or hyphen; at most 64)');
  }
  const limit = reader.limit();
  const cursor = reader.text('cursor');
  const format = reader.oneOf('format', ['json', 'csv'], 'json');
  reader.throwIfAny();
  return { filter, limit, cursor, cursorField: reader.fieldName('cursor'), format };
}

export interface ParsedReportRequest {
  /** Unchecked: the router validates it against the personalId contract (its own problem code). */
  personalId: unknown;
  range: SubjectReportRange;
  /** Absent: the Accept header decides. */
  format: 'json' | 'html' | undefined;
}

/**
 * The citizen report's parameters: from the query string of
 * GET /audit/subjects/{personalId}/report (the id comes from the path), or
 * the body of POST /audit/subjects/report (the id in the body).
 */
export function parseReportRequest(values: Record<string, unknown>, source: ParameterSource): ParsedReportRequest {
  const reader = new ParameterReader(values, source);
  reader.refuseUnknown(source === 'body' ? ['personalId', 'from', 'to', 'format'] : ['from', 'to', 'format']);
  const range = reader.range();
  const format = values.format === undefined ? undefined : reader.oneOf('format', ['json', 'html'], 'json');
  reader.throwIfAny();
  return { personalId: values.personalId, range, format };
}

/** A JSON body must be an object (an absent body reads as an empty one). */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'the body must be a JSON object', errors: [{ field: '(root)', message: 'must be a JSON object' }] });
}
