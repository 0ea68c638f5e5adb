import type { ConnectorClientContext, InvocationContext } from '../../src/connector-kit/index.js';
import { connectorFile } from '../../src/connector-kit/index.js';
import { createSoapUpstream, type SoapUpstream } from '../../src/connector-kit/index.js';
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
    claim: { SoDinhDanh: string; HoVaTen: string; NgayThangNamSinh: NgayThangNamSinhYeuCau; GioiTinh?: string },
    context: InvocationContext,
  ): Promise<KetQuaXacThuc>;
  close(): void;
}

export interface PopulationSettings {
  /** MaTichHop: the integration code the platform issued to this province. */
  integrationCode: string;
  /** Path of the SOAP endpoint under baseUrl. */
  endpointPath: string;
  /** OAuth2 token endpoint; defaults to {baseUrl}/token. */
  tokenUrl?: string;
}

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

export async function createPopulationClient(context: ConnectorClientContext): Promise<PopulationClient> {
  const settings = context.settings as unknown as PopulationSettings;
  const upstream: SoapUpstream = await createSoapUpstream({
    wsdlPath: connectorFile('population', 'population.wsdl'),
    endpoint: new URL(settings.endpointPath ?? defaultEndpointPath, context.baseUrl).href,
    auth: context.auth,
    transport: context.transport,
    classifyFault: classifyPopulationFault,
    // Every lookup and verification of every officer goes through these two: the compiled path (see soap-upstream.ts).
    compiledOperations: ['TraCuuThongTinCongDan', 'XacThucThongTinCongDan'],
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
