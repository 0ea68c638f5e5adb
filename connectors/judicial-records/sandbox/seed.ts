import { findPersonById, fullNameOf, wellKnownPersonIds, type PartialDate } from '../../../simulators/kit/people.js';
import type { HoSoLLTP } from '../upstream-types.js';

/** Where a test moves a request to. */
export type Advance = { to: 'processing' } | { to: 'supplement-requested'; reason: string; dueDate?: string } | { to: 'refused'; reason: string } | { to: 'result-ready'; criminalRecord?: boolean } | { to: 'result-returned' };

/**
 * Requests the sandbox already holds at start, for the shared seeded citizens
 * (simulators/kit/people.ts), one per state a desk meets. Deterministic:
 * the same codes, people and outcomes on every start. Dossier codes of
 * 1 October 2025 at unit 000.00.01.H22; tests lodge their own on other days.
 */
export const seededRequests: ReadonlyArray<{ dossierCode: string; personalId: string; form: '1' | '2'; steps: Advance[] }> = [
  { dossierCode: '000.00.01.H22-251001-0001', personalId: wellKnownPersonIds.manBornInHanoi1990, form: '1', steps: [{ to: 'processing' }, { to: 'result-ready' }, { to: 'result-returned' }] },
  { dossierCode: '000.00.01.H22-251001-0002', personalId: wellKnownPersonIds.womanBorn2001WithDiacritics, form: '2', steps: [{ to: 'processing' }] },
  {
    dossierCode: '000.00.01.H22-251001-0003',
    personalId: wellKnownPersonIds.elderlyYearOnlyWithOldIdCard,
    form: '1',
    steps: [{ to: 'refused', reason: 'Chưa xác minh được thông tin về tình trạng án tích do thiếu thông tin nhân thân; đề nghị người yêu cầu bổ sung giấy khai sinh.' }],
  },
  { dossierCode: '000.00.01.H22-251001-0004', personalId: wellKnownPersonIds.upperCaseNoDiacritics, form: '1', steps: [{ to: 'processing' }, { to: 'result-ready', criminalRecord: true }] },
];

/** A seeded request as the province would have lodged it. */
export function seededDeclaration(entry: (typeof seededRequests)[number]): HoSoLLTP {
  const person = findPersonById(entry.personalId);
  if (!person) throw new Error(`seed: ${entry.personalId} is not a seeded citizen`);
  return {
    maTinh: '22',
    tenTinh: 'tỉnh Quảng Ninh',
    maHoSoMCDT: entry.dossierCode,
    nguonDangKy: '3',
    tenNguonDangKy: 'Hồ sơ nộp trực tiếp tại bộ phận một cửa',
    ngayTiepNhan: '01/10/2025',
    toKhai: {
      loaiPhieu: entry.form,
      yeuCauCDNCV: '0',
      mucDich: 'Bổ sung hồ sơ xin việc',
      soLuongCap: '1',
      nycHoTen: fullNameOf(person.name),
      nycGioiTinh: person.sex === 'female' ? '2' : '1',
      nycNgaySinh: formDateOf(person.birthDate),
      nycLoaiGiayTo: 'CCCD',
      nycSoGiayTo: person.personalId,
      nycQuocTich: 'VN',
      ngayHenTra: '13/10/2025',
    },
  };
}

/** dd/MM/yyyy with 00 for an unknown day or month, as the declaration form writes a partial birth date. */
export function formDateOf(date: PartialDate): string {
  const pad = (value: number | undefined) => String(value ?? 0).padStart(2, '0');
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`;
}
