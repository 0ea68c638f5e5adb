import request from 'supertest';
import { catalogServices } from '../../connectors/public-service-portal/client.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { landOperations, startLandSandbox, type LandSandbox } from '../../connectors/land/sandbox/server.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

// The probe per deployment and embedded mode with one real upstream, through the whole stack:
// - land is marked `sandbox: false` and pointed at a land server started apart, with credentials
//   that are not the development ones (as a province's test account on the national test
//   environment would be); its probe only checks the login;
// - the portal's probe reads one procedure instead of the field list;
// - tax is not probed at all.
const probeIntervalMs = 100;
const probeTimeoutMs = 1000;
const testAccount = { clientId: 'province-test', clientSecret: 'province-test-client-secret', username: 'province.test', password: 'province-test-password' };

let outsideLand: LandSandbox;
let harness: Harness;
let tokens: { operator: string; consumer: string };

beforeAll(async () => {
  outsideLand = await startLandSandbox({ port: 0, credentials: testAccount });
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      health: { probeIntervalMs, probeTimeoutMs },
      connectors: {
        land: { sandbox: false, baseUrl: outsideLand.baseUrl, credentials: testAccount, settings: { tokenPath: '/connect/token' }, probe: { call: 'login' }, resilience: { retry: { maxAttempts: 1 } } },
        'public-service-portal': { probe: { call: 'operation', operation: 'public-service-portal.procedure.get', input: { params: { procedureCode: wellKnownProcedureCodes.birthRegistration } } } },
        tax: { probe: { call: 'none' } },
        population: { resilience: { retry: { maxAttempts: 1 } } },
      },
    },
  });
  tokens = { operator: (await harness.staffTokens()).operator, consumer: await harness.token() };
}, 90_000);

afterAll(async () => {
  await harness?.close();
  await outsideLand?.close();
});

afterEach(() => {
  outsideLand.faults.clear();
  portalSandbox().faults.clear();
  harness.sandbox.faults.clear();
});

const portalSandbox = () => harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
const health = (connector: string) => request(harness.url).get(`/admin/v1/connectors/${connector}/health`).set('authorization', `Bearer ${tokens.operator}`);
const metricsText = async () => (await request(harness.opsUrl).get('/metrics')).text;

describe('embedded mode with one real upstream (connectors.land.sandbox: false)', () => {
  it('starts no land sandbox and keeps the configured address and credentials', () => {
    expect(harness.stack.sandboxes.land).toBeUndefined();
    expect(harness.stack.sandboxes.population).toBeDefined();
    expect(harness.stack.config.connectors.land).toMatchObject({ sandbox: false, baseUrl: outsideLand.baseUrl, credentials: testAccount });
  });

  it('sends a land lookup to that server, logged in with its account', async () => {
    outsideLand.faults.resetCalls();
    const response = await request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }).set(personalDataHeaders(tokens.consumer));
    expect(response.status).toBe(200);
    expect(response.body.parcels).toHaveLength(1);
    expect(outsideLand.faults.calls(landOperations.parcels)).toBe(1);
  });
});

describe('the probe per deployment', () => {
  it('login: the land probe stays ok while its data API fails (the default probe would page), and real calls still show the failure', async () => {
    await eventually(() => health('land'), (r) => r.body.probe?.status === 'ok');
    outsideLand.faults.set({ kind: 'http-500' });
    outsideLand.faults.resetCalls();
    const failed = await request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }).set(personalDataHeaders(tokens.consumer));
    expect(failed.status).toBe(502);
    await new Promise((resolve) => setTimeout(resolve, 4 * probeIntervalMs));
    expect((await health('land')).body.probe).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    // The probe made no data call: only the lookup above reached the data API.
    expect(outsideLand.faults.calls(landOperations.parcels)).toBe(1);
    expect(await metricsText()).toContain('lgsp_upstream_probe_up{connector="land"} 1');
  });

  it("operation: the portal probe reads the configured procedure, not the default field list, and says what the portal answered", async () => {
    // The default probe's service failing does not touch this deployment's probe...
    portalSandbox().faults.set({ kind: 'http-500' }, { operation: catalogServices.fields });
    await new Promise((resolve) => setTimeout(resolve, 4 * probeIntervalMs));
    expect((await health('public-service-portal')).body.probe).toMatchObject({ status: 'ok' });
    // ...the configured operation's does.
    portalSandbox().faults.set({ kind: 'http-500' }, { operation: catalogServices.procedure });
    const failing = await eventually(() => health('public-service-portal'), (r) => r.body.probe?.status === 'failed');
    expect(failing.body.probe).toMatchObject({ errorKind: 'http', error: 'HTTP 500 from the upstream' });
    const ready = await request(harness.opsUrl).get('/readyz');
    expect(ready.body.detail.upstreams['public-service-portal'].probe).toMatchObject({ status: 'failed', error: 'HTTP 500 from the upstream' });
  });

  it('none: tax reports disabled and has no probe_up series; the others keep theirs', async () => {
    const response = await health('tax');
    expect(response.status).toBe(200);
    expect(response.body.probe).toEqual({ status: 'disabled', consecutiveFailures: 0 });
    const metrics = await metricsText();
    expect(metrics).not.toContain('lgsp_upstream_probe_up{connector="tax"}');
    expect(metrics).toContain('lgsp_upstream_probe_up{connector="population"}');
    expect((await request(harness.opsUrl).get('/readyz')).body.detail.upstreams.tax.probe.status).toBe('disabled');
  });

  it("default: population's probe error names the SOAP fault, never what the envelope said", async () => {
    harness.sandbox.faults.set({ kind: 'soap-fault' });
    const failing = await eventually(() => health('population'), (r) => r.body.probe?.errorKind === 'fault');
    expect(failing.body.probe.error).toBe('SOAP fault soap:Server');
  });
});
