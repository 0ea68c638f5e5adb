import { fakeRequest, fakeResponse, stageContext } from '../test-support/stage-context.js';
import { deadlineStage } from './deadline.js';

describe('deadline stage', () => {
  it("counts from the request's arrival: Request-Timeout, clamped to the gateway maximum", () => {
    const startedAt = performance.now() - 100;
    const withHeader = stageContext({ req: fakeRequest({ headers: { 'request-timeout': '0.5' } }), request: { requestId: 'r', traceparent: 't', startedAt } });
    deadlineStage({ maxRequestTimeoutMs: 10_000 }).run(withHeader);
    expect(withHeader.deadline?.at).toBeCloseTo(startedAt + 500, 6);
    const tooLong = stageContext({ req: fakeRequest({ headers: { 'request-timeout': '60' } }), request: { requestId: 'r', traceparent: 't', startedAt } });
    deadlineStage({ maxRequestTimeoutMs: 10_000 }).run(tooLong);
    expect(tooLong.deadline?.at).toBeCloseTo(startedAt + 10_000, 6);
  });

  it('refuses a malformed Request-Timeout', () => {
    expect(() => deadlineStage({ maxRequestTimeoutMs: 10_000 }).run(stageContext({ req: fakeRequest({ headers: { 'request-timeout': '-1' } }) }))).toThrow(
      expect.objectContaining({ code: 'LGSP_VALIDATION_FAILED' }),
    );
  });

  it('is cancelled when the caller hangs up before the answer', () => {
    const res = fakeResponse();
    const context = stageContext({ res });
    deadlineStage({ maxRequestTimeoutMs: 10_000 }).run(context);
    expect(context.deadline?.exhausted).toBe(false);
    res.hangUp();
    expect(context.deadline?.cancelled?.aborted).toBe(true);
    expect(context.deadline?.exhausted).toBe(true);
  });
});
