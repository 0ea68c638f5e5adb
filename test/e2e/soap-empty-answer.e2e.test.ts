import request from 'supertest';
import type { SocialInsuranceSandbox } from '../../connectors/social-insurance/sandbox/server.js';
import type { TaxSandbox } from '../../connectors/tax/sandbox/server.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// node-soap read an empty HTTP 200 as an empty result: a 404 "not found" to the caller and a success for the breaker.
// On the compiled path it is a contract violation, and it counts.
const breaker = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingWindowMs: 30_000 };

let harness: Harness;
let token: string;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      connectors: {
        tax: { resilience: { breaker, retry: { maxAttempts: 1 } } },
        'social-insurance': { resilience: { breaker, retry: { maxAttempts: 1 } } },
      },
    },
  });
  token = await harness.token();
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe.each([
  ['tax', `/api/v1/tax/taxpayers/${wellKnownTaxCodes.activeCompany}`],
  ['social-insurance', '/api/v1/social-insurance/participants/0123456789'],
] as const)('%s: an empty HTTP 200 from the upstream', (connector, path) => {
  it('is 502 LGSP_UPSTREAM_CONTRACT_VIOLATION (not 404), counted by the breaker until it opens', async () => {
    const sandbox = harness.stack.sandboxes[connector] as unknown as TaxSandbox | SocialInsuranceSandbox;
    sandbox.faults.set({ kind: 'empty' });
    try {
      for (let call = 0; call < breaker.volumeThreshold; call += 1) {
        const response = await request(harness.url).get(path).set(personalDataHeaders(token));
        expect(response.status).toBe(502);
        expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_CONTRACT_VIOLATION', connector });
      }
      expect(harness.stack.gateway.breakers.state(connector)).toBe('open');
      const refused = await request(harness.url).get(path).set(personalDataHeaders(token));
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('LGSP_UPSTREAM_UNAVAILABLE');
    } finally {
      sandbox.faults.clear();
    }
  });
});
