import { listAdminAudit } from '../../access/access-repository.js';
import type { AdminActor } from '../../audit/admin-change.js';
import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { AlertRuleStore } from '../rules/rule-store.js';
import { pruneSamples, publishSamples, readMergedSignals } from '../signals/signal-store.js';
import type { AlertRule, SignalSample, SignalSeries } from '../types.js';

const admin: AdminActor = { actor: 'admin-1', actorClient: 'console', requestId: 'req-1' };
const parcel = { connector: 'land', operation: 'parcel' };
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, seconds));

async function openMigrated(target: StoreTarget) {
  const isolated = await target.openIsolated();
  await migrate(isolated.store, migrations);
  return isolated;
}

const find = (series: SignalSeries[], signal: string, windowSeconds = 0) => series.filter((one) => one.signal === signal && one.windowSeconds === windowSeconds);

const rule = (id: string, overrides: Partial<AlertRule> = {}): AlertRule => ({
  id,
  signal: 'probe_up',
  matchers: { connector: 'land' },
  op: '==',
  threshold: 0,
  forSeconds: 60,
  severity: 'critical',
  summary: { vi: 'Mất kết nối {connector}', en: '{connector} down' },
  ...overrides,
});

/** The alerting tables' behaviour on each store driver (PGlite for embedded mode, PostgreSQL for production). */
export function describeAlertingStoreContract(target: StoreTarget): void {
  afterAll(() => target.dispose());

  describe(`${target.driver} signal store`, () => {
    it('merges the fresh samples of two replicas and ignores a stale one', async () => {
      const { store, openAnother } = await openMigrated(target);
      const other = await openAnother();
      const replicaA: SignalSample[] = [
        { signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 1 },
        { signal: 'error_ratio', labels: parcel, windowSeconds: 300, num: 1, den: 40 },
        { signal: 'latency_p95_seconds', labels: parcel, windowSeconds: 300, buckets: [[0.5, 30], [1, 40], [Infinity, 40]] },
        { signal: 'contract_violations', labels: parcel, windowSeconds: 900, value: 2 },
        { signal: 'credential_expires_in_seconds', labels: { connector: 'land' }, windowSeconds: 0, value: -30 },
      ];
      const replicaB: SignalSample[] = [
        { signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 0 },
        { signal: 'error_ratio', labels: parcel, windowSeconds: 300, num: 9, den: 60 },
        { signal: 'latency_p95_seconds', labels: parcel, windowSeconds: 300, buckets: [[0.5, 0], [1, 0], [Infinity, 60]] },
        { signal: 'contract_violations', labels: parcel, windowSeconds: 900, value: 3 },
      ];
      // A replica killed long ago: its last readings must not count.
      const stale: SignalSample[] = [
        { signal: 'probe_up', labels: { connector: 'population' }, windowSeconds: 0, value: 0 },
        { signal: 'contract_violations', labels: parcel, windowSeconds: 900, value: 100 },
      ];
      await publishSamples(store, 'stale', stale, at(0));
      await Promise.all([publishSamples(store, 'a', replicaA, at(60)), publishSamples(other, 'b', replicaB, at(61))]);

      const merged = await readMergedSignals(store, { freshAfter: at(30) });
      expect(find(merged, 'probe_up')).toEqual([{ signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 0 }]);
      expect(find(merged, 'error_ratio', 300)).toEqual([{ signal: 'error_ratio', labels: parcel, windowSeconds: 300, value: 0.1, observations: 100 }]);
      expect(find(merged, 'contract_violations', 900)).toEqual([{ signal: 'contract_violations', labels: parcel, windowSeconds: 900, value: 5 }]);
      // Negative values (an expired credential) and the +Inf bucket survive the round trip.
      expect(find(merged, 'credential_expires_in_seconds')[0]!.value).toBe(-30);
      const [latency] = find(merged, 'latency_p95_seconds', 300);
      // Summed: 30 ≤ 0.5, 40 ≤ 1, 100 total: rank 95 is in +Inf → the largest finite bound.
      expect(latency).toEqual({ signal: 'latency_p95_seconds', labels: parcel, windowSeconds: 300, value: 1, observations: 100 });
      expect(merged).toHaveLength(5);

      // The stale replica's rows still exist until pruned.
      expect(find(await readMergedSignals(store, { freshAfter: at(0) }), 'probe_up')).toHaveLength(2);
      expect(await pruneSamples(store, at(30))).toBe(2);
      expect(await pruneSamples(store, at(30))).toBe(0);
      expect(find(await readMergedSignals(store, { freshAfter: at(0) }), 'probe_up')).toHaveLength(1);
    });

    it('replaces a replica\'s whole publication: updated rows, dropped series gone, other replicas untouched', async () => {
      const { store } = await openMigrated(target);
      await publishSamples(store, 'a', [
        { signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 0 },
        { signal: 'probe_up', labels: { connector: 'population' }, windowSeconds: 0, value: 0 },
      ], at(0));
      await publishSamples(store, 'b', [{ signal: 'breaker_open', labels: { connector: 'land' }, windowSeconds: 0, value: 1 }], at(0));
      await publishSamples(store, 'a', [{ signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 1 }], at(10));

      const { rows } = await store.query<{ replica_id: string; signal: string; value: number; observed_at: Date }>(
        'SELECT replica_id, signal, value, observed_at FROM alert_signal_samples ORDER BY replica_id, series_key',
      );
      expect(rows).toEqual([
        { replica_id: 'a', signal: 'probe_up', value: 1, observed_at: at(10) },
        { replica_id: 'b', signal: 'breaker_open', value: 1, observed_at: at(0) },
      ]);
      await publishSamples(store, 'a', [], at(20));
      expect((await store.query('SELECT 1 FROM alert_signal_samples WHERE replica_id = $1', ['a'])).rowCount).toBe(0);
    });
  });

  describe(`${target.driver} alert rule store`, () => {
    it('creates, replaces and removes rules, each with its admin audit record and a config version bump', async () => {
      const { store } = await openMigrated(target);
      const rules = new AlertRuleStore(store);
      const version = await rules.version();

      expect(await rules.put(rule('land.probe-down'), admin)).toEqual({ created: true });
      const changed = rule('land.probe-down', { forSeconds: 300, labels: { team: 'land' } });
      expect(await rules.put(changed, { ...admin, actor: 'admin-2', requestId: 'req-2' })).toEqual({ created: false });
      expect(await rules.put(rule('custom', { signal: 'breaker_open', threshold: 1 }), admin)).toEqual({ created: true });

      const listed = await rules.list();
      expect(listed.map((entry) => entry.rule)).toEqual([{ ...rule('custom', { signal: 'breaker_open', threshold: 1 }) }, changed]);
      expect(listed[1]).toMatchObject({ updatedBy: 'admin-2' });
      expect(listed[1]!.updatedAt).toBeInstanceOf(Date);
      expect(await rules.version()).toBe(version + 3);

      expect(await rules.remove('custom', admin)).toBe(true);
      expect(await rules.remove('custom', admin)).toBe(false);
      expect((await rules.list()).map((entry) => entry.rule.id)).toEqual(['land.probe-down']);
      expect(await rules.version()).toBe(version + 4);

      const audit = await listAdminAudit(store, { resourceType: 'alert_rule' });
      expect(audit.map((entry) => [entry.action, entry.resourceId, entry.actor])).toEqual([
        ['delete', 'custom', 'admin-1'],
        ['create', 'custom', 'admin-1'],
        ['update', 'land.probe-down', 'admin-2'],
        ['create', 'land.probe-down', 'admin-1'],
      ]);
      expect(audit[2]).toMatchObject({ before: rule('land.probe-down'), after: changed, requestId: 'req-2' });
      expect(audit[0]).toMatchObject({ before: rule('custom', { signal: 'breaker_open', threshold: 1 }), after: null });
    });

    it('serializes concurrent changes of one rule: every audit record\'s before is the state it replaced', async () => {
      const { store, openAnother } = await openMigrated(target);
      const stores = [store, await openAnother()];
      await Promise.all(
        Array.from({ length: 6 }, (_, n) => new AlertRuleStore(stores[n % 2]!).put(rule('r', { forSeconds: n }), { ...admin, requestId: `req-${n}` })),
      );
      const audit = (await listAdminAudit(store, { resourceType: 'alert_rule', resourceId: 'r' })).reverse();
      expect(audit).toHaveLength(6);
      expect(audit[0]!.before).toBeNull();
      for (let n = 1; n < audit.length; n += 1) expect(audit[n]!.before).toEqual(audit[n - 1]!.after);
      expect((await new AlertRuleStore(store).list())[0]!.rule).toEqual(audit.at(-1)!.after);
    });
  });
}
