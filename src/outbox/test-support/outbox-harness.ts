import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import type { Store } from '../../store/store.js';
import { captureLogger, type CapturedLogger } from '../../store/test-support/capture-logger.js';
import type { IsolatedStore, StoreTarget } from '../../store/test-support/store-targets.js';
import { OutboxDispatcher, type DispatcherOptions } from '../dispatcher.js';

/** Short leases and intervals so that whole scenarios run in a second or two. */
export const fast = { leaseMs: 1_000, pollIntervalMs: 50, baseDelayMs: 5, maxDelayMs: 40, deferDelayMs: 30 } as const;

export interface OutboxFixture {
  isolated: IsolatedStore;
  store: Store;
  log: CapturedLogger;
  dispatchers: OutboxDispatcher[];
  dispatcher(options?: Partial<DispatcherOptions>): OutboxDispatcher;
}

export async function openOutbox(target: StoreTarget): Promise<OutboxFixture> {
  const isolated = await target.openIsolated();
  await migrate(isolated.store, migrations);
  const log = captureLogger();
  const dispatchers: OutboxDispatcher[] = [];
  return {
    isolated,
    store: isolated.store,
    log,
    dispatchers,
    dispatcher(options = {}) {
      const dispatcher = new OutboxDispatcher({ store: isolated.store, logger: log.logger, ...fast, ...options });
      dispatchers.push(dispatcher);
      return dispatcher;
    },
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function states(store: Store): Promise<Record<string, number>> {
  const { rows } = await store.query<{ state: string; n: number }>('SELECT state, count(*)::integer AS n FROM outbox_messages GROUP BY state');
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}
