import { isStructurallyValidPersonalId } from '../../../simulators/kit/personal-id.js';
import { businessSoapFault, soapArgumentText, type SandboxSoapFault } from '../../../simulators/kit/soap-sandbox.js';
import { findParticipantByCode, findParticipantByPersonalId, type SeededParticipant } from './seed.js';

/**
 * What the participant lookup does with a request, apart from XML: validate,
 * look up by social insurance code or personal id. Result and error codes are
 * ours (ASSUMPTION — the interface is not public); they are listed in
 * connectors/social-insurance/fixtures/README.md.
 */

export const bhxhNamespace = 'http://baohiemxahoi.gov.vn/tracuu/1.0';

export const resultCodes = {
  found: { code: '00', description: 'Thành công' },
  notFound: { code: '01', description: 'Không tìm thấy thông tin người tham gia BHXH, BHYT' },
} as const;

export const businessErrors = {
  invalidSocialInsuranceCode: { code: 'BH-01', description: 'Mã số BHXH không hợp lệ (10 chữ số)' },
  invalidPersonalId: { code: 'BH-02', description: 'Số định danh cá nhân không hợp lệ' },
  missingIdentifier: { code: 'BH-03', description: 'Thiếu mã số BHXH (MaSoBHXH) hoặc số định danh cá nhân (SoDinhDanh)' },
  missingOfficer: { code: 'BH-04', description: 'Thiếu mã cán bộ (MaCanBo)' },
  missingServiceCode: { code: 'BH-05', description: 'Thiếu mã dịch vụ công (MaDVC)' },
  missingRequestId: { code: 'BH-06', description: 'Thiếu mã yêu cầu (MaYeuCau)' },
  systemBusy: { code: 'BH-99', description: 'Hệ thống BHXH Việt Nam đang bận, vui lòng thử lại sau' },
} as const;

export type BusinessErrorName = keyof typeof businessErrors;

/** A refused request: a SOAP Fault whose detail is `bhxh:LoiNghiepVu`. */
export function businessFault(name: BusinessErrorName, side: 'Client' | 'Server', requestId: string | undefined): SandboxSoapFault {
  const { code, description } = businessErrors[name];
  return businessSoapFault(side, description, {
    element: 'LoiNghiepVu',
    fields: { MaLoi: code, MoTaLoi: description, MaYeuCau: requestId },
    namespace: { prefix: 'bhxh', uri: bhxhNamespace },
  });
}

export interface LookupResult {
  requestId: string;
  result: { code: string; description: string };
  participant?: SeededParticipant;
}

const socialInsuranceCodePattern = /^\d{10}$/;

/** TraCuuThongTinNguoiThamGia: by MaSoBHXH or SoDinhDanh; when both are given they must be the same person's. */
export function lookUpParticipant(args: Record<string, unknown>): LookupResult {
  const requestId = soapArgumentText(args.MaYeuCau);
  if (!requestId) throw businessFault('missingRequestId', 'Client', undefined);
  if (!soapArgumentText(args.MaCanBo)) throw businessFault('missingOfficer', 'Client', requestId);
  if (!soapArgumentText(args.MaDVC)) throw businessFault('missingServiceCode', 'Client', requestId);
  const code = soapArgumentText(args.MaSoBHXH);
  const personalId = soapArgumentText(args.SoDinhDanh);
  if (code === undefined && personalId === undefined) throw businessFault('missingIdentifier', 'Client', requestId);
  if (code !== undefined && !socialInsuranceCodePattern.test(code)) throw businessFault('invalidSocialInsuranceCode', 'Client', requestId);
  if (personalId !== undefined && !isStructurallyValidPersonalId(personalId)) throw businessFault('invalidPersonalId', 'Client', requestId);
  const participant = code !== undefined ? findParticipantByCode(code) : findParticipantByPersonalId(personalId!);
  const consistent = participant && (personalId === undefined || (participant.linkedToPersonalId && participant.person.personalId === personalId));
  return consistent ? { requestId, result: resultCodes.found, participant } : { requestId, result: resultCodes.notFound };
}
