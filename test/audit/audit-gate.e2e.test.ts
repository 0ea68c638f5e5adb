import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { findPostgresBin, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

/**
 * Issue 11, defect 6: with the audit store down, a personal-data call must
 * not reach the national system (fail before, not after). The whole embedded
 * stack runs on a private PostgreSQL that the test stops; the population
 * sandbox counts every call it receives.
 */

const citizen = '001090012345';
const lookup = 'TraCuuThongTinCongDan';

describe('audit gate: the store is down, so no upstream is asked about a person', () => {
  let postgres: PrivatePostgres;
  let harness: Harness;

  beforeAll(async () => {
    const bin = await findPostgresBin();
    if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: apt-get install postgresql');
    postgres = await startPrivatePostgres(bin);
    harness = await startHarness({ store: 'pg', databaseUrl: postgres.url, overrides: { store: { connectionTimeoutMs: 2_000 } } });
  }, 180_000);

  afterAll(async () => {
    await harness?.close().catch(() => undefined);
    await postgres?.destroy();
  });

  const lookUp = async () => {
    const response = await fetch(`${harness.url}/api/v1/population/citizens/${citizen}`, { headers: personalDataHeaders(await harness.token()) });
    return { status: response.status, body: (await response.json()) as { code?: string } };
  };

  it('refuses with 503 LGSP_AUDIT_UNAVAILABLE and the sandbox call counter does not move; recovers when the store is back', async () => {
    expect((await lookUp()).status).toBe(200);
    await postgres.stop();
    // The last commit vouches for the store for 1 s (audit-gate.ts); past that every caller finds out before calling.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const before = harness.sandbox.faults.calls(lookup);
    const refused = [];
    for (let i = 0; i < 8; i += 1) refused.push(await lookUp());
    expect(refused.map((answer) => [answer.status, answer.body.code])).toEqual(Array.from({ length: 8 }, () => [503, 'LGSP_AUDIT_UNAVAILABLE']));
    expect(harness.sandbox.faults.calls(lookup)).toBe(before);
    // Operators see why on the ops listener's readiness detail.
    const readiness = (await (await fetch(`${harness.opsUrl}/readyz`)).json()) as { detail?: { auditGate?: string } };
    expect(readiness.detail?.auditGate).toBe('closed');

    // What needs no audit record is still served (the procedure catalog).
    const catalog = await fetch(`${harness.url}/api/v1/public-service-portal/procedures/${wellKnownProcedureCodes.birthRegistration}`, { headers: { authorization: `Bearer ${await harness.token()}` } });
    expect(catalog.status).toBe(200);

    await postgres.start();
    let answer = await lookUp();
    for (let tries = 0; answer.status !== 200 && tries < 60; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await lookUp();
    }
    expect(answer.status).toBe(200);
    expect(harness.sandbox.faults.calls(lookup)).toBeGreaterThan(before);
  }, 120_000);
});
