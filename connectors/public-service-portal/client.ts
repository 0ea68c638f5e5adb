import { UpstreamError, createRestUpstream, sessionLoginSettingsProperties, upstreamText, upstreamUrl, type ConnectorClientContext, type InvocationContext, type JsonSchema, type RestErrorClassifier, type SettingsOf } from '../../src/connector-kit/index.js';
import type { PortalCall, PortalEnvelope, ThuTuc, ThuTucTomTat } from './upstream-types.js';

/**
 * Talks to the national public-service portal through the provincial bus
 * adapter: every service is one JSON POST `{session, madonvi, service, ...}`
 * with the `dstcode` header, answered `{error_code, message, result[]}`.
 *
 * `call()` is the whole protocol (session in the body, one new login when the
 * adapter says the session is gone); the catalog methods are thin. Dossier sync
 * (DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo) and the payment platform are
 * later issues: they are more `call()`s with their own `service` names.
 */
export interface PublicServicePortalClient {
  /** One service call; resolves with the envelope whatever its error_code, except session errors (re-login) and transport failures. */
  call<Item>(request: PortalCall, context: InvocationContext): Promise<PortalEnvelope<Item>>;
  /** LayThuTuc: one procedure by its code. */
  procedure(procedureCode: string, context: InvocationContext): Promise<PortalEnvelope<ThuTuc>>;
  /** LayDanhSachTTHC: a page of the catalog. */
  searchProcedures(query: ProcedureQuery, context: InvocationContext): Promise<PortalEnvelope<ThuTucTomTat>>;
  close(): Promise<void>;
}

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
    close: () => upstream.close(),
  };
}
