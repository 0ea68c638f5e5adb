import { type JsonSchema, type SettingsOf, type ConnectorClientContext, type InvocationContext, createRestUpstream, type RestAnswerVerdict, UpstreamError } from '../../src/connector-kit/index.js';
import type { KetQua, KetQuaTraCuuGiayChungNhan, KetQuaTraCuuThuaDat } from './upstream-types.js';

/**
 * Talks to the provincial land database (CSDL đất đai) over REST/JSON. Knows
 * the paths, the query names and the answer envelope; knows nothing about our
 * contracts (that is mapping.ts) and holds no secret (the password-grant
 * session comes in through the context).
 */
export interface LandClient {
  findParcels(parcel: ParcelKey, context: InvocationContext): Promise<KetQuaTraCuuThuaDat>;
  /** undefined when the land database holds no certificate with this serial. */
  getCertificate(serial: string, context: InvocationContext): Promise<KetQuaTraCuuGiayChungNhan | undefined>;
  close(): Promise<void>;
}

export interface ParcelKey {
  communeCode: string;
  mapSheet: string;
  parcelNumber: string;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type LandSettings = SettingsOf<typeof landSettingsSchema>;

export const defaultApiPath = '/api/dat-dai/v1';
export const defaultTokenPath = '/connect/token';

/**
 * Business codes (assumed, see README.md): DD-01..DD-03 say the request was
 * wrong (caller's problem, not the upstream's health); DD-04 on a 404 is "no
 * such certificate", an answer; DD-99 is the land system failing.
 */
export function classifyLandError(answer: { status: number; body: unknown }): { verdict: RestAnswerVerdict; upstreamCode: string } | undefined {
  const code = businessCodeOf(answer.body);
  if (code === undefined) return undefined;
  if (code === 'DD-04' && answer.status === 404) return { verdict: 'answer', upstreamCode: code };
  if (/^DD-0[1-3]$/.test(code) && answer.status >= 400 && answer.status < 500) return { verdict: 'rejected', upstreamCode: code };
  return { verdict: 'fault', upstreamCode: code };
}

/** "DA123456" (our canonical form) → "DA 123456" (as the land database prints and indexes it). */
export function upstreamCertificateSerial(serial: string): string {
  const match = /^([A-Z]{2})\s*([0-9]+)$/.exec(serial.trim().toUpperCase());
  return match ? `${match[1]} ${match[2]}` : serial;
}

/** Map sheets and parcel numbers are numbers on the plan: "012" and "12" are the same sheet. */
export function upstreamNumber(value: string): string {
  return /^[0-9]+$/.test(value) ? String(Number(value)) : value;
}

export const landSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiPath: { type: 'string', pattern: '^/', default: defaultApiPath, description: 'Path of the land API under baseUrl.' },
    tokenPath: { type: 'string', default: defaultTokenPath, description: 'Token endpoint path under baseUrl.' },
    tokenUrl: { type: 'string', format: 'uri', description: 'Token endpoint elsewhere than under baseUrl (wins over tokenPath).' },
  },
} as const satisfies JsonSchema;

export async function createLandClient(context: ConnectorClientContext<LandSettings>): Promise<LandClient> {
  const { settings } = context;
  const apiPath = (settings.apiPath ?? defaultApiPath).replace(/\/+$/, '');
  const upstream = createRestUpstream({ baseUrl: context.baseUrl, auth: context.auth, classifyError: classifyLandError, transport: context.transport });

  return {
    async findParcels(parcel, invocation) {
      const answer = await upstream.request<KetQuaTraCuuThuaDat>(
        {
          method: 'GET',
          path: `${apiPath}/thua-dat`,
          query: { maXa: parcel.communeCode, soTo: upstreamNumber(parcel.mapSheet), soThua: upstreamNumber(parcel.parcelNumber) },
        },
        invocation,
      );
      return successful(answer.body);
    },
    async getCertificate(serial, invocation) {
      const answer = await upstream.request<KetQuaTraCuuGiayChungNhan>(
        { method: 'GET', path: `${apiPath}/giay-chung-nhan`, query: { soPhatHanh: upstreamCertificateSerial(serial) } },
        invocation,
      );
      return answer.status === 404 ? undefined : successful(answer.body);
    },
    close: () => upstream.close(),
  };
}

/** A 2xx whose envelope is not "00" is the land system reporting its own failure. */
function successful<Answer extends KetQua<unknown>>(body: Answer | undefined): Answer {
  if (!body || typeof body !== 'object') throw new UpstreamError('contract', 'land database answered without a JSON object');
  const code = businessCodeOf(body);
  if (code !== '00') throw new UpstreamError('fault', `land database answered MaLoi ${code ?? '(none)'}`, { upstreamCode: code });
  return body;
}

function businessCodeOf(body: unknown): string | undefined {
  const code = (body as { MaLoi?: unknown } | undefined)?.MaLoi;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
