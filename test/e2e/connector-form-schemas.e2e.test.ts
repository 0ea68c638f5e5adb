import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { landSandboxDevCredentials } from '../../connectors/land/sandbox/server.js';
import { probeableOperations } from '../../src/resilience/probe-plan.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * The schemas the console's forms are built from (issue 16, connectors):
 * GET /admin/v1/connectors/{id}/credentials/schema and …/settings/schema
 * give exactly what staging and PATCH validate against — a form built from
 * them asks for the fields the API wants — for every admin role, and never
 * a value.
 */
let harness: Harness;
let tokens: { admin: string; operator: string; auditor: string; consumer: string };

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite', overrides: { health: { probeIntervalMs: 3_600_000 } } });
  tokens = { ...(await harness.staffTokens()), consumer: await harness.token() };
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const call = (method: 'get' | 'post' | 'patch', path: string, token: string, body?: object) => {
  const pending = request(harness.url)[method](`/admin/v1${path}`).set('authorization', `Bearer ${token}`);
  return body === undefined ? pending : pending.send(body);
};

interface CredentialSchemaView {
  connector: string;
  authScheme: string;
  schema: { required?: string[]; properties: Record<string, { type?: string; 'x-secret'?: boolean; writeOnly?: boolean }> };
  secretFields: string[];
}

describe('GET /admin/v1/connectors/{id}/credentials/schema', () => {
  it('land: its password grant fields and the transport fields, with the secret ones marked, and no value', async () => {
    const response = await call('get', '/connectors/land/credentials/schema', tokens.admin);
    expect(response.status).toBe(200);
    const view = response.body as CredentialSchemaView;
    expect(view.connector).toBe('land');
    expect(view.authScheme).toBe('oauth2-password');
    expect(Object.keys(view.schema.properties).sort()).toEqual(['caCertificate', 'clientCertificate', 'clientId', 'clientKey', 'clientSecret', 'password', 'scope', 'username']);
    expect(view.schema.required).toEqual(['clientId', 'username', 'password']);
    expect(view.secretFields).toEqual(['clientKey', 'clientSecret', 'password']);
    expect(view.schema.properties.password).toMatchObject({ type: 'string', 'x-secret': true, writeOnly: true });
    for (const value of Object.values(landSandboxDevCredentials)) expect(response.text).not.toContain(String(value));
  });

  it.each(connectorDescriptors.map((descriptor) => descriptor.id))('%s: staging refuses exactly a missing required field and an unknown one, as the schema says', async (connector) => {
    const { schema, secretFields } = (await call('get', `/connectors/${connector}/credentials/schema`, tokens.operator)).body as CredentialSchemaView;
    expect(secretFields).toEqual(Object.entries(schema.properties).filter(([, property]) => property['x-secret'] === true).map(([name]) => name).sort());
    expect(schema.required?.length).toBeGreaterThan(0);
    // Every required field filled with a string the schema accepts except one: staging names that one.
    const [left, ...others] = schema.required!;
    const filled = Object.fromEntries(others.map((name) => [name, 'filled-by-the-form-0123456789']));
    const missing = await call('post', `/connectors/${connector}/credentials`, tokens.admin, { credentials: filled });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual({ field: `credentials.${left}`, message: expect.any(String) });
    const unknown = await call('post', `/connectors/${connector}/credentials`, tokens.admin, { credentials: { ...filled, [left!]: 'filled-by-the-form-0123456789', notInTheSchema: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'credentials.notInTheSchema', message: 'is not a known field' }]);
  });
});

describe('GET /admin/v1/connectors/{id}/settings/schema', () => {
  it('land: the settings schema PATCH validates against (a value breaking its pattern is refused on that field), the probe schema and the probeable operations', async () => {
    const response = await call('get', '/connectors/land/settings/schema', tokens.auditor);
    expect(response.status).toBe(200);
    const descriptor = connectorDescriptors.find((item) => item.id === 'land')!;
    expect(response.body).toEqual({
      connector: 'land',
      settings: descriptor.settingsSchema,
      probe: expect.objectContaining({ type: 'object', properties: expect.objectContaining({ call: expect.objectContaining({ enum: ['default', 'login', 'operation', 'none'] }) }) }),
      probeableOperations: probeableOperations(descriptor).map((operation) => operation.id),
    });
    expect(response.body.settings.properties.apiPath.pattern).toBe('^/');

    const current = (await call('get', '/connectors/land', tokens.admin)).body as { settings: { value: Record<string, unknown> } };
    const refused = await call('patch', '/connectors/land', tokens.admin, { settings: { ...current.settings.value, apiPath: 'no-leading-slash' } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'settings.apiPath', message: 'must match pattern "^/"' }]);
  });
});

describe('roles', () => {
  it('every admin role reads both schemas; a consumer token is refused; an unknown connector is 404', async () => {
    for (const token of [tokens.admin, tokens.operator, tokens.auditor]) {
      expect((await call('get', '/connectors/population/credentials/schema', token)).status).toBe(200);
      expect((await call('get', '/connectors/population/settings/schema', token)).status).toBe(200);
    }
    for (const path of ['/connectors/population/credentials/schema', '/connectors/population/settings/schema']) {
      const refused = await call('get', path, tokens.consumer);
      expect([refused.status, refused.body.code]).toEqual([403, 'LGSP_ROLE_REQUIRED']);
    }
    for (const path of ['/connectors/nowhere/credentials/schema', '/connectors/nowhere/settings/schema']) {
      const missing = await call('get', path, tokens.admin);
      expect([missing.status, missing.body.code]).toEqual([404, 'LGSP_NOT_FOUND']);
    }
  });
});
