import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import type { Consumer, Grant, RatePolicy } from '../../contracts/types.generated.js';
import { ProblemError } from '../errors/index.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit/rate-limiter.js';
import { sharedRedisUrl } from '../rate-limit/test-support/throwaway-redis.js';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { enforceQuotas } from './enforce-quotas.js';

/**
 * A request refused by one quota must leave no charge on the other: in
 * process, and through the shared Redis (a key prefix of this file's own,
 * removed afterwards).
 */
const filePrefix = `lgsp-test:quotas:${randomBytes(4).toString('hex')}`;
const admin = new Redis(sharedRedisUrl, { lazyConnect: true });
beforeAll(() => admin.connect());
afterAll(async () => {
  const keys = await admin.keys(`${filePrefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describe.each([
  ['in process', () => createRateLimiter({ logger: captureLogger().logger })],
  [
    'through Redis',
    () => createRateLimiter({ redis: { url: sharedRedisUrl, keyPrefix: `${filePrefix}:${randomBytes(4).toString('hex')}`, commandTimeoutMs: 3000 }, logger: captureLogger().logger }),
  ],
])('quotas of consumer and grant (%s)', (_mode, newLimiter) => {
  let limiter: RateLimiter;
  beforeEach(async () => {
    limiter = newLimiter();
    expect(await limiter.ready(5000)).toBe(true);
  });
  afterEach(() => limiter.close());

  const consumer = (rateLimit: RatePolicy): Consumer => ({ id: 'one-stop', clientId: 'one-stop', name: 'One-stop shop', agency: 'District 7', status: 'active', rateLimit });
  const grant = (operation: string, quota?: RatePolicy): Grant => ({
    consumerId: 'one-stop',
    operation,
    purposes: ['P'],
    fields: ['*'],
    ...(quota && { quota }),
  });

  /** One pass through the quota step: served, or the code it was refused with, and the headers it set either way. */
  const call = async (authorization: { consumer: Consumer; grant: Grant }) => {
    const headers: Record<string, string> = {};
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
    try {
      await enforceQuotas(limiter, authorization, res);
      return { outcome: 'served', headers };
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      return { outcome: error.code, headers };
    }
  };
  const callTimes = async (authorization: { consumer: Consumer; grant: Grant }, times: number) => {
    const results = [];
    for (let i = 0; i < times; i += 1) results.push(await call(authorization));
    return results;
  };

  it('requests refused by an exhausted grant quota do not spend the consumer quota', async () => {
    const oneStop = consumer({ limit: 5, windowSeconds: 60 });

    const hammering = await callTimes({ consumer: oneStop, grant: grant('land-parcel', { limit: 2, windowSeconds: 60 }) }, 6);
    expect(hammering.map((result) => result.outcome)).toEqual(['served', 'served', 'LGSP_RATE_LIMITED', 'LGSP_RATE_LIMITED', 'LGSP_RATE_LIMITED', 'LGSP_RATE_LIMITED']);
    // The refusal shows the quota that refused it.
    expect(hammering[2]!.headers).toMatchObject({ 'RateLimit-Limit': '2', 'RateLimit-Remaining': '0' });

    // Another operation, limited by the consumer quota alone: only the 2 served requests and this one count.
    const other = await call({ consumer: oneStop, grant: grant('civil-status') });
    expect(other.outcome).toBe('served');
    expect(other.headers).toMatchObject({ 'RateLimit-Limit': '5', 'RateLimit-Remaining': '2' });
  });

  it('requests refused by an exhausted consumer quota do not spend the grant quota', async () => {
    const landParcel = grant('land-parcel', { limit: 5, windowSeconds: 60 });

    const hammering = await callTimes({ consumer: consumer({ limit: 2, windowSeconds: 60 }), grant: landParcel }, 5);
    expect(hammering.map((result) => result.outcome)).toEqual(['served', 'served', 'LGSP_RATE_LIMITED', 'LGSP_RATE_LIMITED', 'LGSP_RATE_LIMITED']);
    expect(hammering[2]!.headers).toMatchObject({ 'RateLimit-Limit': '2', 'RateLimit-Remaining': '0' });

    // An admin raises the consumer's limit (a changed policy counts afresh): the grant quota is now the tighter one.
    const after = await call({ consumer: consumer({ limit: 100, windowSeconds: 60 }), grant: landParcel });
    expect(after.outcome).toBe('served');
    expect(after.headers).toMatchObject({ 'RateLimit-Limit': '5', 'RateLimit-Remaining': '2' });
  });

  it('gives back a point taken from the burst reserve too', async () => {
    // The consumer's steady allowance is 1; its reserve of 1 serves the second request.
    const oneStop = consumer({ limit: 1, windowSeconds: 60, burst: 1 });
    const landParcel = grant('land-parcel', { limit: 1, windowSeconds: 60 });

    expect((await callTimes({ consumer: oneStop, grant: landParcel }, 3)).map((result) => result.outcome)).toEqual([
      'served',
      'LGSP_RATE_LIMITED',
      'LGSP_RATE_LIMITED',
    ]);

    // The refused requests took the reserve's point and gave it back: it is still there for another operation, once.
    const others = await callTimes({ consumer: oneStop, grant: grant('civil-status') }, 2);
    expect(others.map((result) => result.outcome)).toEqual(['served', 'LGSP_RATE_LIMITED']);
  });

  it('when both quotas refuse, tells the caller the longer wait', async () => {
    const oneStop = consumer({ limit: 1, windowSeconds: 10 });
    const landParcel = grant('land-parcel', { limit: 1, windowSeconds: 60 });
    const [served, refused] = await callTimes({ consumer: oneStop, grant: landParcel }, 2);
    expect(served!.outcome).toBe('served');
    expect(refused!.outcome).toBe('LGSP_RATE_LIMITED');
    // The consumer's window reopens within 10 s, the grant's only after about a minute: a retry before then is refused again.
    expect(Number(refused!.headers['Retry-After'])).toBeGreaterThan(10);
  });

  it('gives back the point one quota took when the other check fails outright', async () => {
    const oneStop = consumer({ limit: 3, windowSeconds: 60 });
    const failingGrantCheck: Pick<RateLimiter, 'consume' | 'refund'> = {
      consume: (key, policy) => (key.startsWith('grant:') ? Promise.reject(new Error('counter unreadable')) : limiter.consume(key, policy)),
      refund: (key, policy, decision) => limiter.refund(key, policy, decision),
    };
    const res = { setHeader: () => undefined } as unknown as Response;
    await expect(enforceQuotas(failingGrantCheck, { consumer: oneStop, grant: grant('land-parcel', { limit: 5, windowSeconds: 60 }) }, res)).rejects.toThrow('counter unreadable');

    const next = await call({ consumer: oneStop, grant: grant('civil-status') });
    expect(next.headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '2' });
  });
});
