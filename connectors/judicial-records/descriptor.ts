import { clientCredentialsLgspCredentialSchema, defineConnector, healthProbeContext, upstreamText } from '../../src/connector-kit/index.js';
import type { JudicialRecordCertificateRequest, JudicialRecordRequestStatus } from '../../contracts/types.generated.js';
import { createJudicialRecordsClient, judicialRecordsSettingsSchema } from './client.js';
import { statusFromRecord, statusFromUpstream } from './mapping.js';
import { certificateRequestTarget, deliverCertificateRequest, type CertificateRequestMessage } from './request-delivery.js';

const contracts = 'https://lgsp.gov.vn/contracts';
const judicial = `${contracts}/judicial-records/v1`;
const dossierCode = { $ref: `${judicial}/definitions.json#/$defs/dossierCode` };

/** A well-formed dossier code no desk issues (unit 000.00.00.H00): the probe's lookup finds nothing, cheaply. */
const probeDossierCode = '000.00.00.H00-250101-0000';

/** The judicial records system (lý lịch tư pháp, Ministry of Justice): see README.md beside this file. */
export const judicialRecordsConnector = defineConnector({
  id: 'judicial-records',
  title: 'Judicial records',
  upstream: 'Phần mềm lý lịch tư pháp (Trung tâm Lý lịch tư pháp quốc gia, Ministry of Justice), JSON services through the national data-sharing platform',
  protocol: 'rest',
  authScheme: 'oauth2-client-credentials+lgspaccesstoken',
  credentialSchema: clientCredentialsLgspCredentialSchema,
  settingsSchema: judicialRecordsSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createJudicialRecordsClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8208, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A lookup of a dossier code nobody issues: proves token, keys and the service path, touches no applicant.
    await client.lookUp(probeDossierCode, healthProbeContext(signal));
  },
  deliveries: { [certificateRequestTarget]: deliverCertificateRequest },
  operations: [
    {
      id: 'judicial-records.certificate-request.submit',
      method: 'PUT',
      path: '/judicial-records/requests/{dossierCode}',
      summary: 'Request a judicial record certificate for an applicant received at a one-stop desk',
      description:
        'Accepts a request for a Phiếu lý lịch tư pháp số 1 or số 2 and answers 202 once it is stored durably in the gateway\'s outbox; the gateway then lodges it with the judicial records system (traCuuHoSoLLTP, then tiepNhanHoSoLLTP only when the system does not hold the dossier), retrying through outages. Idempotent by the dossier code: the system receives one request per dossier whatever the retries; the same request again (same Idempotency-Key, or the same body) is the same message (`duplicate: true`), and a changed body for a dossier already lodged is delivered as `already-held` (the system takes no amendment). `dossierCode` in the body must equal the path\'s. Personal data (the applicant): audited as a transfer.',
      personalData: true,
      // Accepting twice is one message; the transfer is the outbox's, at least once, made safe by the lookup before the create.
      idempotent: false,
      request: { params: { dossierCode }, body: `${judicial}/certificate-request.json` },
      response: `${judicial}/certificate-request-accepted.json`,
      subjectIdOf: (input) => (input.body as JudicialRecordCertificateRequest).applicant.personalId,
      releasedFields: () => [],
      write: {
        target: certificateRequestTarget,
        keyOf: (input) => input.params.dossierCode!,
        messageOf: (input): CertificateRequestMessage => ({ request: input.body as JudicialRecordCertificateRequest }),
        fieldsSent: (input) => Object.keys(input.body as JudicialRecordCertificateRequest),
      },
    },
    {
      id: 'judicial-records.certificate-request.get',
      method: 'GET',
      path: '/judicial-records/requests/{dossierCode}',
      lookup: { path: '/judicial-records/requests/lookup' },
      summary: 'Processing status of a certificate request, and the certificate once issued',
      description:
        "Asks the judicial records system (traCuuHoSoLLTP) where the request stands: received, processing, supplement-requested or refused (with the reason to tell the applicant), result-ready or result-returned with the certificate's number, issue date and issuing authority. `applicantId` must be the applicant's personal id: a dossier held for anyone else answers 404, as an absent one does. Never carried: whether a criminal record is noted, the convictions, the bans, the signed certificate (see the contract). Personal data: audited; grants may release fewer fields (e.g. only `status`).",
      personalData: true,
      idempotent: true,
      request: {
        params: { dossierCode },
        query: { properties: { applicantId: { $ref: `${contracts}/common/v1/definitions.json#/$defs/personalId` } }, required: ['applicantId'] },
      },
      response: `${judicial}/certificate-request-status.json`,
      subjectIdOf: (input) => input.query.applicantId,
      releasedFields: (status: JudicialRecordRequestStatus) => Object.keys(status),
      async invoke(client, input, context) {
        const code = input.params.dossierCode!;
        const held = await client.lookUp(code, context);
        // Someone else's request is as absent as none: the answer must not confirm that a dossier code exists.
        if (held.kind === 'absent' || upstreamText(held.record.nycSoGiayTo) !== input.query.applicantId) return { kind: 'not_found' };
        return { kind: 'found', data: statusFromRecord(held.record, code) };
      },
    },
    {
      id: 'judicial-records.certificate-request.sync-status',
      method: 'GET',
      path: '/judicial-records/requests/{dossierCode}/sync',
      summary: 'What became of the certificate requests accepted for a dossier',
      description:
        "Every certificate request accepted for this dossier, oldest first: pending, delivering, retrying (next attempt, kind of the last failure), delivered (when; created, or already-held), dead (why), cancelled. Read from the gateway's outbox; with `upstream=true` the judicial records system is also asked whether it holds the request and at which status, nothing of the applicant.",
      personalData: false,
      idempotent: true,
      request: {
        params: { dossierCode },
        query: { properties: { upstream: { type: 'string', enum: ['true', 'false'], description: 'true: also ask the judicial records system whether it holds the request now, and its status.' } } },
      },
      response: `${judicial}/certificate-request-sync-status.json`,
      subjectIdOf: () => undefined,
      releasedFields: (status: Record<string, unknown>) => Object.keys(status),
      deliveryStatus: {
        target: certificateRequestTarget,
        keyOf: (input) => input.params.dossierCode!,
        upstreamView: {
          wanted: (input) => input.query.upstream === 'true',
          async read(client, code, context) {
            const held = await client.lookUp(code, context);
            return held.kind === 'absent' ? { held: false } : { held: true, status: statusFromUpstream(held.record.trangThaiXuLy) };
          },
        },
      },
    },
  ],
});
