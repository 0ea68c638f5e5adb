import { type ConnectorClientContext, type InvocationContext, type JsonSchema, type RestAnswerVerdict, type SettingsOf, type UpstreamAuth, createRestUpstream, messageChecksumCredentialSchema, UpstreamError } from '../../src/connector-kit/index.js';
import { queryChecksumParts } from './checksum.js';
import { initMessage, vietnamTime, type PaygovPayment } from './mapping.js';
import { messageKinds, platformReplyCodes, protocolVersion, type GetBillReply, type GetBillRequest, type InitReply, type QueryReply, type QueryRequest } from './upstream-types.js';

/**
 * Talks to the national portal's payment platform: JSON POSTs of INIT, QUERY
 * and GET_BILL, each sealed with MaXacThuc. Knows the paths and the reply
 * envelope; the message contents are mapping.ts's.
 */
export interface PaygovClient {
  /** Registers the payment; the reply carries the payment URL (mapping.initOutcome reads it). */
  init(payment: PaygovPayment, context: InvocationContext): Promise<InitReply>;
  /** undefined when the platform holds no payment with this reference. */
  query(reference: string, context: InvocationContext): Promise<QueryReply | undefined>;
  /** undefined when there is no receipt: no such payment, or not paid. */
  getBill(reference: string, context: InvocationContext): Promise<GetBillReply | undefined>;
  close(): Promise<void>;
}

/**
 * The platform's credentials: MaDoiTac and the shared secret of MaXacThuc,
 * the kit's message-checksum credentials. The gateway turns them into an
 * UpstreamAuth (seal + account); this connector never reads them. The type
 * is for the sandbox and the tests, which play the platform's side.
 */
export interface PaygovCredentials {
  partnerCode: string;
  secretKey: string;
}

export const paygovCredentialSchema = messageChecksumCredentialSchema;

/** ASSUMED paths (not public): one per message kind, under baseUrl. */
export const defaultPaths = { init: '/api/v1/thanh-toan/init', query: '/api/v1/thanh-toan/query', getBill: '/api/v1/thanh-toan/get-bill' } as const;

export const paygovSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    initPath: { type: 'string', pattern: '^/', default: defaultPaths.init, description: 'Path of INIT under baseUrl (assumed).' },
    queryPath: { type: 'string', pattern: '^/', default: defaultPaths.query, description: 'Path of QUERY under baseUrl (assumed).' },
    billPath: { type: 'string', pattern: '^/', default: defaultPaths.getBill, description: 'Path of GET_BILL under baseUrl (assumed).' },
    protocolVersion: { type: 'string', default: protocolVersion, description: 'PhienBan of every message.' },
    channelCode: { type: 'string', default: '', description: 'MaKenhThanhToan, as the platform assigned it ("" lets the payer choose).' },
    deviceCode: { type: 'string', default: '', description: 'MaThietBi ("" when not distinguished).' },
    language: { type: 'string', default: 'vi-VN', description: 'NgonNgu of the payer page.' },
    serviceCode: { type: 'string', default: '', description: 'ThongTinBienLai.MaDichVu: the platform\'s code for procedure fees (assumed).' },
    callbackUrl: {
      type: 'string',
      format: 'uri',
      description: 'Our public IPN address (…/callbacks/paygov/ipn), registered with the platform out of band (assumed: INIT carries no callback field); the sandbox is pointed at it.',
    },
  },
} as const satisfies JsonSchema;

export type PaygovSettings = SettingsOf<typeof paygovSettingsSchema>;

export type PaygovClientContext = ConnectorClientContext<PaygovSettings>;

/**
 * The platform answers a problem as a MaLoi envelope (codes [guess], see
 * upstream-types.ts): a bad checksum or an unknown partner is our
 * configuration (auth), a malformed or duplicate message our request
 * (rejected), "not found"/"not paid" an answer, the rest the platform failing.
 */
export function classifyPaygovCode(code: string | undefined): { verdict: RestAnswerVerdict | 'auth'; upstreamCode: string } | undefined {
  if (code === undefined) return undefined;
  switch (code) {
    case platformReplyCodes.ok:
    case platformReplyCodes.referenceNotFound:
    case platformReplyCodes.notPaid:
      return { verdict: 'answer', upstreamCode: code };
    case platformReplyCodes.badChecksum:
    case platformReplyCodes.unknownPartner:
      return { verdict: 'auth', upstreamCode: code };
    case platformReplyCodes.invalidMessage:
    case platformReplyCodes.duplicateReference:
      return { verdict: 'rejected', upstreamCode: code };
    default:
      return { verdict: 'fault', upstreamCode: code };
  }
}

export async function createPaygovClient(context: PaygovClientContext): Promise<PaygovClient> {
  const { settings } = context;
  const { seal, partnerCode } = checksumAuthOf(context.auth);
  const paths = {
    init: trimmed(settings.initPath ?? defaultPaths.init),
    query: trimmed(settings.queryPath ?? defaultPaths.query),
    getBill: trimmed(settings.billPath ?? defaultPaths.getBill),
  };
  const version = settings.protocolVersion ?? protocolVersion;
  const upstream = createRestUpstream({
    baseUrl: context.baseUrl,
    auth: context.auth,
    transport: context.transport,
    // A non-2xx with a MaLoi envelope is read like a 200 with one: judged in envelope() below.
    classifyError: ({ body }) => (codeOf(body) === undefined ? undefined : 'answer'),
  });

  async function send<Reply>(path: string, message: unknown, invocation: InvocationContext): Promise<Reply & { MaLoi?: unknown }> {
    const answer = await upstream.request<Reply>({ method: 'POST', path, body: message }, invocation);
    return envelope<Reply>(answer.body, answer.status);
  }

  function sealedLookup<Kind extends 'QUERY' | 'GET_BILL'>(kind: Kind, reference: string) {
    const fields = { LoaiBanTin: kind, PhienBan: version, MaDoiTac: partnerCode, MaThamChieu: reference, ThoiGianGD: vietnamTime(new Date()) };
    // GET_BILL sealed with the QUERY formula (ASSUMPTION, upstream-types.ts).
    return { ...fields, MaXacThuc: seal(queryChecksumParts(fields)) };
  }

  return {
    async init(payment, invocation) {
      const message = initMessage(payment, {
        partnerCode,
        seal,
        protocolVersion: version,
        channelCode: settings.channelCode ?? '',
        deviceCode: settings.deviceCode ?? '',
        language: settings.language ?? 'vi-VN',
        serviceCode: settings.serviceCode ?? '',
      });
      const reply = await send<InitReply>(paths.init, message, invocation);
      if (reply.MaLoi !== platformReplyCodes.ok) throw new UpstreamError('contract', `INIT answered MaLoi ${String(reply.MaLoi)}`, { upstreamCode: String(reply.MaLoi) });
      return reply;
    },
    async query(reference, invocation) {
      const message: QueryRequest = sealedLookup(messageKinds.query, reference);
      const reply = await send<QueryReply>(paths.query, message, invocation);
      return reply.MaLoi === platformReplyCodes.ok ? aboutReference(reply, reference, 'QUERY') : undefined;
    },
    async getBill(reference, invocation) {
      const message: GetBillRequest = sealedLookup(messageKinds.getBill, reference);
      const reply = await send<GetBillReply>(paths.getBill, message, invocation);
      return reply.MaLoi === platformReplyCodes.ok ? aboutReference(reply, reference, 'GET_BILL') : undefined;
    },
    close: () => upstream.close(),
  };
}

/**
 * The kit's 'message-checksum' UpstreamAuth: it seals (appending the secret
 * this code never sees) and names our partner code. Any other auth is a
 * configuration mistake of the gateway, refused before any message is built.
 */
function checksumAuthOf(auth: UpstreamAuth): { seal: (parts: readonly string[]) => string; partnerCode: string } {
  const { seal, account } = auth;
  if (auth.scheme !== 'message-checksum' || !seal || typeof account !== 'string' || account === '') {
    throw new UpstreamError('auth', `paygov seals every message itself: it needs the 'message-checksum' upstream auth, not '${auth.scheme}'`);
  }
  return { seal: (parts) => seal.call(auth, parts), partnerCode: account };
}

/** A reply about another payment (a proxy or cache mix-up, a platform bug) must never settle this one. */
function aboutReference<Reply extends { MaThamChieu?: unknown }>(reply: Reply, reference: string, kind: string): Reply {
  if (typeof reply.MaThamChieu !== 'string' || reply.MaThamChieu.trim() !== reference) throw new UpstreamError('contract', `${kind} reply is about another reference`);
  return reply;
}

/** Every reply is a MaLoi envelope: anything but "00", "not found" or "not paid" leaves as an UpstreamError of its kind. */
function envelope<Reply>(body: unknown, status: number): Reply & { MaLoi?: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new UpstreamError('contract', 'payment platform answered without a JSON object', { upstreamCode: String(status) });
  const code = codeOf(body);
  const classified = classifyPaygovCode(code);
  if (!classified) throw new UpstreamError('contract', 'payment platform answered without MaLoi', { upstreamCode: String(status) });
  if (classified.verdict === 'answer') {
    if (status >= 200 && status < 300) return body as Reply & { MaLoi?: unknown };
    if (code !== platformReplyCodes.ok) return body as Reply & { MaLoi?: unknown };
    throw new UpstreamError('http', `payment platform answered HTTP ${status}`, { upstreamCode: String(status) });
  }
  const what = classified.verdict === 'auth' ? 'refused our partner code or checksum' : classified.verdict === 'rejected' ? 'rejected the message' : 'reported an error';
  throw new UpstreamError(classified.verdict, `payment platform ${what} (MaLoi ${classified.upstreamCode})`, { upstreamCode: classified.upstreamCode, httpStatus: status });
}

function codeOf(body: unknown): string | undefined {
  const code = (body as { MaLoi?: unknown } | null | undefined)?.MaLoi;
  if (typeof code === 'number') return String(code).padStart(2, '0');
  return typeof code === 'string' && code.trim() !== '' ? code.trim() : undefined;
}

function trimmed(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}
