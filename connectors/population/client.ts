import { connectorFile, createSoapUpstream, upstreamUrl, type ConnectorClientContext, type InvocationContext, type JsonSchema, type SettingsOf, type SoapUpstream } from '../../src/connector-kit/index.js';
import type { CongdanCollection, KetQuaXacThuc, NgayThangNamSinhYeuCau } from './upstream-types.js';

/**
 * Talks to the national population database over SOAP, as the national
 * data-sharing platform exposes it. Knows the operations and their request
 * elements; knows nothing about our contracts (that is mapping.ts) and holds
 * no secret (authentication comes in through the context).
 */
export interface PopulationClient {
  lookUpCitizen(personalId: string, context: InvocationContext): Promise<CongdanCollection>;
  verifyCitizen(
    claim: { SoDinhDanh: string; HoVaTen: string; NgayThangNamSinh?: NgayThangNamSinhYeuCau; GioiTinh?: string },
    context: InvocationContext,
  ): Promise<KetQuaXacThuc>;
  close(): void;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type PopulationSettings = SettingsOf<typeof populationSettingsSchema>;

export const defaultEndpointPath = '/dancuquocgia/1.0/DanCuQuocGiaService';

/**
 * Business faults DC-01..DC-07 (and any soap:Client fault) say the request
 * itself was wrong: the caller's problem, not the upstream's health. DC-99
 * (system busy) and server faults count against the upstream.
 */
export function classifyPopulationFault(fault: { faultcode?: string; detail?: unknown }): 'rejected' | 'fault' {
  const code = businessFaultCode(fault.detail);
  if (code !== undefined) return /^DC-0\d$/.test(code) ? 'rejected' : 'fault';
  return /(^|:)Client$/.test(fault.faultcode ?? '') ? 'rejected' : 'fault';
}

export const populationSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['integrationCode'],
  properties: {
    integrationCode: { type: 'string', minLength: 1, description: 'MaTichHop: integration code issued to the province by the platform.' },
    endpointPath: { type: 'string', pattern: '^/', default: defaultEndpointPath, description: 'Path of the SOAP endpoint under baseUrl.' },
    tokenUrl: { type: 'string', format: 'uri', description: 'OAuth2 token endpoint (default {baseUrl}/token).' },
  },
} as const satisfies JsonSchema;

export async function createPopulationClient(context: ConnectorClientContext<PopulationSettings>): Promise<PopulationClient> {
  const { settings } = context;
  const upstream: SoapUpstream = await createSoapUpstream({
    wsdlPath: connectorFile('population', 'population.wsdl'),
    endpoint: upstreamUrl(context.baseUrl, settings.endpointPath ?? defaultEndpointPath).href,
    auth: context.auth,
    transport: context.transport,
    classifyFault: classifyPopulationFault,
  });

  // The upstream wants to know who asks and why on every call: officer, service/dossier, request id.
  const envelope = (context_: InvocationContext) => ({
    MaYeuCau: context_.requestId,
    MaDVC: context_.purpose ?? '',
    MaTichHop: settings.integrationCode,
    MaCanBo: context_.endUser ?? '',
  });

  return {
    lookUpCitizen(personalId, invocation) {
      return upstream.call<CongdanCollection>('TraCuuThongTinCongDan', { ...envelope(invocation), SoDinhDanh: personalId }, invocation);
    },
    verifyCitizen(claim, invocation) {
      return upstream.call<KetQuaXacThuc>('XacThucThongTinCongDan', { ...envelope(invocation), ...claim }, invocation);
    },
    close: () => upstream.close(),
  };
}

function businessFaultCode(detail: unknown): string | undefined {
  const loi = (detail as { LoiNghiepVu?: { MaLoi?: unknown } } | undefined)?.LoiNghiepVu;
  return typeof loi?.MaLoi === 'string' ? loi.MaLoi : undefined;
}
