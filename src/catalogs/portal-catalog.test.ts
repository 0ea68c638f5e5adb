import { PortalCatalog } from './portal-catalog.js';

interface Clock {
  now: number;
}

function catalog(fetch: () => Promise<{ items: string[]; ageSeconds: number }>, clock: Clock, snapshot?: { items: string[]; asOf: string }) {
  const warnings: unknown[] = [];
  const portal = new PortalCatalog<string>({
    name: 'agencies',
    fetch,
    ...(snapshot && { snapshot }),
    refreshIntervalMs: 60_000,
    retryAfterFailureMs: 10_000,
    logger: { warn: (fields: unknown) => void warnings.push(fields) },
    now: () => clock.now,
  });
  return { portal, warnings };
}

const t0 = Date.parse('2026-12-01T00:00:00Z');

type Answer = { items: string[]; ageSeconds: number } | Error;

/** A portal that gives these answers in turn (the last one again and again), counting the calls. */
function scriptedPortal(...answers: Answer[]) {
  const fetch = Object.assign(
    async () => {
      const answer = answers[Math.min(fetch.calls, answers.length - 1)]!;
      fetch.calls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    { calls: 0 },
  );
  return fetch;
}

describe('PortalCatalog', () => {
  it('answers the portal\'s list, dated by its age in the cache, and asks again only after the refresh interval', async () => {
    const clock = { now: t0 };
    const fetch = scriptedPortal({ items: ['a'], ageSeconds: 30 });
    const { portal } = catalog(fetch, clock);
    expect(await portal.read()).toEqual({ items: ['a'], source: { kind: 'portal', asOf: '2026-11-30T23:59:30.000Z' } });
    clock.now += 59_000;
    await portal.read();
    expect(fetch.calls).toBe(1);
    clock.now += 2_000;
    await portal.read();
    expect(fetch.calls).toBe(2);
  });

  it('asks once for callers arriving together', async () => {
    let resolve!: (value: { items: string[]; ageSeconds: number }) => void;
    let calls = 0;
    const fetch = () => {
      calls += 1;
      return new Promise<{ items: string[]; ageSeconds: number }>((r) => (resolve = r));
    };
    const { portal } = catalog(fetch, { now: t0 });
    const both = Promise.all([portal.read(), portal.read()]);
    resolve({ items: ['a'], ageSeconds: 0 });
    expect((await both).map((copy) => copy.items)).toEqual([['a'], ['a']]);
    expect(calls).toBe(1);
  });

  it('answers the last good copy while the portal fails, and waits before asking a failing portal again', async () => {
    const clock = { now: t0 };
    const fetch = scriptedPortal({ items: ['a'], ageSeconds: 0 }, new Error('portal down'));
    const { portal, warnings } = catalog(fetch, clock, { items: ['snapshot'], asOf: '2026-01-01T00:00:00.000Z' });
    await portal.read();
    clock.now += 61_000;
    expect(await portal.read()).toEqual({ items: ['a'], source: { kind: 'last-good-copy', asOf: new Date(t0).toISOString() } });
    expect(warnings).toEqual([{ catalog: 'agencies', error: 'Error', answeredFrom: 'last-good-copy' }]);
    clock.now += 5_000;
    await portal.read();
    expect(fetch.calls).toBe(2);
    clock.now += 6_000;
    await portal.read();
    expect(fetch.calls).toBe(3);
  });

  it('answers the snapshot when the portal has not answered since start, and the portal\'s list once it does', async () => {
    const clock = { now: t0 };
    const fetch = scriptedPortal(new Error('portal down'), { items: ['a'], ageSeconds: 0 });
    const { portal } = catalog(fetch, clock, { items: ['snapshot'], asOf: '2026-01-01T00:00:00.000Z' });
    expect(await portal.read()).toEqual({ items: ['snapshot'], source: { kind: 'snapshot', asOf: '2026-01-01T00:00:00.000Z' } });
    clock.now += 10_000;
    expect((await portal.read()).source.kind).toBe('portal');
  });

  it('passes the portal\'s failure on when it has nothing else to answer', async () => {
    const failure = new Error('portal down');
    const { portal } = catalog(() => Promise.reject(failure), { now: t0 });
    await expect(portal.read()).rejects.toBe(failure);
  });
});
