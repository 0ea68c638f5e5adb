import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessPolicy } from '../../src/access/access-policy.js';
import { AccessRepository } from '../../src/access/access-repository.js';
import { applyAccessSeed } from '../../src/access/access-seed.js';
import { grantViolations } from '../../src/access/grant-rules.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { StoreTarget } from '../../src/store/test-support/store-targets.js';
import { connectorCopyId, scaledBenchConnectors } from '../bench-connectors.js';
import { insertManyConsumers, writeScaleSeed } from '../scale-access.js';

/**
 * What the bench's many-consumers gateway starts on (bench/scale-access.ts),
 * at a small size: rows the repository reads back as contract-valid consumers
 * and grants, which the seed applied at start leaves alone, and which give
 * the bench's client the lookups the bench calls.
 */
export function describeScaleAccess(target: StoreTarget): void {
  describe(`bench scale access data (${target.driver})`, () => {
    const logger = createLogger({ level: 'silent' });
    const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
    const connectors = scaledBenchConnectors(6);
    const mountedOperations = connectors.flatMap((connector) => connector.operations);
    const context = {
      contracts,
      operations: new Map(mountedOperations.map((operation) => [operation.id, operation.response] as const)),
      personalDataOperations: new Set(mountedOperations.filter((operation) => operation.personalData).map((operation) => operation.id)),
    };
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'lgsp-bench-scale-'));
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await target.dispose();
    });

    it('50 consumers × 20 grants: valid rows, the seed adds only its purpose, the bench client holds its lookups', async () => {
      const { store } = await target.openIsolated();
      await migrate(store, migrations, logger);
      const seedFile = join(dir, 'seed.yaml');
      writeScaleSeed(seedFile, connectors);

      expect(await insertManyConsumers(store, { consumers: 50, grantsPerConsumer: 20, connectors })).toEqual({ consumers: 50, grants: 1000 });
      const repository = new AccessRepository(store);
      expect(await applyAccessSeed(seedFile, repository, context)).toBe(1);

      const validConsumer = contracts.validator('https://lgsp.gov.vn/contracts/admin/v1/consumer.json');
      const validGrant = contracts.validator('https://lgsp.gov.vn/contracts/admin/v1/grant.json');
      const consumers = await repository.listConsumers();
      expect(consumers).toHaveLength(50);
      for (const consumer of consumers) expect([consumer.id, validConsumer(consumer), validConsumer.errors ?? null]).toEqual([consumer.id, true, null]);
      const grants = await repository.listGrants();
      const purposeCodes = new Set((await repository.listPurposes()).map((purpose) => purpose.code));
      for (const grant of grants) {
        expect([grant.operation, validGrant(grant)]).toEqual([grant.operation, true]);
        if (context.operations.has(grant.operation)) expect(grantViolations(grant, { ...context, purposeCodes })).toEqual([]);
      }

      const policy = new AccessPolicy({ repository, logger, refreshIntervalMs: 60_000 });
      await policy.start();
      try {
        const client = policy.consumerByClientId('one-stop');
        expect(client).toMatchObject({ id: 'one-stop', status: 'active' });
        expect(policy.grantFor('one-stop', 'population-copy-06.citizen.get')).toMatchObject({ purposes: ['DOSSIER-PROCESSING'], fields: ['*'] });
        expect(policy.grantFor('one-stop', 'population-open.citizen.get')?.purposes).toBeUndefined();
        expect(policy.grantFor('one-stop', `${connectorCopyId(14)}.citizen.get`)).toBeDefined();
        expect(grants.filter((grant) => grant.consumerId === 'one-stop')).toHaveLength(20);
        expect(policy.consumerByClientId('bench-client-00049')).toMatchObject({ id: 'bench-consumer-00049' });
      } finally {
        policy.stop();
      }
    });

    it('the seed for 60 connectors grants the bench client every copy\'s lookup', async () => {
      const { store } = await target.openIsolated();
      await migrate(store, migrations, logger);
      const sixty = scaledBenchConnectors(60);
      const seedFile = join(dir, 'seed-60.yaml');
      writeScaleSeed(seedFile, sixty);
      const operations = sixty.flatMap((connector) => connector.operations);
      const repository = new AccessRepository(store);
      await applyAccessSeed(seedFile, repository, {
        contracts,
        operations: new Map(operations.map((operation) => [operation.id, operation.response] as const)),
        personalDataOperations: new Set(operations.filter((operation) => operation.personalData).map((operation) => operation.id)),
      });
      const granted = new Set((await repository.listGrants({ consumerId: 'one-stop' })).map((grant) => grant.operation));
      for (const connector of sixty.slice(3)) expect(granted).toContain(`${connector.id}.citizen.get`);
      expect(granted.size).toBe(60);
    });
  });
}
