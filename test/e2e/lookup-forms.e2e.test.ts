import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { countByRequestId, findBySubject } from '../../src/audit/audit-reader.js';
import { consoleUserToken } from '../../simulators/dev-idp/scripted-login.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import type { OperationDescriptor } from '../../src/connector-kit/descriptor.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

// Issue 11, defect 2: every personal-data GET lookup also has a POST form with
// its ids in the body (proxies log URLs), and it is the same operation.

// A seeded record of each sandbox (see each connector's README), as the lookup form's body.
const seededInputs: Record<string, Record<string, string>> = {
  'population.citizen.get': { personalId: '001090012345' },
  'social-insurance.participant.get': { socialInsuranceCode: '0123456789' },
  'social-insurance.participant.find': { personalId: '001090012345' },
  'land.parcel.find': { communeCode: '00004', mapSheet: '12', parcelNumber: '345' },
  'land.certificate.get': { certificateSerial: 'DA123456' },
  'tax.taxpayer.get': { taxCode: '0101234565' },
  // A personal id: an individual's tax code since July 2025.
  'tax.obligation.list': { taxCode: '079301005678' },
  'business-registry.enterprise.get': { enterpriseCode: '0101234565' },
  'judicial-records.certificate-request.get': { dossierCode: '000.00.01.H22-251001-0001', applicantId: '001090012345' },
  'civil-status.birth.get': { authorityCode: '00001', book: '01/1990', number: '30' },
  'civil-status.birth.find': { personalId: '001090012345' },
  'civil-status.marriage.get': { authorityCode: '00004', book: '01/2025', number: '57' },
  'civil-status.marriage.find': { personalId: '001090012345' },
  'civil-status.death.get': { authorityCode: '00001', book: '01/2012', number: '32' },
  'civil-status.death.find': { personalId: '038140004321' },
};

/**
 * Personal-data GETs keyed by something that names nobody, exempt by name
 * (a payment's receipt, by our payment reference): every other personal-data
 * GET must have a lookup form, so a new one cannot slip past this test.
 */
const keyedByNoSubject = new Set(['paygov.payment.receipt']);

const personalDataLookups = connectorDescriptors.flatMap((connector) => connector.operations).filter((operation) => operation.personalData && operation.method === 'GET' && !keyedByNoSubject.has(operation.id));
const cases = personalDataLookups.map((operation) => [operation.id, operation] as const);
// The client the dev IdP knows but the seed grants nothing (registered as a consumer below).
const landOffice = { clientId: 'land-office-system', clientSecret: 'land-office-system-dev-secret' };

/** The GET form of the same input: path parameters in the path, the others in the query string. */
function getUrl(operation: OperationDescriptor<any, any>, input: Record<string, string>): string {
  const paramNames = Object.keys(operation.request.params ?? {});
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input[name] ?? ''));
  const query = new URLSearchParams(Object.entries(input).filter(([name]) => !paramNames.includes(name)));
  return `/api/v1${path}${query.size > 0 ? `?${query}` : ''}`;
}

const lookupUrl = (operation: OperationDescriptor<any, any>) => `/api/v1${operation.lookup!.path}`;

describe('lookup forms: personal-data lookups with the ids in a POST body (embedded stack: PGlite, dev IdP, every sandbox)', () => {
  let harness: Harness;
  let token: string;
  let adminToken: string;
  let landOfficeToken: string;

  beforeAll(async () => {
    harness = await startHarness({ store: 'pglite', overrides: { access: { openApiShowsOnlyGranted: true } } });
    token = await harness.token();
    const { idp } = harness.stack;
    adminToken = await consoleUserToken(idp.issuer, idp.tokenUrl, 'admin');
    landOfficeToken = (await requestClientCredentialsToken(idp.tokenUrl, landOffice)).access_token;
    await request(harness.url)
      .post('/admin/v1/consumers')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ id: 'land-office', clientId: landOffice.clientId, name: 'Land office system', agency: 'Sở Nông nghiệp và Môi trường', status: 'active' })
      .expect(201);
  }, 90_000);

  afterAll(async () => {
    await harness?.close();
  });

  const api = () => request(harness.url);
  const post = (operation: OperationDescriptor<any, any>, body: unknown, headers = personalDataHeaders(token)) => api().post(lookupUrl(operation)).set(headers).send(body as object);

  it('covers every personal-data GET operation of the registry, each with a lookup form of its own path', () => {
    expect(personalDataLookups.map((operation) => operation.id).sort()).toEqual(Object.keys(seededInputs).sort());
    for (const operation of personalDataLookups) expect(operation.lookup?.path).toMatch(/^\/[a-z-]+\/[a-z/-]+$/);
    const paths = personalDataLookups.map((operation) => operation.lookup!.path);
    expect(new Set(paths).size).toBe(paths.length);
    // An exemption is only for a GET whose parameters name no data subject.
    for (const operation of connectorDescriptors.flatMap((connector) => connector.operations).filter((candidate) => keyedByNoSubject.has(candidate.id))) {
      const placeholders = Object.fromEntries(Object.keys(operation.request.params ?? {}).map((name) => [name, `placeholder-${name}`]));
      expect({ operation: operation.id, subject: operation.subjectIdOf({ params: placeholders, query: {}, body: undefined }) }).toEqual({ operation: operation.id, subject: undefined });
    }
  });

  describe.each(cases)('%s', (operationId, operation) => {
    const input = seededInputs[operationId]!;

    it('answers the POST form with exactly what the GET form answers, and audits it under the same operation and subject', async () => {
      const viaGet = await api().get(getUrl(operation, input)).set(personalDataHeaders(token));
      expect(viaGet.status).toBe(200);
      const requestId = `lookup-form-${operationId}`;
      const viaPost = await post(operation, input).set('x-request-id', requestId);
      expect(viaPost.status).toBe(200);
      expect(viaPost.body).toEqual(viaGet.body);

      expect(await countByRequestId(harness.stack.gateway.store, requestId)).toBe(1);
      const subject = operation.subjectIdOf({ ...splitInput(operation, input), body: undefined })!;
      const records = await findBySubject(harness.stack.gateway.store, harness.stack.config.audit.subjectHashKey, subject);
      expect(records.find((record) => record.requestId === requestId)).toMatchObject({ operation: operationId, consumer: 'one-stop', endUser: 'officer01', outcome: 'success', httpStatus: 200 });

      // The access log names the route the request came by, never the ids.
      const accessLine = harness.logs
        .join('')
        .split('\n')
        .filter((line) => line.includes(requestId))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.msg === 'request');
      expect(accessLine).toMatchObject({ method: 'POST', route: lookupUrl(operation), status: 200 });
    });

    it('requires the same grant and the same personal-data headers as the GET form', async () => {
      const noGrant = await post(operation, input, personalDataHeaders(landOfficeToken));
      expect(noGrant.status).toBe(403);
      expect(noGrant.body.code).toBe('LGSP_OPERATION_NOT_GRANTED');
      expect((await api().get(getUrl(operation, input)).set(personalDataHeaders(landOfficeToken))).body.code).toBe(noGrant.body.code);

      const { 'x-purpose': _purpose, ...noPurpose } = personalDataHeaders(token);
      const withoutPurpose = await post(operation, input, noPurpose);
      expect(withoutPurpose.status).toBe(400);
      expect(withoutPurpose.body.code).toBe('LGSP_PURPOSE_REQUIRED');

      const { 'x-end-user': _endUser, ...noEndUser } = personalDataHeaders(token);
      expect((await post(operation, input, noEndUser)).status).toBe(400);
      expect((await post(operation, input, { 'x-end-user': 'officer01', 'x-purpose': '000.00.01.H22-261123-0001' })).status).toBe(401);
    });

    it('validates the body against its contract, never echoing a value, and asks no upstream when it fails', async () => {
      const [firstField, firstValue] = Object.entries(input)[0]!;
      const bodies: Array<[string, unknown, string]> = [
        ['an unknown property', { ...input, nickname: 'value-not-to-echo-77' }, 'nickname'],
        ['a malformed value', { ...input, [firstField]: `${firstValue}Z` }, firstField],
        ['a number for a string', { ...input, [firstField]: 1234567 }, firstField],
        ['a missing parameter', Object.fromEntries(Object.entries(input).slice(1)), firstField],
      ];
      for (const [caseName, body, field] of bodies) {
        const requestId = `lookup-form-invalid-${operationId}-${caseName.replace(/\W+/g, '-')}`;
        const response = await post(operation, body).set('x-request-id', requestId);
        expect({ caseName, status: response.status }).toEqual({ caseName, status: 400 });
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
        for (const value of [...Object.values(input), `${firstValue}Z`, 'value-not-to-echo-77', '1234567']) expect(JSON.stringify(response.body)).not.toContain(value);
        expect(await countByRequestId(harness.stack.gateway.store, requestId)).toBe(0);
      }

      // A malformed id gets the code the GET form gives it (LGSP_INVALID_PERSONAL_ID for a personal id), anything else LGSP_VALIDATION_FAILED.
      const malformed = await post(operation, { ...input, [firstField]: `${firstValue}Z` });
      const malformedViaGet = await api().get(getUrl(operation, { ...input, [firstField]: `${firstValue}Z` })).set(personalDataHeaders(token));
      expect(malformed.body.code).toBe(malformedViaGet.body.code);
      expect(malformed.body.code).toBe(/personalId$/.test(firstField) ? 'LGSP_INVALID_PERSONAL_ID' : 'LGSP_VALIDATION_FAILED');
      expect((await post(operation, { ...input, nickname: 'x' })).body.code).toBe('LGSP_VALIDATION_FAILED');

      for (const body of [undefined, [input], 'text']) {
        const response = body === undefined ? await api().post(lookupUrl(operation)).set(personalDataHeaders(token)) : await post(operation, body).set('content-type', 'application/json');
        expect(response.status).toBe(400);
      }
    });

    it('is published in the OpenAPI document: a POST with the derived body contract, as the same gateway operation', async () => {
      const openapi = (await api().get('/api/v1/openapi.json').set('authorization', `Bearer ${adminToken}`)).body;
      const described = openapi.paths[lookupUrl(operation)]?.post;
      expect(described).toMatchObject({ 'x-lgsp-operation': operationId, 'x-personal-data': true, requestBody: { required: true } });
      expect(described.operationId).not.toBe(operationId); // OpenAPI operationIds are unique per document.
      expect(described.parameters.map((parameter: { name: string; in: string }) => parameter.in)).not.toContain('path');
      expect(described.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['X-End-User', 'X-Purpose']));
      const ref = described.requestBody.content['application/json'].schema.$ref as string;
      const schema = openapi.components.schemas[ref.replace('#/components/schemas/', '')];
      expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(input).sort());
      expect(schema.required.sort()).toEqual([...Object.keys(operation.request.params ?? {}), ...(operation.request.query?.required ?? [])].sort());
      // An example body is given when every parameter's contract has an example.
      const example = described.requestBody.content['application/json'].example as Record<string, unknown> | undefined;
      if (example) expect(Object.keys(example).sort()).toEqual(Object.keys(input).sort());
      expect(openapi.paths[`/api/v1${operation.path}`].get.description).toContain(`POST /api/v1${operation.lookup!.path}`);
    });
  });

  it("shows a consumer the lookup form of each operation it is granted, and only those", async () => {
    const granted = personalDataLookups[0]!;
    await api()
      .post('/admin/v1/grants')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ consumerId: 'land-office', operation: granted.id, purposes: ['DOSSIER-PROCESSING'], fields: ['*'] })
      .expect(201);
    const openapi = (await api().get('/api/v1/openapi.json').set('authorization', `Bearer ${landOfficeToken}`)).body;
    expect(Object.keys(openapi.paths).sort()).toEqual([`/api/v1${granted.path}`, lookupUrl(granted)].sort());
    expect(openapi.paths[lookupUrl(granted)].post['x-lgsp-operation']).toBe(granted.id);
    // And the grant works through the POST form.
    expect((await post(granted, seededInputs[granted.id], personalDataHeaders(landOfficeToken))).status).toBe(200);
  });

  it('never writes a lookup-form id to the logs', () => {
    const logs = harness.logs.join('');
    for (const id of ['001090012345', '0123456789', '0101234565', 'DA123456', '079301005678']) expect(logs).not.toContain(id);
  });
});

function splitInput(operation: OperationDescriptor<any, any>, input: Record<string, string>): { params: Record<string, string>; query: Record<string, string> } {
  const paramNames = Object.keys(operation.request.params ?? {});
  return {
    params: Object.fromEntries(Object.entries(input).filter(([name]) => paramNames.includes(name))),
    query: Object.fromEntries(Object.entries(input).filter(([name]) => !paramNames.includes(name))),
  };
}
