import type { Request } from 'express';
import { describeViolations } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';

/** A route's query string, each parameter given once, checked (and coerced) by its ajv validator; fields named `query:<name>` in errors. */
export function validQuery<T>(req: Request, validate: { (data: unknown): data is T; errors?: unknown }): T {
  // A copy: ajv coerces in place, and express's query object is a getter's result.
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  if (Object.values(query).some((value) => typeof value !== 'string')) {
    throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: Object.entries(query).filter(([, value]) => typeof value !== 'string').map(([field]) => ({ field: `query:${field}`, message: 'must be given once' })) });
  }
  if (!validate(query)) {
    const errors = describeViolations(validate.errors as Parameters<typeof describeViolations>[0]).map((error) => ({ ...error, field: `query:${error.field}` }));
    throw new ProblemError('LGSP_VALIDATION_FAILED', { errors });
  }
  return query as T;
}
