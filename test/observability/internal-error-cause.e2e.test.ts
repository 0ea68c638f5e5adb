import request from 'supertest';
import { personalDataHeaders } from '../support/embedded-harness.js';
import { defineScriptedConnector, startScriptedGateway, type ScriptedGateway } from '../support/scripted-gateway.js';

/**
 * Defect 10 of issue 11: a bug in a mapping logged only "Internal error".
 * The log line must carry the cause chain (type, message, top frames of
 * each), scrubbed of personal data; the caller still gets a bare 500.
 */
const subjectId = '001090054321';
const subjectName = 'Trần Thị Bình';

/** A mapping with a bug: it reads a field of an element that is not there. */
function mapCitizen(answer: { records: Array<{ HoVaTen: string }> }): string {
  return answer.records[1]!.HoVaTen.trim();
}

const buggyConnector = defineScriptedConnector({
  title: 'Scripted upstream with a buggy mapping',
  resilience: { timeoutMs: 1000, breaker: { errorThresholdPercentage: 50, volumeThreshold: 1000, rollingWindowMs: 10_000, resetTimeoutMs: 1000 } },
  operations: [
    {
      id: 'scripted.citizen.get',
      method: 'GET',
      path: '/scripted/citizens/{personalId}',
      summary: 'Scripted lookup',
      description: 'Its mapping throws.',
      personalData: true,
      idempotent: true,
      request: { params: { personalId: { $ref: 'https://lgsp.gov.vn/contracts/common/v1/definitions.json#/$defs/personalId' } } },
      response: 'https://lgsp.gov.vn/contracts/population/v1/citizen.json',
      subjectIdOf: (input) => input.params.personalId,
      releasedFields: (data: object) => Object.keys(data),
      async invoke(_client, input) {
        const personalId = input.params.personalId!;
        try {
          return { kind: 'found', data: { personalId, fullName: mapCitizen({ records: [{ HoVaTen: subjectName }] }), dateOfBirth: '1990' } };
        } catch (error) {
          // Connectors wrap with context; careless ones put the subject into the message.
          throw new Error(`mapping the answer for ${personalId} ("${subjectName}") failed`, { cause: error });
        }
      },
    },
  ],
});

let scripted: ScriptedGateway;
beforeAll(async () => {
  scripted = await startScriptedGateway({ connector: buggyConnector, seedFile: 'test/pipeline/scripted-seed.yaml', logLevel: 'info', captureLogs: true });
}, 60_000);

afterAll(async () => {
  await scripted?.close();
});

describe('an internal error', () => {
  it('is logged with its cause chain (types, scrubbed messages, top frames) and answered as a bare 500', async () => {
    const response = await request(scripted.gateway.url)
      .get(`/api/v1/scripted/citizens/${subjectId}`)
      .set(personalDataHeaders(scripted.token))
      .set('x-request-id', 'internal-cause-1');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      type: 'https://lgsp.gov.vn/problems/lgsp-internal',
      title: 'Internal error',
      status: 500,
      code: 'LGSP_INTERNAL',
      instance: 'urn:lgsp:request:internal-cause-1',
      requestId: 'internal-cause-1',
    });
    for (const internal of ['TypeError', 'HoVaTen', 'mapping', 'mapCitizen', subjectId]) expect(response.text).not.toContain(internal);

    const lines = scripted.logs.map((line) => JSON.parse(line) as Record<string, any>);
    const logged = lines.filter((line) => line.msg === 'unexpected error' && line.requestId === 'internal-cause-1');
    expect(logged).toHaveLength(1);
    const { err } = logged[0]!;
    // ProblemError (what the caller got) → the connector's wrapper → the TypeError of the bug.
    expect(err).toMatchObject({
      type: 'ProblemError',
      code: 'LGSP_INTERNAL',
      cause: {
        type: 'Error',
        message: 'mapping the answer for [redacted] ("[redacted]") failed',
        cause: { type: 'TypeError', message: expect.stringContaining("(reading 'HoVaTen')") },
      },
    });
    const bug = err.cause.cause;
    expect(bug.stack.length).toBeGreaterThan(0);
    expect(bug.stack.length).toBeLessThanOrEqual(5);
    expect(bug.stack[0]).toMatch(/^at mapCitizen .*internal-error-cause\.e2e\.test\.ts:\d+:\d+\)$/);
    expect(err.cause.stack[0]).toMatch(/internal-error-cause\.e2e\.test\.ts/);

    // No line of the whole run carries the subject's id or name.
    const everything = scripted.logs.join('');
    expect(everything).not.toContain(subjectId);
    expect(everything).not.toContain(subjectName);
  });
});
