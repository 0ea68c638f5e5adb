import { isStructurallyValidOldIdCardNumber, isStructurallyValidPersonalId } from '../../../simulators/kit/personal-id.js';
import { findPersonById, findPersonByOldIdCard, type PartialDate, type SeededPerson } from '../../../simulators/kit/people.js';
import { recordedFullName } from '../../../simulators/kit/recorded-names.js';
import { toCongDanRecord, type CongDanRecord } from './seed.js';

/**
 * What the population service does with a request, apart from XML: validate
 * like the real service, look up, compare. Result and error codes are ours
 * (ASSUMPTION — the real codes are not public); they are listed in
 * connectors/population/fixtures/README.md.
 */

export interface ResultCode {
  code: string;
  description: string;
}

export const resultCodes = {
  found: { code: '00', description: 'Thành công' },
  notFound: { code: '01', description: 'Không tìm thấy thông tin công dân' },
  mismatch: { code: '02', description: 'Thông tin cung cấp không khớp với CSDL quốc gia về dân cư' },
} as const satisfies Record<string, ResultCode>;

export const businessErrors = {
  invalidPersonalId: { code: 'DC-01', description: 'Số định danh cá nhân không hợp lệ' },
  invalidOldIdCard: { code: 'DC-02', description: 'Số CMND không hợp lệ' },
  missingIdentifier: { code: 'DC-03', description: 'Thiếu số định danh cá nhân (SoDinhDanh) hoặc số CMND (SoCMND)' },
  missingOfficer: { code: 'DC-04', description: 'Thiếu mã cán bộ (MaCanBo)' },
  missingServiceCode: { code: 'DC-05', description: 'Thiếu mã dịch vụ công (MaDVC)' },
  missingRequestId: { code: 'DC-06', description: 'Thiếu mã yêu cầu (MaYeuCau)' },
  invalidVerificationInput: { code: 'DC-07', description: 'Thông tin xác thực không hợp lệ (HoVaTen, NgayThangNamSinh, GioiTinh)' },
  systemBusy: { code: 'DC-99', description: 'Hệ thống CSDL quốc gia về dân cư đang bận, vui lòng thử lại sau' },
} as const satisfies Record<string, ResultCode>;

export type BusinessErrorName = keyof typeof businessErrors;

/** A request the service refuses: answered as a SOAP Fault carrying the business code. */
export class PopulationBusinessError extends Error {
  readonly code: string;

  constructor(
    readonly errorName: BusinessErrorName,
    /** Client: the request is wrong; Server: the service failed. */
    readonly side: 'Client' | 'Server',
    readonly requestId: string | undefined,
  ) {
    super(businessErrors[errorName].description);
    this.code = businessErrors[errorName].code;
  }
}

/** Element text from the SOAP stack's parsed arguments; undefined when the element is missing or empty. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '$value' in value) return textOf((value as { $value: unknown }).$value);
  return undefined;
}

type Arguments = Record<string, unknown> | undefined;

interface RequestMeta {
  requestId: string;
}

/** Who asks and why rides on every request: the upstream refuses anonymous calls. */
function requireMeta(args: Arguments): RequestMeta {
  const requestId = textOf(args?.MaYeuCau);
  if (!requestId) throw new PopulationBusinessError('missingRequestId', 'Client', undefined);
  if (!textOf(args?.MaCanBo)) throw new PopulationBusinessError('missingOfficer', 'Client', requestId);
  if (!textOf(args?.MaDVC)) throw new PopulationBusinessError('missingServiceCode', 'Client', requestId);
  return { requestId };
}

/** Case-insensitive, NFC, whitespace-normalized; diacritics stay significant ("Hoa" ≠ "Hòa"). */
export function normalizeNameForComparison(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/gu, ' ').trim();
}

/**
 * A requested birth date: `NgayThangNamSinh` holding `NgayThangNam`
 * (yyyyMMdd, yyyyMM or yyyy) or `Nam` (yyyy); a bare string is accepted too.
 * Returns null when the element is present but malformed.
 */
export function parseRequestedBirthDate(value: unknown): PartialDate | null | undefined {
  if (value === undefined || value === null) return undefined;
  const raw =
    typeof value === 'object' && !('$value' in value)
      ? (textOf((value as Record<string, unknown>).NgayThangNam) ?? textOf((value as Record<string, unknown>).Nam))
      : textOf(value);
  if (raw === undefined) return undefined;
  const match = /^(\d{4})(?:(\d{2})(\d{2})?)?$/.exec(raw);
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) return null;
  if (month !== undefined && day !== undefined && (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())) return null;
  return { year, ...(month !== undefined && { month }), ...(day !== undefined && { day }) };
}

/**
 * Dates match on the precision both sides have: a record known by year only
 * matches any requested date in that year, since the database cannot tell more.
 */
export function birthDatesMatch(requested: PartialDate, recorded: PartialDate): boolean {
  if (requested.year !== recorded.year) return false;
  if (requested.month !== undefined && recorded.month !== undefined && requested.month !== recorded.month) return false;
  if (requested.day !== undefined && recorded.day !== undefined && requested.day !== recorded.day) return false;
  return true;
}

function namesMatch(requested: string, person: SeededPerson): boolean {
  // Compared with the name as the database stores it, legacy upper-case records included.
  return normalizeNameForComparison(requested) === normalizeNameForComparison(recordedFullName(person));
}

export interface LookupResult {
  requestId: string;
  result: ResultCode;
  records: CongDanRecord[];
}

/** TraCuuThongTinCongDan: by SoDinhDanh, or by SoCMND; optional HoVaTen/NgayThangNamSinh must then match. */
export function lookUpCitizen(args: Arguments): LookupResult {
  const { requestId } = requireMeta(args);
  const personalId = textOf(args?.SoDinhDanh);
  const oldIdCard = textOf(args?.SoCMND);
  let person: SeededPerson | undefined;
  if (personalId !== undefined) {
    if (!isStructurallyValidPersonalId(personalId)) throw new PopulationBusinessError('invalidPersonalId', 'Client', requestId);
    person = findPersonById(personalId);
  } else if (oldIdCard !== undefined) {
    if (!isStructurallyValidOldIdCardNumber(oldIdCard)) throw new PopulationBusinessError('invalidOldIdCard', 'Client', requestId);
    person = findPersonByOldIdCard(oldIdCard);
  } else {
    throw new PopulationBusinessError('missingIdentifier', 'Client', requestId);
  }
  const requestedName = textOf(args?.HoVaTen);
  const requestedBirthDate = parseRequestedBirthDate(args?.NgayThangNamSinh);
  if (requestedBirthDate === null) throw new PopulationBusinessError('invalidVerificationInput', 'Client', requestId);
  if (!person) return { requestId, result: resultCodes.notFound, records: [] };
  const consistent =
    (requestedName === undefined || namesMatch(requestedName, person)) &&
    (requestedBirthDate === undefined || birthDatesMatch(requestedBirthDate, person.birthDate));
  // A lookup whose name or birth date disagree discloses nothing beyond the code.
  if (!consistent) return { requestId, result: resultCodes.mismatch, records: [] };
  return { requestId, result: resultCodes.found, records: [toCongDanRecord(person)] };
}

export interface VerificationResult {
  requestId: string;
  exists: boolean;
  matches?: { HoVaTen: boolean; NgayThangNamSinh?: boolean; GioiTinh?: boolean };
  result: ResultCode;
}

const sexCodes: Record<string, SeededPerson['sex']> = { '1': 'male', '2': 'female' };

/**
 * XacThucThongTinCongDan: TonTai is true only when the id exists AND every
 * given field matches. The name is required; the birth date and sex are
 * compared when given (a caller may not know the birth date).
 */
export function verifyCitizen(args: Arguments): VerificationResult {
  const { requestId } = requireMeta(args);
  const personalId = textOf(args?.SoDinhDanh);
  if (personalId === undefined) throw new PopulationBusinessError('missingIdentifier', 'Client', requestId);
  if (!isStructurallyValidPersonalId(personalId)) throw new PopulationBusinessError('invalidPersonalId', 'Client', requestId);
  const requestedName = textOf(args?.HoVaTen);
  const requestedBirthDate = parseRequestedBirthDate(args?.NgayThangNamSinh);
  const requestedSexCode = textOf(args?.GioiTinh);
  if (!requestedName || requestedBirthDate === null || (requestedSexCode !== undefined && !(requestedSexCode in sexCodes))) {
    throw new PopulationBusinessError('invalidVerificationInput', 'Client', requestId);
  }
  const person = findPersonById(personalId);
  if (!person) return { requestId, exists: false, result: resultCodes.notFound };
  const matches = {
    HoVaTen: namesMatch(requestedName, person),
    ...(requestedBirthDate !== undefined && { NgayThangNamSinh: birthDatesMatch(requestedBirthDate, person.birthDate) }),
    ...(requestedSexCode !== undefined && { GioiTinh: sexCodes[requestedSexCode] === person.sex }),
  };
  const exists = Object.values(matches).every(Boolean);
  return { requestId, exists, matches, result: exists ? resultCodes.found : resultCodes.mismatch };
}
