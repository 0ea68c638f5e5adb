import { UpstreamError, compact, upstreamDate, upstreamText, upstreamWholeNumber } from '../../src/connector-kit/index.js';
import type { JudicialRecordCertificateRequest, JudicialRecordRequestStatus } from '../../contracts/types.generated.js';
import type { HoSoLLTP, LltpEnvelope, TrangThaiHoSoLLTP } from './upstream-types.js';

/**
 * Pure functions between our contracts and the judicial records system's
 * JSON (upstream-types.ts). What the system holds is read into what a one-stop
 * desk needs to follow a request and hand the certificate over, and nothing
 * of what the certificate says (README.md, "What the desk gets").
 */

/** Who sends: the province (maTinh, tenTinh), from the connector's settings. */
export interface SendingProvince {
  code: string;
  name: string;
}

export type RequestStatus = JudicialRecordRequestStatus['status'];

/** trangThaiXuLy: the national dossier status codes (REFERENCE.md), as the seen result push uses them. */
const statusByCode: Readonly<Record<string, RequestStatus>> = {
  '2': 'received',
  '3': 'refused',
  '4': 'processing',
  '5': 'supplement-requested',
  '7': 'withdrawn',
  '8': 'stopped',
  '9': 'result-ready',
  '10': 'result-returned',
};

export const upstreamSuccessCode = '00';

export type EnvelopeOutcome<Data> = { kind: 'ok'; data: Data | undefined } | { kind: 'error'; code: string; detail: string };

/** `statusCode` "00" (seen) is success; any other code is the system's answer, for the caller to read. */
export function readEnvelope<Data>(envelope: LltpEnvelope<Data>): EnvelopeOutcome<Data> {
  const code = upstreamText(envelope.statusCode);
  if (code === undefined) throw new UpstreamError('contract', 'answer without statusCode');
  if (code === upstreamSuccessCode) return { kind: 'ok', data: envelope.data };
  return { kind: 'error', code, detail: upstreamText(envelope.errorDetail) ?? '' };
}

/**
 * "Already received, cannot be updated": the phrase a public client of the
 * Ministry's service treats as success (README.md). The system then holds the
 * request from an earlier attempt whose answer was lost.
 */
export function saysAlreadyReceived(detail: string): boolean {
  return detail.toLowerCase().includes('đã được tiếp nhận');
}

/** ISO partial date (YYYY, YYYY-MM, YYYY-MM-DD) → dd/MM/yyyy with 00 for what is unknown. */
export function formDate(isoDate: string): string {
  const [year, month = '00', day = '00'] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * The calendar day of an instant in Vietnam (UTC+7, no daylight saving since
 * 1975, as the kit's upstreamDateTime reads it), as dd/MM/yyyy.
 */
export function vietnamDay(isoDateTime: string): string {
  const instant = Date.parse(isoDateTime);
  if (Number.isNaN(instant)) throw new TypeError('not an ISO 8601 date-time');
  return formDate(new Date(instant + 7 * 3_600_000).toISOString().slice(0, 10));
}

const channelCodes = { 'in-person': { code: '3', label: 'Hồ sơ nộp trực tiếp tại bộ phận một cửa' }, online: { code: '1', label: 'Hồ sơ đăng ký trực tuyến qua cổng DVC của địa phương' } } as const;

/** A request as the declaration the system takes (tờ khai, nyc* fields). */
export function requestToUpstream(request: JudicialRecordCertificateRequest, province: SendingProvince): HoSoLLTP {
  const { applicant } = request;
  const channel = channelCodes[request.channel ?? 'in-person'];
  const address = applicant.permanentAddress;
  const thuongTru = address && compact({ maTinhThanh: address.provinceCode, maPhuongXa: address.communeCode, dcChiTiet: address.detail });
  return {
    maTinh: province.code,
    tenTinh: province.name,
    maHoSoMCDT: request.dossierCode,
    nguonDangKy: channel.code,
    tenNguonDangKy: channel.label,
    ngayTiepNhan: vietnamDay(request.receivedAt),
    toKhai: {
      loaiPhieu: request.certificateType === 'form-2' ? '2' : '1',
      yeuCauCDNCV: '0',
      mucDich: request.purpose,
      soLuongCap: String(request.copies ?? 1),
      nycHoTen: applicant.fullName,
      nycGioiTinh: applicant.sex === 'female' ? '2' : '1',
      nycNgaySinh: formDate(applicant.birthDate),
      nycLoaiGiayTo: 'CCCD',
      nycSoGiayTo: applicant.personalId,
      nycQuocTich: 'VN',
      ...(applicant.phone !== undefined && { nycDienThoai: applicant.phone }),
      ...(applicant.email !== undefined && { nycEmail: applicant.email }),
      ...(thuongTru && { nycThuongTru: thuongTru }),
      ngayHenTra: formDate(request.dueDate),
    },
  };
}

/** trangThaiXuLy → our word; an unknown code is the system breaking its contract, not a status to guess. */
export function statusFromUpstream(code: unknown): RequestStatus {
  const text = upstreamText(code);
  const status = text === undefined ? undefined : statusByCode[text];
  if (status === undefined) throw new UpstreamError('contract', 'trangThaiXuLy: not a known status code');
  return status;
}

function certificateType(code: unknown): JudicialRecordRequestStatus['certificateType'] {
  const text = upstreamText(code);
  if (text === undefined) return undefined;
  if (text === '1' || text === '2') return text === '1' ? 'form-1' : 'form-2';
  throw new UpstreamError('contract', 'loaiPhieu: neither 1 nor 2');
}

function fullDate(value: unknown, field: string): string | undefined {
  return upstreamDate(value, field, { expect: 'day' });
}

/**
 * What the system holds, as the desk may see it: status, dates, the refusal
 * or supplement reason, and once issued the certificate's number, date and
 * authority. tinhTrangAnTich, thongTinAn, dsCDNCV, the signer and the signed
 * certificate (phieuLLTP) are never read. The record must be the one asked
 * for (the system answering for another dossier is a contract violation).
 */
export function statusFromRecord(record: TrangThaiHoSoLLTP, dossierCode: string): JudicialRecordRequestStatus {
  if (upstreamText(record.maHoSoMCDT) !== dossierCode) throw new UpstreamError('contract', 'the answer is for another dossier');
  const status = statusFromUpstream(record.trangThaiXuLy);
  const type = certificateType(record.loaiPhieu);
  const receivedOn = fullDate(record.ngayTiepNhan, 'ngayTiepNhan');
  const dueDate = fullDate(record.ngayHenTraKetQua, 'ngayHenTraKetQua');
  const reason = status === 'refused' || status === 'supplement-requested' ? upstreamText(record.lyDoTuChoi) : undefined;
  const issued = status === 'result-ready' || status === 'result-returned';
  return {
    dossierCode,
    status,
    ...(type !== undefined && { certificateType: type }),
    ...(receivedOn !== undefined && { receivedOn }),
    ...(dueDate !== undefined && { dueDate }),
    ...(reason !== undefined && { reason }),
    ...(issued && { result: certificateResult(record) }),
  };
}

function certificateResult(record: TrangThaiHoSoLLTP): NonNullable<JudicialRecordRequestStatus['result']> {
  const result = record.ketQuaXuLy;
  if (!result || typeof result !== 'object') throw new UpstreamError('contract', 'an issued certificate without ketQuaXuLy');
  const certificateNumber = upstreamText(result.soPhieuLLTP);
  const issuedOn = fullDate(result.ngayCapPhieu, 'ngayCapPhieu');
  const issuingAuthority = upstreamText(result.coQuanCap);
  if (certificateNumber === undefined || issuedOn === undefined || issuingAuthority === undefined) {
    throw new UpstreamError('contract', 'ketQuaXuLy lacks soPhieuLLTP, ngayCapPhieu or coQuanCap');
  }
  const copies = upstreamWholeNumber(result.soLuongCap);
  return { certificateNumber, issuedOn, issuingAuthority, ...(copies !== undefined && copies >= 1 && { copies }) };
}
