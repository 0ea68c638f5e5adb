import { fakeRequest, stageContext } from '../test-support/stage-context.js';
import { idempotencyKeyStage } from './idempotency-key.js';

describe('idempotency-key stage', () => {
  const run = (headers: Record<string, string>, options: { required?: boolean } = {}) => {
    const context = stageContext({ req: fakeRequest({ headers }) });
    idempotencyKeyStage(options).run(context);
    return context.idempotencyKey;
  };

  it('takes the caller’s Idempotency-Key when it sent one', () => {
    expect(run({ 'idempotency-key': ' 000.00.01.H22-250715-0001-v1 ' })).toBe('000.00.01.H22-250715-0001-v1');
    expect(run({})).toBeUndefined();
  });

  it('refuses a key that could not be stored or logged safely', () => {
    expect(() => run({ 'idempotency-key': 'a key with spaces' })).toThrow(expect.objectContaining({ code: 'LGSP_VALIDATION_FAILED' }));
    expect(() => run({ 'idempotency-key': 'x'.repeat(129) })).toThrow(expect.objectContaining({ code: 'LGSP_VALIDATION_FAILED' }));
  });

  it('requires one where the operation says so (a payment), naming the header', () => {
    expect(run({ 'idempotency-key': 'pay-1' }, { required: true })).toBe('pay-1');
    for (const headers of [{}, { 'idempotency-key': '  ' }] as Array<Record<string, string>>) {
      let caught: unknown;
      try {
        run(headers, { required: true });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', status: 400, options: { errors: [{ field: 'header:Idempotency-Key' }] } });
    }
  });
});
