import request from 'supertest';
import type { OperationResult } from '../../src/connector-kit/descriptor.js';
import { UpstreamError } from '../../src/connector-kit/upstream-errors.js';
import type { RunningGateway } from '../../src/gateway.js';
import { personalDataHeaders } from '../support/embedded-harness.js';
import { defineScriptedConnector, startScriptedGateway, type ScriptedGateway } from '../support/scripted-gateway.js';
import { watchForCrashes } from './fault-support.js';

watchForCrashes();

/**
 * Failure classes the sandboxes cannot show on demand — an answer that
 * breaks our contract, a non-idempotent operation — driven through the real
 * gateway with a connector written for this test: each call answers what
 * the test scripted, and the connector counts how often it was asked.
 */
type Script = () => OperationResult<unknown>;
let script: Script = () => ({ kind: 'found', data: validCitizen });
let asked = { get: 0, register: 0 };
const validCitizen = { personalId: '001090012345', fullName: 'Test Person', dateOfBirth: '1990' };
const contracts = 'https://lgsp.gov.vn/contracts';
const volumeThreshold = 3;
const maxAttempts = 3;

const scriptedConnector = defineScriptedConnector({
  title: 'Scripted upstream',
  resilience: {
    timeoutMs: 1000,
    breaker: { errorThresholdPercentage: 50, volumeThreshold, rollingWindowMs: 60_000, resetTimeoutMs: 60_000 },
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 10 },
  },
  operations: [
    {
      id: 'scripted.citizen.get',
      method: 'GET',
      path: '/scripted/citizens/{personalId}',
      summary: 'Scripted lookup',
      description: 'Answers as the test says.',
      personalData: true,
      idempotent: true,
      request: { params: { personalId: { $ref: `${contracts}/common/v1/definitions.json#/$defs/personalId` } } },
      response: `${contracts}/population/v1/citizen.json`,
      subjectIdOf: (input) => input.params.personalId,
      releasedFields: (data: object) => Object.keys(data),
      async invoke() {
        asked.get += 1;
        return script();
      },
    },
    {
      id: 'scripted.citizen.register',
      method: 'POST',
      path: '/scripted/citizens/register',
      summary: 'Scripted registration (changes the upstream: never sent twice)',
      description: 'Answers as the test says.',
      personalData: true,
      idempotent: false,
      request: { body: `${contracts}/population/v1/citizen-verify-request.json` },
      response: `${contracts}/population/v1/citizen.json`,
      subjectIdOf: (input) => (input.body as { personalId: string }).personalId,
      releasedFields: (data: object) => Object.keys(data),
      async invoke() {
        asked.register += 1;
        return script();
      },
    },
  ],
});

let scripted: ScriptedGateway;
let gateway: RunningGateway;
let token: string;
beforeAll(async () => {
  scripted = await startScriptedGateway({ connector: scriptedConnector, seedFile: 'test/faults/scripted-seed.yaml', logLevel: 'warn', config: { health: { probeIntervalMs: 3_600_000 } } });
  ({ gateway, token } = scripted);
}, 60_000);

afterAll(async () => {
  await scripted?.close();
});

beforeEach(() => {
  asked = { get: 0, register: 0 };
  script = () => ({ kind: 'found', data: validCitizen });
  // A fresh breaker per test: each one counts from an empty window.
  gateway.breakers.register('scripted', gateway.upstreams.policies('scripted').connector);
});

const lookUp = () => request(gateway.url).get('/api/v1/scripted/citizens/001090012345').set(personalDataHeaders(token));
const register = () =>
  request(gateway.url).post('/api/v1/scripted/citizens/register').set(personalDataHeaders(token)).send({ personalId: '001090012345', fullName: 'Test Person', dateOfBirth: '1990' });

describe('which failures count against the upstream, and which calls are repeated', () => {
  it('sends a non-idempotent operation exactly once, even on a failure that would be retried for a read', async () => {
    // Breaker out of the way for this one: the three failures below would open it before the read's last attempt.
    const policy = gateway.upstreams.policies('scripted').connector;
    gateway.breakers.register('scripted', { ...policy, breaker: { ...policy.breaker, volumeThreshold: 100 } });
    script = () => {
      throw new UpstreamError('connection', 'connection reset');
    };
    const response = await register();
    expect(response.status).toBe(502);
    expect(asked.register).toBe(1);

    const read = await lookUp();
    expect(read.status).toBe(502);
    expect(asked.get).toBe(maxAttempts);
  });

  it('counts answers that break the contract against the upstream: the breaker opens on them', async () => {
    script = () => ({ kind: 'found', data: { personalId: '001090012345' } });
    const answers: number[] = [];
    for (let i = 0; i < volumeThreshold + 3; i += 1) answers.push((await lookUp()).status);
    // A contract violation is not retried: one call per request until the breaker opens.
    expect(asked.get).toBe(volumeThreshold);
    expect(answers).toEqual([...Array(volumeThreshold).fill(502), 503, 503, 503]);
    expect(gateway.breakers.state('scripted')).toBe('open');
  });

  it.each([
    ['the upstream holds no record', () => ({ kind: 'not_found' }) as const, 404],
    [
      'the upstream refuses the request as invalid',
      () => {
        throw new UpstreamError('rejected', 'invalid', { upstreamCode: 'DC-01' });
      },
      400,
    ],
  ])('does not count it when %s', async (_case, answer, status) => {
    script = answer as Script;
    for (let i = 0; i < 3 * volumeThreshold; i += 1) expect((await lookUp()).status).toBe(status);
    expect(asked.get).toBe(3 * volumeThreshold);
    expect(gateway.breakers.state('scripted')).toBe('closed');
    expect(gateway.breakers.recentOutcomes('scripted')).toMatchObject({ calls: 3 * volumeThreshold, failures: 0 });
  });
});
