import request from 'supertest';
import { countByRequestId } from '../../src/audit/audit-reader.js';
import type { InvocationContext } from '../../src/connector-kit/descriptor.js';
import type { RunningGateway } from '../../src/gateway.js';
import { personalDataHeaders } from '../support/embedded-harness.js';
import { defineScriptedConnector, startScriptedGateway, type ScriptedGateway } from '../support/scripted-gateway.js';

/**
 * The pipeline with a connector written for this test: a real connector
 * descriptor (no upstream behind it) whose answers the test chooses, so the
 * steps after the upstream call — contract check, audit, metrics — can be
 * driven into every branch.
 */
type Behaviour = 'valid' | 'violates-contract';
let behaviour: Behaviour = 'valid';
const seenContexts: InvocationContext[] = [];

const scriptedConnector = defineScriptedConnector({
  title: 'Scripted upstream',
  resilience: { timeoutMs: 1000, breaker: { errorThresholdPercentage: 50, volumeThreshold: 1000, rollingWindowMs: 10_000, resetTimeoutMs: 1000 } },
  operations: [
    {
      id: 'scripted.citizen.find',
      method: 'GET',
      path: '/scripted/citizens',
      summary: 'Scripted search by query',
      description: 'Echoes the validated query.',
      personalData: true,
      idempotent: true,
      request: {
        query: {
          properties: {
            personalId: { $ref: 'https://lgsp.gov.vn/contracts/common/v1/definitions.json#/$defs/personalId' },
            fullName: { type: 'string', minLength: 1 },
          },
          required: ['personalId'],
        },
      },
      response: 'https://lgsp.gov.vn/contracts/population/v1/citizen.json',
      subjectIdOf: (input) => input.query.personalId,
      releasedFields: (data: object) => Object.keys(data),
      async invoke(_client, input) {
        return { kind: 'found', data: { personalId: input.query.personalId!, fullName: input.query.fullName ?? 'Test Person', dateOfBirth: '1990' } };
      },
    },
    {
      id: 'scripted.citizen.get',
      method: 'GET',
      path: '/scripted/citizens/{personalId}',
      summary: 'Scripted lookup',
      description: 'Answers as the test says.',
      personalData: true,
      idempotent: true,
      request: { params: { personalId: { $ref: 'https://lgsp.gov.vn/contracts/common/v1/definitions.json#/$defs/personalId' } } },
      response: 'https://lgsp.gov.vn/contracts/population/v1/citizen.json',
      subjectIdOf: (input) => input.params.personalId,
      releasedFields: (data: object) => Object.keys(data),
      async invoke(_client, input, context) {
        seenContexts.push(context);
        const personalId = input.params.personalId!;
        // Missing dateOfBirth breaks the citizen contract.
        const data = behaviour === 'valid' ? { personalId, fullName: 'Test Person', dateOfBirth: '1990' } : { personalId, fullName: 'Test Person' };
        return { kind: 'found', data };
      },
    },
  ],
});

let scripted: ScriptedGateway;
let gateway: RunningGateway;
let token: string;
let logs: string[];
beforeAll(async () => {
  scripted = await startScriptedGateway({ connector: scriptedConnector, seedFile: 'test/pipeline/scripted-seed.yaml', logLevel: 'info', captureLogs: true });
  ({ gateway, token, logs } = scripted);
}, 60_000);

afterAll(async () => {
  await scripted?.close();
});

const lookUp = (id = '001090012345') => request(gateway.url).get(`/api/v1/scripted/citizens/${id}`).set(personalDataHeaders(token));

describe('the request pipeline', () => {
  it('validates declared query parameters and passes only those on', async () => {
    const find = (query: string) => request(gateway.url).get(`/api/v1/scripted/citizens${query}`).set(personalDataHeaders(token));
    const ok = await find('?personalId=001090012345&fullName=An');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ personalId: '001090012345', fullName: 'An', dateOfBirth: '1990' });

    const missing = await find('');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'query:personalId', message: expect.stringContaining('required') }]);

    const invalid = await find('?personalId=123');
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('LGSP_INVALID_PERSONAL_ID');

    const unknown = await find('?personalId=001090012345&page=2');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'query:page', message: 'is not a known field' }]);

    const repeated = await find('?personalId=001090012345&personalId=001090012346');
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors).toEqual([{ field: 'query:personalId', message: 'must be given once' }]);
  });


  it('writes exactly one audit record for every 2xx, also under concurrency', async () => {
    behaviour = 'valid';
    const ids = Array.from({ length: 25 }, (_, index) => `pipeline-concurrent-${index}`);
    const responses = await Promise.all(ids.map((id) => lookUp().set('x-request-id', id)));
    expect(responses.map((response) => response.status)).toEqual(ids.map(() => 200));
    for (const id of ids) expect(await countByRequestId(gateway.store, id)).toBe(1);
  });

  it('continues the caller\'s W3C trace towards the upstream with a new span, and passes request id, officer and purpose', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    seenContexts.length = 0;
    await lookUp().set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`).set('x-request-id', 'trace-1').expect(200);
    const [context] = seenContexts;
    expect(context!.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(context!.traceparent).not.toContain('00f067aa0ba902b7');
    expect(context).toMatchObject({ requestId: 'trace-1', endUser: 'officer01', purpose: '000.00.01.H22-261123-0001' });
    expect(context!.signal).toBeInstanceOf(AbortSignal);
  });

  it('starts a trace when the caller sent none or an invalid one, and replaces unsafe request ids', async () => {
    seenContexts.length = 0;
    const response = await lookUp().set('traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01').set('x-request-id', 'bad id with spaces');
    expect(response.status).toBe(200);
    expect(seenContexts[0]!.traceparent).toMatch(/^00-(?!0{32})[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports an upstream answer that breaks its contract as a 502, counts it, and releases nothing', async () => {
    behaviour = 'violates-contract';
    const response = await lookUp().set('x-request-id', 'violation-1');
    behaviour = 'valid';
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ code: 'LGSP_UPSTREAM_CONTRACT_VIOLATION', connector: 'scripted' });
    expect(response.text).not.toContain('Test Person');
    const metrics = await request(gateway.opsUrl).get('/metrics');
    expect(metrics.text).toContain('lgsp_upstream_contract_violations_total{connector="scripted",operation="scripted.citizen.get"} 1');
    expect(metrics.text).toContain('outcome="contract_violation"');
    expect(logs.join('')).toContain('"violations":["dateOfBirth"]');
  });

  it('fails closed when the audit trail cannot be written: 503, no data, and readiness reports the store', async () => {
    await gateway.store.close();
    const response = await lookUp().set('x-request-id', 'audit-down-1');
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('LGSP_AUDIT_UNAVAILABLE');
    expect(response.text).not.toContain('Test Person');
    const ready = await request(gateway.opsUrl).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.store.ok).toBe(false);
  });
});
