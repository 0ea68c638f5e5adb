import { connectorFile, createSoapUpstream, platformSoapSettingsSchema, upstreamUrl, type ConnectorClientContext, type InvocationContext, type SettingsOf } from '../../src/connector-kit/index.js';
import type { KetQuaTraCuuNguoiThamGia } from './upstream-types.js';

/**
 * Talks to Vietnam Social Security's participant lookup over SOAP, as the
 * national data-sharing platform would expose it. Knows the operation and its
 * request elements; knows nothing about our contracts (that is mapping.ts) and
 * holds no secret (authentication comes in through the context).
 */
export interface SocialInsuranceClient {
  lookUpParticipant(key: { MaSoBHXH: string } | { SoDinhDanh: string }, context: InvocationContext): Promise<KetQuaTraCuuNguoiThamGia>;
  close(): void;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type SocialInsuranceSettings = SettingsOf<typeof socialInsuranceSettingsSchema>;

export const defaultEndpointPath = '/bhxh/1.0/TraCuuBHXHService';

/**
 * Business faults BH-01..BH-06 (and any soap:Client fault) say the request
 * itself was wrong: the caller's problem, not the upstream's health. BH-99
 * (system busy) and server faults count against the upstream.
 */
export function classifySocialInsuranceFault(fault: { faultcode?: string; detail?: unknown }): 'rejected' | 'fault' {
  const loi = (fault.detail as { LoiNghiepVu?: { MaLoi?: unknown } } | undefined)?.LoiNghiepVu;
  if (typeof loi?.MaLoi === 'string') return /^BH-0\d$/.test(loi.MaLoi) ? 'rejected' : 'fault';
  return /(^|:)Client$/.test(fault.faultcode ?? '') ? 'rejected' : 'fault';
}

export const socialInsuranceSettingsSchema = platformSoapSettingsSchema({ defaultEndpointPath, integrationCodeElement: 'MaTichHop' });

export async function createSocialInsuranceClient(context: ConnectorClientContext<SocialInsuranceSettings>): Promise<SocialInsuranceClient> {
  const { settings } = context;
  const upstream = await createSoapUpstream({
    wsdlPath: connectorFile('social-insurance', 'social-insurance.wsdl'),
    endpoint: upstreamUrl(context.baseUrl, settings.endpointPath ?? defaultEndpointPath).href,
    auth: context.auth,
    transport: context.transport,
    classifyFault: classifySocialInsuranceFault,
  });

  return {
    lookUpParticipant(key, invocation) {
      // Who asks and why rides on every call: request id, service/dossier, integration code, officer.
      const request = {
        MaYeuCau: invocation.requestId,
        MaDVC: invocation.purpose ?? '',
        MaTichHop: settings.integrationCode,
        MaCanBo: invocation.endUser ?? '',
        ...key,
      };
      return upstream.call<KetQuaTraCuuNguoiThamGia>('TraCuuThongTinNguoiThamGia', request, invocation);
    },
    close: () => upstream.close(),
  };
}
