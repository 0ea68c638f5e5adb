import { receiverTakes } from '../channels/receivers.js';
import type { InhibitRule, Labels, Notice, ReceiverView, Severity } from '../types.js';
import { planNotifications, type GroupState, type GroupingSettings, type PlannerAlert, type ReceiverMark } from './notification-planner.js';
import type { ActiveSilence } from './silence-store.js';

const t0 = new Date('2025-03-01T08:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const grouping: GroupingSettings = { groupBy: ['connector'], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 3600 };

function receiver(id: string, extra: Partial<ReceiverView> = {}): ReceiverView {
  return { id, kind: 'webhook', settings: { url: 'http://example.test/hook' }, route: {}, enabled: true, source: 'config', secretsSet: [], ...extra };
}


/**
 * The durable state the engine keeps between ticks, in memory: alerts, groups,
 * marks. Each tick plans and applies the plan as the writer would.
 */
class Simulation {
  alerts = new Map<string, PlannerAlert>();
  groups: GroupState[] = [];
  marks: ReceiverMark[] = [];
  silences: ActiveSilence[] = [];
  sent: Array<{ at: number; notice: Notice }> = [];
  private ids = 0;

  constructor(
    private readonly receivers: ReceiverView[] = [receiver('ops')],
    private readonly inhibitRules: InhibitRule[] = [],
    private readonly settings: GroupingSettings = grouping,
  ) {}

  fire(id: string, seconds: number, labels: Labels = { connector: 'land' }, severity: Severity = 'critical'): void {
    this.alerts.set(id, {
      id,
      ruleId: labels.alertname ?? 'rule',
      state: 'firing',
      labels: { alertname: 'rule', severity, ...labels },
      severity,
      summary: { vi: 'x', en: 'x' },
      firedAt: at(seconds),
    });
  }

  resolve(id: string, seconds: number): void {
    this.alerts.set(id, { ...this.alerts.get(id)!, state: 'resolved', resolvedAt: at(seconds) });
  }

  acknowledge(id: string): void {
    this.alerts.set(id, { ...this.alerts.get(id)!, state: 'acknowledged', acknowledgedBy: 'operator-1' });
  }

  tick(seconds: number): Notice[] {
    // What the engine loads: open alerts, and resolved ones somebody is still owed a resolved notice for.
    const owed = (alert: PlannerAlert) => this.marks.some((mark) => mark.alertId === alert.id && mark.firingNotifiedAt && !mark.resolvedNotifiedAt);
    const plan = planNotifications({
      now: at(seconds),
      alerts: [...this.alerts.values()].filter((alert) => alert.state !== 'resolved' || owed(alert)),
      receivers: this.receivers,
      takes: receiverTakes,
      silences: this.silences,
      inhibitRules: this.inhibitRules,
      grouping: this.settings,
      groups: this.groups,
      marks: this.marks,
      newId: () => `n${++this.ids}`,
    });
    for (const group of plan.groups) {
      this.groups = [...this.groups.filter((g) => !(g.receiverId === group.receiverId && g.groupKey === group.groupKey)), group];
    }
    for (const mark of plan.marks) {
      this.marks = [...this.marks.filter((m) => !(m.alertId === mark.alertId && m.receiverId === mark.receiverId)), mark];
    }
    for (const { notice } of plan.notices) this.sent.push({ at: seconds, notice });
    return plan.notices.map((planned) => planned.notice);
  }

  run(from: number, to: number, step = 10): void {
    for (let s = from; s <= to; s += step) this.tick(s);
  }

  summary() {
    return this.sent.map(({ at: when, notice }) => ({
      at: when,
      receiver: notice.receiverId,
      kind: notice.kind,
      firing: notice.firing.map((a) => a.alertId),
      resolved: notice.resolved.map((a) => a.alertId),
    }));
  }
}

describe('notification planner', () => {
  it('one incident: one notice, after the group wait', () => {
    const sim = new Simulation();
    sim.fire('a1', 0);
    sim.run(0, 600);
    expect(sim.summary()).toEqual([{ at: 30, receiver: 'ops', kind: 'firing', firing: ['a1'], resolved: [] }]);
    expect(sim.sent[0]!.notice).toMatchObject({ groupKey: JSON.stringify(['land']), groupLabels: { connector: 'land' }, createdAt: at(30).toISOString() });
  });

  it('two alerts of one group within the group wait: one notice naming both; another group: its own notice', () => {
    const sim = new Simulation();
    sim.fire('a1', 0);
    sim.run(0, 10);
    sim.fire('a2', 20);
    sim.fire('b1', 20, { connector: 'population' });
    sim.run(20, 200);
    expect(sim.summary()).toEqual([
      { at: 30, receiver: 'ops', kind: 'firing', firing: ['a1', 'a2'], resolved: [] },
      { at: 50, receiver: 'ops', kind: 'firing', firing: ['b1'], resolved: [] },
    ]);
  });

  it('a flapping upstream sends at most one notice per group interval (counted over an hour)', () => {
    const sim = new Simulation();
    // A new alert instance every minute, resolved 45 seconds later (past the group wait): 60 incidents in the hour.
    let n = 0;
    for (let s = 0; s <= 3600; s += 5) {
      if (s % 60 === 0 && s < 3600) sim.fire(`f${++n}`, s);
      if (s % 60 === 45) sim.resolve(`f${n}`, s);
      sim.tick(s);
    }
    const times = sim.sent.map((entry) => entry.at);
    expect(times.length).toBeGreaterThan(1);
    expect(times.length).toBeLessThanOrEqual(3600 / 300 + 1);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(300);
    // Every incident that was told as firing was also told resolved (nothing left owed once it settles).
    sim.run(3610, 4000);
    const told = new Set(sim.sent.flatMap((entry) => entry.notice.firing.map((a) => a.alertId)));
    const resolved = new Set(sim.sent.flatMap((entry) => entry.notice.resolved.map((a) => a.alertId)));
    expect([...told].filter((id) => !resolved.has(id))).toEqual([]);
  });

  it('an alert resolved while silenced still gets its resolved notice (marked silenced)', () => {
    const sim = new Simulation();
    sim.fire('a1', 0);
    sim.run(0, 40);
    sim.silences = [{ id: 's1', matchers: [{ name: 'connector', op: '=', value: 'land' }] }];
    sim.run(50, 1000);
    sim.resolve('a1', 1000);
    sim.run(1000, 1400);
    expect(sim.summary()).toEqual([
      { at: 30, receiver: 'ops', kind: 'firing', firing: ['a1'], resolved: [] },
      { at: 1000, receiver: 'ops', kind: 'resolved', firing: [], resolved: ['a1'] },
    ]);
    expect(sim.sent[1]!.notice.resolved[0]).toMatchObject({ silenced: true, resolvedAt: at(1000).toISOString() });
  });

  it('a silenced firing alert is not notified; when the silence ends while it still fires, it is', () => {
    const sim = new Simulation();
    sim.silences = [{ id: 's1', matchers: [{ name: 'alertname', op: '=~', value: 'rul.*' }] }];
    sim.fire('a1', 0);
    sim.run(0, 500);
    expect(sim.sent).toEqual([]);
    sim.silences = [];
    sim.run(510, 900);
    // The group became active at 510 and waits its group wait.
    expect(sim.summary()).toEqual([{ at: 540, receiver: 'ops', kind: 'firing', firing: ['a1'], resolved: [] }]);
  });

  it('a silenced alert that resolves without ever being told sends nothing', () => {
    const sim = new Simulation();
    sim.silences = [{ id: 's1', matchers: [{ name: 'connector', op: '=', value: 'land' }] }];
    sim.fire('a1', 0);
    sim.run(0, 100);
    sim.resolve('a1', 100);
    sim.run(100, 600);
    expect(sim.sent).toEqual([]);
  });

  it('an inhibited per-operation alert sends nothing while its connector is down', () => {
    const inhibit: InhibitRule = {
      sourceMatchers: [{ name: 'scope', op: '=', value: 'connector' }],
      targetMatchers: [{ name: 'scope', op: '=', value: 'operation' }],
      equal: ['connector'],
    };
    const sim = new Simulation([receiver('ops')], [inhibit], { ...grouping, groupBy: ['connector', 'operation'] });
    sim.fire('down', 0, { connector: 'land', scope: 'connector' });
    sim.fire('op', 0, { connector: 'land', operation: 'lookup', scope: 'operation' });
    // Another connector's operation alert is not muted.
    sim.fire('other', 0, { connector: 'population', operation: 'lookup', scope: 'operation' });
    sim.run(0, 600);
    expect(sim.summary().flatMap((entry) => entry.firing).sort()).toEqual(['down', 'other']);
    // Acknowledging the connector alert keeps the inhibition.
    sim.acknowledge('down');
    sim.run(610, 2000);
    expect(sim.summary().flatMap((entry) => entry.firing).sort()).toEqual(['down', 'other']);
  });

  it('repeats a still-firing alert after the repeat interval, unless acknowledged; an acknowledged alert still gets its resolved notice', () => {
    const sim = new Simulation();
    sim.fire('a1', 0);
    sim.run(0, 3700);
    expect(sim.summary().map((entry) => [entry.at, entry.kind])).toEqual([
      [30, 'firing'],
      [3630, 'repeat'],
    ]);
    sim.acknowledge('a1');
    sim.run(3710, 12000);
    expect(sim.sent).toHaveLength(2);
    sim.resolve('a1', 12000);
    sim.run(12000, 12100);
    expect(sim.summary().slice(2)).toEqual([{ at: 12000, receiver: 'ops', kind: 'resolved', firing: [], resolved: ['a1'] }]);
    expect(sim.sent[2]!.notice.resolved[0]).toMatchObject({ acknowledgedBy: 'operator-1' });
  });

  it('a new alert joining a notified group waits for the group interval, and the notice also lists what still fires', () => {
    const sim = new Simulation();
    sim.fire('a1', 0);
    sim.run(0, 100);
    sim.fire('a2', 100);
    sim.run(100, 600);
    expect(sim.summary()).toEqual([
      { at: 30, receiver: 'ops', kind: 'firing', firing: ['a1'], resolved: [] },
      { at: 330, receiver: 'ops', kind: 'firing', firing: ['a1', 'a2'], resolved: [] },
    ]);
  });

  it('a resolution and a new alert in one notice is mixed; a group gone idle waits the group wait again', () => {
    const sim = new Simulation();
    sim.fire('a1', 0);
    sim.run(0, 100);
    sim.resolve('a1', 200);
    sim.fire('a2', 200);
    sim.run(200, 400);
    sim.resolve('a2', 400);
    sim.run(400, 5000);
    sim.fire('a3', 5000);
    sim.run(5000, 5100);
    expect(sim.summary()).toEqual([
      { at: 30, receiver: 'ops', kind: 'firing', firing: ['a1'], resolved: [] },
      { at: 330, receiver: 'ops', kind: 'mixed', firing: ['a2'], resolved: ['a1'] },
      { at: 630, receiver: 'ops', kind: 'resolved', firing: [], resolved: ['a2'] },
      { at: 5030, receiver: 'ops', kind: 'firing', firing: ['a3'], resolved: [] },
    ]);
    // Idle between incidents: the group row has no first_active_at once everything was told.
    expect(sim.groups.find((group) => group.receiverId === 'ops')).toMatchObject({ firstActiveAt: at(5030 - 30) });
  });

  it('routes per receiver: severities and matchers pick receivers, each with its own groups and marks; a disabled receiver gets nothing', () => {
    const sim = new Simulation([
      receiver('critical-only', { route: { severities: ['critical'], groupWaitSeconds: 0 } }),
      receiver('land-team', { route: { matchers: [{ name: 'connector', op: '=', value: 'land' }] } }),
      receiver('off', { enabled: false }),
    ]);
    sim.fire('warn', 0, { connector: 'land' }, 'warning');
    sim.fire('crit', 0, { connector: 'population' }, 'critical');
    sim.run(0, 100);
    expect(sim.summary()).toEqual([
      { at: 0, receiver: 'critical-only', kind: 'firing', firing: ['crit'], resolved: [] },
      { at: 30, receiver: 'land-team', kind: 'firing', firing: ['warn'], resolved: [] },
    ]);
  });

  it('pending alerts are nobody’s business yet', () => {
    const sim = new Simulation();
    sim.alerts.set('p', { id: 'p', ruleId: 'r', state: 'pending', labels: { connector: 'land' }, severity: 'critical', summary: { vi: 'x', en: 'x' } });
    sim.run(0, 600);
    expect(sim.sent).toEqual([]);
    expect(sim.groups).toEqual([]);
  });
});
