import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { landOperations, landSandboxDevCredentials, startLandSandbox, type LandSandbox } from '../../connectors/land/sandbox/server.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * Issue 13 acceptance, on real PostgreSQL with two gateway replicas sharing
 * one store: what an administrator changes on one replica (base URL,
 * enabled, maintenance) reaches the other within the refresh interval,
 * without a restart, and a call in flight finishes on the client it began
 * with.
 */

const refreshIntervalMs = 200;
const anCertificate = 'DA123456';
// The lookups of this file read certificates: the land probe reads parcels, so the upstream's count of certificate calls is the gateway's calls only.
const lookups = landOperations.certificates;

let harness: Harness;
let second: RunningGateway;
let firstLand: LandSandbox;
let otherLand: LandSandbox;
let token: string;
let admin: string;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pg',
    overrides: {
      access: { refreshIntervalMs },
      health: { probeIntervalMs: 200 },
      connectors: { land: { resilience: { timeoutMs: 5_000, breaker: { volumeThreshold: 10_000 } } } },
    },
  });
  firstLand = harness.stack.sandboxes.land as unknown as LandSandbox;
  // Another land upstream (the same data), as after a move to a new address.
  otherLand = await startLandSandbox({ host: '127.0.0.1', port: 0 });
  const base = harness.stack.config;
  const config: GatewayConfig = { ...base, server: { ...base.server, port: 0, opsPort: 0 }, access: { ...base.access, seedFile: undefined } };
  second = await startGateway({ config, connectors: connectorDescriptors, logger: createLogger({ level: 'silent' }), env: {} });
  token = await harness.token();
  ({ admin } = await harness.staffTokens());
}, 90_000);

afterAll(async () => {
  await second?.close();
  await otherLand?.close();
  await harness?.close();
});

afterEach(async () => {
  firstLand.faults.clear();
  // Back to the configuration's values on both replicas.
  await patchLand({ baseUrl: null, enabled: null, maintenance: null });
});

const replicas = () => [harness.url, second.url];
const getCertificate = (url: string) => request(url).get(`/api/v1/land/certificates/${anCertificate}`).set(personalDataHeaders(token));
const patchLand = (body: Record<string, unknown>, url = harness.url) =>
  request(url).patch('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`).send(body);
const landView = (url: string) => request(url).get('/admin/v1/connectors/land').set('authorization', `Bearer ${admin}`);

describe('connector settings applied on every replica without a restart (real PostgreSQL)', () => {
  it('a base URL changed on one replica is used by both for their next calls, and shown as set by an administrator', async () => {
    firstLand.faults.resetCalls();
    otherLand.faults.resetCalls();
    const changed = await patchLand({ baseUrl: otherLand.baseUrl });
    expect(changed.status).toBe(200);
    expect(changed.body.baseUrl).toEqual({ value: otherLand.baseUrl, source: 'admin' });

    await eventually(() => landView(second.url), (response) => response.body.baseUrl?.value === otherLand.baseUrl, 5_000);
    for (const url of replicas()) expect((await getCertificate(url)).status).toBe(200);
    expect(otherLand.faults.calls(lookups)).toBe(2);
    expect(firstLand.faults.calls(lookups)).toBe(0);

    // null: back to the configuration's value, everywhere.
    await patchLand({ baseUrl: null }, second.url);
    await eventually(() => landView(harness.url), (response) => response.body.baseUrl?.source === 'config', 5_000);
    expect((await getCertificate(harness.url)).status).toBe(200);
    expect(firstLand.faults.calls(lookups)).toBe(1);
  });

  it('a connector switched off answers 503 LGSP_CONNECTOR_DISABLED at once on both replicas, asks nothing upstream, and its probe stops', async () => {
    expect((await patchLand({ enabled: false })).body).toMatchObject({ enabled: { value: false, source: 'admin' }, availability: 'disabled' });
    await eventually(() => getCertificate(second.url), (response) => response.status === 503, 5_000);
    firstLand.faults.resetCalls();
    for (const url of replicas()) {
      const refused = await getCertificate(url);
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: 'LGSP_CONNECTOR_DISABLED', connector: 'land' });
      const health = await request(url).get('/admin/v1/connectors/land/health').set('authorization', `Bearer ${admin}`);
      expect(health.body).toMatchObject({ availability: 'disabled', probe: { status: 'disabled' } });
    }
    // No probe and no call reaches the upstream while it is off.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(firstLand.faults.calls()).toBe(0); // every data operation, the probe's included
    const metrics = await (await fetch(`${second.opsUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/lgsp_upstream_probe_up\{connector="land"\}/);

    await patchLand({ enabled: null });
    await eventually(() => getCertificate(second.url), (response) => response.status === 200, 5_000);
  });

  it("maintenance answers 503 LGSP_CONNECTOR_MAINTENANCE with the administrator's message and Retry-After on both replicas", async () => {
    const maintenance = { message: 'Cơ sở dữ liệu đất đai bảo trì đến 22:00', retryAfterSeconds: 1200 };
    expect((await patchLand({ maintenance })).body).toMatchObject({ maintenance, availability: 'maintenance' });
    for (const url of replicas()) {
      const refused = await eventually(() => getCertificate(url), (response) => response.status === 503, 5_000);
      expect(refused.headers['retry-after']).toBe('1200');
      expect(refused.body).toMatchObject({ code: 'LGSP_CONNECTOR_MAINTENANCE', detail: maintenance.message });
    }
    await patchLand({ maintenance: null });
    await eventually(() => getCertificate(second.url), (response) => response.status === 200, 5_000);
  });

  it('a call in flight when the base URL changes finishes on the upstream it began with; the next call uses the new one', async () => {
    firstLand.faults.set({ kind: 'latency', ms: 1_500 }, { operation: lookups });
    firstLand.faults.resetCalls();
    otherLand.faults.resetCalls();
    const inFlight = getCertificate(harness.url).then((response) => response);
    await eventually(() => firstLand.faults.calls(lookups), (calls) => calls === 1, 5_000);
    await patchLand({ baseUrl: otherLand.baseUrl });
    const next = await getCertificate(harness.url);
    expect(next.status).toBe(200);
    expect(otherLand.faults.calls(lookups)).toBe(1);
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(finished.body.serial).toBe(anCertificate);
  });

  it('a credential version activated on one replica is used by the other for its next login', async () => {
    const credentials = (path = '') => `/admin/v1/connectors/land/credentials${path}`;
    const asAdmin = (call: request.Test) => call.set('authorization', `Bearer ${admin}`);
    const rotated = { ...landSandboxDevCredentials, password: `rotated-${Date.now()}` };
    try {
      // The upstream's own password reset, then the new version staged, tested and activated on the first replica.
      firstLand.authority.changeAccount({ password: rotated.password });
      const staged = await asAdmin(request(harness.url).post(credentials())).send({ credentials: rotated });
      expect((await asAdmin(request(harness.url).post(credentials(`/${staged.body.version}/test`)))).body.outcome).toBe('ok');
      expect((await asAdmin(request(harness.url).post(credentials(`/${staged.body.version}/activate`)))).status).toBe(200);

      const onSecond = await eventually(() => landView(second.url), (response) => response.body.credentials?.activeVersion === staged.body.version, 5_000);
      expect(onSecond.body.credentials).toMatchObject({ source: 'vault', readOnly: false });
      // Sessions issued with the old password are gone: the second replica must log in again, with the new version.
      firstLand.authority.revokeAll();
      expect((await getCertificate(second.url)).status).toBe(200);
    } finally {
      // The upstream keeps the rotated password: it is the one the vault now holds for both replicas.
      firstLand.authority.revokeAll();
    }
  });

  it('every change is in the admin audit stream with before and after; a bad change is refused whole', async () => {
    const bad = await patchLand({ baseUrl: otherLand.baseUrl, settings: { tokenPath: 'no-leading-slash', unknownSetting: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['settings.unknownSetting']));
    // Nothing of it was applied.
    expect((await landView(harness.url)).body.baseUrl.source).toBe('config');

    await patchLand({ maintenance: { message: 'audit me', retryAfterSeconds: 60 } });
    const { rows } = await harness.stack.gateway.store.query<{ action: string; before: unknown; after: unknown }>(
      `SELECT action, before, after FROM admin_audit_log WHERE resource_type = 'connector_settings' AND resource_id = 'land' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ after: { maintenance: { message: 'audit me', retryAfterSeconds: 60 } } });
  });
});
