import { UpstreamError, clientCredentialsLgspCredentialSchema, defineConnector, echoedRequestId } from '../../src/connector-kit/index.js';
import type { Citizen, CitizenVerificationRequest, CitizenVerificationResult } from '../../contracts/types.generated.js';
import { createPopulationClient, populationSettingsSchema } from './client.js';
import { citizenFromLookup, verificationClaim, verificationResult } from './mapping.js';

const contracts = 'https://lgsp.gov.vn/contracts';

/** The national population database (CSDL quốc gia về dân cư): see README.md beside this file. */
export const populationConnector = defineConnector({
  id: 'population',
  title: 'National population database',
  upstream: 'CSDL quốc gia về dân cư (Ministry of Public Security), SOAP through the national data-sharing platform',
  protocol: 'soap',
  authScheme: 'oauth2-client-credentials+lgspaccesstoken',
  credentialSchema: clientCredentialsLgspCredentialSchema,
  settingsSchema: populationSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createPopulationClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8201, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A lookup of a well-formed id that cannot exist: cheap, and proves token, keys and SOAP stack.
    await client.lookUpCitizen('001000000000', { signal, requestId: 'health-probe', traceparent: `00-${'0'.repeat(31)}1-${'0'.repeat(15)}1-00`, endUser: 'lgsp-probe', purpose: 'HEALTH-PROBE' });
  },
  operations: [
    {
      id: 'population.citizen.get',
      method: 'GET',
      path: '/population/citizens/{personalId}',
      lookup: { path: '/population/citizens/lookup' },
      summary: 'Look a citizen up by personal id',
      description: 'The citizen record from the national population database (TraCuuThongTinCongDan). Prefer the verify operation when the officer only needs to confirm what the citizen declared.',
      personalData: true,
      idempotent: true,
      request: { params: { personalId: { $ref: `${contracts}/common/v1/definitions.json#/$defs/personalId` } } },
      response: `${contracts}/population/v1/citizen.json`,
      subjectIdOf: (input) => input.params.personalId,
      releasedFields: (citizen: Citizen) => Object.keys(citizen),
      async invoke(client, input, context) {
        const personalId = input.params.personalId!;
        const outcome = citizenFromLookup(await client.lookUpCitizen(personalId, context), personalId);
        return outcome.kind === 'found' ? { kind: 'found', data: outcome.citizen } : { kind: 'not_found' };
      },
    },
    {
      id: 'population.citizen.verify',
      method: 'POST',
      path: '/population/citizens/verify',
      summary: 'Verify what a citizen declared',
      description:
        'Checks a personal id with the declared name, and the birth date and sex when given, against the national population database (XacThucThongTinCongDan). Returns what the upstream confirmed and nothing of the record: TonTai true confirms every given attribute; TonTai false alone says the combination does not match without saying which attribute (each is null, exists null); per-field flags are reported when the upstream sends them (basis per-field).',
      personalData: true,
      // A POST, but a read: asking twice changes nothing upstream.
      idempotent: true,
      request: { body: `${contracts}/population/v1/citizen-verify-request.json` },
      response: `${contracts}/population/v1/citizen-verify-response.json`,
      subjectIdOf: (input) => (input.body as CitizenVerificationRequest).personalId,
      releasedFields: (result: CitizenVerificationResult) => ['exists', 'allMatch', ...(result.basis ? ['basis'] : []), ...Object.keys(result.matches).map((field) => `matches.${field}`)],
      async invoke(client, input, context) {
        const request = input.body as CitizenVerificationRequest;
        const answer = await client.verifyCitizen(verificationClaim(request), context);
        if (answer === undefined || answer === null) throw new UpstreamError('contract', 'verification answer without a body');
        // The answer echoes our MaYeuCau: the key the upstream knows this call by (its lookup answer carries none).
        const upstreamReference = echoedRequestId(answer.MaYeuCau, context.requestId, 'MaYeuCau');
        return { kind: 'found', data: verificationResult(answer, request), ...(upstreamReference !== undefined && { upstreamReference }) };
      },
    },
  ],
});
