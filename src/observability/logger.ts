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
  '*.clientKey',
  '*.credentials',
  '*.masterKeys',
  '*.fingerprintKey',
  '*.entryEncryptionKey',
  '*.keyHashKey',
  '*.subjectHashKey',
  '*.signingKey',
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
    options.destination ?? bufferedStdout(),
  );
}

/**
 * stdout, written in blocks of up to 4 KiB or every 200 ms, whichever comes
 * first: one write per access-log line was one system call per request on
 * the data plane. pino flushes what is buffered when the process exits
 * (also on an uncaught error); a SIGKILL loses at most the last 200 ms.
 */
function bufferedStdout(): DestinationStream {
  return pino.destination({ dest: 1, minLength: 4096, periodicFlush: 200 });
}

/** How deep a cause chain is followed, and how many stack frames each error keeps. */
const maxCauseDepth = 5;
const maxStackFrames = 5;

/**
 * An error as a log shipper should see it: type, message, code/kind/status,
 * the top stack frames, and the same for its cause, and its cause's cause.
 * Without the chain, a bug in a mapping logs only "Internal error".
 *
 * Messages can carry data (a SyntaxError quotes the JSON it choked on, a
 * connector may quote an upstream fault), so each one is scrubbed by
 * scrubMessage; stack frames hold only function names and file positions.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  return serializeLink(error, 0);
}

function serializeLink(error: unknown, depth: number): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubMessage(String(error)) };
  const { code, kind, status, upstreamCode } = error as Error & { code?: unknown; kind?: unknown; status?: unknown; upstreamCode?: unknown };
  const cause = (error as { cause?: unknown }).cause;
  const frames = stackFrames(error);
  return {
    type: error.name,
    message: scrubMessage(error.message),
    ...(isPlain(code) ? { code } : {}),
    ...(isPlain(kind) ? { kind } : {}),
    ...(isPlain(status) ? { status } : {}),
    ...(isPlain(upstreamCode) ? { upstreamCode } : {}),
    ...(frames.length > 0 ? { stack: frames } : {}),
    ...(cause !== undefined ? { cause: depth + 1 < maxCauseDepth ? serializeLink(cause, depth + 1) : { truncated: true } } : {}),
  };
}

function isPlain(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** The `at …` lines of the stack, after its head (which repeats the message, scrubbed separately). */
function stackFrames(error: Error): string[] {
  if (typeof error.stack !== 'string') return [];
  const head = `${error.name}: ${error.message}`;
  const frames = error.stack.startsWith(head) ? error.stack.slice(head.length) : error.stack;
  return frames
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, maxStackFrames);
}

/**
 * What may stay of an error message in a log: quoted text ("…" and `…`,
 * where engines and libraries quote input; '…' when it holds a space, like
 * a name) and runs of 6 or more digits (personal ids are 9 or 12 digits,
 * tax and social-insurance codes 10 or 13) are masked. A single-quoted word
 * stays: V8 quotes property names that way ("Cannot read properties of
 * undefined (reading 'HoVaTen')"), the useful part of a TypeError.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"[redacted]"')
    .replace(/`[^`]*`/g, '`[redacted]`')
    .replace(/'[^']*\s[^']*'/g, "'[redacted]'")
    .replace(/\d{6,}/g, '[redacted]');
}
