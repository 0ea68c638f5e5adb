import { readFileSync } from 'node:fs';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { fromProjectRoot } from '../../src/paths.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { devConfig as civilRegistryDevConfig } from './civil-registry-sandbox.js';
import { civilRegistryConnector, serviceCatalogConnector } from './test-connectors.js';

// A new connector is its folder plus one line in the registry: here two test-only
// connectors added to the registry's list, and nothing else anywhere.
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite', connectors: [...connectorDescriptors, civilRegistryConnector, serviceCatalogConnector] });
}, 90_000);

afterAll(async () => {
  await harness?.close();
});

describe('a connector that only its descriptor and sandbox module know', () => {
  it('is named nowhere in the shipped config or access seed', () => {
    for (const file of ['config/default.yaml', 'config/access-seed.yaml']) {
      const text = readFileSync(fromProjectRoot(file), 'utf8');
      expect(text).not.toContain('civil-registry');
      expect(text).not.toContain('service-catalog');
    }
  });

  it('starts with its sandbox and gets its config from its sandbox module', () => {
    const { config, sandboxes } = harness.stack;
    expect(Object.keys(sandboxes)).toEqual(expect.arrayContaining(['civil-registry', 'service-catalog']));
    expect(config.connectors['civil-registry']).toMatchObject({
      enabled: true,
      baseUrl: sandboxes['civil-registry']!.baseUrl,
      credentials: civilRegistryDevConfig.credentials,
      settings: civilRegistryDevConfig.settings,
      resilience: civilRegistryDevConfig.resilience,
    });
    expect(config.connectors['service-catalog']!.baseUrl).toBe(sandboxes['service-catalog']!.baseUrl);
  });

  it('gets a dev grant for every operation: purposes on personal data only', async () => {
    const admin = await consoleUserToken(harness.stack.idp.issuer, harness.stack.idp.tokenUrl, 'admin');
    const { body } = await request(harness.url).get('/admin/v1/consumers/one-stop/grants').set('authorization', `Bearer ${admin}`);
    const grants = Object.fromEntries((body.items as Array<{ operation: string; purposes?: string[]; fields: string[]; quota?: unknown }>).map((grant) => [grant.operation, grant]));
    for (const operation of civilRegistryConnector.operations) {
      expect(grants[operation.id]).toMatchObject({ purposes: ['DOSSIER-PROCESSING'], fields: ['*'], quota: { limit: 3000, windowSeconds: 60 } });
    }
    for (const operation of serviceCatalogConnector.operations) {
      expect(grants[operation.id]).toMatchObject({ fields: ['*'], quota: { limit: 3000, windowSeconds: 60 } });
      expect(grants[operation.id].purposes).toBeUndefined();
    }
    // The seed's own grant wins over the derived one (it also names IDENTITY-VERIFICATION).
    expect(grants['population.citizen.verify']!.purposes).toEqual(['DOSSIER-PROCESSING', 'IDENTITY-VERIFICATION']);
    expect(grants['population.citizen.get']!.purposes).toEqual(['DOSSIER-PROCESSING']);
  });

  it('answers 200 through the gateway with the dev token, on both forms of a personal-data lookup and on reference data', async () => {
    const token = await harness.token();
    const byPath = await request(harness.url).get('/api/v1/civil-registry/citizens/001090012345').set(personalDataHeaders(token));
    expect({ status: byPath.status, code: byPath.body.code }).toEqual({ status: 200, code: undefined });
    expect(byPath.body).toMatchObject({ personalId: '001090012345' });
    const byBody = await request(harness.url).post('/api/v1/civil-registry/citizens/lookup').set(personalDataHeaders(token)).send({ personalId: '001090012345' });
    expect(byBody.status).toBe(200);
    const catalog = await request(harness.url).get(`/api/v1/service-catalog/procedures/${wellKnownProcedureCodes.birthRegistration}`).set('authorization', `Bearer ${token}`);
    expect(catalog.status).toBe(200);
    expect(catalog.body).toMatchObject({ procedureCode: wellKnownProcedureCodes.birthRegistration });
  });
});
