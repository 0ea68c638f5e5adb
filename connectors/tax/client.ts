import { connectorFile, createSoapUpstream, platformSoapSettingsSchema, upstreamUrl, type ConnectorClientContext, type InvocationContext, type SettingsOf } from '../../src/connector-kit/index.js';
import type { KetQuaNghiaVuThue, KetQuaTraCuuNNT } from './upstream-types.js';

/**
 * Talks to the tax authority's taxpayer lookup over SOAP, as the national
 * data-sharing platform would expose it. Knows the operations and their
 * request elements; knows nothing about our contracts (mapping.ts) and holds
 * no secret (authentication comes in through the context).
 */
export interface TaxClient {
  lookUpTaxpayer(taxCode: string, context: InvocationContext): Promise<KetQuaTraCuuNNT>;
  listObligations(taxCode: string, context: InvocationContext): Promise<KetQuaNghiaVuThue>;
  close(): void;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type TaxSettings = SettingsOf<typeof taxSettingsSchema>;

export const defaultTaxEndpointPath = '/gdt/tracuunnt/1.0/TraCuuNNTService';

/**
 * Business faults TN-01..TN-09 (and any soap:Client fault) say the request was
 * wrong: the caller's problem, not the upstream's health. TN-99 (busy) and
 * server faults count against the upstream.
 */
export function classifyTaxFault(fault: { faultcode?: string; detail?: unknown }): 'rejected' | 'fault' {
  const loi = (fault.detail as { LOI_NGHIEP_VU?: { MA_LOI?: unknown } } | undefined)?.LOI_NGHIEP_VU;
  if (typeof loi?.MA_LOI === 'string') return /^TN-0\d$/.test(loi.MA_LOI) ? 'rejected' : 'fault';
  return /(^|:)Client$/.test(fault.faultcode ?? '') ? 'rejected' : 'fault';
}

export const taxSettingsSchema = platformSoapSettingsSchema({ defaultEndpointPath: defaultTaxEndpointPath, integrationCodeElement: 'MA_TICH_HOP' });

export async function createTaxClient(context: ConnectorClientContext<TaxSettings>): Promise<TaxClient> {
  const { settings } = context;
  const upstream = await createSoapUpstream({
    wsdlPath: connectorFile('tax', 'tax.wsdl'),
    endpoint: upstreamUrl(context.baseUrl, settings.endpointPath ?? defaultTaxEndpointPath).href,
    auth: context.auth,
    transport: context.transport,
    classifyFault: classifyTaxFault,
  });

  // Who asks and why rides on every call: request id, integration code, officer, dossier.
  const request = (taxCode: string, invocation: InvocationContext) => ({
    MA_YEU_CAU: invocation.requestId,
    MA_TICH_HOP: settings.integrationCode,
    MA_CAN_BO: invocation.endUser ?? '',
    MA_HO_SO: invocation.purpose ?? '',
    MA_SO_THUE: taxCode,
  });

  return {
    lookUpTaxpayer: (taxCode, invocation) => upstream.call<KetQuaTraCuuNNT>('TraCuuThongTinNNT', request(taxCode, invocation), invocation),
    listObligations: (taxCode, invocation) => upstream.call<KetQuaNghiaVuThue>('TraCuuNghiaVuThue', request(taxCode, invocation), invocation),
    close: () => upstream.close(),
  };
}
