import { UpstreamError, createRestUpstream, sessionLoginSettingsProperties, upstreamText, upstreamUrl, type ConnectorClientContext, type InvocationContext, type JsonSchema, type RestErrorClassifier, type SettingsOf } from '../../src/connector-kit/index.js';
import { readEnvelope, readWriteAnswer } from './mapping.js';
import type { CoQuan, HoSo, KetQuaDongBo, LinhVuc, PortalCall, PortalEnvelope, ThuTuc, ThuTucTomTat, TienDo } from './upstream-types.js';

/**
 * Talks to the national public-service portal through the provincial bus
 * adapter: every service is one JSON POST `{session, madonvi, service, ...}`
 * with the `dstcode` header, answered `{error_code, message, result[]}`.
 *
 * `call()` is the whole protocol (session in the body, one new login when the
 * adapter says the session is gone); the catalog and dossier methods are thin
 * and typed: a dossier is found or absent, a sync created, updated or already
 * there, a step accepted; every other answer is an UpstreamError. None of them
 * retries: the caller (the outbox) decides, knowing what it already sent.
 */
export interface PublicServicePortalClient {
  /** One service call; resolves with the envelope whatever its error_code, except session errors (re-login) and transport failures. */
  call<Item>(request: PortalCall, context: InvocationContext): Promise<PortalEnvelope<Item>>;
  /** LayThuTuc: one procedure by its code. */
  procedure(procedureCode: string, context: InvocationContext): Promise<PortalEnvelope<ThuTuc>>;
  /** LayDanhSachTTHC: a page of the catalog. */
  searchProcedures(query: ProcedureQuery, context: InvocationContext): Promise<PortalEnvelope<ThuTucTomTat>>;
  /** LayDanhMucCoQuan: every agency of the catalog. */
  listAgencies(context: InvocationContext): Promise<CoQuan[]>;
  /** LayDanhMucLinhVuc: every field of the catalog. */
  listFields(context: InvocationContext): Promise<LinhVuc[]>;
  /** TraCuuHoSo: what the portal holds for this dossier code now. */
  lookUpDossier(dossierCode: string, context: InvocationContext): Promise<DossierLookup>;
  /** DongBoHoSoMC: one dossier, created (`isUpdating` false) or updated. "Already exists" is an answer, not an error. */
  syncDossier(item: HoSo, options: { isUpdating: boolean }, context: InvocationContext): Promise<DossierSync>;
  /** CapNhatTienDoHoSoMC: one processing step of a dossier the portal holds. */
  pushProgress(step: TienDo, context: InvocationContext): Promise<ProgressPush>;
  close(): Promise<void>;
}

/** The item as the portal answered it: dossier-mapping.ts's dossierFromPortal reads it into the contract. */
export type DossierLookup = { kind: 'found'; item: HoSo } | { kind: 'absent' };
/** `reference`: the portal's id of the dossier, when its answer carries one. */
export type DossierSync = { kind: 'created' | 'updated'; reference?: string } | { kind: 'already-exists' };
export type ProgressPush = { kind: 'accepted'; reference?: string };

export interface ProcedureQuery {
  keyword?: string;
  fieldCode?: string;
  agencyCode?: string;
  page: number;
  pageSize: number;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type PublicServicePortalSettings = SettingsOf<typeof publicServicePortalSettingsSchema>;

export const defaultServicePath = '/dvcqg';
export const catalogServices = { procedure: 'LayThuTuc', search: 'LayDanhSachTTHC', agencies: 'LayDanhMucCoQuan', fields: 'LayDanhMucLinhVuc' } as const;
export const dossierServices = { lookUp: 'TraCuuHoSo', sync: 'DongBoHoSoMC', progress: 'CapNhatTienDoHoSoMC' } as const;

/**
 * The portal's error codes that refuse the request itself (not counted against
 * its health). ASSUMPTIONS (see README.md): 2 invalid parameters, 5 no such
 * dossier (a progress step or an update for a dossier the portal does not hold).
 */
export const portalRefusalCodes = { invalidParameter: '2', unknownDossier: '5' } as const;
const refusalCodes = new Set<string>(Object.values(portalRefusalCodes));

/** A non-success envelope as the kit's failure: a refusal of the request, or the portal failing. */
export function portalFailure(code: string): UpstreamError {
  // Not the portal's message: free text that may name the dossier or the applicant; the code says what is needed.
  return refusalCodes.has(code)
    ? new UpstreamError('rejected', code === portalRefusalCodes.unknownDossier ? 'the portal holds no such dossier' : 'the portal refused the parameters', { upstreamCode: code })
    : new UpstreamError('fault', 'the portal reported an error', { upstreamCode: code });
}

/** result[] of a successful envelope; any error_code but success is thrown as the kit's failure. */
export function portalItems<Item>(envelope: PortalEnvelope<Item>): { items: Item[]; total?: number } {
  const outcome = readEnvelope(envelope);
  if (outcome.kind === 'error') throw portalFailure(outcome.code);
  return outcome;
}

/**
 * The adapter's error_code for an unknown or expired session, answered with
 * HTTP 200 like every other envelope. ASSUMPTION (see README.md): adapters
 * that answer HTTP 401 instead are handled by rest-upstream.ts's own re-login
 * (the body is rebuilt with the fresh session: RestRequest.bodyWithAuth).
 */
const sessionRejectedCodes = new Set(['401', '-401']);

/** A 5xx with the adapter's envelope is the portal failing; anything else stays an unexpected HTTP status. */
const classifyPortalAnswer: RestErrorClassifier = ({ status, body }) => {
  const errorCode = upstreamText((body as { error_code?: unknown } | undefined)?.error_code);
  if (status >= 500 && errorCode !== undefined) return { verdict: 'fault', upstreamCode: errorCode };
  return undefined;
};

export const publicServicePortalSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['unitCode'],
  properties: {
    unitCode: { type: 'string', pattern: '^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$', description: "madonvi: the province's unit code on the portal (e.g. 000.00.00.H22), sent on every call." },
    servicePath: { type: 'string', pattern: '^/', default: defaultServicePath, description: "Path of the portal's JSON services under baseUrl (the adapter prefix)." },
    ...sessionLoginSettingsProperties,
  },
} as const satisfies JsonSchema;

export async function createPublicServicePortalClient(context: ConnectorClientContext<PublicServicePortalSettings>): Promise<PublicServicePortalClient> {
  const { settings } = context;
  const upstream = createRestUpstream({
    baseUrl: upstreamUrl(context.baseUrl, settings.servicePath ?? defaultServicePath).href,
    auth: context.auth,
    classifyError: classifyPortalAnswer,
    transport: context.transport,
  });

  async function post<Item>(request: PortalCall, invocation: InvocationContext): Promise<PortalEnvelope<Item>> {
    // The session rides in the body here, lifted from the scheme's headers on every attempt (dstcode stays a header),
    // so rest-upstream's re-login after an HTTP 401 resends the fresh session. Path '': the service path itself, no slash added.
    const reply = await upstream.request<PortalEnvelope<Item> | undefined>(
      { method: 'POST', path: '', bodyWithAuth: ({ session }) => ({ session, madonvi: settings.unitCode, ...request }) },
      invocation,
    );
    if (!reply.body || typeof reply.body !== 'object') throw new UpstreamError('contract', 'portal answer is not an envelope');
    return reply.body;
  }

  async function call<Item>(request: PortalCall, invocation: InvocationContext): Promise<PortalEnvelope<Item>> {
    const first = await post<Item>(request, invocation);
    if (!sessionRejectedCodes.has(upstreamText(first.error_code) ?? '')) return first;
    // The adapter dropped our session: log in once more; a second refusal is an authentication failure.
    context.auth.invalidate();
    const second = await post<Item>(request, invocation);
    if (sessionRejectedCodes.has(upstreamText(second.error_code) ?? '')) throw new UpstreamError('auth', 'the portal adapter refused a fresh session', { upstreamCode: upstreamText(second.error_code) });
    return second;
  }

  return {
    call,
    procedure: (procedureCode, invocation) => call<ThuTuc>({ service: catalogServices.procedure, maTTHC: procedureCode }, invocation),
    searchProcedures: (query, invocation) =>
      call<ThuTucTomTat>(
        { service: catalogServices.search, tuKhoa: query.keyword, maLinhVuc: query.fieldCode, maCoQuan: query.agencyCode, trang: query.page, soLuong: query.pageSize },
        invocation,
      ),
    listAgencies: async (invocation) => portalItems(await call<CoQuan>({ service: catalogServices.agencies }, invocation)).items,
    listFields: async (invocation) => portalItems(await call<LinhVuc>({ service: catalogServices.fields }, invocation)).items,
    async lookUpDossier(dossierCode, invocation) {
      const [item] = portalItems(await call<HoSo>({ service: dossierServices.lookUp, mahoso: dossierCode }, invocation)).items;
      return item ? { kind: 'found', item } : { kind: 'absent' };
    },
    async syncDossier(item, { isUpdating }, invocation) {
      // "True"/"False" as strings, as the portal's public clients send them.
      const answer = readWriteAnswer(await call<KetQuaDongBo>({ service: dossierServices.sync, isUpdating: isUpdating ? 'True' : 'False', data: [item] }, invocation));
      if (answer.kind === 'error') throw portalFailure(answer.code);
      if (answer.kind === 'already-exists') return { kind: 'already-exists' };
      const kind = isUpdating ? 'updated' : 'created';
      return answer.reference ? { kind, reference: answer.reference } : { kind };
    },
    async pushProgress(step, invocation) {
      const answer = readWriteAnswer(await call<KetQuaDongBo>({ service: dossierServices.progress, data: [step] }, invocation));
      // "Already exists" has no meaning for a step: the portal appends steps, so it is the portal's error like any other.
      if (answer.kind !== 'accepted') throw portalFailure(answer.code);
      return answer;
    },
    close: () => upstream.close(),
  };
}
