import { ProblemError } from '../errors/problem-error.js';

/**
 * A database error reduced to what is safe to log or to attach as a cause.
 * PostgreSQL puts the offending row into `detail` ("Failing row contains
 * (...)") and quotes the bad input in data-exception messages (SQLSTATE
 * class 22: `invalid input syntax for type integer: "..."`); both may hold
 * personal data, so `detail` and the other server fields are dropped and
 * class-22 messages are replaced by a neutral one. Other messages name
 * columns and constraints, not values.
 */
export class SafeDbError extends Error {
  /** SQLSTATE (e.g. `42P01`) or a Node.js error code (e.g. `ECONNREFUSED`), when there was one. */
  readonly code: string | undefined;

  constructor(original: unknown) {
    const code = original instanceof Error ? (original as { code?: unknown }).code : undefined;
    const safeCode = typeof code === 'string' ? code : undefined;
    let message: string;
    if (!(original instanceof Error)) message = 'non-Error value thrown by the database driver';
    else if (safeCode?.startsWith('22') && safeCode.length === 5) message = `data exception (SQLSTATE ${safeCode})`;
    else message = original.message;
    super(message);
    this.name = original instanceof Error ? original.name : 'Error';
    this.code = safeCode;
    // Keep where it happened, not what the server said about the row.
    const frames = original instanceof Error ? original.stack?.split('\n').slice(1).join('\n') : undefined;
    this.stack = frames ? `${this.name}: ${message}\n${frames}` : `${this.name}: ${message}`;
  }
}

export function safeDbError(err: unknown): SafeDbError {
  return err instanceof SafeDbError ? err : new SafeDbError(err);
}

/**
 * Runs a store operation, letting problems through (they are the caller's
 * answer) and reducing any other failure to a SafeDbError.
 */
export async function withSafeDbErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw safeDbError(error);
  }
}

