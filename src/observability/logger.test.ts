import { pino, type Logger } from 'pino';
import { compileRedaction, createLogger, parseRedactionPath, redactedPaths, redactLogFields, scrubMessage, serializeError } from './logger.js';

describe('serializeError', () => {
  it('keeps type, code and frames of every error down the cause chain, five errors deep at most', () => {
    let error: Error = new RangeError('bottom');
    for (let i = 0; i < 7; i += 1) error = Object.assign(new Error(`level ${i}`, { cause: error }), { code: `E${i}` });
    const serialized = serializeError(error);
    let link: Record<string, any> = serialized;
    const types: string[] = [];
    while (link.type) {
      types.push(`${link.type}:${link.code}`);
      expect(link.stack.length).toBeGreaterThan(0);
      expect(link.stack.length).toBeLessThanOrEqual(5);
      link = link.cause;
    }
    expect(types).toEqual(['Error:E6', 'Error:E5', 'Error:E4', 'Error:E3', 'Error:E2']);
    expect(link).toEqual({ truncated: true });
  });

  it('scrubs what a message may quote from the input, and a non-Error cause too', () => {
    let parseError: unknown;
    try {
      JSON.parse('{"SoDinhDanh":"001090012345","HoVaTen":"Nguyễn Văn An"');
    } catch (error) {
      parseError = error;
    }
    const serialized = serializeError(new Error('mapping failed', { cause: parseError })) as { cause: { message: string; type: string }; stack: string[] };
    expect(serialized.cause.type).toBe('SyntaxError');
    expect(JSON.stringify(serialized)).not.toMatch(/001090012345|Nguyễn/);
    expect(serializeError(new Error('x', { cause: 'holder 001090012345' }))).toMatchObject({ cause: { message: 'holder [redacted]' } });
  });
});

describe('scrubMessage', () => {
  it.each([
    ["Cannot read properties of undefined (reading 'HoVaTen')", "Cannot read properties of undefined (reading 'HoVaTen')"],
    ['Unexpected token \'N\', "Nguyễn Văn An" is not valid JSON', 'Unexpected token \'N\', "[redacted]" is not valid JSON'],
    ["no record for 'Nguyễn Văn An'", "no record for '[redacted]'"],
    ['lookup of 001090012345 failed', 'lookup of [redacted] failed'],
    ['upstream answered HTTP 503', 'upstream answered HTTP 503'],
    ['template `id=0101234565`', 'template `[redacted]`'],
  ])('%s', (message, scrubbed) => {
    expect(scrubMessage(message)).toBe(scrubbed);
  });
});

describe('log redaction', () => {
  /** pino's own `redact` option over the same paths: the behaviour createLogger keeps. */
  function capture(make: (destination: { write(line: string): void }) => Logger) {
    const lines: Array<Record<string, unknown>> = [];
    const logger = make({ write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines };
  }
  const reference = () =>
    capture((destination) =>
      pino(
        {
          name: 'lgsp-gateway',
          redact: { paths: redactedPaths, censor: '[redacted]' },
          base: { pid: process.pid },
          timestamp: false,
          formatters: { level: (label) => ({ level: label }) },
          serializers: { err: serializeError },
        },
        destination,
      ),
    );
  const ours = () => capture((destination) => createLogger({ destination }));
  const withoutTime = (lines: Array<Record<string, unknown>>) => lines.map(({ time: _time, ...rest }) => rest);

  class Holder {
    secret = 'in an instance';
    visible = 1;
    get name(): string {
      return 'a getter on the prototype';
    }
  }
  // Built once: both loggers must see the same stack.
  const tokenError = Object.assign(new Error('boom'), { token: 't' });
  const plainError = new Error('boom');
  const cases: Array<[string, (logger: Logger) => void]> = [
    ['an access-log line', (l) => l.info({ requestId: 'r-1', method: 'GET', route: '/api/v1/population/citizens/:id', status: 200, durationMs: 1.5 }, 'request')],
    ['top-level keys', (l) => l.info({ password: 'p', secret: 's', token: 't', personalId: '001090012345', subjectId: 'x', fullName: 'Nguyễn Văn An', endUser: 'u', other: 1 }, 'm')],
    ['a top-level key holding an object', (l) => l.warn({ password: { nested: true }, token: ['a'] })],
    [
      'request headers',
      (l) => l.info({ req: { url: '/x', password: 'p', headers: { authorization: 'Bearer x', 'x-end-user': 'u', cookie: 'c', lgspaccesstoken: 't', accept: '*/*' } } }, 'm'),
    ],
    ['headers', (l) => l.info({ headers: { authorization: 'a', lgspaccesstoken: 'b', 'content-type': 'text/xml', cookie: 'stays: not a path' } })],
    ['headers that are not an object', (l) => l.info({ req: { headers: 'raw' }, headers: null })],
    [
      'one level below any key, not deeper',
      (l) =>
        l.info({
          config: { clientSecret: 's', accessKey: 'k', secretKey: 'k2', credentials: { a: 1 }, masterKeys: [1], nested: { password: 'two levels down: kept, as pino does' } },
          citizen: { SoDinhDanh: '001090012345', SoCMND: '123456789', HoVaTen: 'N', name: 'n', personalId: 'p', subjectId: 's', fullName: 'f', endUser: 'e', diaChi: 'kept' },
          keys: { fingerprintKey: 1, entryEncryptionKey: 2, keyHashKey: 3, subjectHashKey: 4, signingKey: 5, clientKey: 6, client_secret: 7 },
          tokens: { accessToken: 1, access_token: 2, refreshToken: 3, token: 4, authorization: 5 },
        }),
    ],
    ['arrays', (l) => l.info({ list: [{ password: 'p' }], tagged: Object.assign([1, 2], { password: 'x' }) })],
    ['undefined, null, functions, dates', (l) => l.info({ password: undefined, token: () => 1, x: { token: undefined, secret: null }, when: new Date(0), nothing: null })],
    ['a class instance', (l) => l.info({ holder: new Holder() })],
    ['an error', (l) => l.error(tokenError)],
    ['an error under err', (l) => l.error({ err: plainError, requestId: 'r' }, 'failed')],
    ['child bindings', (l) => l.child({ component: 'c', credentials: { secret: 1 }, token: 't', connector: { clientSecret: 'x', id: 'p' } }).info({ a: 1 }, 'm')],
    ['a grandchild', (l) => l.child({ component: 'c' }).child({ password: 'p', who: { name: 'n' } }, { level: 'debug' }).debug('m')],
    [
      'setBindings',
      (l) => {
        const child = l.child({ component: 'c' });
        child.setBindings({ endUser: 'e', ctx: { token: 't' } });
        child.info('m');
      },
    ],
    ['format arguments', (l) => l.info('a %o b %j c %s', { password: 'p', req: { headers: { authorization: 'z' } }, x: { secret: 's' } }, { token: 't' }, 'plain')],
    ['an error as a format argument, and in bindings', (l) => l.child({ err: tokenError }).info('x %j', { err: tokenError })],
    ['format arguments after a merging object', (l) => l.info({ a: 1 }, 'm %j', { secret: 's', personalId: '001090012345' })],
    ['tax codes, which may be personal ids', (l) => l.info({ taxCode: '001090012345', input: { taxCode: '048175000456' }, answer: { MA_SO_THUE: '079301005678' } }, 'm')],
  ];
  it.each(cases)('%s: the same line as pino’s own redaction', (_name, write) => {
    const expected = reference();
    const actual = ours();
    write(expected.logger);
    write(actual.logger);
    expect(actual.lines.length).toBeGreaterThan(0);
    expect(withoutTime(actual.lines)).toEqual(withoutTime(expected.lines));
  });

  it('censors tax codes wherever they are a key: a 12-digit one is a personal id', () => {
    const { logger, lines } = ours();
    logger.info({ taxCode: '001090012345', input: { taxCode: '048175000456' }, answer: { MA_SO_THUE: '079301005678' } }, 'm');
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).not.toMatch(/001090012345|048175000456|079301005678/);
    expect(lines[0]).toMatchObject({ taxCode: '[redacted]', input: { taxCode: '[redacted]' }, answer: { MA_SO_THUE: '[redacted]' } });
  });

  it('leaves the logged objects as they were', () => {
    const fields = { password: 'p', req: { headers: { authorization: 'a' } }, config: { clientSecret: 's' } };
    const snapshot = JSON.stringify(fields);
    const { logger, lines } = ours();
    logger.info(fields, 'm');
    expect(JSON.stringify(fields)).toBe(snapshot);
    expect(lines[0]).toMatchObject({ password: '[redacted]', req: { headers: { authorization: '[redacted]' } }, config: { clientSecret: '[redacted]' } });
  });

  it('copies nothing when nothing is redacted', () => {
    const fields = { requestId: 'r', status: 200, nested: { ok: true } };
    expect(redactLogFields(fields)).toBe(fields);
  });

  it('reads the path syntax of redactedPaths, and refuses what it cannot apply', () => {
    expect(parseRedactionPath('req.headers["x-end-user"]')).toEqual(['req', 'headers', 'x-end-user']);
    expect(parseRedactionPath("*.a['b.c']")).toEqual(['*', 'a', 'b.c']);
    for (const path of ['', 'a..b', '.a', 'a.', 'a[b]']) expect(() => parseRedactionPath(path)).toThrow(/cannot read/);
    expect(() => compileRedaction(['a.*.b'])).toThrow(/first segment only/);
    expect(() => compileRedaction(['*'])).toThrow(/every field/);
  });
});
