import { jest } from '@jest/globals';
import { AccessPolicy } from '../src/access/access-policy.js';
import { AccessRepository, listAdminAudit } from '../src/access/access-repository.js';
import { createLogger } from '../src/observability/logger.js';
import { migrate } from '../src/store/migrate.js';
import { migrations } from '../src/store/migrations/index.js';
import { pgStoreTarget } from '../src/store/test-support/store-targets.js';
import { churnedGrant, startAdminChurn } from './admin-churn.js';
import { scaledBenchConnectors } from './bench-connectors.js';
import { insertManyConsumers } from './scale-access.js';

const logger = createLogger({ level: 'silent' });
const target = pgStoreTarget(logger);

afterAll(() => target.dispose());

describe('bench admin churn (the edits made on a scale gateway during its runs)', () => {
  it('commits one audited grant edit per interval, each a new policy version a replica applies without reloading everything', async () => {
    const { store } = await target.openIsolated();
    await migrate(store, migrations, logger);
    await insertManyConsumers(store, { consumers: 20, grantsPerConsumer: 12, connectors: scaledBenchConnectors(6) });
    const repository = new AccessRepository(store);
    const policy = new AccessPolicy({ repository, logger, refreshIntervalMs: 60_000 });
    await policy.start();
    const versionBefore = await repository.policyVersion();
    const limitBefore = policy.grantFor(churnedGrant.consumerId, churnedGrant.operation)?.quota?.limit;
    const listed = jest.spyOn(repository, 'listGrants');

    const churn = startAdminChurn(store, 40);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const edits = await churn.stop();

    expect(edits).toBeGreaterThanOrEqual(3);
    expect(await repository.policyVersion()).toBe(versionBefore + edits);
    const entries = await listAdminAudit(store, { resourceType: 'grant' });
    expect(entries.filter((entry) => entry.actor === 'bench')).toHaveLength(edits);
    listed.mockClear();
    await policy.refresh();
    // Applied from the change log: the full list of grants is not read again (the churn's own reads are of one consumer).
    expect(listed.mock.calls.filter(([filter]) => (filter as { consumerId?: string } | undefined)?.consumerId === undefined)).toHaveLength(0);
    const limitAfter = policy.grantFor(churnedGrant.consumerId, churnedGrant.operation)?.quota?.limit;
    expect(limitAfter).toBe(edits % 2 === 0 ? limitBefore : limitBefore === 10_000_001 ? 10_000_000 : 10_000_001);
    policy.stop();
  });

  it('reports an edit that cannot be made instead of going on silently', async () => {
    const { store } = await target.openIsolated();
    await migrate(store, migrations, logger);
    const churn = startAdminChurn(store, 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(churn.stop()).rejects.toThrow(`no grant of ${churnedGrant.operation}`);
  });
});
