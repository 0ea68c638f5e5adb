import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { chainStreams, dataAccessStreamName, isChainStreamName, type ChainStreamName } from '../audit/chain/chain-streams.js';
import { verifyChain, type VerifyChainOptions } from '../audit/chain/verify-chain.js';
import { auditCsvHeader, auditCsvRow } from '../audit/query/audit-csv.js';
import { describeAuditFilter, InvalidAuditCursorError, queryAuditRecords, type AuditPage } from '../audit/query/audit-query.js';
import { recordAuditRead, type AuditReader } from '../audit/query/record-audit-read.js';
import { renderSubjectAccessReportHtml } from '../audit/query/subject-report-html.js';
import { buildSubjectAccessReport } from '../audit/query/subject-report.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ContractRegistry } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import { requestContextOf } from '../pipeline/request-context.js';
import type { Store } from '../store/store.js';
import { bodyObject, parseAuditSearch, parseReportRequest, type FieldProblem, type ParsedAuditSearch, type ParsedReportRequest } from './audit-parameters.js';
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
const searchRoute = '/admin/v1/audit/search';
const reportByBodyRoute = '/admin/v1/audit/subjects/report';
const personalIdSchema = 'https://lgsp.gov.vn/contracts/common/v1/definitions.json#/$defs/personalId';

/**
 * /admin/v1/audit (issue 7, items 2, 4 and 5): the data-access trail for
 * auditors, a data subject's "who looked at my data" report, and the
 * verification of a stream's hash chain. Each answer is recorded in the
 * admin audit log (action 'read') before it is sent. The search and the
 * report also answer POST with their parameters in a JSON body (the
 * console's forms): a personal id in a URL ends up in browser history and
 * in proxy and ingress access logs.
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

  const answerSearch = async (search: ParsedAuditSearch, res: Response) => {
    const { filter, limit, cursor, format } = search;
    let page: AuditPage;
    try {
      page = await queryAuditRecords(store, subjectKey, filter, { limit, ...(cursor !== undefined ? { cursor } : {}) });
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) throw invalidParameters([{ field: search.cursorField, message: 'is not a cursor this gateway issued' }]);
      throw error;
    }
    await recordAuditRead(store, readerOf(res), 'audit_records', 'data_access', { filter: describeAuditFilter(filter), returned: page.items.length, format });
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'json') {
      res.json({ items: page.items, nextCursor: page.nextCursor ?? null });
      return;
    }
    sendAuditCsv(res, page);
  };

  router.get('/audit', routeName(queryRoute), auditors, async (req, res) => {
    await answerSearch(parseAuditSearch(req.query, 'query'), res);
  });

  // The same search with the filters in a JSON body: a subject (personal id) then never sits in a URL.
  router.post('/audit/search', routeName(searchRoute), auditors, async (req, res) => {
    await answerSearch(parseAuditSearch(bodyObject(req.body), 'body'), res);
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

  const answerReport = async (request: ParsedReportRequest, req: Request, res: Response) => {
    const { personalId, range } = request;
    if (typeof personalId !== 'string' || !validPersonalId(personalId)) {
      // Never the value: it is (or looks like) a personal id.
      throw new ProblemError('LGSP_INVALID_PERSONAL_ID', { detail: 'personalId is not valid', errors: [{ field: 'personalId', message: 'must be a 12-digit personal identification number' }] });
    }
    const format = request.format ?? (req.accepts(['application/json', 'text/html']) === 'text/html' ? 'html' : 'json');
    const report = await buildSubjectAccessReport(store, subjectKey, personalId, new Date(), range);
    await recordAuditRead(store, readerOf(res), 'audit_subject_report', report.subject, {
      filter: { subject: report.subject, ...(report.from && { from: report.from }), ...(report.to && { to: report.to }) },
      returned: report.accesses.length,
      format,
    });
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'html') res.type('text/html; charset=utf-8').send(renderSubjectAccessReportHtml(report));
    else res.json(report);
  };

  router.get('/audit/subjects/:personalId/report', routeName(reportRoute), auditors, async (req, res) => {
    const { range, format } = parseReportRequest(req.query, 'query');
    await answerReport({ personalId: String(req.params.personalId), range, format }, req, res);
  });

  // The same report with the personal id in the body: nothing of it in browser history or proxy access logs.
  router.post('/audit/subjects/report', routeName(reportByBodyRoute), auditors, async (req, res) => {
    await answerReport(parseReportRequest(bodyObject(req.body), 'body'), req, res);
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
  if (errors.length > 0) throw invalidParameters(errors);
  return { stream: stream as ChainStreamName, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** One page of records as an RFC 4180 CSV attachment; the next page's cursor in X-Next-Cursor. */
function sendAuditCsv(res: Response, page: AuditPage): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
  res.setHeader('Content-Disposition', 'attachment; filename="audit-records.csv"');
  if (page.nextCursor) res.setHeader('X-Next-Cursor', page.nextCursor);
  res.write(auditCsvHeader);
  for (const item of page.items) res.write(auditCsvRow(item));
  res.end();
}

function invalidParameters(errors: FieldProblem[]): ProblemError {
  return new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'parameters are not valid', errors });
}
