import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError } from '../../upstream-errors.js';
import type { UpstreamAuth } from '../upstream-auth.js';

/**
 * The deadline rules every upstream auth scheme must keep while its login
 * endpoint is slow (`loginDelayMs`), checked against a real endpoint whose
 * logins the caller counts: a caller leaves at its own deadline with a
 * `timeout` UpstreamError, a caller without deadline gets the token of the
 * same single login, and a login every caller gave up on is still kept.
 */
export const loginDeadlineTiming = { loginDelayMs: 800, callerDeadlineMs: 150, slackMs: 250 } as const;

export async function expectCallerLeavesWhileLoginGoesOn(auth: UpstreamAuth, logins: () => number): Promise<void> {
  const { loginDelayMs, callerDeadlineMs, slackMs } = loginDeadlineTiming;
  const before = logins();
  const started = performance.now();
  const impatient = auth.headers(AbortSignal.timeout(callerDeadlineMs)).then(
    () => ({ error: undefined, ms: performance.now() - started }),
    (error: unknown) => ({ error, ms: performance.now() - started }),
  );
  const patient = auth.headers();

  const left = await impatient;
  expect(left.error).toBeInstanceOf(UpstreamError);
  expect((left.error as UpstreamError).kind).toBe('timeout');
  expect(left.ms).toBeGreaterThanOrEqual(callerDeadlineMs - 5);
  expect(left.ms).toBeLessThan(callerDeadlineMs + slackMs);

  const headers = await patient;
  expect(performance.now() - started).toBeGreaterThanOrEqual(loginDelayMs - 5);
  expect(Object.keys(headers).length).toBeGreaterThan(0);
  expect(logins() - before).toBe(1);
}

export async function expectAbandonedLoginKept(auth: UpstreamAuth, logins: () => number): Promise<void> {
  const { loginDelayMs, callerDeadlineMs, slackMs } = loginDeadlineTiming;
  const before = logins();
  await expect(auth.headers(AbortSignal.timeout(callerDeadlineMs))).rejects.toMatchObject({ kind: 'timeout' });
  // Nobody waits any more; the login finishes anyway.
  await sleep(loginDelayMs + slackMs);
  const started = performance.now();
  const headers = await auth.headers(AbortSignal.timeout(callerDeadlineMs));
  expect(performance.now() - started).toBeLessThan(callerDeadlineMs);
  expect(Object.keys(headers).length).toBeGreaterThan(0);
  expect(logins() - before).toBe(1);
}
