import { jest } from '@jest/globals';
import { eventually } from '../../../test/support/eventually.js';
import { UpstreamError } from '../../connector-kit/upstream-errors.js';
import { createMetrics } from '../../observability/metrics.js';
import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import type { Store } from '../../store/store.js';
import { HealthProber, type ProbeFunction } from '../health-prober.js';
import { probeFingerprintKeyFrom, StoredProbeResults, type ProbeClaim } from '../shared-probe-results.js';

const fingerprintKey = probeFingerprintKeyFrom('a-test-subject-hash-key-of-enough-length');
const ok = { latencyMs: 12 };
const failed = { failure: { kind: 'http' as const, description: 'HTTP 500 from the upstream' }, latencyMs: 30 };

async function openMigrated(target: StoreTarget) {
  const isolated = await target.openIsolated();
  await migrate(isolated.store, migrations);
  return isolated;
}

/** `count` replicas on one database, each through its own handle (pg: its own pool, as separate gateway processes). */
async function replicasOn(target: StoreTarget, count: number, timing: { intervalMs: number; timeoutMs: number } = { intervalMs: 60_000, timeoutMs: 5_000 }) {
  const { store, openAnother } = await openMigrated(target);
  const handles: Store[] = [store];
  while (handles.length < count) handles.push(await openAnother());
  const replicas = handles.map((handle, index) => new StoredProbeResults({ store: handle, replica: `replica-${index + 1}`, fingerprintKey, ...timing }));
  return { store, handles, replicas };
}

const won = (claim: ProbeClaim) => claim.kind === 'probe';

/** The shared probe results (migration 0015) on each store driver: who probes this interval, and what the others report. */
export function describeSharedProbeResultsContract(target: StoreTarget): void {
  afterAll(() => target.dispose());

  describe(`${target.driver} shared probe results`, () => {
    it('among replicas claiming together, exactly one probes; the others wait for its result and then adopt it', async () => {
      const { replicas } = await replicasOn(target, 5);
      const claims = await Promise.all(replicas.map((replica) => replica.claim('land', 'generation-1')));
      expect(claims.filter(won)).toHaveLength(1);
      const winner = replicas[claims.findIndex(won)]!;
      const token = (claims.find(won) as { token: number }).token;
      // Its probe is in flight: nothing to adopt yet, and a short wait before asking again.
      for (const claim of claims.filter((claim) => !won(claim))) {
        expect(claim).toEqual({ kind: 'adopt', nextTurnInMs: expect.any(Number) });
        expect((claim as { nextTurnInMs: number }).nextTurnInMs).toBeLessThan(5_000);
      }

      const published = await winner.publish('land', 'generation-1', token, ok);
      expect(published).toEqual({ status: 'ok', latencyMs: 12, checkedAt: expect.any(String), consecutiveFailures: 0, probedBy: winner.replica });
      // This interval is taken: everyone else adopts the same result, and asks again about when the lease runs out.
      const again = await Promise.all(replicas.filter((replica) => replica !== winner).map((replica) => replica.claim('land', 'generation-1')));
      for (const claim of again) {
        expect(claim).toEqual({ kind: 'adopt', result: published, nextTurnInMs: expect.any(Number) });
        expect((claim as { nextTurnInMs: number }).nextTurnInMs).toBeGreaterThan(50_000);
      }
      // The holder's own next turn may come a hair before its lease ends by the database clock: it keeps the turn.
      expect(await winner.claim('land', 'generation-1')).toEqual({ kind: 'probe', token: token + 1 });
    });

    it('counts consecutive failures across replicas, and an answer resets them', async () => {
      const { store, replicas } = await replicasOn(target, 2);
      const [first, second] = replicas as [StoredProbeResults, StoredProbeResults];
      const claimOf = async (replica: StoredProbeResults) => {
        const claim = await replica.claim('tax', 'g');
        if (claim.kind !== 'probe') throw new Error(`${replica.replica} did not get the claim`);
        return claim.token;
      };
      expect(await first.publish('tax', 'g', await claimOf(first), failed)).toMatchObject({ status: 'failed', errorKind: 'http', error: 'HTTP 500 from the upstream', consecutiveFailures: 1 });
      await store.query('UPDATE upstream_probe_results SET lease_until = now()');
      expect(await second.publish('tax', 'g', await claimOf(second), failed)).toMatchObject({ status: 'failed', consecutiveFailures: 2, probedBy: 'replica-2' });
      await store.query('UPDATE upstream_probe_results SET lease_until = now()');
      const healed = await first.publish('tax', 'g', await claimOf(first), ok);
      expect(healed).toEqual({ status: 'ok', latencyMs: 12, checkedAt: expect.any(String), consecutiveFailures: 0, probedBy: 'replica-1' });
    });

    it('a claim whose holder died is taken over when its lease runs out (probe deadline plus one interval)', async () => {
      const { replicas } = await replicasOn(target, 2, { intervalMs: 150, timeoutMs: 100 });
      const [dying, survivor] = replicas as [StoredProbeResults, StoredProbeResults];
      const claimed = await dying.claim('population', 'g');
      expect(claimed.kind).toBe('probe');
      // The holder never publishes. Until its lease ends the survivor adopts (nothing), then it gets the claim.
      const first = await survivor.claim('population', 'g');
      expect(first).toEqual({ kind: 'adopt', nextTurnInMs: expect.any(Number) });
      const takeover = await eventually(() => survivor.claim('population', 'g'), won, 5_000, 20);
      // The dead holder's token is void: what it might still publish is refused, nothing is written.
      expect(await dying.publish('population', 'g', (claimed as { token: number }).token, failed)).toBeUndefined();
      const published = await survivor.publish('population', 'g', (takeover as { token: number }).token, ok);
      expect(published).toMatchObject({ status: 'ok', probedBy: 'replica-2', consecutiveFailures: 0 });
    });

    it('a result of another fingerprint is never adopted: the replica with the new configuration probes at once', async () => {
      const { replicas } = await replicasOn(target, 3);
      const [old, changed, stillOld] = replicas as [StoredProbeResults, StoredProbeResults, StoredProbeResults];
      const claim = await old.claim('paygov', 'before-the-change');
      await old.publish('paygov', 'before-the-change', (claim as { token: number }).token, failed);

      const fresh = await changed.claim('paygov', 'after-the-change');
      expect(fresh.kind).toBe('probe');
      expect(await stillOld.claim('paygov', 'before-the-change')).toMatchObject({ kind: 'adopt', result: { status: 'failed', probedBy: 'replica-1' } });
      const published = await changed.publish('paygov', 'after-the-change', (fresh as { token: number }).token, ok);
      expect(published).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
      // The replica that moves to the new configuration next adopts the new result, not the old one.
      expect(await stillOld.claim('paygov', 'after-the-change')).toEqual({ kind: 'adopt', result: published, nextTurnInMs: expect.any(Number) });
    });

    it('stores the fingerprint keyed (it digests credentials); a change prunes the rows of configurations nobody has run for a day', async () => {
      const { store, replicas } = await replicasOn(target, 1);
      const [replica] = replicas as [StoredProbeResults];
      const claim = await replica.claim('land', 'raw-generation-digest');
      await replica.publish('land', 'raw-generation-digest', (claim as { token: number }).token, ok);
      const stored = (await store.query<{ fingerprint: string }>('SELECT fingerprint FROM upstream_probe_results')).rows.map((row) => row.fingerprint);
      expect(stored).toHaveLength(1);
      expect(stored[0]).not.toContain('raw-generation-digest');
      const otherKey = new StoredProbeResults({ store, replica: 'other', fingerprintKey: probeFingerprintKeyFrom('another-key-another-key-another-key'), intervalMs: 60_000, timeoutMs: 5_000 });
      // Under another key the same digest is another row: nothing links the two.
      expect((await otherKey.claim('land', 'raw-generation-digest')).kind).toBe('probe');

      // A configuration change (a new row) sweeps the rows nobody has claimed for a day; the ones in use stay.
      await store.query(`UPDATE upstream_probe_results SET lease_until = now() - interval '2 days' WHERE claimed_by = 'other'`);
      expect((await replica.claim('land', 'recent-generation')).kind).toBe('probe');
      const left = await store.query<{ claimed_by: string }>('SELECT claimed_by FROM upstream_probe_results ORDER BY claimed_by');
      expect(left.rows.map((row) => row.claimed_by)).toEqual(['replica-1', 'replica-1']);
    });

    it('does not adopt a result from a time nobody probed this configuration (older than two rounds)', async () => {
      const { store, replicas } = await replicasOn(target, 2, { intervalMs: 1_000, timeoutMs: 500 });
      const [holder, other] = replicas as [StoredProbeResults, StoredProbeResults];
      const claim = await holder.claim('land', 'g');
      await holder.publish('land', 'g', (claim as { token: number }).token, failed);
      // All replicas paused it (maintenance) an hour ago; the holder has just resumed and claimed it again.
      await store.query(`UPDATE upstream_probe_results SET checked_at = now() - interval '1 hour', claimed_at = now(), lease_until = now() + interval '1 minute'`);
      expect(await other.claim('land', 'g')).toEqual({ kind: 'adopt', nextTurnInMs: expect.any(Number) });
    });
  });

  describe(`${target.driver} HealthProber sharing its probes`, () => {
    const intervalMs = 100;
    const timeoutMs = 200;

    /** One upstream that records when each probe started and ended, and whether two ever overlapped. */
    function countingUpstream() {
      const probes: Array<{ start: number; end?: number }> = [];
      let running = 0;
      let mostAtOnce = 0;
      let failing = false;
      const probe: ProbeFunction = async () => {
        const entry: { start: number; end?: number } = { start: Date.now() };
        probes.push(entry);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        entry.end = Date.now();
        if (failing) throw new UpstreamError('http', 'upstream answered HTTP 503', { upstreamCode: '503' });
      };
      return { probe, probes, mostAtOnce: () => mostAtOnce, fail: (value: boolean) => (failing = value) };
    }

    function proberOn(store: Store, replica: string, logger = captureLogger()) {
      const metrics = createMetrics();
      const sharing = new StoredProbeResults({ store, replica, intervalMs, timeoutMs, fingerprintKey });
      const prober = new HealthProber({ targets: [], intervalMs, timeoutMs, metrics, logger: logger.logger, firstProbeDelayMs: 0, sharing });
      return { prober, metrics, logger };
    }

    it('three replicas probe an upstream once per interval between them, never at once, and report the same result', async () => {
      const { handles } = await replicasOn(target, 3);
      const upstream = countingUpstream();
      const replicas = handles.map((handle, index) => proberOn(handle, `replica-${index + 1}`));
      for (const { prober } of replicas) {
        prober.setTarget('land', upstream.probe, 'generation-1');
        prober.start();
      }
      try {
        await eventually(() => upstream.probes.filter((probe) => probe.end !== undefined).length >= 8, Boolean, 20_000);
        // Each probe starts at least one interval after the previous one ended (by the database clock's lease; a
        // little slack for timer rounding). Replicas probing on their own would start some within milliseconds.
        const done = upstream.probes.filter((probe) => probe.end !== undefined);
        for (let index = 1; index < done.length; index += 1) expect(done[index]!.start - done[index - 1]!.end!).toBeGreaterThanOrEqual(intervalMs - 10);
        expect(upstream.mostAtOnce()).toBe(1);

        const reports = await eventually(
          () => replicas.map(({ prober }) => prober.report('land')),
          (all) => all.every((report) => report?.checkedAt !== undefined && report.checkedAt === all[0]!.checkedAt),
          5_000,
          5,
        );
        expect(reports[0]).toEqual({ status: 'ok', latencyMs: expect.any(Number), checkedAt: expect.any(String), consecutiveFailures: 0, probedBy: expect.stringMatching(/^replica-[123]$/) });
        for (const report of reports) expect(report).toEqual(reports[0]);
        // Every replica exposes probe_up; only the ones that ran probes observed their duration.
        let probesObserved = 0;
        let adopted = 0;
        for (const { metrics } of replicas) {
          const text = await metrics.registry.metrics();
          expect(text).toContain('lgsp_upstream_probe_up{connector="land"} 1');
          probesObserved += Number(/lgsp_upstream_probe_duration_seconds_count\{connector="land"\} (\d+)/.exec(text)?.[1] ?? 0);
          adopted += Number(/lgsp_upstream_probe_results_adopted_total (\d+)/.exec(text)?.[1] ?? 0);
        }
        expect(probesObserved).toBeLessThanOrEqual(upstream.probes.length);
        expect(probesObserved).toBeGreaterThanOrEqual(upstream.probes.length - 3);
        expect(adopted).toBeGreaterThan(0);

        // A failure shows on every replica, with the same count of consecutive failures.
        upstream.fail(true);
        const failing = await eventually(
          () => replicas.map(({ prober }) => prober.report('land')),
          (all) => all.every((report) => report?.status === 'failed' && report.checkedAt === all[0]!.checkedAt),
          5_000,
          5,
        );
        for (const report of failing) expect(report).toMatchObject({ status: 'failed', errorKind: 'http', error: 'HTTP 503 from the upstream', consecutiveFailures: failing[0]!.consecutiveFailures });
      } finally {
        for (const { prober } of replicas) prober.stop();
      }
    });

    it('a replica whose configuration changed probes at once; the others adopt that result once they run it too', async () => {
      const { handles } = await replicasOn(target, 2);
      const before = countingUpstream();
      const [changed, follower] = handles.map((handle, index) => proberOn(handle, `replica-${index + 1}`)) as [ReturnType<typeof proberOn>, ReturnType<typeof proberOn>];
      for (const { prober } of [changed, follower]) {
        prober.setTarget('tax', before.probe, 'before');
        prober.start();
      }
      try {
        before.fail(true);
        await eventually(() => follower.prober.report('tax')?.status === 'failed', Boolean, 5_000);
        const after = countingUpstream();
        changed.prober.setTarget('tax', after.probe, 'after');
        expect(changed.prober.report('tax')).toEqual({ status: 'pending', consecutiveFailures: 0 });
        await eventually(() => changed.prober.report('tax')?.status === 'ok', Boolean, 5_000);
        expect(after.probes.length).toBeGreaterThanOrEqual(1);

        follower.prober.setTarget('tax', async () => after.probe(AbortSignal.timeout(1_000)), 'after');
        // Never the old configuration's failure: pending until a result of the new one.
        const seen = new Set<string>();
        await eventually(
          () => follower.prober.report('tax'),
          (report) => (seen.add(report!.status), report?.status === 'ok'),
          5_000,
          5,
        );
        expect([...seen].sort()).toEqual(['ok', 'pending']);
      } finally {
        changed.prober.stop();
        follower.prober.stop();
      }
    });

    it('a replica that stops holding the claim is taken over by another', async () => {
      const { handles } = await replicasOn(target, 2);
      const upstream = countingUpstream();
      const [first, second] = handles.map((handle, index) => proberOn(handle, `replica-${index + 1}`)) as [ReturnType<typeof proberOn>, ReturnType<typeof proberOn>];
      first.prober.setTarget('land', upstream.probe, 'g');
      first.prober.start();
      await eventually(() => first.prober.report('land')?.status === 'ok', Boolean, 5_000);
      second.prober.setTarget('land', upstream.probe, 'g');
      second.prober.start();
      try {
        await eventually(() => second.prober.report('land')?.probedBy === 'replica-1', Boolean, 5_000);
        first.prober.stop();
        await eventually(() => second.prober.report('land')?.probedBy === 'replica-2', Boolean, 5_000);
      } finally {
        first.prober.stop();
        second.prober.stop();
      }
    });

    it('probes on its own while the store does not answer, says so once in the log, and shares again when it answers', async () => {
      const { store, handles } = await replicasOn(target, 2);
      const upstream = countingUpstream();
      const replica = proberOn(handles[1]!, 'replica-2');
      replica.prober.setTarget('population', upstream.probe, 'g');
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      // The table locked by a transaction that does not end: every claim waits, like a store that hangs.
      let locked: () => void = () => undefined;
      const lockHeld = new Promise<void>((resolve) => (locked = resolve));
      const holding = store.transaction(async (tx) => {
        await tx.query('LOCK TABLE upstream_probe_results IN ACCESS EXCLUSIVE MODE');
        locked();
        await released;
      });
      await lockHeld;
      replica.prober.start();
      try {
        await eventually(() => upstream.probes.length >= 3, Boolean, 20_000);
        expect(replica.prober.report('population')).toMatchObject({ status: 'ok', probedBy: 'replica-2' });
        const unshared = replica.logger.messages().filter((message) => message.startsWith('health probe results cannot be shared'));
        expect(unshared).toHaveLength(1);
        release();
        await holding;
        await eventually(() => replica.logger.messages().includes('health probe results shared through the store again'), Boolean, 10_000);
        // Published again: another replica adopts it.
        const other = new StoredProbeResults({ store, replica: 'replica-3', intervalMs, timeoutMs, fingerprintKey });
        const seen = await eventually(() => other.claim('population', 'g'), (claim) => claim.kind === 'adopt' && claim.result?.probedBy === 'replica-2', 5_000, 20);
        expect(seen).toMatchObject({ result: { status: 'ok' } });
      } finally {
        release();
        replica.prober.stop();
      }
    });
  });
}

/**
 * PostgreSQL only: PGlite runs inside the gateway's process, so its now() is
 * that process's clock (faking Date moves it too), and embedded mode has a
 * single replica anyway.
 */
export function describeDatabaseClockCase(target: StoreTarget): void {
  describe(`${target.driver} shared probe results and clocks`, () => {
    it("judges leases and stamps results by the database clock, whatever a replica's clock says", async () => {
      const { store, replicas } = await replicasOn(target, 2);
      const [holder, other] = replicas as [StoredProbeResults, StoredProbeResults];
      const claim = await holder.claim('tax', 'g');
      const published = await holder.publish('tax', 'g', (claim as { token: number }).token, ok);
      const databaseNow = async () => (await store.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now.getTime();
      const before = await databaseNow();
      try {
        // This process's clock two days ahead: the lease (one minute, by the database clock) is still held.
        jest.useFakeTimers({ now: Date.now() + 2 * 86_400_000, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
        expect(await other.claim('tax', 'g')).toMatchObject({ kind: 'adopt', result: published });
        // And two days behind: a lease the database says has ended is taken, and the result carries the database's time.
        jest.setSystemTime(Date.now() - 4 * 86_400_000);
        await store.query('UPDATE upstream_probe_results SET lease_until = now()');
        const taken = await other.claim('tax', 'g');
        expect(taken.kind).toBe('probe');
        const stamped = await other.publish('tax', 'g', (taken as { token: number }).token, ok);
        jest.useRealTimers();
        const checkedAt = Date.parse(stamped!.checkedAt);
        expect(checkedAt).toBeGreaterThanOrEqual(before);
        expect(checkedAt).toBeLessThanOrEqual(await databaseNow());
      } finally {
        jest.useRealTimers();
      }
    });
  });
}
