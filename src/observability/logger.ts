import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values are personal data or secrets. Redaction is by key so it
 * holds wherever such an object is logged; code must still never put a
 * personal id into a message string (tests grep the logs for that).
 *
 * Syntax as pino's `redact.paths`: `a.b`, `a["x-y"]`, and `*` as the first
 * segment (any top-level key). compileRedaction reads this list once.
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
  // A tax code may be a personal id (an individual's, since July 2025).
  '*.taxCode',
  '*.MA_SO_THUE',
  '*.nycSoGiayTo',
  '*.nycHoTen',
  // Postal delivery (results by post): the recipient as we take it and as VNPost spells it.
  '*.recipient',
  '*.ReceiverName',
  '*.ReceiverTel',
  '*.ReceiverAddress',
  '*.ReceiverEmail',
  // The civil-status database's key by personal id (connectors/civil-status).
  '*.soDinhDanh',
  'password',
  'secret',
  'token',
  'personalId',
  'subjectId',
  'fullName',
  'endUser',
  'taxCode',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; tests pass a capture stream. Defaults to stdout. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      name: options.name ?? 'lgsp-gateway',
      level: options.level ?? 'info',
      // Redaction of redactedPaths, the same output as pino's own `redact` option
      // (logger.test.ts compares the two), applied where pino's is: the merging
      // object, bindings, and the objects of a format string (%o, %j). pino's
      // redactor parses all 40 paths again for every value of every line:
      // ≈ 27 µs and 55 KB of garbage per access-log line; this one allocates
      // only when something is redacted.
      formatters: { level: (label) => ({ level: label }), bindings: redactLogFields, log: redactLogFields },
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactLogArguments(args) as Parameters<typeof method>);
        },
      },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // pino redacts what a serializer returned, not what it was given.
      serializers: { err: (error: unknown) => redactBelow(serializeError(error), compiled.top.below.get('err') ?? compiled.anyKey) },
    },
    options.destination ?? bufferedStdout(),
  );
  return withRedactedChildBindings(logger);
}

/** The text a redacted value is replaced with. */
const censor = '[redacted]';

/** One level of redactedPaths: keys whose value is censored, and keys to look below. */
interface RedactionNode {
  censored: ReadonlySet<string>;
  below: ReadonlyMap<string, RedactionNode>;
}

interface CompiledRedaction {
  /** Applied to the value of a top-level key that has no node of its own (`*.key` paths). */
  anyKey: RedactionNode;
  /** Top-level keys whose value is censored, and those with paths of their own (`*.key` paths merged in). */
  top: RedactionNode;
}

/** Splits a path like pino does: dots, and ["…"] / ['…'] for keys that are not identifiers. */
export function parseRedactionPath(path: string): string[] {
  const parts: string[] = [];
  const pattern = /([^.[\]]+)|\[(?:"([^"]*)"|'([^']*)')\]/gy;
  let position = 0;
  while (position < path.length) {
    if (path[position] === '.' && position > 0) position += 1;
    pattern.lastIndex = position;
    const match = pattern.exec(path);
    if (!match) throw new Error(`redactedPaths: cannot read ${JSON.stringify(path)}`);
    parts.push(match[1] ?? match[2] ?? match[3]!);
    position = pattern.lastIndex;
  }
  if (parts.length === 0 || path.endsWith('.')) throw new Error(`redactedPaths: cannot read ${JSON.stringify(path)}`);
  return parts;
}

export function compileRedaction(paths: readonly string[]): CompiledRedaction {
  interface Building {
    censored: Set<string>;
    below: Map<string, Building>;
  }
  const node = (): Building => ({ censored: new Set(), below: new Map() });
  const add = (at: Building, parts: string[]) => {
    const [head, ...rest] = parts as [string, ...string[]];
    if (head === '*') throw new Error('redactedPaths: `*` is supported as the first segment only');
    if (rest.length === 0) at.censored.add(head);
    else {
      if (!at.below.has(head)) at.below.set(head, node());
      add(at.below.get(head)!, rest);
    }
  };
  const anyKey = node();
  const literal = node();
  for (const path of paths) {
    const parts = parseRedactionPath(path);
    if (parts[0] === '*') {
      if (parts.length < 2) throw new Error('redactedPaths: `*` alone would censor every field');
      add(anyKey, parts.slice(1));
    } else add(literal, parts);
  }
  // A top-level key with paths of its own gets the `*.…` paths too (pino's shape does the same).
  const merge = (a: Building, b: Building): Building => {
    const merged: Building = { censored: new Set([...a.censored, ...b.censored]), below: new Map() };
    for (const key of new Set([...a.below.keys(), ...b.below.keys()])) {
      const left = a.below.get(key);
      const right = b.below.get(key);
      merged.below.set(key, left && right ? merge(left, right) : (left ?? right)!);
    }
    return merged;
  };
  const top: Building = { censored: literal.censored, below: new Map() };
  for (const [key, below] of literal.below) top.below.set(key, merge(below, anyKey));
  return { anyKey, top };
}

const compiled = compileRedaction(redactedPaths);

/** The own enumerable properties are what pino's copy keeps and JSON.stringify writes. */
const ownEnumerable = (value: object, key: string) => Object.prototype.propertyIsEnumerable.call(value, key);

/**
 * `value` with the node's keys censored, copy-on-write: the caller's object
 * is never changed, and nothing is copied when nothing matches. The copy is
 * pino's (same prototype, own enumerable properties). Arrays are left as
 * they are: none of the paths names an index.
 */
function redactBelow(value: object, node: RedactionNode): object {
  if (Array.isArray(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  const writable = () => {
    if (copy) return copy;
    copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    for (const key in source) if (Object.prototype.hasOwnProperty.call(source, key)) copy[key] = source[key];
    return copy;
  };
  for (const key of node.censored) if (ownEnumerable(value, key)) writable()[key] = censor;
  for (const [key, below] of node.below) {
    if (node.censored.has(key) || !ownEnumerable(value, key)) continue;
    const inner = source[key];
    if (typeof inner !== 'object' || inner === null) continue;
    const redacted = redactBelow(inner, below);
    if (redacted !== inner) writable()[key] = redacted;
  }
  return copy ?? value;
}

/**
 * The fields of one log line (merging object, bindings), as pino's redaction
 * leaves them: a censored top-level key, or the paths below a key. Keys pino
 * skips (undefined and function values) are left alone.
 */
export function redactLogFields<T extends object>(fields: T): T {
  return redactFields(fields, serializedKeys);
}

/** Keys with a serializer (createLogger's `serializers`): redacted there, after serializing. */
const serializedKeys: ReadonlySet<string> = new Set(['err']);

function redactFields<T extends object>(fields: T, skip: ReadonlySet<string>): T {
  let copy: Record<string, unknown> | undefined;
  const source = fields as Record<string, unknown>;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key) || skip.has(key)) continue;
    const value = source[key];
    if (value === undefined || typeof value === 'function') continue;
    let redacted: unknown = value;
    if (compiled.top.censored.has(key)) redacted = censor;
    else if (typeof value === 'object' && value !== null) redacted = redactBelow(value, compiled.top.below.get(key) ?? compiled.anyKey);
    if (redacted !== value) {
      copy ??= { ...source };
      copy[key] = redacted;
    }
  }
  return (copy ?? fields) as T;
}

const noKeys: ReadonlySet<string> = new Set();

/**
 * A log call's other objects: a message given as an object (pino redacts it
 * like the value of a key), and the arguments of a format string (%o, %j:
 * pino stringifies each with every path, from the argument itself).
 */
function redactLogArguments(args: unknown[]): unknown[] {
  const formatFrom = typeof args[0] === 'object' && args[0] !== null ? 2 : 1;
  if (args.length <= formatFrom && !(formatFrom === 2 && typeof args[1] === 'object' && args[1] !== null)) return args;
  return args.map((argument, index) => {
    if (typeof argument !== 'object' || argument === null || index === 0) return argument;
    if (index === 1 && formatFrom === 2) return redactBelow(argument, compiled.anyKey);
    // A format argument is stringified as it is, serializers unapplied.
    return redactFields(argument, noKeys);
  });
}

/**
 * pino computes a child's bindings with a formatter of its own, not the
 * `formatters.bindings` given here: `child` and `setBindings` redact them
 * first. Children inherit both methods from this logger.
 */
function withRedactedChildBindings(logger: Logger): Logger {
  const child = logger.child as unknown as (this: Logger, bindings: Record<string, unknown>, options?: unknown) => Logger;
  const setBindings = logger.setBindings;
  Object.assign(logger, {
    child(this: Logger, bindings: Record<string, unknown>, childOptions?: unknown) {
      return child.call(this, redactLogFields(bindings), childOptions);
    },
    setBindings(this: Logger, bindings: Record<string, unknown>) {
      setBindings.call(this, redactLogFields(bindings));
    },
  });
  return logger;
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
