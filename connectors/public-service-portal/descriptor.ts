import { type InvocationContext, defineConnector, healthProbeContext, sessionDstcodeCredentialSchema, referenceDataCachePolicy } from '../../src/connector-kit/index.js';
import type { AgencyList, Dossier, DossierProgress, FieldList, Procedure, ProcedureSearchResult } from '../../contracts/types.generated.js';
import { catalogServices, createPublicServicePortalClient, portalItems, publicServicePortalSettingsSchema } from './client.js';
import { deliverDossierMessage, dossierSyncTarget, type DossierSyncMessage } from './dossier-delivery.js';
import { dossierStatusFromPortal } from './dossier-mapping.js';
import { agencyListFromCatalog, fieldListFromCatalog, procedureFromThuTuc, searchResultFromList } from './mapping.js';

const contracts = 'https://lgsp.gov.vn/contracts';
const portal = `${contracts}/public-service-portal/v1/definitions.json#/$defs`;

const defaultPageSize = 20;

/** The National Public Service Portal (Cổng Dịch vụ công quốc gia): see README.md beside this file. */
export const publicServicePortalConnector = defineConnector({
  id: 'public-service-portal',
  title: 'National Public Service Portal',
  upstream: 'Cổng Dịch vụ công quốc gia (Government Office), JSON services through the provincial bus adapter after a session login with dstcode',
  protocol: 'rest',
  authScheme: 'session-login+dstcode',
  credentialSchema: sessionDstcodeCredentialSchema,
  settingsSchema: publicServicePortalSettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createPublicServicePortalClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8206, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // The field list (LayDanhMucLinhVuc): small, and proves the session login and the adapter without touching the catalog services callers use.
    portalItems(await client.call({ service: catalogServices.fields }, healthProbeContext(signal)));
  },
  deliveries: { [dossierSyncTarget]: deliverDossierMessage },
  operations: [
    {
      id: 'public-service-portal.dossier.sync',
      method: 'PUT',
      path: '/public-service-portal/dossiers/{dossierCode}',
      summary: 'Sync a dossier to the National Public Service Portal',
      description:
        'Accepts the dossier as the one-stop desk holds it now (its latest version) and answers 202 once it is stored durably in the gateway\'s outbox. The gateway then delivers it to the portal (TraCuuHoSo, then DongBoHoSoMC as a create or an update; "already exists" becomes an update), retrying through outages, before any later step of the same dossier. Send it again whenever the dossier changes. `dossierCode` in the body must equal the path\'s. The same request again (same Idempotency-Key, or the same body as the latest accepted) is the same message (`duplicate: true`). Personal data (the applicant): audited as a transfer.',
      personalData: true,
      // Accepting twice is one message (idempotency by key or content); the transfer is the outbox's, at least once.
      idempotent: false,
      request: { params: { dossierCode: { $ref: `${portal}/dossierCode` } }, body: `${contracts}/public-service-portal/v1/dossier.json` },
      response: `${contracts}/public-service-portal/v1/dossier-sync-accepted.json`,
      subjectIdOf: (input) => (input.body as Dossier).applicant.id,
      releasedFields: () => [],
      write: {
        target: dossierSyncTarget,
        keyOf: (input) => input.params.dossierCode!,
        messageOf: (input): DossierSyncMessage => ({ kind: 'dossier', dossier: input.body as Dossier }),
        fieldsSent: (input) => Object.keys(input.body as Dossier),
      },
    },
    {
      id: 'public-service-portal.dossier.progress',
      method: 'POST',
      path: '/public-service-portal/dossiers/{dossierCode}/progress',
      summary: "Add a processing step to a dossier's progress on the portal",
      description:
        'Accepts one processing step (CapNhatTienDoHoSoMC) and answers 202 once it is stored durably; it reaches the portal after every version and step accepted before it for the same dossier, never before. Personal data (the officer): audited as a transfer.',
      personalData: true,
      idempotent: false,
      request: { params: { dossierCode: { $ref: `${portal}/dossierCode` } }, body: `${contracts}/public-service-portal/v1/dossier-progress.json` },
      response: `${contracts}/public-service-portal/v1/dossier-sync-accepted.json`,
      subjectIdOf: () => undefined,
      releasedFields: () => [],
      write: {
        target: dossierSyncTarget,
        keyOf: (input) => input.params.dossierCode!,
        messageOf: (input): DossierSyncMessage => ({ kind: 'progress', dossierCode: input.params.dossierCode!, step: input.body as DossierProgress }),
        fieldsSent: (input) => Object.keys(input.body as DossierProgress),
      },
    },
    {
      id: 'public-service-portal.dossier.sync-status',
      method: 'GET',
      path: '/public-service-portal/dossiers/{dossierCode}/sync',
      summary: "What became of a dossier's accepted versions and steps",
      description:
        'Every dossier version and processing step accepted for this dossier, oldest first: pending, delivering, retrying (next attempt, kind of the last failure), delivered (when, the portal\'s short answer), dead (why), cancelled. Read from the gateway\'s outbox; with `portal=true` the portal is also asked what it holds now (TraCuuHoSo): whether it holds the dossier and its status there.',
      personalData: false,
      idempotent: true,
      request: {
        params: { dossierCode: { $ref: `${portal}/dossierCode` } },
        query: { properties: { portal: { type: 'string', enum: ['true', 'false'], description: 'true: also ask the portal what it holds now (TraCuuHoSo): whether it holds the dossier, and its status there.' } } },
      },
      response: `${contracts}/public-service-portal/v1/dossier-sync-status.json`,
      subjectIdOf: () => undefined,
      releasedFields: (status: Record<string, unknown>) => Object.keys(status),
      deliveryStatus: {
        target: dossierSyncTarget,
        keyOf: (input) => input.params.dossierCode!,
        upstreamView: {
          wanted: (input) => input.query.portal === 'true',
          // Whether it is there and at which status: nothing of the applicant (this read is not a personal-data operation).
          async read(client, dossierCode, context) {
            const held = await client.lookUpDossier(dossierCode, context);
            if (held.kind === 'absent') return { held: false };
            const status = dossierStatusFromPortal(held.item.TrangThaiHoSo, 'TrangThaiHoSo');
            return { held: true, ...(status !== undefined && { status }) };
          },
        },
      },
    },
    {
      id: 'public-service-portal.procedure.get',
      method: 'GET',
      path: '/public-service-portal/procedures/{procedureCode}',
      summary: 'Look an administrative procedure up in the national catalog',
      description:
        'The published procedure (LayThuTuc): name, fields, level, agencies, ways to carry it out (in person, online, by post) with processing times and fees in VND, required documents, status. Reference data, cached by the gateway: `Age` says how old the answer is; `Warning: 110` marks a stale answer being refreshed, `Warning: 111` a stale answer served because the portal is failing.',
      personalData: false,
      // Catalog reads: safe to repeat.
      idempotent: true,
      cache: referenceDataCachePolicy,
      request: { params: { procedureCode: { $ref: `${portal}/procedureCode` } } },
      response: `${contracts}/public-service-portal/v1/procedure.json`,
      subjectIdOf: () => undefined,
      releasedFields: (procedure: Procedure) => Object.keys(procedure),
      async invoke(client, input, context: InvocationContext) {
        const { items } = portalItems(await client.procedure(input.params.procedureCode!, context));
        const record = items[0];
        return record ? { kind: 'found', data: procedureFromThuTuc(record) } : { kind: 'not_found' };
      },
    },
    {
      id: 'public-service-portal.procedure.search',
      method: 'GET',
      path: '/public-service-portal/procedures',
      summary: 'Search the national procedure catalog',
      description:
        'A page of procedures (LayDanhSachTTHC) matching a keyword in the name, a field code and/or an agency code; all of them when nothing is given. Cached like the procedure itself (Age / Warning).',
      personalData: false,
      // Catalog reads: safe to repeat.
      idempotent: true,
      cache: referenceDataCachePolicy,
      request: {
        query: {
          properties: {
            keyword: { type: 'string', minLength: 1, maxLength: 200, description: 'Words of the procedure name, passed to the portal as they are: the portal decides how they match (the sandbox ignores case and diacritics).' },
            fieldCode: { $ref: `${portal}/fieldCode` },
            agencyCode: { $ref: `${portal}/unitCode` },
            page: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: 'Page number from 1 (default 1).' },
            pageSize: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|100)$', description: `Procedures per page, 1-100 (default ${defaultPageSize}).` },
          },
        },
      },
      response: `${contracts}/public-service-portal/v1/procedure-search-result.json`,
      subjectIdOf: () => undefined,
      releasedFields: (result: ProcedureSearchResult) => Object.keys(result),
      async invoke(client, input, context) {
        const { keyword, fieldCode, agencyCode } = input.query;
        const page = Number(input.query.page ?? 1);
        const pageSize = Number(input.query.pageSize ?? defaultPageSize);
        const outcome = portalItems(await client.searchProcedures({ keyword, fieldCode, agencyCode, page, pageSize }, context));
        return { kind: 'found', data: searchResultFromList(outcome.items, { page, pageSize, ...(outcome.total !== undefined && { total: outcome.total }) }) };
      },
    },
    {
      id: 'public-service-portal.agency.list',
      method: 'GET',
      path: '/public-service-portal/agencies',
      summary: 'List the agencies of the national procedure catalog',
      description:
        'Every agency the national catalog knows (LayDanhMucCoQuan): the codes the procedure search takes as agencyCode, with their names. Reference data, cached like the procedure catalog (Age / Warning).',
      personalData: false,
      idempotent: true,
      cache: referenceDataCachePolicy,
      // No parameters: an empty declaration makes any query parameter a 400 rather than silently ignored.
      request: { query: { properties: {} } },
      response: `${contracts}/public-service-portal/v1/agency-list.json`,
      subjectIdOf: () => undefined,
      releasedFields: (list: AgencyList) => Object.keys(list),
      async invoke(client, _input, context) {
        return { kind: 'found', data: agencyListFromCatalog(await client.listAgencies(context)) };
      },
    },
    {
      id: 'public-service-portal.field.list',
      method: 'GET',
      path: '/public-service-portal/fields',
      summary: 'List the procedure fields of the national catalog',
      description:
        'Every field (lĩnh vực) of the national catalog (LayDanhMucLinhVuc): the codes the procedure search takes as fieldCode, with their labels. Reference data, cached like the procedure catalog (Age / Warning).',
      personalData: false,
      idempotent: true,
      cache: referenceDataCachePolicy,
      request: { query: { properties: {} } },
      response: `${contracts}/public-service-portal/v1/field-list.json`,
      subjectIdOf: () => undefined,
      releasedFields: (list: FieldList) => Object.keys(list),
      async invoke(client, _input, context) {
        return { kind: 'found', data: fieldListFromCatalog(await client.listFields(context)) };
      },
    },
  ],
});
