import { QuotaLeases, leasePoints } from './quota-leases.js';

const answer = (points: number, consumed: number, msBeforeNext = 60_000) => ({ points, consumed, msBeforeNext });

describe('leasePoints', () => {
  it('takes the percentage of the limit split between the replicas, capped, and nothing below 2 points', () => {
    expect(leasePoints(6000, 1, 1)).toBe(60);
    expect(leasePoints(6000, 3, 1)).toBe(20);
    expect(leasePoints(100_000, 1, 1)).toBe(64);
    expect(leasePoints(199, 1, 1)).toBe(0);
    expect(leasePoints(6000, 1, 0)).toBe(0);
  });
});

describe('QuotaLeases', () => {
  const limit = 1000;
  const leases = () => new QuotaLeases(limit, 10, 100);

  it('asks for one point while a key is seen rarely, and for a lease once it is asked again within the hot gap', () => {
    const l = leases();
    expect(l.wanted('k', 0)).toBe(1);
    expect(l.wanted('k', 500)).toBe(1);
    expect(l.wanted('k', 550)).toBe(10);
    // Another ask while the lease is being asked for takes a single point.
    expect(l.wanted('k', 551)).toBe(1);
  });

  it('grants the leased points locally, one per take, and no more than the lease held', () => {
    const l = leases();
    l.wanted('k', 0);
    expect(l.wanted('k', 10)).toBe(10);
    // The request that asked used one point; nine stay.
    l.settle('k', 10, 10, answer(10, 10), 1);
    const taken = Array.from({ length: 10 }, () => l.take('k', 20));
    expect(taken.filter(Boolean)).toHaveLength(9);
    expect(taken[0]).toEqual({ remaining: limit - 10 + 8, windowEndsAt: 60_010, consumed: 2 });
    expect(taken[9]).toBeUndefined();
  });

  it('keeps what Redis granted when the window had less room than the lease', () => {
    const l = leases();
    l.wanted('k', 0);
    l.wanted('k', 1);
    l.settle('k', 1, 10, answer(3, limit), 1);
    expect([l.take('k', 2), l.take('k', 2), l.take('k', 2)].filter(Boolean)).toHaveLength(2);
  });

  it('adds nothing when the counter was already past the limit', () => {
    const l = leases();
    l.wanted('k', 0);
    l.wanted('k', 1);
    l.settle('k', 1, 10, answer(1, limit + 1), 1);
    expect(l.take('k', 2)).toBeUndefined();
    // The ask is over: the next busy request may ask for a lease again.
    expect(l.wanted('k', 3)).toBe(10);
  });

  it('wants a refill once the lease is half spent, once at a time, and adds it to what is left', () => {
    const l = leases();
    l.wanted('k', 0);
    l.wanted('k', 1);
    l.settle('k', 1, 10, answer(10, 10), 1);
    for (let i = 0; i < 3; i += 1) l.take('k', 2);
    expect(l.wantsRefill('k')).toBe(false);
    l.take('k', 2);
    expect(l.wantsRefill('k')).toBe(true);
    expect(l.wantsRefill('k')).toBe(false);
    l.settle('k', 3, 10, answer(10, 20), 0);
    expect(Array.from({ length: 20 }, () => l.take('k', 4)).filter(Boolean)).toHaveLength(15);
  });

  it('drops the points of a window that has ended, and starts the next window from its answer', () => {
    const l = leases();
    l.wanted('k', 0);
    l.wanted('k', 1);
    l.settle('k', 1, 10, answer(10, 10, 1000), 1);
    expect(l.take('k', 990)).toBeDefined();
    expect(l.take('k', 1001)).toBeUndefined();
    expect(l.wanted('k', 1002)).toBe(10);
    l.settle('k', 1003, 10, answer(10, 10, 60_000), 1);
    expect(Array.from({ length: 12 }, () => l.take('k', 1004)).filter(Boolean)).toHaveLength(9);
  });

  it('takes a point given back into the lease only while its window runs', () => {
    const l = leases();
    l.wanted('k', 0);
    l.wanted('k', 1);
    l.settle('k', 1, 10, answer(2, 2, 1000), 1);
    const point = l.take('k', 2)!;
    expect(l.take('k', 3)).toBeUndefined();
    l.giveBack('k', point.windowEndsAt, 4);
    expect(l.take('k', 5)).toBeDefined();
    l.giveBack('k', point.windowEndsAt, 2000);
    expect(l.take('k', 5)).toBeUndefined();
  });

  it('forgets an abandoned ask, so that the next busy request may ask again', () => {
    const l = leases();
    l.wanted('k', 0);
    expect(l.wanted('k', 1)).toBe(10);
    l.abandon('k', 10);
    expect(l.wanted('k', 2)).toBe(10);
  });

  it('forgets keys nobody asked for lately, keeping memory to the busy ones', () => {
    const l = leases();
    for (let i = 0; i < 1100; i += 1) l.wanted(`quiet-${i}`, 0);
    expect(l.size).toBe(1100);
    for (let i = 0; i < 1100; i += 1) l.wanted(`later-${i}`, 10_000);
    expect(l.size).toBeLessThan(1200);
  });
});
