import request from 'supertest';
import type { Fault } from '../../simulators/kit/fault-injection.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * Defect 11 of issue 11: an upstream failure left only the access line
 * (status 502). Each failed attempt is now one warn line saying which call,
 * how it failed (kind, the upstream's status or fault code) and when, with
 * no personal data, URL or secret.
 */
const subjectId = '001090012345';
const timeoutMs = 400;

let harness: Harness;
let token: string;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      connectors: { population: { resilience: { timeoutMs, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, breaker: { volumeThreshold: 10_000 } } } },
    },
  });
  token = await harness.token();
  // The upstream's login happens now, so each fault below hits the lookup itself.
  expect((await request(harness.url).get(`/api/v1/population/citizens/${subjectId}`).set(personalDataHeaders(token))).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => harness.sandbox.faults.clear());

const failureLines = (requestId: string) =>
  harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'upstream attempt failed' && line.requestId === requestId);

describe('upstream failures in the log', () => {
  it.each([
    [{ kind: 'http-500' }, 502, { kind: 'http', upstreamCode: '500' }],
    [{ kind: 'soap-fault' }, 502, { kind: 'fault', upstreamCode: expect.any(String) }],
    [{ kind: 'hang' }, 504, { kind: 'timeout' }],
  ] as Array<[Fault, number, Record<string, unknown>]>)('%j: one warn line per failed attempt, with connector, operation, kind, code, attempt and latency', async (fault, status, failure) => {
    harness.sandbox.faults.set(fault);
    const requestId = `upstream-log-${fault.kind}`;
    const response = await request(harness.url).get(`/api/v1/population/citizens/${subjectId}`).set(personalDataHeaders(token)).set('x-request-id', requestId);
    expect(response.status).toBe(status);

    const lines = failureLines(requestId);
    expect(lines).toHaveLength(2);
    lines.forEach((line, index) =>
      expect(line).toMatchObject({
        level: 'warn',
        connector: 'population',
        operation: 'population.citizen.get',
        requestId,
        ...failure,
        reason: expect.any(String),
        attempt: index + 1,
        maxAttempts: 2,
        latencyMs: expect.any(Number),
        retrying: index === 0,
      }),
    );
    if (fault.kind === 'hang') for (const line of lines) expect(line.latencyMs).toBeGreaterThanOrEqual(timeoutMs - 50);

    const text = JSON.stringify(lines);
    expect(text).not.toContain(subjectId);
    // Never the upstream URL (its path may hold ids) nor a credential of the connector.
    expect(text).not.toContain('http://');
    const credentials = Object.values(harness.stack.config.connectors.population!.credentials).filter((value): value is string => typeof value === 'string' && value.length >= 6);
    for (const secret of credentials) expect(text).not.toContain(secret);
  });

  it('logs nothing of the kind for a refusal before the upstream, or a success', async () => {
    const response = await request(harness.url).get(`/api/v1/population/citizens/${subjectId}`).set(personalDataHeaders(token)).set('x-request-id', 'upstream-log-ok');
    expect(response.status).toBe(200);
    expect(failureLines('upstream-log-ok')).toEqual([]);
    // The whole run never wrote the subject id into a log line.
    expect(harness.logs.join('')).not.toContain(subjectId);
  });
});
