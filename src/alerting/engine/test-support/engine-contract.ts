import { Registry } from 'prom-client';
import { ProblemError } from '../../../errors/problem-error.js';
import type { StoreTarget } from '../../../store/test-support/store-targets.js';
import { AlertEngine } from '../alert-engine.js';
import { pruneAlertHistory } from '../alert-history-retention.js';
import { applyEvaluation } from '../alert-lifecycle.js';
import { AlertStore } from '../alert-store.js';
import { AlertFeed } from '../alert-feed.js';
import { LeaderLease, LeaseLostError } from '../leader-lease.js';
import { SilenceStore, activeSilences } from '../silence-store.js';
import { at, condition, count, evaluate, openEngineStore, operator, World, waitFor, type EngineFixture } from './engine-harness.js';

const notices = (fixture: EngineFixture) => count(fixture.store, 'SELECT count(*)::integer AS n FROM alert_notifications');
const outboxMessages = (fixture: EngineFixture) => count(fixture.store, "SELECT count(*)::integer AS n FROM outbox_messages WHERE target LIKE 'alerts.%'");

/** Behaviour every store driver must show. */
export function describeEngineContract(target: StoreTarget): void {
  const engines: AlertEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.stop()));
    engines.length = 0;
  });
  afterAll(() => target.dispose());
  const engine = (...args: ConstructorParameters<typeof AlertEngine>) => {
    const created = new AlertEngine(...args);
    engines.push(created);
    return created;
  };

  describe(`${target.driver} leader lease`, () => {
    it('one holder at a time; renewal keeps the token, a takeover after expiry moves it on and fences the old holder out', async () => {
      const { store, isolated } = await openEngineStore(target);
      const other = await isolated.openAnother();
      const a = new LeaderLease({ store, name: 'alerting', holder: 'a', leaseMs: 300 });
      const b = new LeaderLease({ store: other, name: 'alerting', holder: 'b', leaseMs: 300 });
      expect(await a.acquireOrRenew()).toBe(true);
      expect(a.held).toBe(true);
      expect(await b.acquireOrRenew()).toBe(false);
      expect(await a.acquireOrRenew()).toBe(true);
      const token = async () => Number((await store.query<{ token: number }>("SELECT token FROM alert_leases WHERE name = 'alerting'")).rows[0]!.token);
      expect(await token()).toBe(1);
      await store.transaction((tx) => a.fence(tx));

      // a stops renewing (paused, partitioned): after the lease time b takes over.
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await b.acquireOrRenew()).toBe(true);
      expect(await token()).toBe(2);
      await expect(store.transaction((tx) => a.fence(tx))).rejects.toBeInstanceOf(LeaseLostError);
      expect(await a.acquireOrRenew()).toBe(false);
      await other.transaction((tx) => b.fence(tx));

      // A graceful release hands over at once.
      await b.release();
      expect(await a.acquireOrRenew()).toBe(true);
      expect(await token()).toBe(3);
    });
  });

  describe(`${target.driver} alert lifecycle`, () => {
    it('pending → firing after forSeconds, straight to firing with 0, cleared, rule removed; one event per step', async () => {
      const { store } = await openEngineStore(target);
      const slow = condition('slow', { connector: 'land' }, { forSeconds: 60, value: 0.5 });
      const fast = condition('fast', { connector: 'land' });
      const rules = new Set(['slow', 'fast']);
      const first = await store.transaction((tx) => applyEvaluation(tx, [slow, fast], at(0), rules));
      expect(first.opened).toHaveLength(2);
      expect(first.fired).toHaveLength(1);
      const second = await store.transaction((tx) => applyEvaluation(tx, [slow, fast], at(30), rules));
      expect(second).toEqual({ opened: [], fired: [], resolved: [] });
      const third = await store.transaction((tx) => applyEvaluation(tx, [{ ...slow, value: 0.25 }, fast], at(60), rules));
      expect(third.fired).toHaveLength(1);
      const { rows } = await store.query<{ rule_id: string; state: string; fired_at: Date; value: number }>('SELECT rule_id, state, fired_at, value FROM alerts ORDER BY rule_id');
      expect(rows).toEqual([
        { rule_id: 'fast', state: 'firing', fired_at: at(0), value: 0 },
        { rule_id: 'slow', state: 'firing', fired_at: at(60), value: 0.25 },
      ]);
      // fast clears; slow's rule is removed.
      const fourth = await store.transaction((tx) => applyEvaluation(tx, [], at(90), new Set(['fast'])));
      expect(fourth.resolved).toHaveLength(2);
      const { rows: resolved } = await store.query<{ rule_id: string; resolution: string; resolved_at: Date }>('SELECT rule_id, resolution, resolved_at FROM alerts ORDER BY rule_id');
      expect(resolved).toEqual([
        { rule_id: 'fast', resolution: 'cleared', resolved_at: at(90) },
        { rule_id: 'slow', resolution: 'rule_removed', resolved_at: at(90) },
      ]);
      const { rows: events } = await store.query<{ rule_id: string; kind: string; actor: string | null }>(
        'SELECT a.rule_id, e.kind, e.actor FROM alert_events e JOIN alerts a ON a.id = e.alert_id ORDER BY e.id',
      );
      expect(events.filter((e) => e.rule_id === 'slow').map((e) => e.kind)).toEqual(['pending', 'firing', 'resolved']);
      expect(events.filter((e) => e.rule_id === 'fast').map((e) => e.kind)).toEqual(['pending', 'firing', 'resolved']);
      expect(events.every((e) => e.actor === null)).toBe(true);
      // The condition again: a new instance.
      const fifth = await store.transaction((tx) => applyEvaluation(tx, [fast], at(120), rules));
      expect(fifth.opened).toHaveLength(1);
      expect(await count(store, 'SELECT count(*)::integer AS n FROM alerts')).toBe(3);
    });

    it('a pending alert that clears never fired', async () => {
      const { store } = await openEngineStore(target);
      await store.transaction((tx) => applyEvaluation(tx, [condition('r', { connector: 'x' }, { forSeconds: 300 })], at(0), new Set(['r'])));
      await store.transaction((tx) => applyEvaluation(tx, [], at(10), new Set(['r'])));
      const { rows } = await store.query<{ state: string; fired_at: Date | null; resolution: string }>('SELECT state, fired_at, resolution FROM alerts');
      expect(rows).toEqual([{ state: 'resolved', fired_at: null, resolution: 'cleared' }]);
    });
  });

  describe(`${target.driver} silences`, () => {
    it('create and expire write an event, an admin audit record and bump the config version; validation names fields', async () => {
      const { store } = await openEngineStore(target);
      const silences = new SilenceStore(store);
      const now = new Date();
      const version = () => count(store, 'SELECT version AS n FROM alerting_config_version');
      const before = await version();
      const created = await silences.create(
        { matchers: [{ name: 'connector', op: '=', value: 'land' }], endsAt: new Date(now.getTime() + 3_600_000), reason: 'planned maintenance' },
        operator,
        now,
      );
      expect(created).toMatchObject({ state: 'active', createdBy: 'operator-1', reason: 'planned maintenance' });
      expect(await version()).toBe(before + 1);
      expect((await activeSilences(store, now)).map((s) => s.id)).toEqual([created.id]);
      const later = await silences.create(
        { matchers: [{ name: 'connector', op: '=~', value: 'pop.*' }], startsAt: new Date(now.getTime() + 60_000), endsAt: new Date(now.getTime() + 120_000), reason: 'later' },
        operator,
        now,
      );
      expect(later.state).toBe('pending');
      expect((await silences.list({ state: 'pending' }, now)).map((s) => s.id)).toEqual([later.id]);

      const expired = await silences.expire(created.id, operator, new Date(now.getTime() + 1000));
      expect(expired).toMatchObject({ state: 'expired', expiredBy: 'operator-1' });
      await expect(silences.expire(created.id, operator)).rejects.toMatchObject({ code: 'LGSP_ALERT_STATE' });
      await expect(silences.expire('00000000-0000-4000-8000-000000000000', operator)).rejects.toMatchObject({ code: 'LGSP_NOT_FOUND' });
      expect(await version()).toBe(before + 3);
      const { rows: events } = await store.query<{ kind: string; silence_id: string; actor: string }>('SELECT kind, silence_id, actor FROM alert_events ORDER BY id');
      expect(events).toEqual([
        { kind: 'silence_created', silence_id: created.id, actor: 'operator-1' },
        { kind: 'silence_created', silence_id: later.id, actor: 'operator-1' },
        { kind: 'silence_expired', silence_id: created.id, actor: 'operator-1' },
      ]);
      const { rows: audit } = await store.query<{ action: string; resource_type: string; resource_id: string }>(
        "SELECT action, resource_type, resource_id FROM admin_audit_log WHERE resource_type = 'alert_silence' ORDER BY occurred_at, resource_id",
      );
      expect(audit.map((row) => row.action).sort()).toEqual(['create', 'create', 'update']);

      const invalid = silences.create({ matchers: [{ name: 'connector', op: '=~', value: '(' }], startsAt: now, endsAt: now, reason: 'x' }, operator, now);
      await expect(invalid).rejects.toBeInstanceOf(ProblemError);
      await expect(invalid).rejects.toMatchObject({
        code: 'LGSP_VALIDATION_FAILED',
        options: { errors: expect.arrayContaining([expect.objectContaining({ field: 'matchers/0/value' }), expect.objectContaining({ field: 'endsAt' })]) },
      });
      expect(await version()).toBe(before + 3);
    });
  });

  describe(`${target.driver} alert store`, () => {
    it('acknowledges firing alerts only, resolves open ones by hand, records events and audit, measures the times, pages the history', async () => {
      const { store } = await openEngineStore(target);
      const registry = new Registry();
      let clock = at(0);
      const alerts = new AlertStore(store, { registry, now: () => clock });
      await store.transaction((tx) =>
        applyEvaluation(tx, [condition('r', { connector: 'a' }), condition('r', { connector: 'b' }), condition('p', { connector: 'c' }, { forSeconds: 600 })], at(0), new Set(['r', 'p'])),
      );
      const open = (await alerts.list({ state: 'open', limit: 10 })).alerts;
      const firing = open.find((alert) => alert.labels.connector === 'a')!;
      const pending = open.find((alert) => alert.state === 'pending')!;
      await expect(alerts.acknowledge(pending.id, operator)).rejects.toMatchObject({ code: 'LGSP_ALERT_STATE' });
      clock = at(90);
      const acknowledged = await alerts.acknowledge(firing.id, operator, 'looking');
      expect(acknowledged).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'operator-1', acknowledgementNote: 'looking', timeToAcknowledgeSeconds: 90 });
      await expect(alerts.acknowledge(firing.id, operator)).rejects.toMatchObject({ code: 'LGSP_ALERT_STATE' });
      clock = at(300);
      const resolved = await alerts.resolve(firing.id, operator, 'fixed');
      expect(resolved).toMatchObject({ state: 'resolved', resolution: 'manual', resolvedBy: 'operator-1', resolutionNote: 'fixed', timeToResolveSeconds: 300 });
      await expect(alerts.resolve(firing.id, operator)).rejects.toMatchObject({ code: 'LGSP_ALERT_STATE' });
      expect((await alerts.resolve(pending.id, operator)).state).toBe('resolved');
      await expect(alerts.resolve('nope', operator)).rejects.toMatchObject({ code: 'LGSP_NOT_FOUND' });

      const detail = await alerts.get(firing.id);
      expect(detail?.events.map((event) => [event.kind, event.actor])).toEqual([
        ['pending', null],
        ['firing', null],
        ['acknowledged', 'operator-1'],
        ['resolved', 'operator-1'],
      ]);
      expect(await count(store, "SELECT count(*)::integer AS n FROM admin_audit_log WHERE resource_type = 'alert' AND resource_id = $1", [firing.id])).toBe(2);
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/lgsp_alert_time_to_acknowledge_seconds_count 1/);
      expect(metrics).toMatch(/lgsp_alert_time_to_resolve_seconds_count 1/);
      expect(metrics).toMatch(/lgsp_alerts\{state="firing",severity="critical"\} 1/);

      // Paging: one at a time, newest first, every alert exactly once — also when they started within one
      // millisecond (a cursor that kept milliseconds only skipped the ones after the page boundary).
      await store.query(
        `UPDATE alerts SET started_at = timestamptz '2026-01-01 00:00:00.123+00' + numbered.position * interval '1 microsecond'
           FROM (SELECT id, row_number() OVER (ORDER BY id) AS position FROM alerts) numbered WHERE alerts.id = numbered.id`,
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await alerts.list({ limit: 1, ...(cursor && { before: cursor }) });
        seen.push(...page.alerts.map((alert) => alert.id));
        cursor = page.next;
      } while (cursor);
      expect(seen.sort()).toEqual(open.map((alert) => alert.id).sort());
      expect((await alerts.list({ state: 'resolved', connector: 'a', limit: 10 })).alerts.map((alert) => alert.id)).toEqual([firing.id]);
      await expect(alerts.list({ limit: 10, before: 'garbage' })).rejects.toMatchObject({ code: 'LGSP_VALIDATION_FAILED' });
    });

    it('annotates open alerts with the silences and inhibitions muting them', async () => {
      const { store } = await openEngineStore(target);
      const alerts = new AlertStore(store);
      await store.transaction((tx) =>
        applyEvaluation(tx, [condition('down', { connector: 'land', scope: 'connector' }), condition('op', { connector: 'land', scope: 'operation' })], at(0), new Set(['down', 'op'])),
      );
      const silence = await new SilenceStore(store).create({ matchers: [{ name: 'alertname', op: '=', value: 'op' }], endsAt: new Date(Date.now() + 60_000), reason: 'noise' }, operator);
      const views = await alerts.annotate((await alerts.list({ limit: 10 })).alerts, [
        { sourceMatchers: [{ name: 'scope', op: '=', value: 'connector' }], targetMatchers: [{ name: 'scope', op: '=', value: 'operation' }], equal: ['connector'] },
      ]);
      const byRule = Object.fromEntries(views.map((view) => [view.ruleId, { silencedBy: view.silencedBy, inhibited: view.inhibited }]));
      expect(byRule).toEqual({ down: { silencedBy: undefined, inhibited: false }, op: { silencedBy: [silence.id], inhibited: true } });
    });
  });

  describe(`${target.driver} alert history retention`, () => {
    it('removes alerts resolved before the cut-off with their events and marks, old notices and ended silences; open and recent ones stay', async () => {
      const { store } = await openEngineStore(target);
      // At t0: old (resolved at +60 s) and still-open alerts; a recent one resolved a day later.
      await store.transaction((tx) => applyEvaluation(tx, [condition('old', { connector: 'a' }), condition('open', { connector: 'b' }), condition('recent', { connector: 'c' })], at(0), new Set(['old', 'open', 'recent'])));
      await store.transaction((tx) => applyEvaluation(tx, [condition('open', { connector: 'b' }), condition('recent', { connector: 'c' })], at(60), new Set(['old', 'open', 'recent'])));
      await store.transaction((tx) => applyEvaluation(tx, [condition('open', { connector: 'b' })], at(86_400), new Set(['old', 'open', 'recent'])));
      const ids = async () => (await store.query<{ rule_id: string }>('SELECT rule_id FROM alerts ORDER BY rule_id')).rows.map((row) => row.rule_id);
      expect(await ids()).toEqual(['old', 'open', 'recent']);
      const [oldId, openId] = await Promise.all(['old', 'open'].map(async (ruleId) => (await store.query<{ id: string }>('SELECT id FROM alerts WHERE rule_id = $1', [ruleId])).rows[0]!.id));
      for (const alertId of [oldId, openId]) await store.query("INSERT INTO alert_receiver_marks (alert_id, receiver_id, firing_notified_at) VALUES ($1, 'mail', $2)", [alertId, at(10)]);
      await store.query("INSERT INTO alert_notifications (id, receiver_id, group_key, kind, alert_ids, created_at, notice) VALUES ('00000000-0000-4000-8000-000000000001', 'mail', 'g', 'firing', '{}', $1, '{}'::jsonb)", [at(10)]);
      await store.query("INSERT INTO alert_groups (receiver_id, group_key, group_labels, first_active_at, last_notified_at) VALUES ('mail', 'idle', '{}'::jsonb, NULL, $1), ('mail', 'busy', '{}'::jsonb, $1, $1)", [at(10)]);
      const silences = new SilenceStore(store);
      const ended = await silences.create({ matchers: [{ name: 'connector', op: '=', value: 'a' }], startsAt: at(0), endsAt: at(600), reason: 'old maintenance' }, operator, at(0));
      const lasting = await silences.create({ matchers: [{ name: 'connector', op: '=', value: 'b' }], startsAt: at(0), endsAt: at(400 * 86_400), reason: 'long' }, operator, at(0));

      const pruned = await store.transaction((tx) => pruneAlertHistory(tx, at(3_600)));
      expect(pruned).toEqual({ alerts: 1, notifications: 1, silences: 1, groups: 1 });
      expect(await ids()).toEqual(['open', 'recent']);
      expect(await count(store, 'SELECT count(*)::integer AS n FROM alert_events WHERE alert_id = $1', [oldId])).toBe(0);
      expect(await count(store, 'SELECT count(*)::integer AS n FROM alert_receiver_marks')).toBe(1);
      expect(await count(store, 'SELECT count(*)::integer AS n FROM alert_events WHERE silence_id = $1', [ended.id])).toBe(0);
      expect((await silences.list()).map((silence) => silence.id)).toEqual([lasting.id]);
      expect((await store.query<{ group_key: string }>('SELECT group_key FROM alert_groups')).rows.map((row) => row.group_key)).toEqual(['busy']);
    });
  });

  describe(`${target.driver} alert engine history retention`, () => {
    it('the leader removes history older than historyRetentionDays (at most hourly); without it, history is kept', async () => {
      const fixture = await openEngineStore(target);
      const world = new World();
      const keeper = engine(world.deps(fixture.store, 'keeper', fixture.log));
      world.down();
      await keeper.tick();
      world.up();
      world.advance(10);
      await keeper.tick();
      const alerts = () => count(fixture.store, 'SELECT count(*)::integer AS n FROM alerts');
      expect(await alerts()).toBe(1);
      world.advance(3 * 86_400);
      await keeper.tick();
      expect(await alerts()).toBe(1);
      await keeper.stop();

      const pruner = engine(world.deps(fixture.store, 'pruner', fixture.log, { historyRetentionDays: 2 }));
      await pruner.tick();
      expect(await alerts()).toBe(0);
    });
  });

  describe(`${target.driver} alert engine`, () => {
    it('one incident: one notice in the log and the outbox, with its events; resolved notice after a silence; nothing twice', async () => {
      const fixture = await openEngineStore(target);
      const world = new World();
      const registry = new Registry();
      const a = engine(world.deps(fixture.store, 'replica-a', fixture.log, { registry }));
      world.down();
      for (let s = 0; s <= 120; s += 10) {
        await a.tick();
        world.advance(10);
      }
      expect(await notices(fixture)).toBe(1);
      expect(await outboxMessages(fixture)).toBe(1);
      expect(world.woken).toBe(1);
      const { rows } = await fixture.store.query<{ target: string; ordering_key: string; payload: { kind: string; firing: unknown[] } }>('SELECT target, ordering_key, payload FROM outbox_messages');
      expect(rows[0]).toMatchObject({ target: 'alerts.webhook', ordering_key: 'ops', payload: { kind: 'firing', firing: [expect.objectContaining({ ruleId: 'land.probe-down' })] } });
      const alertStore = new AlertStore(fixture.store);
      const [alert] = (await alertStore.list({ limit: 5 })).alerts;
      const detail = await alertStore.get(alert!.id);
      expect(detail?.events.map((event) => event.kind)).toEqual(['pending', 'firing', 'notified']);
      expect(detail?.notifications).toEqual([expect.objectContaining({ receiverId: 'ops', kind: 'firing', delivery: expect.objectContaining({ state: 'pending', attempts: 0 }) })]);
      expect(await registry.metrics()).toMatch(/lgsp_alert_notices_total\{kind="firing"\} 1/);
      expect(await registry.metrics()).toMatch(/lgsp_alerting_leader 1/);

      // Silenced while firing, then it clears: the resolved notice is sent anyway.
      await new SilenceStore(fixture.store).create({ matchers: [{ name: 'connector', op: '=', value: 'land' }], endsAt: new Date(Date.now() + 3_600_000), reason: 'known' }, operator, new Date(world.clock.getTime() - 1000));
      world.up();
      for (let s = 0; s <= 600; s += 10) {
        await a.tick();
        world.advance(10);
      }
      const { rows: log } = await fixture.store.query<{ kind: string; notice: { resolved: Array<{ silenced?: boolean }> } }>('SELECT kind, notice FROM alert_notifications ORDER BY created_at');
      expect(log.map((row) => row.kind)).toEqual(['firing', 'resolved']);
      expect(log[1]!.notice.resolved[0]).toMatchObject({ silenced: true });
      expect(await outboxMessages(fixture)).toBe(2);
    });

    it('two engines on one store: only one evaluates', async () => {
      const fixture = await openEngineStore(target);
      const other = await fixture.isolated.openAnother();
      const world = new World();
      let evaluations = { a: 0, b: 0 };
      const counting = (name: 'a' | 'b') => (...args: Parameters<typeof evaluate>) => ((evaluations[name] += 1), evaluate(...args));
      const a = engine(world.deps(fixture.store, 'replica-a', fixture.log, { evaluate: counting('a') }));
      const b = engine(world.deps(other, 'replica-b', fixture.log, { evaluate: counting('b') }));
      world.down();
      for (let s = 0; s < 10; s += 1) {
        await Promise.all([a.tick(), b.tick()]);
        world.advance(10);
      }
      expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
      expect(evaluations.a + evaluations.b).toBe(10);
      expect(Math.min(evaluations.a, evaluations.b)).toBe(0);
      // Both published their samples every tick.
      expect(world.published.filter((p) => p.replicaId === 'replica-a')).toHaveLength(10);
      expect(world.published.filter((p) => p.replicaId === 'replica-b')).toHaveLength(10);
      expect(await notices(fixture)).toBe(1);
      evaluations = { a: 0, b: 0 };
    });

    it('a leader that stops ticking (no release) is replaced after leaseMs; nothing is notified twice', async () => {
      const fixture = await openEngineStore(target);
      const other = await fixture.isolated.openAnother();
      const world = new World();
      world.receivers = [...world.receivers, { ...world.receivers[0]!, id: 'ops-2', kind: 'email', settings: { to: ['ops@example.test'] } }];
      const leaseMs = 400;
      const a = new AlertEngine(world.deps(fixture.store, 'replica-a', fixture.log, { leaseMs }));
      const b = engine(world.deps(other, 'replica-b', fixture.log, { leaseMs }));
      world.down();
      for (let s = 0; s <= 40; s += 10) {
        await a.tick();
        await b.tick();
        world.advance(10);
      }
      expect(a.isLeader).toBe(true);
      expect(await notices(fixture)).toBe(2); // one per receiver
      // a freezes (crash, pause): b keeps ticking and takes over once the lease expired (database clock).
      await waitFor(async () => (await b.tick(), b.isLeader), 10_000, 'takeover');
      world.up();
      for (let s = 0; s <= 400; s += 10) {
        await b.tick();
        world.advance(10);
      }
      const { rows } = await fixture.store.query<{ receiver_id: string; kind: string }>('SELECT receiver_id, kind FROM alert_notifications ORDER BY receiver_id, created_at');
      expect(rows).toEqual([
        { receiver_id: 'ops', kind: 'firing' },
        { receiver_id: 'ops', kind: 'resolved' },
        { receiver_id: 'ops-2', kind: 'firing' },
        { receiver_id: 'ops-2', kind: 'resolved' },
      ]);
      expect(await outboxMessages(fixture)).toBe(4);
      // The old leader wakes up: its tick finds the lease gone and writes nothing.
      world.down('population');
      await a.tick();
      expect(a.isLeader).toBe(false);
      expect(await count(fixture.store, "SELECT count(*)::integer AS n FROM alerts WHERE labels->>'connector' = 'population'")).toBe(0);
    });

    it('a transaction of a replica that lost the lease changes nothing', async () => {
      const fixture = await openEngineStore(target);
      const other = await fixture.isolated.openAnother();
      const world = new World();
      const a = engine(world.deps(fixture.store, 'replica-a', fixture.log));
      world.down();
      await a.tick();
      expect(await count(fixture.store, 'SELECT count(*)::integer AS n FROM alerts')).toBe(1);
      const before = await fixture.store.query('SELECT id, state, last_evaluated_at FROM alerts');
      const eventsBefore = await count(fixture.store, 'SELECT count(*)::integer AS n FROM alert_events');
      const stolen = new LeaderLease({ store: other, name: 'alerting', holder: 'replica-b', leaseMs: 30_000 });
      // a paused past its lease (simulated by expiring the row) and b took over: a still believes it leads.
      await other.query("UPDATE alert_leases SET expires_at = now() - interval '1 second' WHERE name = 'alerting'");
      expect(await stolen.acquireOrRenew()).toBe(true);
      world.advance(60);
      world.down('population');
      await a.tick();
      expect(a.isLeader).toBe(false);
      expect((await fixture.store.query('SELECT id, state, last_evaluated_at FROM alerts')).rows).toEqual(before.rows);
      expect(await count(fixture.store, 'SELECT count(*)::integer AS n FROM alert_events')).toBe(eventsBefore);
      expect(await notices(fixture)).toBe(0);
    });

    it('a failure mid-tick rolls the whole evaluation back; the next tick (or a restarted engine) decides once', async () => {
      const fixture = await openEngineStore(target);
      const world = new World();
      let failPlanning = false;
      const a = engine(
        world.deps(fixture.store, 'replica-a', fixture.log, {
          leaseMs: 300,
          receiverTakes: (receiver, alert) => {
            if (failPlanning) throw new Error('crash while planning');
            return world.deps(fixture.store, 'x', fixture.log).receiverTakes(receiver, alert);
          },
        }),
      );
      world.down();
      await a.tick();
      world.advance(30);
      failPlanning = true;
      await a.tick(); // the notice was due: the transaction dies after the lifecycle step and before commit
      expect(await notices(fixture)).toBe(0);
      expect(fixture.log.messages()).toContain('alerting: evaluation failed; nothing written, the next tick decides again');
      failPlanning = false;

      // Restart: a new engine on the same store (same replica id), the old one gone without a word.
      const restarted = engine(world.deps(fixture.store, 'replica-a', fixture.log, { leaseMs: 300 }));
      await waitFor(async () => (await restarted.tick(), restarted.isLeader), 10_000, 'lease after restart');
      for (let s = 0; s < 10; s += 1) {
        world.advance(10);
        await restarted.tick();
      }
      expect(await notices(fixture)).toBe(1);
      // Yet another restart, mid-incident: nothing repeated.
      await restarted.stop();
      const again = engine(world.deps(fixture.store, 'replica-a', fixture.log));
      for (let s = 0; s < 10; s += 1) {
        world.advance(10);
        await again.tick();
      }
      expect(again.isLeader).toBe(true);
      expect(await notices(fixture)).toBe(1);
      expect(await outboxMessages(fixture)).toBe(1);
    });

    it('publishing failures are logged, not thrown, and evaluation goes on; ticks never overlap', async () => {
      const fixture = await openEngineStore(target);
      const world = new World();
      let concurrent = 0;
      let most = 0;
      const a = engine(
        world.deps(fixture.store, 'replica-a', fixture.log, {
          sample: async () => {
            concurrent += 1;
            most = Math.max(most, concurrent);
            await new Promise((resolve) => setTimeout(resolve, 30));
            concurrent -= 1;
            throw new Error('registry unreadable');
          },
        }),
      );
      world.down();
      await Promise.all([a.tick(), a.tick(), a.tick()]);
      expect(most).toBe(1);
      expect(fixture.log.messages()).toContain("alerting: could not sample or publish this replica's signals");
      expect(await count(fixture.store, 'SELECT count(*)::integer AS n FROM alerts')).toBe(1);
    });
  });

  describe(`${target.driver} alert feed on the store`, () => {
    it('streams events written by the engine and by operators', async () => {
      const fixture = await openEngineStore(target);
      const alerts = new AlertStore(fixture.store);
      const feed = new AlertFeed({ store: alerts, pollIntervalMs: 20, logger: fixture.log.logger });
      await store_event(fixture);
      await feed.start();
      const seen: string[] = [];
      const unsubscribe = feed.subscribe(undefined, (event) => seen.push(event.kind));
      const world = new World();
      world.down();
      await engine(world.deps(fixture.store, 'replica-a', fixture.log)).tick();
      const [alert] = (await alerts.list({ limit: 1 })).alerts;
      await alerts.acknowledge(alert!.id, operator);
      await waitFor(() => seen.length >= 3, 5_000, 'events');
      expect(seen).toEqual(['pending', 'firing', 'acknowledged']);
      unsubscribe();
      feed.stop();
    });
  });
}

/** An event from before the feed starts: not streamed (the feed begins at the latest). */
async function store_event(fixture: EngineFixture): Promise<void> {
  await fixture.store.query("INSERT INTO alert_events (kind, detail) VALUES ('silence_created', NULL)");
}
