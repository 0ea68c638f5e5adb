import { defineConnector, healthProbeContext, passwordGrantCredentialSchema, UpstreamError } from '../../src/connector-kit/index.js';
import type { LandCertificate, LandParcelSearchResult } from '../../contracts/types.generated.js';
import { createLandClient, upstreamNumber, landSettingsSchema } from './client.js';
import { certificateFromLookup, parcelsFromSearch } from './mapping.js';

const contracts = 'https://lgsp.gov.vn/contracts';
const land = `${contracts}/land/v1/definitions.json#/$defs`;

/** The provincial land database (CSDL đất đai): see README.md beside this file. */
export const landConnector = defineConnector({
  id: 'land',
  title: 'Provincial land database',
  upstream: 'CSDL đất đai (provincial land information system), REST/JSON behind an OAuth2 password grant',
  protocol: 'rest',
  authScheme: 'oauth2-password',
  credentialSchema: passwordGrantCredentialSchema,
  settingsSchema: landSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createLandClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8204, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // A well-formed parcel that does not exist: cheap, and proves the token and the API.
    await client.findParcels({ communeCode: '00004', mapSheet: '9999', parcelNumber: '99999' }, healthProbeContext(signal));
  },
  operations: [
    {
      id: 'land.parcel.find',
      method: 'GET',
      path: '/land/parcels',
      lookup: { path: '/land/parcels/lookup' },
      summary: 'Find a land parcel by commune, map sheet and parcel number',
      description:
        'The parcel(s) the provincial land database holds at a 2025 commune code, map sheet (số tờ) and parcel number (số thửa): area, land uses with their terms, address, owners, certificates, encumbrances and land-tax notices. An empty list when there is no such parcel.',
      personalData: true,
      idempotent: true,
      request: {
        query: {
          properties: {
            communeCode: { $ref: `${contracts}/common/v1/definitions.json#/$defs/communeCode` },
            mapSheet: { $ref: `${land}/landMapSheet` },
            parcelNumber: { $ref: `${land}/landParcelNumber` },
          },
          required: ['communeCode', 'mapSheet', 'parcelNumber'],
        },
      },
      response: `${contracts}/land/v1/parcel-search-result.json`,
      // The parcel is the subject: its natural key, leading zeros dropped so one parcel has one key.
      subjectIdOf: (input) => `${input.query.communeCode}-${upstreamNumber(input.query.mapSheet ?? '')}-${upstreamNumber(input.query.parcelNumber ?? '')}`,
      releasedFields: (result: LandParcelSearchResult) => [...new Set(result.parcels.flatMap((parcel) => Object.keys(parcel).map((field) => `parcels.${field}`)))],
      async invoke(client, input, context) {
        const { communeCode, mapSheet, parcelNumber } = input.query as { communeCode: string; mapSheet: string; parcelNumber: string };
        const answer = await client.findParcels({ communeCode, mapSheet, parcelNumber }, context);
        return { kind: 'found', data: { parcels: parcelsFromSearch(answer.DuLieu) } };
      },
    },
    {
      id: 'land.certificate.get',
      method: 'GET',
      path: '/land/certificates/{certificateSerial}',
      lookup: { path: '/land/certificates/lookup' },
      summary: 'Look a land-use certificate up by its serial',
      description:
        'The land-use certificate (giấy chứng nhận) with the printed serial, written without its space (DA 123456 → DA123456): issue date and office, status, holders and the parcels it covers.',
      personalData: true,
      idempotent: true,
      request: { params: { certificateSerial: { $ref: `${land}/landCertificateSerial` } } },
      response: `${contracts}/land/v1/certificate.json`,
      subjectIdOf: (input) => input.params.certificateSerial,
      releasedFields: (certificate: LandCertificate) => Object.keys(certificate),
      async invoke(client, input, context) {
        const serial = input.params.certificateSerial!;
        const answer = await client.getCertificate(serial, context);
        if (answer === undefined) return { kind: 'not_found' };
        if (!answer.DuLieu || typeof answer.DuLieu !== 'object') throw new UpstreamError('contract', 'certificate answer without DuLieu');
        // The land database's envelope carries no id of its own (see README.md): no upstreamReference.
        return { kind: 'found', data: certificateFromLookup(answer.DuLieu, serial) };
      },
    },
  ],
});
