import request from 'supertest';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { upstreamFaultCases } from '../support/upstream-fault-cases.js';

// The catalogs with no portal snapshot configured and the portal failing before it ever answered: the portal's
// two catalogs have nothing to fall back on and fail as the portal does, naming it; the shipped ones never notice.
let harness: Harness;
let token: string;
let portal: PublicServicePortalSandbox;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      catalogs: { portalRefreshIntervalMs: 1000 },
      connectors: {
        'public-service-portal': {
          resilience: { timeoutMs: 800, retry: { maxAttempts: 1 }, breaker: { volumeThreshold: 10_000 } },
          cache: { 'public-service-portal.field.list': { ttlMs: 1, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 } },
        },
      },
    },
  });
  token = await harness.token();
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => portal.faults.clear());

const get = (path: string) => request(harness.url).get(`/api/v1/catalogs${path}`).set('authorization', `Bearer ${token}`);
const afterRetryPause = () => new Promise((resolve) => setTimeout(resolve, 1050));

describe('the portal catalogs with the portal failing and nothing to fall back on', () => {
  it.each(upstreamFaultCases)('%j → %i %s naming the portal; the shipped catalogs still answer', async (fault, status, code) => {
    portal.faults.set(fault);
    await afterRetryPause();
    const response = await get('/public-service-portal/fields');
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code, connector: 'public-service-portal' });
    expect((await get('/administrative-units').query({ code: '79' })).body.items).toEqual([{ code: '79', name: 'Thành phố Hồ Chí Minh', level: 'province' }]);
  });
});
