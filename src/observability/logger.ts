import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values are personal data or secrets. Redaction is by key so it
 * holds wherever such an object is logged; code must still never put a
 * personal id into a message string (tests grep the logs for that).
 */
export const redactedPaths: string[] = [
  'req.headers.authorization',
  'req.headers["x-end-user"]',
  'req.headers.cookie',
  'req.headers.lgspaccesstoken',
  'headers.authorization',
  'headers.lgspaccesstoken',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.accessKey',
  '*.secretKey',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.personalId',
  '*.subjectId',
  '*.fullName',
  '*.name',
  '*.endUser',
  '*.SoDinhDanh',
  '*.SoCMND',
  '*.HoVaTen',
  'password',
  'secret',
  'token',
  'personalId',
  'subjectId',
  'fullName',
  'endUser',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; tests pass a capture stream. Defaults to stdout. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'lgsp-gateway',
      level: options.level ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError },
    },
    options.destination,
  );
}

/**
 * Errors are logged by type, message and code only: stacks belong in a
 * debugger, not in log shippers, and causes may carry upstream payloads.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, kind, status } = error as Error & { code?: unknown; kind?: unknown; status?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}
