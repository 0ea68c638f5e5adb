import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractRegistry } from '../contracts/contract-registry.js';
import { createLogger } from '../observability/logger.js';
import { fromProjectRoot } from '../paths.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { AccessRepository } from './access-repository.js';
import { applyAccessSeed } from './access-seed.js';

const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const operations = new Map([
  ['population.citizen.get', 'https://lgsp.gov.vn/contracts/population/v1/citizen.json'],
  ['population.citizen.verify', 'https://lgsp.gov.vn/contracts/population/v1/citizen-verify-response.json'],
]);
const admin = { actor: 'admin', actorClient: 'lgsp-console', requestId: 'test' };

let store: Store;
let repository: AccessRepository;
let dir: string;

beforeAll(async () => {
  store = await openStore({ driver: 'pglite' }, createLogger({ level: 'silent' }));
  repository = new AccessRepository(store);
  dir = mkdtempSync(join(tmpdir(), 'lgsp-seed-'));
}, 60_000);

afterAll(async () => {
  await store?.close();
});

function seedFile(name: string, grants: string[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'purposes: [{ code: DOSSIER-PROCESSING, name: Dossiers, kind: dossier, legalBasis: test, unitCodePatterns: ["*"] }]',
      'consumers: [{ id: one-stop, clientId: one-stop, name: One-stop, agency: Province, status: active }]',
      'grants:',
      ...grants.map((operation) => `  - { consumerId: one-stop, operation: ${operation}, purposes: [DOSSIER-PROCESSING], fields: ["*"] }`),
    ].join('\n'),
  );
  return file;
}

describe('access seed', () => {
  it('adds what the store lacks, leaves admin changes alone, and skips grants of operations not mounted', async () => {
    expect(await applyAccessSeed(seedFile('v1.yaml', ['population.citizen.get']), repository, { contracts, operations, personalDataOperations: new Set(operations.keys()) })).toBe(3);

    // An administrator narrows the seeded grant...
    const [grant] = await repository.listGrants();
    await repository.replaceGrant(grant!.id!, { ...grant!, fields: ['personalId'] }, admin);

    // ...then a newer seed arrives with one more grant, and one for a connector this deployment does not run.
    const added = await applyAccessSeed(seedFile('v2.yaml', ['population.citizen.get', 'population.citizen.verify', 'land.parcel.find']), repository, { contracts, operations, personalDataOperations: new Set(operations.keys()) });
    expect(added).toBe(1);
    const grants = await repository.listGrants();
    expect(grants.map((g) => g.operation)).toEqual(['population.citizen.get', 'population.citizen.verify']);
    expect(grants[0]!.fields).toEqual(['personalId']);
  });

  it('refuses a seed that breaks the contracts, naming the entry', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'consumers: [{ id: Bad Id, clientId: x, name: x, agency: x, status: active }]\n');
    await expect(applyAccessSeed(file, repository, { contracts, operations, personalDataOperations: new Set(operations.keys()) })).rejects.toThrow(/consumers\[0\]: id/);
  });

  it('refuses a quota whose burst reserve would refill faster than its window, before storing anything', async () => {
    const before = (await repository.listConsumers()).length;
    const file = join(dir, 'bad-quota.yaml');
    writeFileSync(
      file,
      'consumers: [{ id: quick-burst, clientId: quick-burst, name: x, agency: x, status: active, rateLimit: { limit: 10, windowSeconds: 60, burst: 5, burstWindowSeconds: 30 } }]\n',
    );
    await expect(applyAccessSeed(file, repository, { contracts, operations, personalDataOperations: new Set(operations.keys()) })).rejects.toThrow('consumers[0]: rateLimit.burstWindowSeconds must be at least windowSeconds (60)');
    expect(await repository.listConsumers()).toHaveLength(before);
  });

  it('writes nothing when a later entry is wrong (a new purpose and consumer, then a grant of an unknown field)', async () => {
    const [purposesBefore, consumersBefore] = [(await repository.listPurposes()).length, (await repository.listConsumers()).length];
    const file = join(dir, 'bad-grant.yaml');
    writeFileSync(
      file,
      [
        'purposes: [{ code: LAND-REGISTRATION, name: Land, kind: code, legalBasis: test }]',
        'consumers: [{ id: land-office, clientId: land-office, name: Land office, agency: Province, status: active }]',
        'grants: [{ consumerId: land-office, operation: population.citizen.get, purposes: [LAND-REGISTRATION], fields: [personalId, salary] }]',
      ].join('\n'),
    );
    await expect(applyAccessSeed(file, repository, { contracts, operations, personalDataOperations: new Set(operations.keys()) })).rejects.toThrow('grants[0]: fields.1 salary is not a field of the population.citizen.get response');
    expect(await repository.listPurposes()).toHaveLength(purposesBefore);
    expect(await repository.listConsumers()).toHaveLength(consumersBefore);
  });
});
