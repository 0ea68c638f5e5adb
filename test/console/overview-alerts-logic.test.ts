import { connectorStatus } from '../../src/console/web/pages/overview/connector-status.js';
import type { ConnectorHealth } from '../../src/console/web/pages/overview/connector-model.js';
import { fromProvinceInput, toProvinceInput } from '../../src/console/web/pages/alerts/province-time.js';

/** The pure parts of the overview and alerts pages (the browser test covers the rest). */

const healthy: ConnectorHealth = {
  connector: 'population',
  title: 'National population database',
  availability: 'available',
  breaker: 'closed',
  probe: { status: 'ok', checkedAt: '2026-01-01T00:00:00.000Z', latencyMs: 12, consecutiveFailures: 0 },
  recentErrorRate: null,
  recentCalls: 0,
  recentWindowMs: 10_000,
  traffic: { at: '2026-01-01T00:00:00.000Z', requests: 0, errors: 0, requestsPerMinute: 0, errorRate: null, p95Ms: null },
};
const traffic = (requests: number, errors: number) => ({ at: '2026-01-01T00:00:00.000Z', requests, errors, requestsPerMinute: requests * 6, errorRate: requests ? errors / requests : null, p95Ms: 100 });

describe('connector status on the overview tiles', () => {
  it('healthy when nothing says otherwise (also before the first traffic window or probe)', () => {
    expect(connectorStatus(healthy)).toEqual({ status: 'healthy', tone: 'ok', reasons: [] });
    expect(connectorStatus({ ...healthy, traffic: null, probe: { status: 'pending', consecutiveFailures: 0 } }).status).toBe('healthy');
  });

  it("an administrator's setting comes first: disabled, maintenance", () => {
    const broken = { ...healthy, breaker: 'open' as const, probe: { status: 'failed' as const, consecutiveFailures: 9 } };
    expect(connectorStatus({ ...broken, availability: 'disabled' })).toEqual({ status: 'disabled', tone: 'off', reasons: [] });
    expect(connectorStatus({ ...broken, availability: 'maintenance' })).toEqual({ status: 'maintenance', tone: 'off', reasons: [] });
  });

  it('an open breaker is its own state, with the failing probe as the reason', () => {
    expect(connectorStatus({ ...healthy, breaker: 'open', probe: { status: 'failed', error: 'HTTP 500 from the upstream', consecutiveFailures: 3 } })).toEqual({
      status: 'breaker-open',
      tone: 'bad',
      reasons: [{ kind: 'probe-failed', failures: 3, error: 'HTTP 500 from the upstream' }],
    });
  });

  it('degraded on a failing probe, a half-open breaker, or an error rate of 10 % or more over enough calls', () => {
    expect(connectorStatus({ ...healthy, probe: { status: 'failed', consecutiveFailures: 1 } })).toMatchObject({ status: 'degraded', tone: 'warn' });
    expect(connectorStatus({ ...healthy, breaker: 'half-open' })).toMatchObject({ status: 'degraded', reasons: [{ kind: 'half-open' }] });
    expect(connectorStatus({ ...healthy, traffic: traffic(20, 2) })).toMatchObject({ status: 'degraded', reasons: [{ kind: 'error-rate', rate: 0.1 }] });
    expect(connectorStatus({ ...healthy, traffic: traffic(20, 1) }).status).toBe('healthy');
    // Four calls, all failed: too few to judge a rate (the probe and the breaker speak for such a connector).
    expect(connectorStatus({ ...healthy, traffic: traffic(4, 4) }).status).toBe('healthy');
  });

  it("the breaker's rolling window counts when the newest traffic window has too few calls", () => {
    expect(connectorStatus({ ...healthy, traffic: null, recentCalls: 10, recentErrorRate: 0.5 })).toMatchObject({ status: 'degraded', reasons: [{ kind: 'error-rate', rate: 0.5 }] });
    expect(connectorStatus({ ...healthy, traffic: traffic(10, 0), recentCalls: 10, recentErrorRate: 0.5 }).status).toBe('healthy');
  });
});

describe('date-time inputs in province time (UTC+7, whatever the PC is set to)', () => {
  it('writes and reads a datetime-local value at +07:00', () => {
    expect(toProvinceInput(new Date('2026-03-01T17:30:45.000Z'))).toBe('2026-03-02T00:30');
    expect(fromProvinceInput('2026-03-02T00:30')?.toISOString()).toBe('2026-03-01T17:30:00.000Z');
    expect(fromProvinceInput('2026-03-02T00:30:15')?.toISOString()).toBe('2026-03-01T17:30:15.000Z');
  });

  it('refuses what is not a datetime-local value', () => {
    for (const value of ['', '2026-03-02', 'tomorrow', '2026-13-02T00:30', '2026-03-02T00:30Z']) expect(fromProvinceInput(value)).toBeUndefined();
  });
});
