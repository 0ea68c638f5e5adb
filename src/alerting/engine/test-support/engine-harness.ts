import { migrate } from '../../../store/migrate.js';
import { migrations } from '../../../store/migrations/index.js';
import type { Store } from '../../../store/store.js';
import { captureLogger, type CapturedLogger } from '../../../store/test-support/capture-logger.js';
import type { IsolatedStore, StoreTarget } from '../../../store/test-support/store-targets.js';
import type { AdminActor } from '../../../audit/admin-change.js';
import type { ActiveCondition, AlertRule, Labels, ReceiverView, SignalSeries } from '../../types.js';
import type { AlertEngineDeps } from '../alert-engine.js';
import { receiverTakes } from '../../channels/receivers.js';
import { evaluateRules } from '../../rules/evaluate-rules.js';

export interface EngineFixture {
  isolated: IsolatedStore;
  store: Store;
  log: CapturedLogger;
}

export async function openEngineStore(target: StoreTarget): Promise<EngineFixture> {
  const isolated = await target.openIsolated();
  await migrate(isolated.store, migrations);
  return { isolated, store: isolated.store, log: captureLogger() };
}

export const operator: AdminActor = { actor: 'operator-1', actorClient: 'console', requestId: 'req-1' };

export const t0 = new Date('2025-03-01T08:00:00Z');
export const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

export function rule(id: string, extra: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    signal: 'probe_up',
    op: '<',
    threshold: 1,
    forSeconds: 0,
    severity: 'critical',
    summary: { vi: 'Mất kết nối {connector}', en: '{connector} is down' },
    ...extra,
  };
}

export function condition(ruleId: string, labels: Labels, extra: Partial<ActiveCondition> = {}): ActiveCondition {
  return {
    ruleId,
    fingerprint: `${ruleId}|${JSON.stringify(labels)}`,
    labels: { alertname: ruleId, severity: 'critical', ...labels },
    severity: 'critical',
    value: 0,
    summary: { vi: 'x', en: 'x' },
    forSeconds: 0,
    ...extra,
  };
}

export function receiver(id: string, extra: Partial<ReceiverView> = {}): ReceiverView {
  return { id, kind: 'webhook', settings: { url: 'http://example.test/hook' }, route: {}, enabled: true, source: 'config', secretsSet: [], ...extra };
}

/** The engine's own rule evaluation and routing, as the gateway wires them (rules/evaluate-rules.ts, channels/receivers.ts). */
export const evaluate = evaluateRules;

/**
 * The outside world of an engine in a test: the merged series (what every
 * replica would have published), the clock, the rules and receivers.
 */
export class World {
  series: SignalSeries[] = [];
  clock = t0;
  rules: AlertRule[] = [rule('land.probe-down')];
  receivers: ReceiverView[] = [receiver('ops')];
  published: Array<{ replicaId: string; count: number }> = [];
  woken = 0;

  down(connector = 'land'): void {
    this.series = [...this.series.filter((s) => s.labels.connector !== connector), { signal: 'probe_up', labels: { connector }, windowSeconds: 0, value: 0 }];
  }

  up(connector = 'land'): void {
    this.series = this.series.filter((s) => s.labels.connector !== connector);
  }

  advance(seconds: number): void {
    this.clock = new Date(this.clock.getTime() + seconds * 1000);
  }

  deps(store: Store, replicaId: string, log: CapturedLogger, extra: Partial<AlertEngineDeps> = {}): AlertEngineDeps {
    return {
      store,
      replicaId,
      logger: log.logger,
      sample: async () => [{ signal: 'probe_up', labels: { connector: 'land' }, windowSeconds: 0, value: 1 }],
      publish: async (_store, id, samples) => void this.published.push({ replicaId: id, count: samples.length }),
      readMerged: async () => this.series,
      evaluate,
      windows: () => [],
      rules: () => this.rules,
      receivers: () => this.receivers,
      receiverTakes,
      inhibitRules: [],
      grouping: { groupBy: ['connector'], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 3600 },
      evaluationIntervalMs: 10_000,
      leaseMs: 30_000,
      onNoticesEnqueued: () => void (this.woken += 1),
      now: () => this.clock,
      ...extra,
    };
  }
}

export async function count(store: Store, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await store.query<{ n: number }>(sql, params);
  return Number(rows[0]!.n);
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
