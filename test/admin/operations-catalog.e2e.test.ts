import request from 'supertest';
import type { Grant } from '../../contracts/types.generated.js';
import { connectorDescriptors } from '../../connectors/registry.js';
import { catalogsDescriptor } from '../../src/catalogs/catalogs-descriptor.js';
import { grantViolations, type GrantContext } from '../../src/access/grant-rules.js';
import type { FieldNode, OperationCatalogItem } from '../../src/admin/operations-router.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';

// GET /admin/v1/operations on the running embedded gateway (every registered connector mounted):
// what a grant editor offers must be exactly what the grant routes accept.
let harness: Harness;
let tokens: { admin: string; operator: string; auditor: string; consumer: string };
let items: OperationCatalogItem[];

// The common catalogs are mounted by the gateway beside the connectors, and granted the same way.
const registered = [...connectorDescriptors, catalogsDescriptor].flatMap((connector) => connector.operations.map((operation) => ({ connector, operation })));
const paths = (nodes: FieldNode[]): string[] => nodes.flatMap((node) => [node.path, ...paths(node.children ?? [])]);
const get = (token: string) => request(harness.url).get('/admin/v1/operations').set('authorization', `Bearer ${token}`);

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite', overrides: { health: { probeIntervalMs: 3_600_000 } } });
  tokens = { ...(await harness.staffTokens()), consumer: await harness.token() };
  const response = await get(tokens.auditor);
  expect(response.status).toBe(200);
  items = response.body.items;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('GET /admin/v1/operations', () => {
  it('lists every registered operation once, in the connectors’ order, described by its descriptor', () => {
    expect(items.map((item) => item.id)).toEqual(registered.map(({ operation }) => operation.id));
    for (const { connector, operation } of registered) {
      const item = items.find((candidate) => candidate.id === operation.id)!;
      expect(item).toEqual({
        id: operation.id,
        connector: connector.id,
        connectorTitle: connector.title,
        summary: operation.summary,
        description: operation.description,
        method: operation.method,
        path: `/api/v1${operation.path}`,
        personalData: operation.personalData,
        responseContract: operation.response,
        fields: expect.any(Array),
      });
      expect(item.fields.length).toBeGreaterThan(0);
    }
  });

  it('flags personal data as the descriptors declare it', () => {
    const flagged = (value: boolean) => items.filter((item) => item.personalData === value).map((item) => item.id);
    expect(flagged(true)).toEqual(registered.filter(({ operation }) => operation.personalData).map(({ operation }) => operation.id));
    expect(flagged(true)).toEqual(expect.arrayContaining(['population.citizen.get', 'tax.taxpayer.get']));
    expect(flagged(false)).toEqual(expect.arrayContaining(['public-service-portal.procedure.get', 'public-service-portal.agency.list']));
  });

  it('offers a field tree whose every path grant validation accepts (and validation is live: an invented path is refused)', () => {
    const context: GrantContext = {
      contracts: ContractRegistry.fromDirectory(fromProjectRoot('contracts')),
      operations: new Map(registered.map(({ operation }) => [operation.id, operation.response])),
      personalDataOperations: new Set(registered.filter(({ operation }) => operation.personalData).map(({ operation }) => operation.id)),
      purposeCodes: new Set(['DOSSIER-PROCESSING']),
    };
    const grantFor = (item: OperationCatalogItem, fields: string[]): Grant => ({
      consumerId: 'catalog-check',
      operation: item.id,
      fields: fields as Grant['fields'],
      ...(item.personalData && { purposes: ['DOSSIER-PROCESSING'] }),
    });
    for (const item of items) {
      const offered = paths(item.fields);
      expect(new Set(offered).size).toBe(offered.length);
      expect([item.id, grantViolations(grantFor(item, offered), context)]).toEqual([item.id, []]);
      expect(grantViolations(grantFor(item, [...offered, 'notAField']), context)).toEqual([
        { field: `fields.${offered.length}`, message: `notAField is not a field of the ${item.id} response` },
      ]);
    }
    const citizen = items.find((item) => item.id === 'population.citizen.get')!;
    expect(citizen.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'nameParts', type: 'object', children: expect.arrayContaining([expect.objectContaining({ path: 'nameParts.givenName', name: 'givenName', type: 'string' })]) })]));
  });

  it('the running gateway takes a grant of every offered field, for every operation', async () => {
    const admin = (method: 'post' | 'delete', path: string) => request(harness.url)[method](`/admin/v1${path}`).set('authorization', `Bearer ${tokens.admin}`);
    const purposes = (await request(harness.url).get('/admin/v1/purposes').set('authorization', `Bearer ${tokens.admin}`)).body.items as Array<{ code: string }>;
    expect(purposes.length).toBeGreaterThan(0);
    const consumer = await admin('post', '/consumers').send({ id: 'catalog-check', clientId: 'catalog-check', name: 'Catalog check', agency: 'Test', status: 'active' });
    expect(consumer.status).toBe(201);
    for (const item of items) {
      const created = await admin('post', '/grants').send({ consumerId: 'catalog-check', operation: item.id, fields: paths(item.fields), ...(item.personalData && { purposes: [purposes[0]!.code] }) });
      expect([item.id, created.status, created.body.errors]).toEqual([item.id, 201, undefined]);
      expect((await admin('delete', `/grants/${created.body.id}`)).status).toBe(204);
    }
    expect((await admin('delete', '/consumers/catalog-check')).status).toBe(204);
  });

  it('answers the operator and the admin as it answers the auditor', async () => {
    for (const token of [tokens.operator, tokens.admin]) {
      const response = await get(token);
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual(items);
    }
  });

  it('refuses a consumer token (no gateway role) and a missing token, as problems', async () => {
    const refused = await get(tokens.consumer);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('LGSP_ROLE_REQUIRED');
    expect(JSON.stringify(refused.body)).not.toContain('population.citizen.get');

    const anonymous = await request(harness.url).get('/admin/v1/operations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
