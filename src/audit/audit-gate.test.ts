import { createLogger } from '../observability/logger.js';
import { createAuditGate } from './audit-gate.js';

function setUp(options: { freshnessMs?: number } = {}) {
  let now = 1_000;
  let pings = 0;
  let storeUp = true;
  let release: (() => void) | undefined;
  let hold = false;
  const gate = createAuditGate({
    logger: createLogger({ level: 'silent' }),
    now: () => now,
    freshnessMs: options.freshnessMs ?? 1_000,
    pingTimeoutMs: 50,
    retryAfterFailureMs: 250,
    ping: async () => {
      pings += 1;
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      if (!storeUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    },
  });
  return {
    gate,
    advance: (ms: number) => void (now += ms),
    pings: () => pings,
    setStore: (up: boolean) => void (storeUp = up),
    holdPings: () => void (hold = true),
    releasePing: () => release?.(),
  };
}

describe('audit gate', () => {
  it('reuses fresh evidence: after a commit no ping is sent until freshness runs out', async () => {
    const { gate, advance, pings } = setUp();
    gate.recordCommit(true);
    await gate.assertOpen();
    advance(999);
    await gate.assertOpen();
    expect(pings()).toBe(0);
    advance(2);
    await gate.assertOpen();
    expect(pings()).toBe(1);
    expect(gate.state).toBe('open');
  });

  it('a failed commit closes it: the next caller pings, and a dead store refuses without asking again for a while', async () => {
    const { gate, advance, pings, setStore } = setUp();
    gate.recordCommit(true);
    gate.recordCommit(false);
    setStore(false);
    await expect(gate.assertOpen()).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE', status: 503 });
    expect(pings()).toBe(1);
    await expect(gate.assertOpen()).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE' });
    expect(pings()).toBe(1);
    expect(gate.state).toBe('closed');
    advance(300);
    setStore(true);
    await gate.assertOpen();
    expect(pings()).toBe(2);
    expect(gate.state).toBe('open');
  });

  it('callers arriving together share one ping', async () => {
    const { gate, pings, holdPings, releasePing } = setUp();
    holdPings();
    const waiting = [gate.assertOpen(), gate.assertOpen(), gate.assertOpen()];
    await new Promise((resolve) => setImmediate(resolve));
    releasePing();
    await Promise.all(waiting);
    expect(pings()).toBe(1);
  });

  it('a ping that hangs counts as a failure at its timeout', async () => {
    const { gate, holdPings } = setUp();
    holdPings();
    await expect(gate.assertOpen()).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE' });
  });
});
