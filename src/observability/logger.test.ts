import { scrubMessage, serializeError } from './logger.js';

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
