import request from 'supertest';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { startHarness, type Harness } from './embedded-harness.js';

export interface CatalogsHarness {
  harness: Harness;
  portal: PublicServicePortalSandbox;
  /** GET /api/v1/catalogs<path> as the one-stop system (a bearer token, nothing else). */
  get(path: string): request.Test;
}

/**
 * The embedded stack for the catalogs' end-to-end tests: the portal's lists
 * kept `refreshMs`, the portal connector failing fast (one attempt, 800 ms,
 * a breaker that does not open) and its own response cache never covering a
 * failure with a stale list, so what answers is the catalogs' own fallback.
 * Registers its own beforeAll/afterAll/afterEach (faults cleared after each test).
 */
export function useCatalogsHarness(options: { refreshMs: number; snapshotFile?: string }): CatalogsHarness {
  const noStaleList = { ttlMs: 1, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 };
  const state = {} as { harness: Harness; token: string; portal: PublicServicePortalSandbox };
  beforeAll(async () => {
    state.harness = await startHarness({
      store: 'pglite',
      overrides: {
        catalogs: { portalRefreshIntervalMs: options.refreshMs, ...(options.snapshotFile && { portalSnapshotFile: options.snapshotFile }) },
        connectors: {
          'public-service-portal': {
            resilience: { timeoutMs: 800, retry: { maxAttempts: 1 }, breaker: { volumeThreshold: 10_000 } },
            cache: { 'public-service-portal.agency.list': noStaleList, 'public-service-portal.field.list': noStaleList },
          },
        },
      },
    });
    state.token = await state.harness.token();
    state.portal = state.harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
  }, 60_000);
  afterAll(async () => {
    await state.harness?.close();
  });
  afterEach(() => state.portal?.faults.clear());
  return {
    get harness() {
      return state.harness;
    },
    get portal() {
      return state.portal;
    },
    get: (path) => request(state.harness.url).get(`/api/v1/catalogs${path}`).set('authorization', `Bearer ${state.token}`),
  };
}
