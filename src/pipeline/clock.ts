/**
 * The pipeline's one clock. Durations and deadlines are measured on the
 * monotonic clock (performance.now(): never jumps when NTP steps the wall
 * clock); wall time is read only for what is written down (grant validity,
 * audit timestamps). Every stage takes it from the pipeline's dependencies,
 * so a test can hold time still.
 */
export interface Clock {
  /** Monotonic milliseconds, the time base of RequestContext.startedAt, Deadline.at and InvocationContext.deadline. */
  monotonicMs(): number;
  /** Wall-clock time. */
  now(): Date;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  now: () => new Date(),
};
