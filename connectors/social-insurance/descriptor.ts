import { clientCredentialsLgspCredentialSchema, defineConnector, echoedRequestId, healthProbeContext } from '../../src/connector-kit/index.js';
import type { SocialInsuranceParticipant } from '../../contracts/types.generated.js';
import { createSocialInsuranceClient, socialInsuranceSettingsSchema } from './client.js';
import { participantFromLookup } from './mapping.js';

const contracts = 'https://lgsp.gov.vn/contracts';
const participantContract = `${contracts}/social-insurance/v1/participant.json`;
const releasedFields = (participant: SocialInsuranceParticipant) => Object.keys(participant);

/** Vietnam Social Security's participant lookup (BHXH Việt Nam): see README.md beside this file. */
export const socialInsuranceConnector = defineConnector({
  id: 'social-insurance',
  title: 'Social insurance (BHXH Việt Nam)',
  upstream: 'Cơ sở dữ liệu quốc gia về bảo hiểm (Vietnam Social Security), SOAP through the national data-sharing platform; interface assumed, see README',
  protocol: 'soap',
  authScheme: 'oauth2-client-credentials+lgspaccesstoken',
  credentialSchema: clientCredentialsLgspCredentialSchema,
  settingsSchema: socialInsuranceSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createSocialInsuranceClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8203, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A lookup of a well-formed code that cannot exist: cheap, and proves token, keys and SOAP stack.
    await client.lookUpParticipant({ MaSoBHXH: '0000000000' }, healthProbeContext(signal));
  },
  operations: [
    {
      id: 'social-insurance.participant.get',
      method: 'GET',
      path: '/social-insurance/participants/{socialInsuranceCode}',
      lookup: { path: '/social-insurance/participants/lookup' },
      summary: 'Look a social-insurance participant up by social insurance code',
      description:
        'Participation status, health-insurance card (number, validity, registered initial-care facility) and contribution summary from Vietnam Social Security (TraCuuThongTinNguoiThamGia by MaSoBHXH).',
      personalData: true,
      idempotent: true,
      request: { params: { socialInsuranceCode: { $ref: `${contracts}/social-insurance/v1/definitions.json#/$defs/socialInsuranceCode` } } },
      response: participantContract,
      subjectIdOf: (input) => input.params.socialInsuranceCode,
      releasedFields,
      async invoke(client, input, context) {
        const socialInsuranceCode = input.params.socialInsuranceCode!;
        const answer = await client.lookUpParticipant({ MaSoBHXH: socialInsuranceCode }, context);
        const upstreamReference = echoedRequestId(answer?.MaYeuCau, context.requestId, 'MaYeuCau');
        const outcome = participantFromLookup(answer, { socialInsuranceCode });
        return { ...(outcome.kind === 'found' ? { kind: 'found', data: outcome.participant } : { kind: 'not_found' }), ...(upstreamReference !== undefined && { upstreamReference }) };
      },
    },
    {
      id: 'social-insurance.participant.find',
      method: 'GET',
      path: '/social-insurance/participants',
      lookup: { path: '/social-insurance/participants/lookup-by-personal-id' },
      summary: "Find a citizen's social-insurance record by personal id",
      description:
        'The same record as the lookup by code, found by the personal id (TraCuuThongTinNguoiThamGia by SoDinhDanh). Old records not yet matched with the population database are found by code only.',
      personalData: true,
      idempotent: true,
      request: { query: { properties: { personalId: { $ref: `${contracts}/common/v1/definitions.json#/$defs/personalId` } }, required: ['personalId'] } },
      response: participantContract,
      subjectIdOf: (input) => input.query.personalId,
      releasedFields,
      async invoke(client, input, context) {
        const personalId = input.query.personalId!;
        const answer = await client.lookUpParticipant({ SoDinhDanh: personalId }, context);
        const upstreamReference = echoedRequestId(answer?.MaYeuCau, context.requestId, 'MaYeuCau');
        const outcome = participantFromLookup(answer, { personalId });
        return { ...(outcome.kind === 'found' ? { kind: 'found', data: outcome.participant } : { kind: 'not_found' }), ...(upstreamReference !== undefined && { upstreamReference }) };
      },
    },
  ],
});
