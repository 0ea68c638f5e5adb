import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../observability/logger.js';
import { endWithJson } from '../util/json-answer.js';
import { ProblemError } from './problem-error.js';

/**
 * The problem's `instance`: this occurrence, named by its request id, never
 * by the URL. Paths and query strings carry personal ids
 * (/citizens/{personalId}, ?personalId=), and callers log error bodies.
 */
export function problemInstance(requestId: string | undefined): string | undefined {
  return requestId ? `urn:lgsp:request:${requestId}` : undefined;
}

/**
 * The last express handler: everything that went wrong leaves as
 * application/problem+json with a stable code. Unknown errors are logged
 * (with their cause chain, see serializeError) and answered as LGSP_INTERNAL
 * without any of it, so internals never reach the caller.
 */
export function problemResponder(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const problem = toProblemError(error);
    const requestId = res.getHeader('X-Request-Id')?.toString();
    if (problem.code === 'LGSP_INTERNAL') {
      logger.error({ err: error, requestId, method: req.method, route: req.route?.path }, 'unexpected error');
    }
    writeProblem(res, problem, requestId);
  };
}

/**
 * The problem as the answer, with its own headers (Retry-After...). An
 * answer already under way cannot become a problem: the connection is cut,
 * so the caller sees a broken answer rather than a wrong one.
 */
export function writeProblem(res: ServerResponse, problem: ProblemError, requestId: string | undefined): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(problem.options.headers ?? {})) res.setHeader(name, value);
  endWithJson(res, problem.status, 'application/problem+json', JSON.stringify(problem.toProblem(requestId, problemInstance(requestId))));
}

/** body-parser and express raise plain errors with a `type`; give each its stable code. */
export function toProblemError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === 'entity.too.large') return new ProblemError('LGSP_BODY_TOO_LARGE');
  if (type === 'entity.parse.failed') return new ProblemError('LGSP_BODY_MALFORMED');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ProblemError('LGSP_UNSUPPORTED_MEDIA_TYPE');
  if (status === 400) return new ProblemError('LGSP_BODY_MALFORMED');
  return new ProblemError('LGSP_INTERNAL', { cause: error });
}

export function notFoundResponder(req: Request, _res: Response, next: NextFunction): void {
  // The method only: the path may hold a personal id.
  next(new ProblemError('LGSP_NOT_FOUND', { detail: `no route for ${req.method} on this path` }));
}
