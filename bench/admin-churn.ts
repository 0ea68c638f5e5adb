import { AccessRepository } from '../src/access/access-repository.js';
import type { Store } from '../src/store/store.js';

/** The grant the churn edits: the bench's client on the unaudited lookup, which no scale run calls. */
export const churnedGrant = { consumerId: 'one-stop', operation: 'population-open.citizen.get' } as const;

export interface AdminChurn {
  /** Stops editing; resolves with how many edits were committed. */
  stop(): Promise<number>;
}

/**
 * Admin edits while a scale gateway is under load, as an operator's console
 * makes them: every `everyMs` one grant is saved through the same repository
 * the admin API uses (one transaction: the row, its admin audit entry, the
 * policy version), its quota moved by one between two values far above what
 * the bench sends. Each replica then picks the change up on its next policy
 * poll. What this measures is the cost of a change to a replica holding a
 * large policy: a gateway that reloaded its whole policy per change (10,000
 * consumers × 20 grants took seconds of CPU each time) would show it in the
 * consumers run's latency, not in the baseline's.
 */
export function startAdminChurn(store: Store, everyMs: number): AdminChurn {
  const repository = new AccessRepository(store);
  let edits = 0;
  let stopped = false;
  let failure: unknown;
  let running: Promise<void> = Promise.resolve();
  const editOnce = async () => {
    const grant = (await repository.listGrants({ consumerId: churnedGrant.consumerId })).find((candidate) => candidate.operation === churnedGrant.operation);
    if (!grant) throw new Error(`no grant of ${churnedGrant.operation} for ${churnedGrant.consumerId} to edit`);
    const limit = grant.quota?.limit === 10_000_001 ? 10_000_000 : 10_000_001;
    await repository.saveGrant({ ...grant, quota: { windowSeconds: 60, ...grant.quota, limit } }, { actor: 'bench', actorClient: 'bench', requestId: `bench-churn-${edits + 1}` });
    edits += 1;
  };
  const timer = setInterval(() => {
    if (stopped || failure !== undefined) return;
    // One edit at a time: a slow commit delays the next edit instead of piling them up.
    running = running.then(editOnce).catch((error: unknown) => {
      failure = error;
    });
  }, everyMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      if (failure !== undefined) throw failure;
      return edits;
    },
  };
}
