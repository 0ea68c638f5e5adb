export interface SafeDbError {
  name: string;
  message: string;
  /** SQLSTATE, e.g. `42P01`, when the error came from the server. */
  code?: string;
}

/**
 * The parts of a database error that are safe to log or to attach as a
 * cause. PostgreSQL puts the offending row into `detail` ("Failing row
 * contains (...)") and quotes the bad input in data-exception messages
 * (SQLSTATE class 22: `invalid input syntax for type integer: "..."`); both
 * may hold personal data, so `detail` is dropped and class-22 messages are
 * replaced by a neutral one. Other messages name columns and constraints,
 * not values.
 */
export function safeDbError(err: unknown): SafeDbError {
  if (!(err instanceof Error)) return { name: 'Error', message: 'non-Error value thrown by the database driver' };
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return { name: err.name, message: err.message };
  const message = code.startsWith('22') ? `data exception (SQLSTATE ${code})` : err.message;
  return { name: err.name, message, code };
}
