/**
 * Local pre-allocation of a steady allowance, so that a busy key does not ask
 * Redis on every request. A replica that sees a key often ("hot": asked again
 * within `hotGapMs`) takes a block of points (the lease) from the shared
 * counter in one script call, and then grants them locally, one per request,
 * until the block runs low; it asks for the next block in the background
 * (`wantsRefill`), so a steadily busy key never waits for Redis.
 *
 * The count in Redis stays the global truth: a lease is taken with the
 * points it holds, only while the window has room for them, so no replica
 * grants past the limit. The price is a bounded error in the other direction:
 * points a replica holds are unavailable to the others, and those left when
 * the window ends expire unused. At most a lease and its refill, so
 * 2 × `points` per replica and key, may be held; with `points` at 1 % of the
 * limit divided by the replicas (`leasePoints`), under 2 % of a window's
 * allowance. A key seen rarely never leases: every request asks Redis, and
 * the count is exact, as without leases.
 */
export interface LeasedPoint {
  /** Points of the steady allowance left, as far as this replica knows: the shared counter at the last ask, plus the lease. */
  remaining: number;
  /** When the window the lease belongs to ends (epoch ms). */
  windowEndsAt: number;
  /** The shared counter at the last ask, minus what the lease still holds: the requests counted so far. */
  consumed: number;
}

/** Redis's answer to an ask for points of one key's steady counter. */
export interface SteadyAnswer {
  /** Points the counter took for the ask (the lease, or 1). */
  points: number;
  /** The counter after the ask. */
  consumed: number;
  msBeforeNext: number;
}

interface KeyLease {
  left: number;
  windowEndsAt: number;
  consumedAfter: number;
  asking: boolean;
  lastSeenAt: number;
}

/** Lease size for a policy: 1 % (by default) of its limit, split between the replicas, at most `maxPoints`; 0 (no lease) below 2 points. */
export function leasePoints(limit: number, replicas: number, percent: number, maxPoints = 64): number {
  const points = Math.min(maxPoints, Math.floor((limit * percent) / 100 / replicas));
  return points >= 2 ? points : 0;
}

export class QuotaLeases {
  private readonly keys = new Map<string, KeyLease>();
  private asksSinceSweep = 0;

  constructor(
    readonly limit: number,
    /** Points per lease (see `leasePoints`); at least 2. */
    readonly points: number,
    /** A key asked again within this many ms is busy enough to lease (default: four times the gap the policy's steady rate leaves between requests); a request served from the lease counts as seen. */
    readonly hotGapMs: number,
  ) {
    if (!(Number.isInteger(points) && points >= 2)) throw new RangeError('quota leases: points must be an integer of at least 2');
  }

  /** A point of this replica's lease for `key`, or undefined (none held, or its window has ended). */
  take(key: string, now: number): LeasedPoint | undefined {
    const lease = this.keys.get(key);
    if (!lease || lease.left <= 0 || now >= lease.windowEndsAt) return undefined;
    lease.left -= 1;
    lease.lastSeenAt = now;
    return { remaining: Math.max(0, this.limit - lease.consumedAfter) + lease.left, windowEndsAt: lease.windowEndsAt, consumed: lease.consumedAfter - lease.left };
  }

  /**
   * How many points the ask for `key` about to go to Redis should take: a
   * lease when the key is hot and no other ask for a lease is under way,
   * otherwise 1. An answer `settle`s it, a failure `abandon`s it.
   */
  wanted(key: string, now: number): number {
    let lease = this.keys.get(key);
    if (!lease) {
      this.sweepNow(now);
      this.keys.set(key, (lease = { left: 0, windowEndsAt: 0, consumedAfter: 0, asking: false, lastSeenAt: now }));
      return 1;
    }
    const hot = now - lease.lastSeenAt < this.hotGapMs;
    lease.lastSeenAt = now;
    if (!hot || lease.asking) return 1;
    lease.asking = true;
    return this.points;
  }

  /** Whether a background ask should top up `key`'s lease now: it is running low and nothing is being asked for it. */
  wantsRefill(key: string): boolean {
    const lease = this.keys.get(key);
    if (!lease || lease.asking || lease.left > this.points / 2) return false;
    lease.asking = true;
    return true;
  }

  /**
   * Records Redis's answer to an ask of `wanted` points; `used` of them go to
   * the request that asked (1; 0 for a background refill) and the rest to
   * the lease. Points of a window that has ended meanwhile are dropped.
   */
  settle(key: string, now: number, wanted: number, answer: SteadyAnswer, used: 0 | 1): void {
    const lease = this.keys.get(key);
    if (!lease) return;
    if (wanted > 1) lease.asking = false;
    if (answer.consumed > this.limit) return;
    // The lease's window has ended: its points went with it, and this answer belongs to the next one.
    if (now >= lease.windowEndsAt) lease.left = 0;
    lease.left += answer.points - used;
    lease.windowEndsAt = now + answer.msBeforeNext;
    lease.consumedAfter = answer.consumed;
  }

  /** An ask of `wanted` points failed: nothing was added, and a later request may ask again. */
  abandon(key: string, wanted: number): void {
    const lease = this.keys.get(key);
    if (lease && wanted > 1) lease.asking = false;
  }

  /** Gives a leased point back to the lease (a request that was not served after all), if its window is still running. */
  giveBack(key: string, windowEndsAt: number, now: number): void {
    const lease = this.keys.get(key);
    // While the point's window runs, no later window can have started: the lease still belongs to it.
    if (lease && now < windowEndsAt && now < lease.windowEndsAt) lease.left += 1;
  }

  /** Keys tracked (for tests and the sweep). */
  get size(): number {
    return this.keys.size;
  }

  /** Forgets keys whose lease window has ended and that nobody asked for lately, so memory follows the busy keys only. */
  private sweepNow(now: number): void {
    this.asksSinceSweep += 1;
    if (this.asksSinceSweep < 1024) return;
    this.asksSinceSweep = 0;
    for (const [key, lease] of this.keys) {
      if (!lease.asking && now >= lease.windowEndsAt && now - lease.lastSeenAt > this.hotGapMs) this.keys.delete(key);
    }
  }
}
