import { connectorDescriptors } from '../../connectors/registry.js';
import { composeConfigSchema } from '../config/compose-config-schema.js';
import { ConfigError, loadConfig, readConfigDocument } from '../config/load-config.js';
import { assertProbeSettings } from '../config/probe-settings-check.js';
import type { ConnectorDescriptor, InvocationContext, OperationInput } from '../connector-kit/descriptor.js';
import type { UpstreamAuth } from '../connector-kit/upstream-auth/upstream-auth.js';
import { fromProjectRoot } from '../paths.js';
import { probeFor, probeSettingSchemaFor, validateProbeSetting, type ProbeSetting } from './probe-plan.js';

const descriptorOf = (id: string) => connectorDescriptors.find((descriptor) => descriptor.id === id)!;
const portal = descriptorOf('public-service-portal');
const population = descriptorOf('population');

/** A connector whose calls are recorded: the default probe, a catalog read, a personal-data read, a write. */
function recordingConnector(authScheme: ConnectorDescriptor['authScheme'] = 'session-login+dstcode') {
  const calls: Array<{ what: string; input?: OperationInput; context?: InvocationContext; client?: unknown }> = [];
  const base = { method: 'GET' as const, summary: '', description: '', idempotent: true, response: 'x', subjectIdOf: () => undefined, releasedFields: () => [] };
  const descriptor: ConnectorDescriptor<{ name: string }> = {
    id: 'recording',
    title: 'Recording',
    upstream: 'a test upstream',
    protocol: 'rest',
    authScheme,
    credentialSchema: { type: 'object' },
    settingsSchema: { type: 'object' },
    resilience: {},
    createClient: async () => ({ name: 'client' }),
    async probe(client) {
      calls.push({ what: 'default probe', client });
    },
    operations: [
      {
        ...base,
        id: 'recording.item.get',
        path: '/recording/items/{code}',
        personalData: false,
        request: { params: { code: { type: 'string' } }, query: { properties: { lang: { type: 'string' } } } },
        async invoke(client, input, context) {
          calls.push({ what: 'recording.item.get', input, context, client });
          return { kind: 'not_found' };
        },
      },
      {
        ...base,
        id: 'recording.citizen.get',
        path: '/recording/citizens/{personalId}',
        personalData: true,
        request: { params: { personalId: { type: 'string' } } },
        async invoke() {
          calls.push({ what: 'recording.citizen.get' });
          return { kind: 'not_found' };
        },
      },
      {
        ...base,
        id: 'recording.item.put',
        method: 'PUT',
        path: '/recording/items/{code}',
        personalData: false,
        idempotent: false,
        request: { params: { code: { type: 'string' } }, body: 'x' },
        write: { target: 'recording.items', keyOf: () => 'k', messageOf: () => ({}), fieldsSent: () => [] },
      },
    ],
  };
  return { descriptor, calls };
}

function recordingAuth() {
  const seen = { headers: 0, invalidated: 0 };
  const auth: UpstreamAuth = {
    scheme: 'session-login+dstcode',
    async headers() {
      seen.headers += 1;
      return { authorization: 'Bearer cached' };
    },
    invalidate() {
      seen.invalidated += 1;
    },
  };
  return { auth, seen };
}

const signal = new AbortController().signal;

describe('probeFor: which call the probe makes', () => {
  it("default (or no setting): the descriptor's own probe with the connector's client", async () => {
    for (const setting of [undefined, { call: 'default' } as const]) {
      const { descriptor, calls } = recordingConnector();
      const probe = probeFor({ descriptor, setting, client: { name: 'client' }, auth: recordingAuth().auth });
      await probe!(signal);
      expect(calls).toEqual([{ what: 'default probe', client: { name: 'client' } }]);
    }
  });

  it('login: only the upstream auth, reusing its cached session (never invalidated), no data call', async () => {
    const { descriptor, calls } = recordingConnector();
    const { auth, seen } = recordingAuth();
    const probe = probeFor({ descriptor, setting: { call: 'login' }, client: {}, auth })!;
    await probe(signal);
    await probe(signal);
    expect(seen).toEqual({ headers: 2, invalidated: 0 });
    expect(calls).toEqual([]);
  });

  it("login: a refused login is the probe's failure", async () => {
    const { descriptor } = recordingConnector();
    const refused = new Error('refused');
    const auth: UpstreamAuth = { scheme: 'session-login+dstcode', headers: () => Promise.reject(refused), invalidate: () => undefined };
    await expect(probeFor({ descriptor, setting: { call: 'login' }, client: {}, auth })!(signal)).rejects.toBe(refused);
  });

  it("operation: that read's invoke with the configured input and a probe's invocation context", async () => {
    const { descriptor, calls } = recordingConnector();
    const setting: ProbeSetting = { call: 'operation', operation: 'recording.item.get', input: { params: { code: 'A-1' }, query: { lang: 'vi' } } };
    const probe = probeFor({ descriptor, setting, client: { name: 'client' }, auth: recordingAuth().auth })!;
    // "Not found" is an answer: the probe resolves.
    await expect(probe(signal)).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ what: 'recording.item.get', client: { name: 'client' }, input: { params: { code: 'A-1' }, query: { lang: 'vi' } } });
    expect(calls[0]!.context).toMatchObject({ signal, requestId: 'health-probe' });
  });

  it('none: not probed', () => {
    const { descriptor } = recordingConnector();
    expect(probeFor({ descriptor, setting: { call: 'none' }, client: {}, auth: recordingAuth().auth })).toBeUndefined();
  });

  it('refuses to build a probe from a setting validateProbeSetting refuses', () => {
    const { descriptor } = recordingConnector();
    expect(() => probeFor({ descriptor, setting: { call: 'operation', operation: 'recording.citizen.get', input: { params: { personalId: '001090012345' } } }, client: {}, auth: recordingAuth().auth })).toThrow(
      /connectors\.recording\.probe: operation: recording\.citizen\.get reads personal data/,
    );
  });
});

describe('validateProbeSetting', () => {
  const { descriptor } = recordingConnector();

  it('accepts every call kind used as intended', () => {
    expect(validateProbeSetting(descriptor, undefined)).toEqual([]);
    expect(validateProbeSetting(descriptor, { call: 'default' })).toEqual([]);
    expect(validateProbeSetting(descriptor, { call: 'login' })).toEqual([]);
    expect(validateProbeSetting(descriptor, { call: 'none' })).toEqual([]);
    expect(validateProbeSetting(descriptor, { call: 'operation', operation: 'recording.item.get', input: { params: { code: 'A-1' } } })).toEqual([]);
  });

  it('refuses personal-data reads, writes, unknown operations and a missing operation, naming what would do', () => {
    const candidates = '(one of recording.item.get)';
    expect(validateProbeSetting(descriptor, { call: 'operation', operation: 'recording.citizen.get', input: { params: { personalId: '1' } } })).toEqual([
      `operation: recording.citizen.get reads personal data and cannot be a health probe ${candidates}`,
    ]);
    expect(validateProbeSetting(descriptor, { call: 'operation', operation: 'recording.item.put', input: { params: { code: 'A' }, body: {} } })).toEqual([
      `operation: recording.item.put is not a read that asks the upstream and cannot be a health probe ${candidates}`,
    ]);
    expect(validateProbeSetting(descriptor, { call: 'operation', operation: 'population.citizen.get' })).toEqual([`operation: population.citizen.get is not an operation of recording ${candidates}`]);
    expect(validateProbeSetting(descriptor, { call: 'operation' })).toEqual([`operation: is required with call: operation ${candidates}`]);
  });

  it("checks the input's shape against the operation's declaration", () => {
    expect(validateProbeSetting(descriptor, { call: 'operation', operation: 'recording.item.get', input: { params: { other: 'x' }, query: { page: '1' }, body: {} } })).toEqual([
      'input.params.code: is required by recording.item.get',
      'input.params.other: recording.item.get has no such path parameter',
      'input.query.page: recording.item.get has no such query parameter',
      'input.body: recording.item.get takes no body',
    ]);
  });

  it('refuses operation or input with another call, and login without an upstream login', () => {
    expect(validateProbeSetting(descriptor, { call: 'login', operation: 'recording.item.get', input: {} })).toEqual([
      'operation: applies only to call: operation (call is login)',
      'input: applies only to call: operation (call is login)',
    ]);
    expect(validateProbeSetting(recordingConnector('none').descriptor, { call: 'login' })).toEqual(['call: recording has no upstream login to check (auth scheme none)']);
  });

  it('on the shipped connectors: the portal offers its catalog reads; population, all personal data, none', () => {
    expect(validateProbeSetting(portal, { call: 'operation', operation: 'public-service-portal.field.list' })).toEqual([]);
    expect(validateProbeSetting(portal, { call: 'operation', operation: 'public-service-portal.dossier.sync-status', input: { params: { dossierCode: 'X' } } })[0]).toMatch(
      /is not a read that asks the upstream/,
    );
    expect(validateProbeSetting(population, { call: 'operation', operation: 'population.citizen.get', input: { params: { personalId: '001090012345' } } })).toEqual([
      'operation: population.citizen.get reads personal data and cannot be a health probe (population has no such operation: use call default, login or none)',
    ]);
  });
});

describe('connectors.<id>.probe in the configuration', () => {
  const schema = composeConfigSchema(connectorDescriptors);
  const document = readConfigDocument(fromProjectRoot('config/default.yaml'));
  const production = (probe: unknown) => ({
    ...document,
    mode: 'production',
    store: { driver: 'pg', url: 'postgres://db/lgsp' },
    connectors: {
      'public-service-portal': {
        baseUrl: 'https://dvcqg.example.gov.vn',
        credentials: { username: 'province', password: 'real-secret', dstcode: 'VN:GOV:G22:DVCQG' },
        settings: { unitCode: '000.00.00.H22' },
        ...(probe !== undefined && { probe }),
      },
    },
  });

  it('fills call: default, and takes a probeable operation with its input', () => {
    const config = loadConfig({ schema, document: production({}), env: {} });
    expect(config.connectors['public-service-portal']!.probe).toEqual({ call: 'default' });
    const withOperation = loadConfig({ schema, document: production({ call: 'operation', operation: 'public-service-portal.procedure.get', input: { params: { procedureCode: '1.001193.000.00.00.H56' } } }), env: {} });
    expect(() => assertProbeSettings(withOperation, connectorDescriptors)).not.toThrow();
    // Absent: the descriptor's probe, as before.
    expect(loadConfig({ schema, document: production(undefined), env: {} }).connectors['public-service-portal']!.probe).toBeUndefined();
  });

  it("refuses an unknown call, another connector's operation id and unknown keys at load", () => {
    expect(() => loadConfig({ schema, document: production({ call: 'ping' }), env: {} })).toThrow(/connectors\.public-service-portal\.probe\.call: must be one of \["default","login","operation","none"\]/);
    expect(() => loadConfig({ schema, document: production({ call: 'operation', operation: 'population.citizen.get' }), env: {} })).toThrow(/connectors\.public-service-portal\.probe\.operation: must be one of/);
    expect(() => loadConfig({ schema, document: production({ call: 'login', path: '/ping' }), env: {} })).toThrow(/connectors\.public-service-portal\.probe\.path: unknown key/);
  });

  it('refuses a personal-data or write operation at start, naming the key and the candidates', () => {
    const config = loadConfig({ schema, document: production({ call: 'operation', operation: 'public-service-portal.dossier.sync', input: { params: { dossierCode: 'X' }, body: {} } }), env: {} });
    let error: unknown;
    try {
      assertProbeSettings(config, connectorDescriptors);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'invalid configuration:\n  - connectors.public-service-portal.probe.operation: public-service-portal.dossier.sync reads personal data and cannot be a health probe (one of public-service-portal.procedure.get, public-service-portal.procedure.search, public-service-portal.agency.list, public-service-portal.field.list)',
    );
  });

  it('probeSettingSchemaFor lists only this connector’s operations', () => {
    const fragment = probeSettingSchemaFor(portal) as { properties: { operation: { enum: string[] }; call: { enum: string[]; default: string } } };
    expect(fragment.properties.operation.enum).toEqual(portal.operations.map((operation) => operation.id));
    expect(fragment.properties.call).toMatchObject({ enum: ['default', 'login', 'operation', 'none'], default: 'default' });
  });
});
