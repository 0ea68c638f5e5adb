import { parse as parseYaml } from 'yaml';
import { connectorDescriptors } from '../../connectors/registry.js';
import { composeConfigSchema } from '../../src/config/compose-config-schema.js';
import { ConfigError, loadConfig, readConfigDocument } from '../../src/config/load-config.js';
import type { ConnectorDescriptor } from '../../src/connector-kit/index.js';
import { fromProjectRoot } from '../../src/paths.js';
import { devGrants, embeddedLayers, loadEmbeddedConfig } from './dev-defaults.js';

const document = readConfigDocument(fromProjectRoot('config/default.yaml'));

// config/default.yaml's connectors section before the sections moved to the sandbox modules:
// the derived ones must say exactly the same (baseUrl: the sandbox's address, replaced once it listens).
const formerSections = (parseYaml(`
connectors:
  population:
    baseUrl: http://127.0.0.1:8201
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-population-client-secret
      accessKey: dev-only-access-key
      secretKey: dev-only-secret-key
      appName: LGSP-DEV
      partnerCode: "000.00.00.H00"
      partnerCodeCus: "000.00.01.H00"
    settings:
      integrationCode: LGSP-DEV
    resilience:
      timeoutMs: 5000
  social-insurance:
    baseUrl: http://127.0.0.1:8203
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-social-insurance-client-secret
      accessKey: dev-only-bhxh-access-key
      secretKey: dev-only-bhxh-secret-key
      appName: LGSP-DEV
      partnerCode: "000.00.00.H00"
      partnerCodeCus: "000.00.01.H00"
    settings:
      integrationCode: LGSP-DEV
    resilience:
      timeoutMs: 5000
  land:
    baseUrl: http://127.0.0.1:8204
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-land-client-secret
      username: lgsp.dev
      password: dev-only-land-password
    settings:
      tokenPath: /connect/token
    resilience:
      timeoutMs: 5000
  tax:
    baseUrl: http://127.0.0.1:8205
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-tax-client-secret
      accessKey: dev-only-tax-access-key
      secretKey: dev-only-tax-secret-key
      appName: LGSP-DEV
      partnerCode: "000.00.00.H00"
      partnerCodeCus: "000.00.01.H00"
    settings:
      integrationCode: LGSP-DEV
    resilience:
      timeoutMs: 5000
  business-registry:
    baseUrl: http://127.0.0.1:8202
    credentials:
      username: lgsp-dev-province
      password: dev-only-business-registry-password
      dstcode: "VN:GOV:G06:DKKD"
    settings:
      servicePath: /dkkd
      loginPath: /login
    resilience:
      timeoutMs: 5000
  public-service-portal:
    baseUrl: http://127.0.0.1:8206
    credentials:
      username: lgsp-dev-province
      password: dev-only-public-service-portal-password
      dstcode: "VN:GOV:G22:DVCQG"
    settings:
      unitCode: "000.00.00.H22"
      servicePath: /dvcqg
      loginPath: /login
    resilience:
      timeoutMs: 5000
  paygov:
    baseUrl: http://127.0.0.1:8207
    credentials:
      partnerCode: LGSP-DEV
      secretKey: dev-only-paygov-checksum-secret
    settings: {}
    resilience:
      timeoutMs: 5000
  judicial-records:
    baseUrl: http://127.0.0.1:8208
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-judicial-records-client-secret
      accessKey: dev-only-judicial-records-access-key
      secretKey: dev-only-judicial-records-secret-key
      appName: LGSP-DEV
      partnerCode: "000.00.00.H22"
      partnerCodeCus: "000.00.01.H22"
    settings:
      provinceCode: "22"
      provinceName: tỉnh Quảng Ninh
      servicePath: /lltp/v2
    resilience:
      timeoutMs: 5000
  postal-delivery:
    baseUrl: http://127.0.0.1:8210
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-vnpost-client-secret
      accessKey: dev-only-vnpost-access-key
      secretKey: dev-only-vnpost-secret-key
      appName: LGSP-DEV
      partnerCode: "000.00.00.H00"
      partnerCodeCus: "000.00.01.H00"
    settings:
      apiPath: /apiVNPostNGSP/p1.0
      customerCode: LGSP-DEV-HCC
      sender:
        name: Trung tâm Phục vụ hành chính công
        phone: "0243823456"
        provinceCode: "01"
        communeCode: "00004"
        address: Số 1 phố Điện Biên Phủ
    resilience:
      timeoutMs: 5000
  civil-status:
    baseUrl: http://127.0.0.1:8209
    credentials:
      clientId: lgsp-dev-province
      clientSecret: dev-only-civil-status-client-secret
      username: lgsp.dev
      password: dev-only-civil-status-password
    settings:
      tokenPath: /oauth2/token
      unitCode: "000.00.01.H22"
    resilience:
      timeoutMs: 5000
`) as { connectors: Record<string, Record<string, unknown>> }).connectors;

describe('embedded development defaults', () => {
  it("derive every registered connector's section from its sandbox module, as default.yaml had them", async () => {
    const { defaults, sandboxed } = await embeddedLayers({ document, env: {}, connectors: connectorDescriptors });
    expect(defaults.connectors).toEqual(formerSections);
    expect([...sandboxed].sort()).toEqual(connectorDescriptors.map((connector) => connector.id).sort());
    const config = await loadEmbeddedConfig({ document, env: {}, connectors: connectorDescriptors });
    expect(Object.keys(config.connectors).sort()).toEqual(connectorDescriptors.map((connector) => connector.id).sort());
  });

  it('the sandbox port in the stand-in baseUrl follows sandboxes.ports', async () => {
    const { defaults } = await embeddedLayers({ document, env: {}, overrides: { sandboxes: { ports: { land: 9304 } } }, connectors: connectorDescriptors });
    expect(defaults.connectors.land!.baseUrl).toBe('http://127.0.0.1:9304');
  });

  it('lose to what the document, the environment or an override sets, key by key', async () => {
    const config = await loadEmbeddedConfig({
      document: { ...document, connectors: { population: { settings: { integrationCode: 'FROM-FILE' }, resilience: { timeoutMs: 1234 } } } },
      env: { LGSP__CONNECTORS__TAX__CREDENTIALS__CLIENT_SECRET: 'from-env' },
      overrides: { connectors: { land: { enabled: false } } },
      connectors: connectorDescriptors,
    });
    expect(config.connectors.population!.settings).toMatchObject({ integrationCode: 'FROM-FILE' });
    expect(config.connectors.population!.resilience).toEqual({ timeoutMs: 1234 });
    expect(config.connectors.population!.credentials).toEqual(formerSections.population!.credentials);
    expect(config.connectors.tax!.credentials).toEqual({ ...(formerSections.tax!.credentials as object), clientSecret: 'from-env' });
    expect(config.connectors.land!.enabled).toBe(false);
  });

  it('leave a connector the document points at a real upstream alone: no defaults, no sandbox', async () => {
    const upstream = { baseUrl: 'https://dkkd.example.gov.vn', credentials: { username: 'province', password: 'real-secret', dstcode: 'VN:GOV:G06:DKKD' } };
    const pointed = { ...document, connectors: { 'business-registry': upstream } };
    const { defaults, sandboxed } = await embeddedLayers({ document: pointed, env: {}, connectors: connectorDescriptors });
    expect(defaults.connectors['business-registry']).toBeUndefined();
    expect(sandboxed.has('business-registry')).toBe(false);
    const config = await loadEmbeddedConfig({ document: pointed, env: {}, connectors: connectorDescriptors });
    // Settings are the schema's defaults, not the sandbox's; no development credential is mixed in.
    expect(config.connectors['business-registry']).toMatchObject({ ...upstream });
    expect(config.connectors['business-registry']!.resilience).toBeUndefined();
    // Set through the environment, the same: its section must then be complete.
    await expect(loadEmbeddedConfig({ document, env: { LGSP__CONNECTORS__LAND__BASE_URL: 'https://land.example.gov.vn' }, connectors: connectorDescriptors })).rejects.toThrow(
      /connectors\.land\.credentials: is required/,
    );
  });

  it('leave a connector marked sandbox: false to its own section: no defaults, no sandbox, its baseUrl required', async () => {
    const upstream = { sandbox: false, baseUrl: 'https://dat-dai-test.example.gov.vn', credentials: { clientId: 'province-test', clientSecret: 'test-secret', username: 'province', password: 'test-password' } };
    const pointed = { ...document, connectors: { land: upstream } };
    const { defaults, sandboxed } = await embeddedLayers({ document: pointed, env: {}, connectors: connectorDescriptors });
    expect(defaults.connectors.land).toBeUndefined();
    expect(sandboxed.has('land')).toBe(false);
    expect(sandboxed.has('population')).toBe(true);
    const config = await loadEmbeddedConfig({ document: pointed, env: {}, connectors: connectorDescriptors });
    expect(config.connectors.land).toMatchObject(upstream);
    // Everything else stays local, with its sandbox's defaults.
    expect(config.connectors.population).toMatchObject({ sandbox: true, credentials: formerSections.population!.credentials });

    // Without a baseUrl it fails naming the key, where it used to get the sandbox.
    const withoutBaseUrl = { ...document, connectors: { land: { sandbox: false, credentials: upstream.credentials } } };
    await expect(loadEmbeddedConfig({ document: withoutBaseUrl, env: {}, connectors: connectorDescriptors })).rejects.toThrow(ConfigError);
    await expect(embeddedLayers({ document: withoutBaseUrl, env: {}, connectors: connectorDescriptors })).rejects.toThrow(/connectors\.land\.baseUrl: is required with connectors\.land\.sandbox: false/);
    // The same from the environment (a string there until the schema coerces it).
    await expect(loadEmbeddedConfig({ document, env: { LGSP__CONNECTORS__LAND__SANDBOX: 'false' }, connectors: connectorDescriptors })).rejects.toThrow(/connectors\.land\.baseUrl: is required/);
  });

  it('is ignored in production (the section is used as written either way)', () => {
    const { devIdp: _devIdp, sandboxes: _sandboxes, ...rest } = document;
    const section = { baseUrl: 'https://dat-dai.example.gov.vn', credentials: { clientId: 'p', clientSecret: 's', username: 'u', password: 'p' } };
    const load = (land: Record<string, unknown>) =>
      loadConfig({ schema: composeConfigSchema(connectorDescriptors), document: { ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' }, connectors: { land } }, env: {} }).connectors.land;
    expect(load(section)).toMatchObject({ ...section, sandbox: true });
    expect(load({ ...section, sandbox: false })).toMatchObject({ ...section, sandbox: false });
  });

  it('are never built for production: refused before any sandbox module is loaded', async () => {
    const loads: string[] = [];
    const watched = connectorDescriptors.map(
      (connector): ConnectorDescriptor<any> => ({ ...connector, sandbox: { port: 0, load: () => (loads.push(connector.id), connector.sandbox!.load()) } }),
    );
    await expect(embeddedLayers({ document, env: { LGSP__MODE: 'production' }, connectors: watched })).rejects.toThrow('mode: embedded');
    await expect(loadEmbeddedConfig({ document: { ...document, mode: 'production' }, env: {}, connectors: watched })).rejects.toThrow('mode: embedded');
    expect(loads).toEqual([]);
    // Production loads the document as written: no connector section it does not hold.
    const { devIdp: _devIdp, sandboxes: _sandboxes, ...rest } = document;
    const production = loadConfig({ schema: composeConfigSchema(connectorDescriptors), document: { ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' } }, env: {} });
    expect(production.connectors).toEqual({});
    expect(() => loadConfig({ schema: composeConfigSchema(connectorDescriptors), document: { ...rest, mode: 'production', store: { driver: 'pg', url: 'postgres://db/lgsp' }, connectors: { population: {} } }, env: {} })).toThrow(ConfigError);
  });

  it('grant the dev consumer every operation, with purposes on personal-data operations only', () => {
    const grants = devGrants(connectorDescriptors).grants!;
    const operations = connectorDescriptors.flatMap((connector) => connector.operations);
    expect(grants.map((grant) => grant.operation)).toEqual(operations.map((operation) => operation.id));
    for (const [index, operation] of operations.entries()) {
      expect(grants[index]).toEqual({
        consumerId: 'one-stop',
        operation: operation.id,
        ...(operation.personalData && { purposes: ['DOSSIER-PROCESSING'] }),
        fields: ['*'],
        quota: { limit: 3000, windowSeconds: 60 },
      });
    }
    expect(grants.filter((grant) => !grant.purposes).map((grant) => grant.operation)).toEqual([
      'public-service-portal.dossier.sync-status',
      'public-service-portal.procedure.get',
      'public-service-portal.procedure.search',
      'public-service-portal.agency.list',
      'public-service-portal.field.list',
      'paygov.payment.get',
      'judicial-records.certificate-request.sync-status',
      'postal-delivery.shipment.get',
      'postal-delivery.shipment.cancel',
    ]);
  });
});
