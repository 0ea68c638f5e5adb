import { UpstreamError, createRestUpstream, sessionLoginSettingsProperties, upstreamUrl, type ConnectorClientContext, type InvocationContext, type JsonSchema, type RestErrorClassifier, type SettingsOf } from '../../src/connector-kit/index.js';
import type { DoanhNghiep, HoKinhDoanh, HopTacXa, ProxyEnvelope } from './upstream-types.js';

/**
 * Talks to the national business registration database through the
 * provincial proxy (REST/JSON; the session and `dstcode` come from the
 * session-login scheme through context.auth). Knows the three registers and
 * their query parameters; knows nothing about our contracts (mapping.ts).
 */
export interface BusinessRegistryClient {
  enterprise(code: string, context: InvocationContext): Promise<ProxyEnvelope<DoanhNghiep>>;
  cooperative(taxCode: string, context: InvocationContext): Promise<ProxyEnvelope<HopTacXa>>;
  householdBusiness(taxCode: string, context: InvocationContext): Promise<ProxyEnvelope<HoKinhDoanh>>;
  close(): Promise<void>;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type BusinessRegistrySettings = SettingsOf<typeof businessRegistrySettingsSchema>;

export const defaultServicePath = '/dkkd';

/**
 * A 400 is the proxy refusing the code (error_code 2/3): the caller's mistake,
 * not the registry's health. A 5xx with the proxy's envelope is the registry
 * failing; anything else stays an unexpected HTTP status.
 */
export const classifyRegistryAnswer: RestErrorClassifier = ({ status, body }) => {
  const errorCode = (body as { error_code?: unknown } | undefined)?.error_code;
  if (status === 400) return 'rejected';
  if (status >= 500 && errorCode !== undefined) return 'fault';
  return undefined;
};

export const businessRegistrySettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    servicePath: { type: 'string', pattern: '^/', default: defaultServicePath, description: "Path of the registry's services under baseUrl (the adapter prefix)." },
    ...sessionLoginSettingsProperties,
  },
} as const satisfies JsonSchema;

export async function createBusinessRegistryClient(context: ConnectorClientContext<BusinessRegistrySettings>): Promise<BusinessRegistryClient> {
  const { settings } = context;
  const upstream = createRestUpstream({
    baseUrl: upstreamUrl(context.baseUrl, settings.servicePath ?? defaultServicePath).href,
    auth: context.auth,
    transport: context.transport,
    classifyError: classifyRegistryAnswer,
  });
  const get = async <Body>(path: string, query: { [name: string]: string }, invocation: InvocationContext) => {
    const { body } = await upstream.request<ProxyEnvelope<Body> | undefined>({ method: 'GET', path, query }, invocation);
    // An empty success is no envelope at all: the proxy broke its contract (not "no such enterprise").
    if (!body || typeof body !== 'object') throw new UpstreamError('contract', 'registry proxy answered without an envelope');
    return body;
  };

  return {
    enterprise: (code, invocation) => get<DoanhNghiep>('DoanhNghiep/chiTietDoanhNghiep', { msdn: code }, invocation),
    cooperative: (taxCode, invocation) => get<HopTacXa>('HopTacXa/chiTietHopTacXa', { mst: taxCode }, invocation),
    householdBusiness: (taxCode, invocation) => get<HoKinhDoanh>('HoKinhDoanh/chiTietHoKinhDoanh', { mst: taxCode }, invocation),
    close: () => upstream.close(),
  };
}
