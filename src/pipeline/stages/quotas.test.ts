import type { RateDecision } from '../../rate-limit/rate-limiter.js';
import { activeConsumer, fakeResponse, grantOf, stageContext } from '../test-support/stage-context.js';
import { quotasStage } from './quotas.js';

const decision = (allowed: boolean): RateDecision => ({ allowed, limit: 10, remaining: allowed ? 9 : 0, resetSeconds: 60, degraded: false, ...(allowed ? {} : { retryAfterSeconds: 30 }) });

describe('quotas stage', () => {
  it("charges the grant's quota and shows the RateLimit headers; a spent quota is a 429", async () => {
    const keys: string[] = [];
    let allow = true;
    const stage = quotasStage({ limiter: { consume: async (key) => (keys.push(key), decision(allow)), refund: async () => undefined } });
    const res = fakeResponse();
    const authorization = { consumer: activeConsumer, grant: grantOf({ quota: { limit: 10, windowSeconds: 60 } }) };
    await stage.run(stageContext({ res, authorization }));
    expect(keys).toEqual(['grant:one-stop:test.thing.get']);
    expect([...res.headersSet.keys()].some((name) => name.startsWith('ratelimit'))).toBe(true);
    allow = false;
    await expect(stage.run(stageContext({ res: fakeResponse(), authorization }))).rejects.toMatchObject({ code: 'LGSP_RATE_LIMITED', status: 429 });
  });
});
