import { UpstreamError, createRestUpstream, upstreamText, upstreamUrl, type ConnectorClientContext, type InvocationContext, type JsonSchema, type RestErrorClassifier, type SettingsOf } from '../../src/connector-kit/index.js';
import { readEnvelope, saysAlreadyReceived, type SendingProvince } from './mapping.js';
import type { HoSoLLTP, LltpEnvelope, TrangThaiHoSoLLTP } from './upstream-types.js';

/**
 * Talks to the judicial records system (the Ministry of Justice's national
 * judicial records software) through the national data-sharing platform:
 * JSON POSTs under one service path, the platform's bearer token and
 * lgspaccesstoken from context.auth, answers `{statusCode, errorDetail, data}`.
 * Typed and thin: a request is created or already held, a lookup found or
 * absent; every other answer is an UpstreamError. Nothing is retried here:
 * the outbox (submit) and the pipeline (lookup) decide.
 */
export interface JudicialRecordsClient {
  /** Who sends (maTinh, tenTinh), from the settings: every request carries it. */
  readonly province: SendingProvince;
  /** tiepNhanHoSoLLTP: lodges one request. "Already received" is an answer, not an error. */
  submit(item: HoSoLLTP, context: InvocationContext): Promise<SubmitOutcome>;
  /** traCuuHoSoLLTP: what the system holds for this dossier code now. */
  lookUp(dossierCode: string, context: InvocationContext): Promise<RequestLookup>;
  close(): Promise<void>;
}

export type SubmitOutcome = { kind: 'created' } | { kind: 'already-held' };
export type RequestLookup = { kind: 'found'; record: TrangThaiHoSoLLTP } | { kind: 'absent' };

export type JudicialRecordsSettings = SettingsOf<typeof judicialRecordsSettingsSchema>;

export const defaultServicePath = '/lltp/v2';
export const judicialRecordsServices = { submit: 'tiepNhanHoSoLLTP', lookUp: 'traCuuHoSoLLTP' } as const;

/**
 * The system's codes beside "00". Seen (README.md): "01" refuses the request
 * (its errorDetail says why; "đã được tiếp nhận" means already received),
 * "03" "the request was interrupted, try again". ASSUMED: "02" no such dossier.
 */
export const upstreamCodes = { refused: '01', notFound: '02', interrupted: '03' } as const;

export const judicialRecordsSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['provinceCode', 'provinceName'],
  properties: {
    provinceCode: { type: 'string', pattern: '^[0-9]{2}$', description: "maTinh: the province's code (2025 list), sent with every request." },
    provinceName: { type: 'string', minLength: 1, maxLength: 100, description: "tenTinh: the province's name, sent with every request." },
    servicePath: { type: 'string', pattern: '^/', default: defaultServicePath, description: "Path of the judicial records services under baseUrl (the platform's route)." },
    tokenUrl: { type: 'string', format: 'uri', description: 'OAuth2 token endpoint (default {baseUrl}/token).' },
  },
} as const satisfies JsonSchema;

/** A 5xx carrying the system's envelope is the system failing; a 400 is the request refused; anything else stays an unexpected status. */
const classifyAnswer: RestErrorClassifier = ({ status, body }) => {
  const code = upstreamText((body as { statusCode?: unknown } | undefined)?.statusCode);
  if (status === 400) return code === undefined ? 'rejected' : { verdict: 'rejected', upstreamCode: code };
  if (status >= 500 && code !== undefined) return { verdict: 'fault', upstreamCode: code };
  return undefined;
};

/** A non-success code as the kit's failure. Never errorDetail's text: it may name the applicant. */
export function upstreamFailure(code: string): UpstreamError {
  return code === upstreamCodes.refused
    ? new UpstreamError('rejected', 'the judicial records system refused the request', { upstreamCode: code })
    : new UpstreamError('fault', 'the judicial records system reported an error', { upstreamCode: code });
}

export async function createJudicialRecordsClient(context: ConnectorClientContext<JudicialRecordsSettings>): Promise<JudicialRecordsClient> {
  const { settings } = context;
  const upstream = createRestUpstream({
    baseUrl: upstreamUrl(context.baseUrl, settings.servicePath ?? defaultServicePath).href,
    auth: context.auth,
    classifyError: classifyAnswer,
    transport: context.transport,
  });

  async function post<Data>(service: string, body: unknown, invocation: InvocationContext): Promise<LltpEnvelope<Data>> {
    const reply = await upstream.request<LltpEnvelope<Data> | undefined>({ method: 'POST', path: service, body }, invocation);
    if (!reply.body || typeof reply.body !== 'object' || Array.isArray(reply.body)) throw new UpstreamError('contract', 'answer is not an envelope');
    return reply.body;
  }

  return {
    province: { code: settings.provinceCode, name: settings.provinceName },
    async submit(item, invocation) {
      const outcome = readEnvelope(await post<unknown>(judicialRecordsServices.submit, item, invocation));
      if (outcome.kind === 'ok') return { kind: 'created' };
      if (outcome.code === upstreamCodes.refused && saysAlreadyReceived(outcome.detail)) return { kind: 'already-held' };
      throw upstreamFailure(outcome.code);
    },
    async lookUp(dossierCode, invocation) {
      const outcome = readEnvelope(await post<TrangThaiHoSoLLTP>(judicialRecordsServices.lookUp, { maTinh: settings.provinceCode, maHoSoMCDT: dossierCode }, invocation));
      if (outcome.kind === 'error') {
        if (outcome.code === upstreamCodes.notFound) return { kind: 'absent' };
        throw upstreamFailure(outcome.code);
      }
      const record = outcome.data;
      if (!record || typeof record !== 'object' || Array.isArray(record)) throw new UpstreamError('contract', 'a success without data');
      return { kind: 'found', record };
    },
    close: () => upstream.close(),
  };
}
