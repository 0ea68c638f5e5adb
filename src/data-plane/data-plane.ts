import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import { lookupFormOf, refuseRouteClashes } from '../contracts/lookup-form.js';
import { toProblemError, writeProblem } from '../errors/problem-responder.js';
import { endWithJson } from '../util/json-answer.js';
import type { Logger } from '../observability/logger.js';
import type { ApiRequest } from '../pipeline/api-request.js';
import { createOperationHandler, type OperationHandler, type PipelineDependencies } from '../pipeline/operation-handler.js';
import { newRequestContext, type RequestContext } from '../pipeline/request-context.js';
import { createJsonBodyReader, type JsonBodyReader } from './json-body.js';

export interface DataPlaneOptions extends PipelineDependencies {
  connectors: ReadonlyArray<{ descriptor: ConnectorDescriptor<any>; handle: ConnectorHandle }>;
  bodyLimitBytes: number;
  /** True once shutdown has begun: connections are not kept alive. */
  isShuttingDown: () => boolean;
}

/** Answers a request when it is one of the operations' routes; false hands it on (to express: docs, admin, console, 404s). */
export type DataPlane = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Route {
  handler: OperationHandler;
  /** The route pattern for the access log: never the URL, which carries personal ids. */
  pattern: string;
}

export const apiPrefix = '/api/v1';

/**
 * The `/api/v1` operations on node's own HTTP objects, without express: one
 * radix-tree lookup (find-my-way) from method and path to the operation's
 * handler, built once at start, so finding a route costs the same with 6
 * connectors as with 60. Express keeps everything else (docs, admin API,
 * console, callbacks, and the 404 for a path no operation has). Per request
 * this does what the express stack did for these routes: request id and
 * traceparent, JSON-only bodies within the size limit, the pipeline, the
 * answer or problem, one access-log line.
 */
export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const router = FindMyWay({ ignoreTrailingSlash: true, querystringParser: (query) => parseQueryString(query) });
  const operations = options.connectors.flatMap(({ descriptor, handle }) => descriptor.operations.map((operation) => ({ descriptor, operation, handle })));
  refuseRouteClashes(operations.map(({ operation }) => operation));
  for (const { descriptor, operation, handle } of operations) {
    const handler = createOperationHandler(options, descriptor, operation, handle);
    const path = `${apiPrefix}${operation.path.replace(/\{(\w+)\}/g, ':$1')}`;
    router.on(operation.method as HTTPMethod, path, () => undefined, { handler, pattern: `${apiPrefix}${operation.path}` } satisfies Route);
    // The same handler, so the same pipeline: its request validator reads a POST as the lookup form.
    const lookup = lookupFormOf(operation);
    if (lookup) router.on('POST', `${apiPrefix}${lookup.path}`, () => undefined, { handler, pattern: `${apiPrefix}${lookup.path}` } satisfies Route);
  }
  const readBody = createJsonBodyReader(options.bodyLimitBytes);

  return (req, res) => {
    const match = req.url ? router.find(req.method as HTTPMethod, req.url) : null;
    if (!match) return false;
    void serve({ options, readBody }, req, res, match.store as Route, match.params, match.searchParams);
    return true;
  };
}

async function serve(
  { options, readBody }: { options: DataPlaneOptions; readBody: JsonBodyReader },
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  params: Record<string, string | undefined>,
  query: Record<string, string | string[] | undefined>,
): Promise<void> {
  const request = newRequestContext(headerOf(req, 'x-request-id'), headerOf(req, 'traceparent'));
  res.setHeader('X-Request-Id', request.requestId);
  if (options.isShuttingDown()) res.setHeader('Connection', 'close');
  try {
    const body = await readBody(req, res);
    const apiRequest: ApiRequest = { method: req.method!, header: (name) => headerOf(req, name), params, query, body };
    const answer = await route.handler(apiRequest, res, request);
    if (answer.status === 304) {
      // Not modified: the caller's copy (its If-None-Match) is this answer; no body (RFC 9110 §15.4.5).
      res.statusCode = 304;
      res.end();
    } else endWithJson(res, answer.status, 'application/json', answer.text ?? JSON.stringify(answer.body));
  } catch (error) {
    answerWithProblem(options.logger, req, res, route, request, error);
  }
  options.logger.info(
    { requestId: request.requestId, method: req.method, route: route.pattern, status: res.statusCode, durationMs: Math.round((performance.now() - request.startedAt) * 10) / 10 },
    'request',
  );
}

function answerWithProblem(logger: Logger, req: IncomingMessage, res: ServerResponse, route: Route, request: RequestContext, error: unknown): void {
  const problem = toProblemError(error);
  if (problem.code === 'LGSP_INTERNAL') logger.error({ err: error, requestId: request.requestId, method: req.method, route: route.pattern }, 'unexpected error');
  writeProblem(res, problem, request.requestId);
}

/** A header as express's req.header gives it: repeated headers joined (node's rule), absent as undefined. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
