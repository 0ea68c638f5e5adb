import request from 'supertest';
import type { FaultController } from '../../simulators/kit/fault-injection.js';
import { personalDataHeaders, type Harness } from './embedded-harness.js';

/**
 * The acceptance every connector's breaker test makes: with a small window,
 * repeated failures of this upstream open its breaker (a fast 503 naming it),
 * while another connector's stays closed and keeps answering.
 */

/** A connector's config section with a breaker that opens after a few failures, and no retries to blur the count. */
export function tightBreakerSection(timeoutMs: number): Record<string, unknown> {
  return { resilience: { timeoutMs, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, rollingWindowMs: 10_000 }, retry: { maxAttempts: 1 } } };
}

/**
 * Upstream failures (HTTP 500) until the breaker opens (at least the
 * window's volume of three; whether a login that failed too counts depends
 * on the connector's auth), then a hanging upstream: the next call must not
 * wait for it but be refused at once. The population connector, on
 * its own breaker, still answers. Clears the fault at the end.
 */
export async function expectBreakerOpensAlone(options: { harness: Harness; token: string; connector: string; faults: FaultController; call(): Promise<request.Response> }): Promise<void> {
  const { harness, token, connector, faults, call } = options;
  faults.set({ kind: 'http-500' });
  // Upstream failures (502 each) until the breaker opens: the window's volume (3) at the least, and a few at most.
  let failures = 0;
  while (harness.stack.gateway.breakers.state(connector) !== 'open' && failures < 5) {
    expect((await call()).status).toBe(502);
    failures += 1;
  }
  expect(failures).toBeGreaterThanOrEqual(3);
  faults.set({ kind: 'hang' });
  const response = await call();
  expect(response.status).toBe(503);
  expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_UNAVAILABLE', connector });
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(harness.stack.gateway.breakers.state(connector)).toBe('open');

  expect(harness.stack.gateway.breakers.state('population')).toBe('closed');
  const citizen = await request(harness.url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(token));
  expect(citizen.status).toBe(200);
  faults.clear();
}
