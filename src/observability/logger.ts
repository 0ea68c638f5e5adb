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
      // Error objects are serialized without their stack outside debug level:
      // stacks are for developers, not for log shippers.
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination,
  );
}
