import { jest } from '@jest/globals';
import type { Consumer, Grant, Purpose } from '../../../contracts/types.generated.js';
import { scaledBenchConnectors } from '../../../bench/bench-connectors.js';
import { insertManyConsumers } from '../../../bench/scale-access.js';
import { migrate } from '../../store/migrate.js';
import { migrations } from '../../store/migrations/index.js';
import type { Store } from '../../store/store.js';
import { captureLogger } from '../../store/test-support/capture-logger.js';
import type { StoreTarget } from '../../store/test-support/store-targets.js';
import { AccessPolicy } from '../access-policy.js';
import { AccessRepository, policyChangesKept, type AdminActor } from '../access-repository.js';

const actor: AdminActor = { actor: 'test', actorClient: 'test', requestId: 'access-policy-test' };

/** Small pools, so random changes keep hitting the same rows: client ids taken over, grants moved, consumers deleted and re-created. */
const pools = {
  consumerIds: ['c1', 'c2', 'c3', 'c4', 'c5'],
  clientIds: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'],
  operations: ['a.x.get', 'b.x.get', 'c.x.get', 'd.x.get'],
  purposeCodes: ['P1', 'P2', 'P3'],
};

/** mulberry32: a seeded generator, so a failing sequence can be replayed from the seed in the test name. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(items: readonly T[]): T => items[int(items.length)]!, chance: (p: number) => next() < p };
}

type Random = ReturnType<typeof random>;

/** One random admin change through the repository, as the admin API makes them; refused ones (taken client id, missing consumer, taken pair) change nothing. */
async function randomChange(repository: AccessRepository, rnd: Random): Promise<void> {
  const consumer = (): Consumer => ({
    id: rnd.pick(pools.consumerIds),
    clientId: rnd.pick(pools.clientIds),
    name: `name ${rnd.int(3)}`,
    agency: 'agency',
    status: rnd.chance(0.8) ? 'active' : 'suspended',
    ...(rnd.chance(0.3) ? { rateLimit: { limit: 10 + rnd.int(5), windowSeconds: 60 } } : {}),
  });
  const grant = (): Grant => ({
    consumerId: rnd.pick(pools.consumerIds),
    operation: rnd.pick(pools.operations),
    fields: rnd.chance(0.5) ? ['*'] : ['hoTen'],
    ...(rnd.chance(0.5) ? { purposes: [rnd.pick(pools.purposeCodes)] as [string] } : {}),
  });
  const existingGrantId = async () => {
    const grants = await repository.listGrants();
    return grants.length > 0 ? rnd.pick(grants).id! : undefined;
  };
  try {
    switch (rnd.int(8)) {
      case 0:
      case 1:
        await repository.saveConsumer(consumer(), actor);
        break;
      case 2:
        await repository.deleteConsumer(rnd.pick(pools.consumerIds), actor);
        break;
      case 3: {
        const purpose: Purpose = { code: rnd.pick(pools.purposeCodes), name: `purpose ${rnd.int(3)}`, kind: rnd.chance(0.5) ? 'code' : 'dossier', legalBasis: 'law' };
        await (rnd.chance(0.75) ? repository.savePurpose(purpose, actor) : repository.deletePurpose(purpose.code, actor));
        break;
      }
      case 4:
      case 5:
        await repository.saveGrant(grant(), actor);
        break;
      case 6: {
        // Replacing by id may move the grant to another consumer and operation.
        const id = await existingGrantId();
        if (id) await repository.replaceGrant(id, grant(), actor);
        break;
      }
      default: {
        const id = await existingGrantId();
        if (id) await repository.deleteGrant(id, actor);
      }
    }
  } catch (error) {
    if (!['23505', '23503'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

/** Everything the hot path can ask of the policy about these client ids, consumer × operation pairs and purposes. */
function observe(policy: AccessPolicy, names: { clientIds: readonly string[]; consumerIds: readonly string[]; operations: readonly string[] }) {
  return {
    consumers: names.clientIds.map((clientId) => [clientId, policy.consumerByClientId(clientId) ?? null]),
    grants: names.consumerIds.flatMap((id) => names.operations.map((operation) => [id, operation, policy.grantFor(id, operation) ?? null])),
    purposes: [...policy.purposes.values()].sort((a, b) => a.code.localeCompare(b.code)),
  };
}

/** What a replica that reads everything holds now (the reference the incremental state must equal). */
async function fullyLoaded<T>(store: Store, read: (policy: AccessPolicy) => T): Promise<T> {
  const policy = new AccessPolicy({ repository: new AccessRepository(store), logger: captureLogger().logger, refreshIntervalMs: 3_600_000 });
  await policy.start();
  policy.stop();
  return read(policy);
}

interface LogLine {
  msg: string;
  reason?: string;
  versions?: number;
  consumers?: number;
  purposes?: number;
}
const lines = (log: ReturnType<typeof captureLogger>): LogLine[] => log.text().trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogLine);
const fullLoads = (log: ReturnType<typeof captureLogger>) => lines(log).filter((line) => line.msg === 'access policy loaded');
const incrementalUpdates = (log: ReturnType<typeof captureLogger>) => lines(log).filter((line) => line.msg === 'access policy updated incrementally');

export function describeAccessPolicy(target: StoreTarget): void {
  describe(`access policy: incremental updates (${target.driver})`, () => {
    afterAll(() => target.dispose());

    async function openPolicy() {
      const isolated = await target.openIsolated();
      const { store } = isolated;
      await migrate(store, migrations, captureLogger().logger);
      const log = captureLogger();
      const repository = new AccessRepository(store);
      const policy = new AccessPolicy({ repository, logger: log.logger, refreshIntervalMs: 3_600_000 });
      return { ...isolated, repository, policy, log };
    }

    it.each([1, 2, 3])('random admin changes (seed %i), several per version window, some from another replica while it refreshes: the policy equals a full reload after every refresh', async (seed) => {
      const { store, openAnother, repository, policy, log } = await openPolicy();
      // Another replica's admin API, on its own connections (pg; PGlite is one session either way).
      const other = new AccessRepository(await openAnother());
      const rnd = random(seed);
      await policy.start();
      try {
        for (let step = 0; step < 25; step++) {
          const writers = Array.from({ length: 1 + rnd.int(4) }, (_, index) => (index % 2 === 0 ? repository : other));
          if (rnd.chance(0.3)) {
            // Changes committing while the replica reads: it may read rows newer than the version it records.
            await Promise.all([...writers.map((writer) => randomChange(writer, rnd)), policy.refresh()]);
          } else {
            for (const writer of writers) await randomChange(writer, rnd);
          }
          await policy.refresh();
          expect([step, observe(policy, pools)]).toEqual([step, await fullyLoaded(store, (full) => observe(full, pools))]);
        }
      } finally {
        policy.stop();
      }
      // Only the start read everything; every change since was applied from the change log.
      expect(fullLoads(log).map((line) => line.reason)).toEqual(['first load']);
      expect(incrementalUpdates(log).length).toBeGreaterThan(10);
    }, 120_000);

    it('a client id swapped between two consumers, a consumer deleted with its grants and re-created, all in one version window', async () => {
      const { repository, policy, log } = await openPolicy();
      const consumer = (id: string, clientId: string): Consumer => ({ id, clientId, name: id, agency: 'agency', status: 'active' });
      await repository.saveConsumer(consumer('c1', 'k1'), actor);
      await repository.saveConsumer(consumer('c2', 'k2'), actor);
      await repository.saveGrant({ consumerId: 'c2', operation: 'a.x.get', fields: ['*'] }, actor);
      await policy.start();
      try {
        await repository.saveConsumer(consumer('c1', 'tmp'), actor);
        await repository.saveConsumer(consumer('c2', 'k1'), actor);
        await repository.saveConsumer(consumer('c1', 'k2'), actor);
        await repository.deleteConsumer('c2', actor);
        await repository.saveConsumer(consumer('c2', 'k1'), actor);
        await policy.refresh();

        expect(policy.consumerByClientId('k1')?.id).toBe('c2');
        expect(policy.consumerByClientId('k2')?.id).toBe('c1');
        expect(policy.consumerByClientId('tmp')).toBeUndefined();
        // The store dropped c2's grant with it; the re-created c2 has none.
        expect(policy.grantFor('c2', 'a.x.get')).toBeUndefined();
        expect(incrementalUpdates(log)).toEqual([expect.objectContaining({ versions: 5, consumers: 2, purposes: 0 })]);
      } finally {
        policy.stop();
      }
    });

    it('reads everything when it cannot know what changed: a version without change rows, an unknown change, too many changes, a version that went back', async () => {
      const { store, repository, policy, log } = await openPolicy();
      await repository.saveConsumer({ id: 'c1', clientId: 'k1', name: 'first', agency: 'agency', status: 'active' }, actor);
      await policy.start();
      try {
        // A change by a release that predates the change log (during a rolling upgrade): the version moves, no row says why.
        await store.exec(`UPDATE consumers SET name = 'renamed by an older release'; UPDATE access_policy_version SET version = version + 1`);
        await policy.refresh();
        expect(policy.consumerByClientId('k1')?.name).toBe('renamed by an older release');

        await repository.saveConsumer({ id: 'c2', clientId: 'k2', name: 'second', agency: 'agency', status: 'active' }, actor);
        await policy.refresh();
        expect(policy.consumerByClientId('k2')?.name).toBe('second');

        // A kind of change this release does not know how to apply (written by a newer one).
        await repository.saveConsumer({ id: 'c3', clientId: 'k3', name: 'third', agency: 'agency', status: 'active' }, actor);
        await store.exec(`INSERT INTO access_policy_changes (version, resource_type, resource_id) SELECT version, 'connector', 'x' FROM access_policy_version`);
        await policy.refresh();
        expect(policy.consumerByClientId('k3')?.name).toBe('third');

        await store.exec(`UPDATE consumers SET name = 'far behind' WHERE id = 'c1'; UPDATE access_policy_version SET version = version + ${policyChangesKept + 1}`);
        await policy.refresh();
        expect(policy.consumerByClientId('k1')?.name).toBe('far behind');

        // A store restored from an older backup.
        await store.exec(`UPDATE consumers SET name = 'restored' WHERE id = 'c1'; UPDATE access_policy_version SET version = 2`);
        await policy.refresh();
        expect(policy.consumerByClientId('k1')?.name).toBe('restored');
      } finally {
        policy.stop();
      }
      expect(fullLoads(log).map((line) => line.reason)).toEqual(['first load', 'change log incomplete', 'unknown change', 'too many changes', 'version went back']);
      expect(incrementalUpdates(log)).toHaveLength(1);
    });

    it(`keeps the change rows of the last ${policyChangesKept} versions`, async () => {
      const { store, repository } = await openPolicy();
      await store.exec('UPDATE access_policy_version SET version = 5000');
      await store.exec(`INSERT INTO access_policy_changes (version, resource_type, resource_id) VALUES (${5001 - policyChangesKept}, 'consumer', 'old'), (${5002 - policyChangesKept}, 'consumer', 'kept')`);
      await repository.saveConsumer({ id: 'c1', clientId: 'k1', name: 'one', agency: 'agency', status: 'active' }, actor);
      const { rows } = await store.query<{ version: number; resource_id: string }>('SELECT version, resource_id FROM access_policy_changes ORDER BY version');
      expect(rows.map((row) => [Number(row.version), row.resource_id])).toEqual([
        [5002 - policyChangesKept, 'kept'],
        [5001, 'c1'],
      ]);
    });

    it('2,000 consumers × 20 grants: a few admin changes are applied without reading the whole policy, and it equals a full reload', async () => {
      const { store, repository, policy, log } = await openPolicy();
      await insertManyConsumers(store, { consumers: 2000, grantsPerConsumer: 20, connectors: scaledBenchConnectors(6) });
      await policy.start();
      const [edited] = await repository.listGrants({ consumerId: 'bench-consumer-00007' });
      const [moved] = await repository.listGrants({ consumerId: 'bench-consumer-00010' });
      const everything = [jest.spyOn(repository, 'listConsumers'), jest.spyOn(repository, 'listGrants'), jest.spyOn(repository, 'listPurposes')];
      try {
        await repository.saveGrant({ ...edited!, fields: ['hoTen'] }, actor);
        await repository.saveConsumer({ ...(await repository.getConsumer('bench-consumer-00008'))!, clientId: 'renamed-client' }, actor);
        await repository.deleteConsumer('bench-consumer-00009', actor);
        await repository.replaceGrant(moved!.id!, { ...moved!, consumerId: 'bench-consumer-00011', operation: 'moved.citizen.get' }, actor);
        await repository.savePurpose({ code: 'NEW-PURPOSE', name: 'new', kind: 'code', legalBasis: 'law' }, actor);
        await policy.refresh();
        expect(everything.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
        expect(incrementalUpdates(log)).toEqual([expect.objectContaining({ versions: 5, consumers: 5, purposes: 1 })]);
      } finally {
        policy.stop();
        everything.forEach((spy) => spy.mockRestore());
      }
      expect(policy.grantFor('bench-consumer-00007', edited!.operation)?.fields).toEqual(['hoTen']);
      expect(policy.consumerByClientId('renamed-client')?.id).toBe('bench-consumer-00008');
      expect(policy.grantFor('bench-consumer-00011', 'moved.citizen.get')?.id).toBe(moved!.id);

      // Every consumer and grant, including those just removed, as a full reload sees them.
      const grants = await repository.listGrants();
      const names = {
        clientIds: [...(await repository.listConsumers()).map((consumer) => consumer.clientId), 'bench-client-00008', 'bench-client-00009'],
        consumerIds: [...new Set([...grants.map((grant) => grant.consumerId), 'bench-consumer-00009'])],
        operations: [...new Set([...grants.map((grant) => grant.operation), edited!.operation, moved!.operation])],
      };
      const mismatches = (a: ReturnType<typeof observe>, b: ReturnType<typeof observe>) =>
        (['consumers', 'grants', 'purposes'] as const).flatMap((key) => a[key].filter((entry, index) => JSON.stringify(entry) !== JSON.stringify(b[key][index])));
      const incremental = observe(policy, names);
      expect(incremental.grants.filter(([, , grant]) => grant).length).toBe(2000 * 20 - 20);
      expect(mismatches(incremental, await fullyLoaded(store, (full) => observe(full, names)))).toEqual([]);
    }, 120_000);
  });
}
