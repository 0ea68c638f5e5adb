import { type ConnectorClientContext, createRestUpstream, type InvocationContext, type JsonSchema, type RestAnswerVerdict, type SettingsOf, UpstreamError } from '../../src/connector-kit/index.js';
import type { KetQuaTraCuu, KhoaDinhDanh, KhoaSoHoTich, YeuCauTraCuu } from './upstream-types.js';

/**
 * Talks to the electronic civil-status database (CSDL hộ tịch điện tử) over
 * REST/JSON: one lookup route per register, asked by register key or by
 * personal id in a POST body (so no personal id is ever in an upstream URL
 * either). Knows the paths and the envelope; knows nothing about our
 * contracts (mapping.ts) and holds no secret (the token comes through the
 * context's auth).
 */

export type Register = 'births' | 'marriages' | 'deaths';

/** A registration as the register identifies it (README.md: registering authority, book, number). */
export interface RegistrationKey {
  authorityCode: string;
  book: string;
  number: string;
}

export type RegistrationQuery = { key: RegistrationKey } | { personalId: string };

export interface CivilStatusClient {
  /** Every record of the register matching the query (none, one, or — by personal id — several). */
  lookUp<Record>(register: Register, query: RegistrationQuery, context: InvocationContext): Promise<Record[]>;
  close(): Promise<void>;
}

export type CivilStatusSettings = SettingsOf<typeof civilStatusSettingsSchema>;

export const defaultApiPath = '/api/hotich/v1';
export const defaultTokenPath = '/oauth2/token';
const resources: Record<Register, string> = { births: 'khai-sinh', marriages: 'ket-hon', deaths: 'khai-tu' };

export const civilStatusSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['unitCode'],
  properties: {
    unitCode: { type: 'string', minLength: 1, description: 'maDonVi: the code the civil-status system knows the province\'s one-stop unit by, sent with every lookup.' },
    apiPath: { type: 'string', pattern: '^/', default: defaultApiPath, description: 'Path of the lookup API under baseUrl.' },
    tokenPath: { type: 'string', default: defaultTokenPath, description: 'Token endpoint path under baseUrl.' },
    tokenUrl: { type: 'string', format: 'uri', description: 'Token endpoint elsewhere than under baseUrl (wins over tokenPath).' },
  },
} as const satisfies JsonSchema;

/**
 * statusCode (assumed, see README.md): 01–03 on a 400 say the request was
 * wrong (the caller's problem, not the upstream's health); 99 and anything
 * else the system failing.
 */
export function classifyCivilStatusError(answer: { status: number; body: unknown }): { verdict: RestAnswerVerdict; upstreamCode: string } | undefined {
  const code = statusCodeOf(answer.body);
  if (code === undefined) return undefined;
  if (/^0[1-3]$/.test(code) && answer.status === 400) return { verdict: 'rejected', upstreamCode: code };
  return { verdict: 'fault', upstreamCode: code };
}

export async function createCivilStatusClient(context: ConnectorClientContext<CivilStatusSettings>): Promise<CivilStatusClient> {
  const { settings } = context;
  const apiPath = (settings.apiPath ?? defaultApiPath).replace(/\/+$/, '');
  const upstream = createRestUpstream({ baseUrl: context.baseUrl, auth: context.auth, classifyError: classifyCivilStatusError, transport: context.transport });

  return {
    async lookUp<Record>(register: Register, query: RegistrationQuery, invocation: InvocationContext) {
      const data: KhoaSoHoTich | KhoaDinhDanh = 'key' in query ? { noiDangKy: query.key.authorityCode, quyenSo: query.key.book, so: query.key.number } : { soDinhDanh: query.personalId };
      // The upstream wants to know who asks and for which dossier, like the population database does.
      const body: YeuCauTraCuu = { maDonVi: settings.unitCode, maHoSo: invocation.purpose ?? '', nguoiTraCuu: invocation.endUser ?? '', data };
      const answer = await upstream.request<KetQuaTraCuu<Record>>({ method: 'POST', path: `${apiPath}/${resources[register]}/tra-cuu`, body }, invocation);
      return recordsOf(answer.body);
    },
    close: () => upstream.close(),
  };
}

/** A 2xx whose envelope is not "00" is the civil-status system reporting its own failure; data must be a list. */
function recordsOf<Record>(body: KetQuaTraCuu<Record> | undefined): Record[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new UpstreamError('contract', 'civil-status database answered without a JSON object');
  const code = statusCodeOf(body);
  if (code !== '00') throw new UpstreamError('fault', `civil-status database answered statusCode ${code ?? '(none)'}`, { upstreamCode: code });
  if (body.data === null || body.data === undefined) return [];
  if (!Array.isArray(body.data)) throw new UpstreamError('contract', 'civil-status answer data is not a list');
  for (const record of body.data) if (!record || typeof record !== 'object' || Array.isArray(record)) throw new UpstreamError('contract', 'civil-status answer data holds something other than records');
  return body.data;
}

function statusCodeOf(body: unknown): string | undefined {
  const code = (body as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
