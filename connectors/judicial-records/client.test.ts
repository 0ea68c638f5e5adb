import pino from 'pino';
import { createUpstreamAuth } from '../../src/connector-kit/upstream-auth/create-upstream-auth.js';
import { UpstreamError, type ConnectorClientContext, type DeliveryMessage } from '../../src/connector-kit/index.js';
import type { JudicialRecordCertificateRequest } from '../../contracts/types.generated.js';
import { testInvocation } from '../../simulators/kit/test-support/strict-upstream.js';
import { wellKnownPersonIds } from '../../simulators/kit/people.js';
import { createJudicialRecordsClient, type JudicialRecordsClient, type JudicialRecordsSettings } from './client.js';
import { requestToUpstream } from './mapping.js';
import { deliverCertificateRequest, type CertificateRequestMessage } from './request-delivery.js';
import { devConfig } from './sandbox/embedded.js';
import { judicialRecordsSandboxDevCredentials, startJudicialRecordsSandbox, type JudicialRecordsSandbox } from './sandbox/server.js';

// The client and the delivery handler against the sandbox, over HTTP with the platform's token and lgspaccesstoken.
let sandbox: JudicialRecordsSandbox;
let client: JudicialRecordsClient;

beforeAll(async () => {
  sandbox = await startJudicialRecordsSandbox();
  const settings = devConfig.settings as JudicialRecordsSettings;
  const context: ConnectorClientContext<JudicialRecordsSettings> = {
    baseUrl: sandbox.baseUrl,
    settings,
    auth: createUpstreamAuth('oauth2-client-credentials+lgspaccesstoken', { baseUrl: sandbox.baseUrl, settings, credentials: judicialRecordsSandboxDevCredentials }),
    logger: pino({ level: 'silent' }),
    transport: { connectTimeoutMs: 2000 },
  };
  client = await createJudicialRecordsClient(context);
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

afterEach(() => {
  sandbox.faults.clear();
  sandbox.resetRequests();
});

const request: JudicialRecordCertificateRequest = {
  dossierCode: '000.00.01.H22-251124-0001',
  certificateType: 'form-1',
  applicant: { personalId: wellKnownPersonIds.manBornInHanoi1990, fullName: 'Nguyễn Văn An', sex: 'male', birthDate: '1990-05-15' },
  purpose: 'Bổ sung hồ sơ xin việc',
  receivedAt: '2025-11-24T08:00:00+07:00',
  dueDate: '2025-12-04',
};
let sequence = 0;
const message = (body: JudicialRecordCertificateRequest, attempt = 1): DeliveryMessage => ({ key: body.dossierCode, sequence: (sequence += 1), attempt, payload: { request: body } satisfies CertificateRequestMessage });
const failureOf = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as UpstreamError);

describe('judicial-records client', () => {
  it('looks a seeded request up, and finds nothing for a dossier nobody lodged', async () => {
    const found = await client.lookUp('000.00.01.H22-251001-0004', testInvocation());
    expect(found).toMatchObject({ kind: 'found', record: { nycSoGiayTo: wellKnownPersonIds.upperCaseNoDiacritics, trangThaiXuLy: '9' } });
    expect(await client.lookUp('000.00.01.H22-251001-0999', testInvocation())).toEqual({ kind: 'absent' });
  });

  it('lodges a request once; a second lodging is "already held", not an error', async () => {
    const item = requestToUpstream(request, client.province);
    expect(await client.submit(item, testInvocation())).toEqual({ kind: 'created' });
    expect(await client.submit(item, testInvocation())).toEqual({ kind: 'already-held' });
    expect(sandbox.journal.map((entry) => entry.kind)).toEqual(['lodged', 'refused-duplicate']);
  });

  it('turns a refusal into `rejected` and the system failing into `fault`, without the upstream text', async () => {
    const mismatch = await failureOf(client.submit(requestToUpstream({ ...request, applicant: { ...request.applicant, fullName: 'Nguyễn Văn Bình' } }, client.province), testInvocation()));
    expect(mismatch).toMatchObject({ kind: 'rejected', upstreamCode: '01' });
    expect(mismatch!.message).not.toMatch(/Nguyễn|khớp/);
    sandbox.faults.set({ kind: 'soap-fault' });
    expect(await failureOf(client.lookUp(request.dossierCode, testInvocation()))).toMatchObject({ kind: 'fault', upstreamCode: '03' });
  });
});

describe('certificate request delivery', () => {
  it('lodges when absent, and answers already-held on a second delivery without lodging again', async () => {
    expect(await deliverCertificateRequest(client, message(request), testInvocation())).toEqual({ answer: 'created' });
    expect(await deliverCertificateRequest(client, message({ ...request, copies: 2 }, 2), testInvocation())).toEqual({ answer: 'already-held' });
    expect(sandbox.journal).toEqual([{ dossierCode: request.dossierCode, kind: 'lodged' }]);
    expect(sandbox.requests.get(request.dossierCode)!.item.toKhai.soLuongCap).toBe('1');
  });

  it('after an answer lost once the system stored the request, the next attempt finds it there', async () => {
    sandbox.loseNextSubmitAnswers(1);
    expect(await failureOf(deliverCertificateRequest(client, message(request), testInvocation()))).toMatchObject({ kind: 'connection' });
    expect(await deliverCertificateRequest(client, message(request, 2), testInvocation())).toEqual({ answer: 'already-held' });
    expect(sandbox.journal.filter((entry) => entry.kind === 'lodged')).toHaveLength(1);
  });

  it('never delivers a dossier code the system holds for another applicant', async () => {
    const taken = { ...request, dossierCode: '000.00.01.H22-251001-0002' };
    expect(await failureOf(deliverCertificateRequest(client, message(taken), testInvocation()))).toMatchObject({ kind: 'rejected' });
    expect(sandbox.journal).toEqual([]);
  });
});
