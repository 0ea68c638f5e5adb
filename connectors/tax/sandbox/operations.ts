import { isValidTaxpayerCode } from '../../../src/connector-kit/tax-code.js';
import { businessSoapFault, soapArgumentText, type SandboxSoapFault } from '../../../simulators/kit/soap-sandbox.js';
import { renderXmlElement, type XmlFields } from '../../../simulators/kit/xml.js';
import { findTaxpayer, ledgerUpdatedAt } from './seed.js';

/**
 * What the tax lookup service does with a request, apart from the SOAP
 * plumbing: validate like a real service, look up, answer in its own XML.
 * Result and error codes are ASSUMPTIONS (the real interface is not public);
 * they are listed in connectors/tax/fixtures/README.md.
 */

export const taxNamespace = 'http://tracuunnt.gdt.gov.vn/1.0';

export const resultCodes = {
  found: { code: '00', description: 'Thành công' },
  notFound: { code: '01', description: 'Không tìm thấy người nộp thuế' },
} as const;

export const businessErrors = {
  invalidTaxCode: { code: 'TN-01', description: 'Mã số thuế không hợp lệ' },
  missingTaxCode: { code: 'TN-02', description: 'Thiếu mã số thuế (MA_SO_THUE)' },
  missingOfficer: { code: 'TN-04', description: 'Thiếu mã cán bộ (MA_CAN_BO)' },
  missingDossier: { code: 'TN-05', description: 'Thiếu mã hồ sơ (MA_HO_SO)' },
  missingRequestId: { code: 'TN-06', description: 'Thiếu mã yêu cầu (MA_YEU_CAU)' },
  systemBusy: { code: 'TN-99', description: 'Hệ thống tra cứu thông tin người nộp thuế đang bận, vui lòng thử lại sau' },
} as const;

export type TaxBusinessError = keyof typeof businessErrors;

/** A refused request as the service answers it: soap:Fault with LOI_NGHIEP_VU in the detail. */
export function taxFault(error: TaxBusinessError, side: 'Client' | 'Server', requestId: string | undefined): SandboxSoapFault {
  const { code, description } = businessErrors[error];
  return businessSoapFault(side, description, {
    element: 'LOI_NGHIEP_VU',
    fields: { MA_LOI: code, MO_TA_LOI: description, MA_YEU_CAU: requestId },
    namespace: { prefix: 'nnt', uri: taxNamespace },
  });
}

type Arguments = Record<string, unknown>;

/** Who asks and why, then which taxpayer: the service refuses anonymous or malformed calls. */
function validRequest(args: Arguments): { requestId: string; taxCode: string } {
  const requestId = soapArgumentText(args.MA_YEU_CAU);
  if (!requestId) throw taxFault('missingRequestId', 'Client', undefined);
  if (!soapArgumentText(args.MA_CAN_BO)) throw taxFault('missingOfficer', 'Client', requestId);
  if (!soapArgumentText(args.MA_HO_SO)) throw taxFault('missingDossier', 'Client', requestId);
  const taxCode = soapArgumentText(args.MA_SO_THUE);
  if (!taxCode) throw taxFault('missingTaxCode', 'Client', requestId);
  // A business code with its check digit, or a personal id (an individual's tax code since July 2025).
  if (!isValidTaxpayerCode(taxCode)) throw taxFault('invalidTaxCode', 'Client', requestId);
  return { requestId, taxCode };
}

function render(element: string, content: XmlFields): string {
  return `\n${renderXmlElement(element, content, { prefix: 'nnt', rootAttributes: { 'xmlns:nnt': taxNamespace } })}\n`;
}

/** TraCuuThongTinNNT: the taxpayer's registration and status. */
export function lookUpTaxpayer(args: Arguments): string {
  const { requestId, taxCode } = validRequest(args);
  const taxpayer = findTaxpayer(taxCode);
  const result = taxpayer ? resultCodes.found : resultCodes.notFound;
  return render('KetQuaTraCuuNNT', {
    MA_YEU_CAU: requestId,
    MA_KET_QUA: result.code,
    MO_TA_KET_QUA: result.description,
    NNT: taxpayer && (taxpayer.record as unknown as XmlFields),
  });
}

/**
 * TraCuuNghiaVuThue: outstanding amounts by budget sub-item. A taxpayer with
 * nothing outstanding gets an empty ROW_LIST; one whose MST is terminated
 * gets no ROW_LIST at all (both happen upstream, both mean "nothing owed").
 */
export function listObligations(args: Arguments): string {
  const { requestId, taxCode } = validRequest(args);
  const taxpayer = findTaxpayer(taxCode);
  if (!taxpayer) {
    return render('KetQuaNghiaVuThue', { MA_YEU_CAU: requestId, MA_KET_QUA: resultCodes.notFound.code, MO_TA_KET_QUA: resultCodes.notFound.description });
  }
  const { obligations: rows, terminated } = taxpayer;
  return render('KetQuaNghiaVuThue', {
    MA_YEU_CAU: requestId,
    MA_KET_QUA: resultCodes.found.code,
    MO_TA_KET_QUA: resultCodes.found.description,
    MA_SO_THUE: taxCode,
    TONG_SO_TIEN: String(rows.reduce((total, item) => total + Number(item.SO_TIEN), 0)),
    NGAY_CAP_NHAT: ledgerUpdatedAt,
    ROW_LIST: terminated ? undefined : rows.length === 0 ? '' : { ROW: rows.map((item) => item as unknown as XmlFields) },
  });
}
