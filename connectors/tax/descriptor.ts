import { UpstreamError, clientCredentialsLgspCredentialSchema, defineConnector, echoedRequestId, healthProbeContext } from '../../src/connector-kit/index.js';
import type { OutstandingTaxObligations, Taxpayer } from '../../contracts/types.generated.js';
import { createTaxClient, taxSettingsSchema } from './client.js';
import { obligationsFromLedger, taxpayerFromLookup } from './mapping.js';

const contracts = 'https://lgsp.gov.vn/contracts';
// A business tax code or, since July 2025, an individual's personal id.
const taxCodeParam = { taxCode: { $ref: `${contracts}/tax/v1/definitions.json#/$defs/taxpayerCode` } };

/** The tax authority's taxpayer lookup: see README.md beside this file. */
export const taxConnector = defineConnector({
  id: 'tax',
  title: 'Tax authority (taxpayer lookup)',
  upstream: 'Cục Thuế (tax authority, Ministry of Finance), taxpayer status and obligations over SOAP through the national data-sharing platform',
  protocol: 'soap',
  authScheme: 'oauth2-client-credentials+lgspaccesstoken',
  credentialSchema: clientCredentialsLgspCredentialSchema,
  settingsSchema: taxSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createTaxClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8205, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A valid tax code nobody holds: cheap, and proves token, keys and SOAP stack.
    await client.lookUpTaxpayer('0109999982', healthProbeContext(signal));
  },
  operations: [
    {
      id: 'tax.taxpayer.get',
      method: 'GET',
      path: '/tax/taxpayers/{taxCode}',
      lookup: { path: '/tax/taxpayers/lookup' },
      summary: 'Look a taxpayer up by tax code',
      description:
        'Registration status (active / suspended / closed, with the upstream status code and label) and the managing tax office of an enterprise, dependent unit, household business, cooperative or individual (TraCuuThongTinNNT). An individual or household business is looked up by the 12-digit personal id that is its tax code since July 2025. Personal data: individuals and household businesses are people, and the record names the legal representative.',
      personalData: true,
      idempotent: true,
      request: { params: taxCodeParam },
      response: `${contracts}/tax/v1/taxpayer.json`,
      subjectIdOf: (input) => input.params.taxCode,
      releasedFields: (taxpayer: Taxpayer) => Object.keys(taxpayer),
      async invoke(client, input, context) {
        const taxCode = input.params.taxCode!;
        const answer = await client.lookUpTaxpayer(taxCode, context);
        const upstreamReference = echoedRequestId(answer?.MA_YEU_CAU, context.requestId, 'MA_YEU_CAU');
        const outcome = taxpayerFromLookup(answer, taxCode);
        return { ...(outcome.kind === 'found' ? { kind: 'found', data: outcome.data } : { kind: 'not_found' }), ...(upstreamReference !== undefined && { upstreamReference }) };
      },
    },
    {
      id: 'tax.obligation.list',
      method: 'GET',
      path: '/tax/taxpayers/{taxCode}/obligations',
      lookup: { path: '/tax/taxpayers/obligations/lookup' },
      summary: "List a taxpayer's outstanding tax obligations",
      description:
        'What the taxpayer still owes, by budget sub-item (TEN_TIEUMUC), with the amount (SO_TIEN) and, for assessments and penalties, the decision number and date (SO_QUYET_DINH, NGAY_QUYET_DINH) (TraCuuNghiaVuThue). Checked before a result is returned to the applicant.',
      personalData: true,
      idempotent: true,
      request: { params: taxCodeParam },
      response: `${contracts}/tax/v1/obligations.json`,
      subjectIdOf: (input) => input.params.taxCode,
      releasedFields: (obligations: OutstandingTaxObligations) => Object.keys(obligations),
      async invoke(client, input, context) {
        const taxCode = input.params.taxCode!;
        const answer = await client.listObligations(taxCode, context);
        const upstreamReference = echoedRequestId(answer?.MA_YEU_CAU, context.requestId, 'MA_YEU_CAU');
        const outcome = obligationsFromLedger(answer, taxCode);
        if (outcome.kind === 'inconsistent') throw new UpstreamError('contract', outcome.reason);
        return { ...(outcome.kind === 'found' ? { kind: 'found', data: outcome.data } : { kind: 'not_found' }), ...(upstreamReference !== undefined && { upstreamReference }) };
      },
    },
  ],
});
