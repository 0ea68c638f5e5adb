import { readFileSync } from 'node:fs';
import request from 'supertest';
import { seededShipments } from '../../connectors/postal-delivery/sandbox/order-book.js';
import { seededCivilStatus } from '../../connectors/civil-status/sandbox/seed.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import { connectorDescriptors } from '../../connectors/registry.js';
import { requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';
import type { OperationDescriptor } from '../../src/connector-kit/descriptor.js';
import { fromProjectRoot } from '../../src/paths.js';
import { descriptorPolicyLayer, resolvePolicies } from '../../src/resilience/policy.js';
import type { Fault } from '../../simulators/kit/fault-injection.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

/**
 * Defect 1 of issue 11: no error answer may carry a subject id or any other
 * path or query value (callers and their proxies log error bodies). Every
 * operation of every connector in the registry, every error class the suite
 * can provoke, body and headers.
 */

/** What a request of one operation carries: where, and the values that must never come back. */
interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Headers the operation needs besides the caller's (a payment's Idempotency-Key). */
  headers?: Record<string, string>;
}

const contractExample = (file: string) => (JSON.parse(readFileSync(fromProjectRoot(`contracts/public-service-portal/v1/${file}`), 'utf8')) as { examples: Array<Record<string, unknown>> }).examples[0]!;
const dossierExample = contractExample('dossier.json');
const progressExample = contractExample('dossier-progress.json');
const exampleDossierCode = dossierExample.dossierCode as string;
const paymentExample = (JSON.parse(readFileSync(fromProjectRoot('contracts/paygov/v1/payment-create.json'), 'utf8')) as { examples: Array<Record<string, unknown>> }).examples[0]!;
const judicialExample = (JSON.parse(readFileSync(fromProjectRoot('contracts/judicial-records/v1/certificate-request.json'), 'utf8')) as { examples: Array<Record<string, unknown> & { dossierCode: string }> }).examples[0]!;
const postalShipmentExample = (JSON.parse(readFileSync(fromProjectRoot('contracts/postal-delivery/v1/shipment-request.json'), 'utf8')) as { examples: Array<Record<string, unknown>> }).examples[0]!;
/** A payment paid on the platform and in the gateway (beforeAll): its receipt exists. */
let paidReference = '';

type Variant = 'known' | 'unknown' | 'invalid';

/**
 * One sample request per operation: a subject the sandbox holds, a
 * well-formed one it does not (undefined: the operation has no 404), and a
 * malformed one. A new operation fails the coverage test until it is added.
 */
const samples: Record<string, (variant: Variant) => Call | undefined> = {
  'population.citizen.get': (v) => ({ method: 'GET', path: `/api/v1/population/citizens/${{ known: '001090012345', unknown: '001099999999', invalid: '00109001234x' }[v]}` }),
  // Verification answers every well-formed request (a mismatch is an answer): no 404.
  'population.citizen.verify': (v) =>
    v === 'unknown' ? undefined : { method: 'POST', path: '/api/v1/population/citizens/verify', body: { personalId: v === 'known' ? '001090012345' : '0010900123', fullName: 'Nguyễn Văn An', dateOfBirth: '1990-05-15' } },
  'social-insurance.participant.get': (v) => ({ method: 'GET', path: `/api/v1/social-insurance/participants/${{ known: '0123456789', unknown: '0100000000', invalid: '01234567x9' }[v]}` }),
  'social-insurance.participant.find': (v) => ({ method: 'GET', path: '/api/v1/social-insurance/participants', query: { personalId: { known: '001090012345', unknown: '092205000321', invalid: '00109001234x' }[v] } }),
  // A search: no 404.
  'land.parcel.find': (v) =>
    v === 'unknown' ? undefined : { method: 'GET', path: '/api/v1/land/parcels', query: v === 'known' ? { communeCode: '00004', mapSheet: '12', parcelNumber: '345' } : { communeCode: '0000x4', mapSheet: '12', parcelNumber: '345' } },
  'land.certificate.get': (v) => ({ method: 'GET', path: `/api/v1/land/certificates/${{ known: 'DA123456', unknown: 'DA000001', invalid: 'DA12-3456' }[v]}` }),
  // Tax codes may be personal ids (an individual's since July 2025): one of each kind.
  'tax.taxpayer.get': (v) => ({ method: 'GET', path: `/api/v1/tax/taxpayers/${{ known: wellKnownTaxCodes.activeCompany, unknown: '092205000321', invalid: '00109001234x' }[v]}` }),
  'tax.obligation.list': (v) => ({ method: 'GET', path: `/api/v1/tax/taxpayers/${{ known: '079301005678', unknown: '0109999982', invalid: '010123456x' }[v]}/obligations` }),
  'business-registry.enterprise.get': (v) => ({
    method: 'GET',
    path: `/api/v1/business-registry/enterprises/${{ known: wellKnownTaxCodes.activeCompany, unknown: '0109999982', invalid: '010123456x' }[v]}`,
  }),
  'public-service-portal.procedure.get': (v) => ({
    method: 'GET',
    path: `/api/v1/public-service-portal/procedures/${{ known: wellKnownProcedureCodes.birthRegistration, unknown: wellKnownProcedureCodes.unknown, invalid: '1.001193.000.00.00.h56x' }[v]}`,
  }),
  'public-service-portal.procedure.search': (v) =>
    v === 'unknown' ? undefined : { method: 'GET', path: '/api/v1/public-service-portal/procedures', query: { keyword: 'dang ky khai sinh', ...(v === 'invalid' && { pageSize: '1000' }) } },
  // Whole lists: no 404; the only caller error is a query parameter they do not take.
  'public-service-portal.agency.list': (v) =>
    v === 'unknown' ? undefined : { method: 'GET', path: '/api/v1/public-service-portal/agencies', ...(v === 'invalid' && { query: { agencyCode: '000.00.14.H22' } }) },
  'public-service-portal.field.list': (v) =>
    v === 'unknown' ? undefined : { method: 'GET', path: '/api/v1/public-service-portal/fields', ...(v === 'invalid' && { query: { fieldCode: 'G06-LLTP-X' } }) },
  // Writes (accepted into the outbox) and the delivery status: nothing to look up, so no 404 of a subject.
  'public-service-portal.dossier.sync': (v) =>
    v === 'unknown' ? undefined : { method: 'PUT', path: `/api/v1/public-service-portal/dossiers/${exampleDossierCode}`, body: v === 'known' ? dossierExample : { ...dossierExample, procedureCode: '1.00356X' } },
  'public-service-portal.dossier.progress': (v) =>
    v === 'unknown' ? undefined : { method: 'POST', path: `/api/v1/public-service-portal/dossiers/${exampleDossierCode}/progress`, body: v === 'known' ? progressExample : { ...progressExample, status: 'lost' } },
  'public-service-portal.dossier.sync-status': (v) =>
    v === 'unknown' ? undefined : { method: 'GET', path: `/api/v1/public-service-portal/dossiers/${v === 'known' ? exampleDossierCode : '000.00.01.H22-25071X-0001'}/sync` },  // Payments: an unknown reference is LGSP_NOT_FOUND (another consumer's payment answers the same), not a subject the upstream lacks.
  // Judicial records: the write (outbox) and the delivery status have no 404 of a subject; the status read answers 404 for an unknown dossier.
  'judicial-records.certificate-request.submit': (v) =>
    v === 'unknown' ? undefined : { method: 'PUT', path: `/api/v1/judicial-records/requests/${judicialExample.dossierCode}`, body: v === 'known' ? judicialExample : { ...judicialExample, certificateType: 'form-3' } },
  'judicial-records.certificate-request.get': (v) => ({
    method: 'GET',
    path: `/api/v1/judicial-records/requests/${{ known: '000.00.01.H22-251001-0001', unknown: '000.00.01.H22-251001-0999', invalid: '000.00.01.H22-2510X1-0001' }[v]}`,
    query: { applicantId: '001090012345' },
  }),
  'judicial-records.certificate-request.sync-status': (v) =>
    v === 'unknown' ? undefined : { method: 'GET', path: `/api/v1/judicial-records/requests/${v === 'known' ? judicialExample.dossierCode : '000.00.01.H22-2511X3-0001'}/sync` },
  'paygov.payment.create': (v) =>
    v === 'unknown'
      ? undefined
      : { method: 'POST', path: '/api/v1/payments', headers: { 'idempotency-key': 'error-privacy-payment' }, body: v === 'known' ? paymentExample : { ...paymentExample, items: [{ code: 'LP01', name: 'Lệ phí', amount: 1.5 }] } },
  // Civil status: registrations by their register key (connectors/civil-status/sandbox/README.md) or by personal id.
  ...civilStatusSamples(),
  'paygov.payment.get': (v) => (v === 'unknown' ? undefined : { method: 'GET', path: `/api/v1/payments/${v === 'known' ? paidReference : 'pg250715-lower'}` }),
  'paygov.payment.receipt': (v) => (v === 'unknown' ? undefined : { method: 'GET', path: `/api/v1/payments/${v === 'known' ? paidReference : 'pg250715-lower'}/receipt` }),
  // A create answers the shipment VNPost holds or makes one: no 404. Tracking and cancel: a seeded shipment, a dossier without one, a malformed code.
  'postal-delivery.shipment.create': (v) =>
    v === 'unknown' ? undefined : { method: 'POST', path: '/api/v1/postal-delivery/shipments', body: { ...postalShipmentExample, ...(v === 'invalid' && { recipient: { ...(postalShipmentExample.recipient as object), phone: '12345' } }) } },
  'postal-delivery.shipment.get': (v) => ({ method: 'GET', path: `/api/v1/postal-delivery/shipments/${{ known: seededShipments.delivered.dossierCode, unknown: '000.00.01.H22-250730-9999', invalid: '000.00.01.H22-25071X-0001' }[v]}` }),
  'postal-delivery.shipment.cancel': (v) => ({ method: 'POST', path: `/api/v1/postal-delivery/shipments/${{ known: seededShipments.delivered.dossierCode, unknown: '000.00.01.H22-250730-9999', invalid: '000.00.01.H22-25071X-0001' }[v]}/cancel` }),
};

function civilStatusSamples(): Record<string, (variant: Variant) => Call | undefined> {
  const { wellKnown } = seededCivilStatus();
  const byKey = (many: string, key: { authorityCode: string; book: string; number: string }) => (v: Variant): Call => ({
    method: 'GET',
    path: `/api/v1/civil-status/${many}`,
    query: { authorityCode: key.authorityCode, book: v === 'invalid' ? '1990x' : key.book, number: v === 'unknown' ? '99999' : key.number },
  });
  const byId = (what: string, ids: Record<Variant, string> | Omit<Record<Variant, string>, 'unknown'>) => (v: Variant): Call | undefined =>
    v in ids ? { method: 'GET', path: `/api/v1/civil-status/people/${(ids as Record<string, string>)[v]}/${what}` } : undefined;
  return {
    'civil-status.birth.get': byKey('births', wellKnown.anBirth),
    'civil-status.birth.find': byId('birth', { known: '001090012345', unknown: '001099999999', invalid: '00109001234x' }),
    'civil-status.marriage.get': byKey('marriages', wellKnown.anAnhMarriage),
    // A list: no 404.
    'civil-status.marriage.find': byId('marriages', { known: '001090012345', invalid: '00109001234x' }),
    'civil-status.death.get': byKey('deaths', wellKnown.binhDeath),
    'civil-status.death.find': byId('death', { known: wellKnown.tamDeath.personalId, unknown: '001090012345', invalid: '00109001234x' }),
  };
}

/** The path segments after the route's fixed prefix, the query values and the body values: all of them must stay out of error answers. */
function secretsOf(call: Call, operation: OperationDescriptor<any>): string[] {
  const fixed = new Set(`/api/v1${operation.path}`.split('/'));
  const fromPath = call.path.split('/').filter((segment) => segment !== '' && !fixed.has(segment));
  // Short values (a map sheet "12") would match any number in the answer; the ids that matter are long.
  const fromBody = Object.values(call.body ?? {}).filter((value): value is string => typeof value === 'string');
  return [...fromPath, ...Object.values(call.query ?? {}), ...fromBody].filter((value) => value.length >= 5);
}

const operations = connectorDescriptors.flatMap((connector) => connector.operations.map((operation) => ({ connector, operation })));

let harness: Harness;
let token: string;
let unregisteredToken: string;

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    overrides: {
      // Every fault must reach the upstream: nothing cached, no retries, no breaker opening until the test opens it.
      cache: { enabled: false },
      connectors: Object.fromEntries(
        connectorDescriptors.map((connector) => [connector.id, { resilience: { timeoutMs: 400, retry: { maxAttempts: 1 }, breaker: { volumeThreshold: 10_000 } } }]),
      ),
    },
  });
  token = await harness.token();
  paidReference = await paidPayment();
  // Known to the IdP, not registered as a consumer: refused by the access policy.
  unregisteredToken = (await requestClientCredentialsToken(harness.stack.idp.tokenUrl, { clientId: 'land-office-system', clientSecret: 'land-office-system-dev-secret' })).access_token;
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

/** A payment the platform and the gateway hold as paid (the gateway told as reconciliation would tell it: the IPN goes nowhere here). */
async function paidPayment(): Promise<string> {
  const body = { ...paymentExample, dossierCode: '000.00.01.H22-250715-0999' };
  const created = await request(harness.url).post('/api/v1/payments').set({ ...personalDataHeaders(token), 'idempotency-key': 'error-privacy-paid' }).send(body);
  const reference = created.body.reference as string;
  const paygov = harness.stack.sandboxes.paygov as unknown as { pay(reference: string): boolean };
  if (!paygov.pay(reference)) throw new Error(`the paygov sandbox did not take payment ${reference} (${created.status})`);
  await harness.stack.gateway.payments!.store.applyOutcome(reference, { state: 'paid' }, 'query');
  return reference;
}

function send(call: Call, headers: Record<string, string>, method: string = call.method) {
  let pending = request(harness.url)[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](call.path).set({ ...call.headers, ...headers });
  if (call.query) pending = pending.query(call.query);
  if (call.body) pending = pending.send(call.body);
  return pending;
}

function headersFor(operation: OperationDescriptor<any>, bearer = token): Record<string, string> {
  return operation.personalData ? personalDataHeaders(bearer) : { authorization: `Bearer ${bearer}` };
}

/** The problem answer names no path or query value, not even in `instance` or a header, and says which request it was. */
function expectNoLeak(response: request.Response, secrets: string[], label: string): void {
  const everything = `${JSON.stringify(response.headers)}\n${response.text}`;
  for (const secret of secrets) {
    if (everything.includes(secret)) throw new Error(`${label}: the answer (${response.status}) carries "${secret}":\n${everything}`);
  }
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body.instance).toMatch(/^urn:lgsp:request:[A-Za-z0-9._:-]+$/);
  expect(response.body.instance).toBe(`urn:lgsp:request:${response.headers['x-request-id']}`);
}

describe('error answers carry no subject id, path or query value', () => {
  it('has a sample request for every operation in the registry', () => {
    expect(operations.map(({ operation }) => operation.id).filter((id) => !samples[id])).toEqual([]);
  });

  it.each(operations.map(({ connector, operation }) => [operation.id, connector.id, operation] as const))(
    '%s: caller errors (token, grant, headers, contract, not found, routing, body)',
    async (operationId, _connectorId, operation) => {
      const known = samples[operationId]!('known')!;
      const invalid = samples[operationId]!('invalid')!;
      const unknown = samples[operationId]!('unknown');
      const secrets = [...secretsOf(known, operation), ...secretsOf(invalid, operation), ...(unknown ? secretsOf(unknown, operation) : [])];
      const cases: Array<[string, () => request.Test, number, string?]> = [
        ['no token', () => send(known, operation.personalData ? { 'x-end-user': 'officer01', 'x-purpose': '000.00.01.H22-261123-0001' } : {}), 401, 'LGSP_TOKEN_MISSING'],
        ['bad token', () => send(known, headersFor(operation, 'not-a-token')), 401, 'LGSP_TOKEN_INVALID'],
        ['not a consumer', () => send(known, headersFor(operation, unregisteredToken)), 403],
        ['contract violation', () => send(invalid, headersFor(operation)), 400],
        ['unknown route', () => send({ ...known, path: `${known.path}/nothing-here/at-all` }, headersFor(operation)), 404, 'LGSP_NOT_FOUND'],
        ['wrong method', () => send({ ...known, body: undefined }, headersFor(operation), 'DELETE'), 404, 'LGSP_NOT_FOUND'],
        [
          'malformed JSON',
          () => request(harness.url).post(known.path).query(known.query ?? {}).set(headersFor(operation)).set('content-type', 'application/json').send(`{"value":"${secrets[0]}",`),
          400,
          'LGSP_BODY_MALFORMED',
        ],
        [
          'body too large',
          () => request(harness.url).post(known.path).query(known.query ?? {}).set(headersFor(operation)).set('content-type', 'application/json').send(JSON.stringify({ value: `${secrets[0]} `.repeat(20_000) })),
          413,
          'LGSP_BODY_TOO_LARGE',
        ],
        [
          'unsupported media type',
          () => request(harness.url).post(known.path).query(known.query ?? {}).set(headersFor(operation)).set('content-type', 'text/plain').send(`personalId=${secrets[0]}`),
          415,
          'LGSP_UNSUPPORTED_MEDIA_TYPE',
        ],
      ];
      if (operation.personalData) {
        const { 'x-end-user': _endUser, ...withoutEndUser } = personalDataHeaders(token);
        const { 'x-purpose': _purpose, ...withoutPurpose } = personalDataHeaders(token);
        cases.push(['no X-End-User', () => send(known, withoutEndUser), 400, 'LGSP_END_USER_REQUIRED']);
        cases.push(['no X-Purpose', () => send(known, withoutPurpose), 400, 'LGSP_PURPOSE_REQUIRED']);
      }
      if (unknown) cases.push(['subject not found', () => send(unknown, headersFor(operation)), 404, 'LGSP_SUBJECT_NOT_FOUND']);

      for (const [label, call, status, code] of cases) {
        const response = await call();
        expect({ label, status: response.status, ...(code ? { code: response.body.code } : {}) }).toEqual({ label, status, ...(code ? { code } : {}) });
        expectNoLeak(response, secrets, `${operationId} ${label}`);
      }
    },
  );

  // Writes, the delivery status and a payment's status answer without asking the upstream: its failures cannot reach them.
  const upstreamCalling = operations.filter(({ operation }) => !operation.write && !operation.deliveryStatus && operation.payment !== 'status');
  it.each(upstreamCalling.map(({ connector, operation }) => [operation.id, connector, operation] as const))(
    '%s: upstream failures (timeout, 5xx, fault, garbage, unavailable) and an open breaker',
    async (operationId, connector, operation) => {
      const known = samples[operationId]!('known')!;
      const secrets = secretsOf(known, operation);
      const faults = (harness.stack.sandboxes[connector.id] as unknown as { faults: { set(fault: Fault): void; clear(): void } }).faults;
      const cases: Fault[] = [{ kind: 'hang' }, { kind: 'http-500' }, { kind: 'garbage' }, { kind: 'unavailable', retryAfterSeconds: 1 }, ...(connector.protocol === 'soap' ? [{ kind: 'soap-fault' } as const] : [])];
      try {
        for (const fault of cases) {
          faults.set(fault);
          const response = await send(known, headersFor(operation));
          expect({ fault: fault.kind, failed: response.status >= 500 }).toEqual({ fault: fault.kind, failed: true });
          expectNoLeak(response, secrets, `${operationId} fault ${fault.kind}`);
        }

        // Open this connector's breaker (one failure suffices for a moment), then ask again: refused without a call.
        const { upstreams } = harness.stack.gateway;
        const operationIds = connector.operations.map((each) => each.id);
        const base = harness.stack.config.connectors[connector.id]!.resilience;
        upstreams.configure(connector.id, resolvePolicies(operationIds, [descriptorPolicyLayer(connector), base, { breaker: { volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeoutMs: 60_000 } }]));
        faults.set({ kind: 'http-500' });
        await send(known, headersFor(operation));
        const refused = await send(known, headersFor(operation));
        expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'LGSP_UPSTREAM_UNAVAILABLE' });
        expectNoLeak(refused, secrets, `${operationId} breaker open`);
        // A new breaker starts closed: the next operation of this connector finds it healthy.
        upstreams.configure(connector.id, resolvePolicies(operationIds, [descriptorPolicyLayer(connector), base]));
      } finally {
        faults.clear();
      }
    },
  );
});
