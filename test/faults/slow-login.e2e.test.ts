import request from 'supertest';
import type { LandSandbox } from '../../connectors/land/sandbox/server.js';
import { eventually } from '../support/eventually.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { timed, watchForCrashes } from './fault-support.js';

watchForCrashes();

const loginDelayMs = 3000;
/** Scheduling slack of a loaded two-core machine on top of the 0.5 s deadline, still far below the slow login. */
const answeredWithinMs = 1200;

/**
 * A slow upstream login through the whole gateway (REST, password grant):
 * the land sandbox forgets every token (a restarted upstream), so the next
 * call's 401 makes the gateway log in again, against a token endpoint that
 * answers 3 s late. The caller's Request-Timeout, not the login, decides
 * when it gets its answer; the login goes on and serves the next callers.
 */
describe('upstream login slower than the request deadline', () => {
  let harness: Harness;
  let token: string;
  let land: LandSandbox;

  beforeAll(async () => {
    harness = await startHarness({
      store: 'pglite',
      overrides: {
        health: { probeIntervalMs: 3_600_000 },
        connectors: { land: { resilience: { breaker: { volumeThreshold: 10_000 } } } },
      },
    });
    token = await harness.token();
    land = harness.stack.sandboxes.land as unknown as LandSandbox;
    await eventually(() => harness.stack.gateway.prober.report('land')?.status, (status) => status !== 'pending', 10_000);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const findParcel = () =>
    request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }).set(personalDataHeaders(token));

  it('answers 504 at the Request-Timeout while the login is still running, and the same single login serves the next callers', async () => {
    expect((await findParcel()).status).toBe(200);
    land.authority.revokeAll();
    land.faults.resetCalls();
    land.faults.set({ kind: 'latency', ms: loginDelayMs }, { operation: 'token' });

    const impatient = await timed(findParcel().set('request-timeout', '0.5'));
    expect(impatient).toMatchObject({ status: 504, code: 'LGSP_DEADLINE_EXCEEDED' });
    expect(impatient.ms).toBeGreaterThanOrEqual(450);
    expect(impatient.ms).toBeLessThan(answeredWithinMs);

    // The login the impatient caller started is still under way: this caller waits for it instead of starting another.
    const patient = await timed(findParcel());
    expect(patient.status).toBe(200);
    expect(patient.ms).toBeLessThan(loginDelayMs);
    land.faults.clear();
    expect((await findParcel()).status).toBe(200);
    expect(land.faults.calls('token')).toBe(1);
  });

  it('the same over SOAP (client credentials + lgspaccesstoken): the population lookup leaves at its deadline while the re-login runs', async () => {
    const population = harness.sandbox;
    const lookUp = () => request(harness.url).get('/api/v1/population/citizens/001090012345').set(personalDataHeaders(token));
    expect((await lookUp()).status).toBe(200);
    population.faults.resetCalls();
    // A restarted platform gateway: the next call's 401 makes the gateway log in again, against a slow token endpoint.
    population.authority.revokeAll();
    population.faults.set({ kind: 'latency', ms: loginDelayMs }, { operation: 'token' });

    const impatient = await timed(lookUp().set('request-timeout', '0.5'));
    expect(impatient).toMatchObject({ status: 504, code: 'LGSP_DEADLINE_EXCEEDED' });
    expect(impatient.ms).toBeGreaterThanOrEqual(450);
    expect(impatient.ms).toBeLessThan(answeredWithinMs);

    const patient = await timed(lookUp());
    expect(patient.status).toBe(200);
    expect(patient.ms).toBeLessThan(loginDelayMs);
    population.faults.clear();
    expect(population.faults.calls('token')).toBe(1);
  });
});
