import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { auditOutcomes, type AuditOutcome } from '../audit/audit-record.js';
import { chainStreams, dataAccessStreamName, isChainStreamName, type ChainStreamName } from '../audit/chain/chain-streams.js';
import { verifyChain, type VerifyChainOptions } from '../audit/chain/verify-chain.js';
import { auditCsvHeader, auditCsvRow } from '../audit/query/audit-csv.js';
import { describeAuditFilter, InvalidAuditCursorError, maxAuditPageSize, queryAuditRecords, type AuditQueryFilter } from '../audit/query/audit-query.js';
import { recordAuditRead, type AuditReader } from '../audit/query/record-audit-read.js';
import { renderSubjectAccessReportHtml } from '../audit/query/subject-report-html.js';
import { buildSubjectAccessReport } from '../audit/query/subject-report.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ContractRegistry } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import { requestContextOf } from '../pipeline/request-context.js';
import type { Store } from '../store/store.js';
import { principalOf, requireRole } from './require-role.js';

export interface AuditRouterOptions {
  store: Store;
  contracts: ContractRegistry;
  tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>;
  /** The key the audit writer hashes subjects with (config.audit.subjectHashKey). */
  subjectKey: Buffer | string;
  chainVerification: ChainVerificationKeys;
}

/** What GET /audit/verification checks checkpoints with. */
export type ChainVerificationKeys = Pick<VerifyChainOptions, 'publicKeys' | 'verifyTimestamp'>;

/** Route patterns as the access log names them: the personal id in the path never reaches a log line. */
const queryRoute = '/admin/v1/audit';
const verificationRoute = '/admin/v1/audit/verification';
const reportRoute = '/admin/v1/audit/subjects/{personalId}/report';
const personalIdSchema = 'https://lgsp.gov.vn/contracts/common/v1/definitions.json#/$defs/personalId';

const textFilters = ['consumer', 'endUser', 'operation', 'purpose'] as const;
const knownParameters = new Set(['from', 'to', ...textFilters, 'outcome', 'subject', 'limit', 'cursor', 'format']);
const isoDateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
// Subject keys of every connector (personal ids, insurance codes, tax codes) are short and alphanumeric.
const subjectPattern = /^[0-9A-Za-z.-]{1,64}$/;
const defaultPageSize = 100;

/**
 * /admin/v1/audit (issue 7, items 2, 4 and 5): the data-access trail for
 * auditors, a data subject's "who looked at my data" report, and the
 * verification of a stream's hash chain. Each answer is recorded in the
 * admin audit log (action 'read') before it is sent.
 */
export function createAuditRouter(options: AuditRouterOptions): Router {
  const { store, subjectKey } = options;
  const router = express.Router();
  const auditors = requireRole(options.tokenVerifier, [Roles.admin, Roles.auditor]);
  const validPersonalId = options.contracts.validator({ $ref: personalIdSchema });
  const routeName = (name: string) => (_req: Request, res: Response, next: NextFunction) => {
    res.locals.route = name;
    next();
  };
  const readerOf = (res: Response): AuditReader => {
    const principal = principalOf(res);
    return { actor: principal.username ?? principal.subject, actorClient: principal.clientId, requestId: requestContextOf(res).requestId };
  };

  router.get('/audit', routeName(queryRoute), auditors, async (req, res) => {
    const { filter, limit, cursor, format } = parseAuditQuery(req.query);
    let page;
    try {
      page = await queryAuditRecords(store, subjectKey, filter, { limit, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) throw invalidQuery([{ field: 'query:cursor', message: 'is not a cursor this gateway issued' }]);
      throw error;
    }
    await recordAuditRead(store, readerOf(res), 'audit_records', 'data_access', { filter: describeAuditFilter(filter), returned: page.items.length, format });
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'json') {
      res.json({ items: page.items, nextCursor: page.nextCursor ?? null });
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', 'attachment; filename="audit-records.csv"');
    if (page.nextCursor) res.setHeader('X-Next-Cursor', page.nextCursor);
    res.write(auditCsvHeader);
    for (const item of page.items) res.write(auditCsvRow(item));
    res.end();
  });

  router.get('/audit/verification', routeName(verificationRoute), auditors, async (req, res) => {
    const range = parseVerificationQuery(req.query);
    const report = await verifyChain(store, { ...range, ...options.chainVerification });
    await recordAuditRead(store, readerOf(res), 'audit_chain', report.stream, {
      filter: Object.fromEntries(Object.entries(range).map(([name, value]) => [name, String(value)])),
      returned: report.checked,
      format: 'json',
      ok: report.ok,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json(report);
  });

  router.get('/audit/subjects/:personalId/report', routeName(reportRoute), auditors, async (req, res) => {
    const personalId = String(req.params.personalId);
    if (!validPersonalId(personalId)) {
      throw new ProblemError('LGSP_INVALID_PERSONAL_ID', { detail: 'personalId is not valid', errors: [{ field: 'personalId', message: 'must be a 12-digit personal identification number' }] });
    }
    const unknown = Object.keys(req.query).filter((name) => name !== 'format');
    if (unknown.length > 0) throw invalidQuery(unknown.map((name) => ({ field: `query:${name}`, message: 'is not a parameter of this route' })));
    if (req.query.format !== undefined && req.query.format !== 'html' && req.query.format !== 'json') {
      throw invalidQuery([{ field: 'query:format', message: 'must be json or html' }]);
    }
    const format = req.query.format ?? (req.accepts(['application/json', 'text/html']) === 'text/html' ? 'html' : 'json');
    const report = await buildSubjectAccessReport(store, subjectKey, personalId);
    await recordAuditRead(store, readerOf(res), 'audit_subject_report', report.subject, {
      filter: { subject: report.subject },
      returned: report.accesses.length,
      format,
    });
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'html') res.type('text/html; charset=utf-8').send(renderSubjectAccessReportHtml(report));
    else res.json(report);
  });

  // Any other path under /audit/subjects/ carries a personal id too: answer it here, without echoing the path.
  router.all('/audit/subjects/*rest', routeName('/admin/v1/audit/subjects/*'), (_req, _res, next) => {
    next(new ProblemError('LGSP_NOT_FOUND', { detail: 'no such audit route' }));
  });

  return router;
}

/** ?stream=data_access|admin (default data_access), &from=&to= (sequence numbers). */
export function parseVerificationQuery(query: Request['query']): Pick<VerifyChainOptions, 'stream' | 'from' | 'to'> {
  const errors: Array<{ field: string; message: string }> = [];
  for (const name of Object.keys(query)) {
    if (!['stream', 'from', 'to'].includes(name)) errors.push({ field: `query:${name}`, message: 'is not a parameter of this route' });
  }
  const stream = query.stream ?? dataAccessStreamName;
  if (typeof stream !== 'string' || !isChainStreamName(stream)) errors.push({ field: 'query:stream', message: `must be one of ${Object.keys(chainStreams).join(', ')}` });
  const seqOf = (name: 'from' | 'to'): number | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && /^\d{1,15}$/.test(value) && Number(value) >= 1) return Number(value);
    errors.push({ field: `query:${name}`, message: 'must be a sequence number (a positive integer)' });
    return undefined;
  };
  const from = seqOf('from');
  const to = seqOf('to');
  if (from !== undefined && to !== undefined && from > to) errors.push({ field: 'query:to', message: 'must not be before from' });
  if (errors.length > 0) throw invalidQuery(errors);
  return { stream: stream as ChainStreamName, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

interface ParsedAuditQuery {
  filter: AuditQueryFilter;
  limit: number;
  cursor: string | undefined;
  format: 'json' | 'csv';
}

/** Validates every query parameter; errors name `query:<name>` and never echo the value (it may be a personal id). */
export function parseAuditQuery(query: Request['query']): ParsedAuditQuery {
  const errors: Array<{ field: string; message: string }> = [];
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      errors.push({ field: `query:${name}`, message: 'must be given once, as text' });
      return undefined;
    }
    return value;
  };
  for (const name of Object.keys(query)) {
    if (!knownParameters.has(name)) errors.push({ field: `query:${name}`, message: 'is not a parameter of this route' });
  }

  const filter: AuditQueryFilter = {};
  const instant = (name: 'from' | 'to') => {
    const value = single(name);
    if (value === undefined) return;
    const time = isoDateTime.test(value) ? new Date(value) : undefined;
    if (!time || Number.isNaN(time.getTime())) errors.push({ field: `query:${name}`, message: 'must be an ISO 8601 date or date-time with a time zone' });
    else filter[name] = time;
  };
  instant('from');
  instant('to');
  if (filter.from && filter.to && filter.from >= filter.to) errors.push({ field: 'query:to', message: 'must be later than from' });

  for (const name of textFilters) {
    const value = single(name);
    if (value === undefined) continue;
    if (value.length < 1 || value.length > 200 || /\p{Cc}/u.test(value)) errors.push({ field: `query:${name}`, message: 'must be 1 to 200 printable characters' });
    else filter[name] = value;
  }
  const outcome = single('outcome');
  if (outcome !== undefined) {
    if ((auditOutcomes as readonly string[]).includes(outcome)) filter.outcome = outcome as AuditOutcome;
    else errors.push({ field: 'query:outcome', message: `must be one of ${auditOutcomes.join(', ')}` });
  }
  const subject = single('subject');
  if (subject !== undefined) {
    if (subjectPattern.test(subject)) filter.subjectId = subject;
    else errors.push({ field: 'query:subject', message: 'must be a subject identifier (letters, digits, dot or hyphen; at most 64)' });
  }

  let limit = defaultPageSize;
  const limitText = single('limit');
  if (limitText !== undefined) {
    limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= maxAuditPageSize)) errors.push({ field: 'query:limit', message: `must be an integer from 1 to ${maxAuditPageSize}` });
  }
  const cursor = single('cursor');
  const formatText = single('format') ?? 'json';
  if (formatText !== 'json' && formatText !== 'csv') errors.push({ field: 'query:format', message: 'must be json or csv' });

  if (errors.length > 0) throw invalidQuery(errors);
  return { filter, limit, cursor, format: formatText as 'json' | 'csv' };
}

function invalidQuery(errors: Array<{ field: string; message: string }>): ProblemError {
  return new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'query parameters are not valid', errors });
}
