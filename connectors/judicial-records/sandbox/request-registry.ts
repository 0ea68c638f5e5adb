import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import { findPersonById, fullNameOf, type SeededPerson } from '../../../simulators/kit/people.js';
import { toUpperAscii } from '../../../simulators/kit/recorded-names.js';
import type { HoSoLLTP, KetQuaXuLy, TrangThaiHoSoLLTP } from '../upstream-types.js';
import { formDateOf, seededDeclaration, seededRequests, type Advance } from './seed.js';

/**
 * The judicial records system's side: every request it received, what became
 * of it, and a journal of every request lodged, so tests can prove the
 * gateway lodged each dossier once whatever the retries.
 *
 * ASSUMPTIONS (listed in ../README.md): the system checks the applicant
 * against the population database (a personal id it does not know, or a name
 * or birth date that does not match, is refused "01"); a second lodging of a
 * dossier it holds is refused "01" "... đã được tiếp nhận, không thể cập nhật
 * thông tin" (the phrase a public client treats as done); a lookup of a
 * dossier it does not hold answers "02". Processing is driven by tests
 * (`advance`), never by the clock, so runs are deterministic.
 */

export interface StoredRequest {
  /** As lodged. */
  item: HoSoLLTP;
  /** trangThaiXuLy: "2" received, "4" processing, "5" supplement, "3" refused, "9" result ready, "10" returned. */
  status: string;
  reason?: string;
  dueDate: string;
  result?: KetQuaXuLy;
}

export interface JournalEntry {
  dossierCode: string;
  kind: 'lodged' | 'refused-duplicate';
}


const statusCodes = { received: '2', refused: '3', processing: '4', 'supplement-requested': '5', 'result-ready': '9', 'result-returned': '10' } as const;

export const lltpAnswers = {
  ok: (data?: unknown) => ({ statusCode: '00', errorDetail: '', ...(data !== undefined && { data }) }),
  alreadyReceived: (code: string) => ({ statusCode: '01', errorDetail: `Hồ sơ ${code} đã được tiếp nhận, không thể cập nhật thông tin` }),
  invalid: (what: string) => ({ statusCode: '01', errorDetail: `Dữ liệu không hợp lệ: ${what}` }),
  applicantMismatch: { statusCode: '01', errorDetail: 'Thông tin người yêu cầu không khớp với Cơ sở dữ liệu quốc gia về dân cư' },
  notFound: { statusCode: '02', errorDetail: 'Không tìm thấy hồ sơ' },
  interrupted: { statusCode: '03', errorDetail: 'Yêu cầu bị gián đoạn. Vui lòng thử lại.' },
} as const;

const dossierCodePattern = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$/;
const formDatePattern = /^(\d{2})\/(\d{2})\/(\d{4})$/;

export class RequestRegistry {
  private readonly stored = new Map<string, StoredRequest>();
  private readonly lodged: JournalEntry[] = [];
  private issued = 0;

  constructor() {
    this.reset();
  }

  get requests(): ReadonlyMap<string, StoredRequest> {
    return this.stored;
  }

  get journal(): readonly JournalEntry[] {
    return this.lodged;
  }

  /** Starts from the seeded requests (seed.ts) alone, with an empty journal. */
  reset(): void {
    this.stored.clear();
    this.issued = 0;
    for (const entry of seededRequests) {
      const answer = this.submit(seededDeclaration(entry)).body as { statusCode: string };
      if (answer.statusCode !== '00') throw new Error(`seed: ${entry.dossierCode} was refused`);
      for (const step of entry.steps) this.advance(entry.dossierCode, step);
    }
    this.lodged.length = 0;
  }

  /** tiepNhanHoSoLLTP. */
  submit(body: unknown): RestAnswer {
    const item = body as HoSoLLTP;
    const problem = invalidity(item);
    if (problem) return ok(lltpAnswers.invalid(problem));
    if (this.stored.has(item.maHoSoMCDT)) {
      this.lodged.push({ dossierCode: item.maHoSoMCDT, kind: 'refused-duplicate' });
      return ok(lltpAnswers.alreadyReceived(item.maHoSoMCDT));
    }
    const person = findPersonById(item.toKhai.nycSoGiayTo);
    if (!person || !sameApplicant(person, item)) return ok(lltpAnswers.applicantMismatch);
    this.stored.set(item.maHoSoMCDT, { item: structuredClone(item), status: statusCodes.received, dueDate: item.toKhai.ngayHenTra });
    this.lodged.push({ dossierCode: item.maHoSoMCDT, kind: 'lodged' });
    return ok(lltpAnswers.ok());
  }

  /** traCuuHoSoLLTP. */
  lookUp(body: unknown): RestAnswer {
    const code = (body as { maHoSoMCDT?: unknown } | null)?.maHoSoMCDT;
    if (typeof code !== 'string' || !dossierCodePattern.test(code)) return ok(lltpAnswers.invalid('maHoSoMCDT'));
    const found = this.stored.get(code);
    return ok(found ? lltpAnswers.ok(recordOf(found)) : lltpAnswers.notFound);
  }

  /** Moves a request on, as the Department of Justice's officers would. */
  advance(dossierCode: string, step: Advance): void {
    const request = this.stored.get(dossierCode);
    if (!request) throw new Error(`the sandbox holds no request ${dossierCode}`);
    request.status = statusCodes[step.to];
    delete request.reason;
    if (step.to === 'supplement-requested' || step.to === 'refused') request.reason = step.reason;
    if (step.to === 'supplement-requested' && step.dueDate) request.dueDate = step.dueDate;
    if (step.to === 'result-ready') request.result = this.issue(request, step.criminalRecord ?? false);
  }

  /** A certificate as the system records it, with its content: the gateway must read none of that. */
  private issue(request: StoredRequest, criminalRecord: boolean): KetQuaXuLy {
    this.issued += 1;
    const { item } = request;
    return {
      soPhieuLLTP: `${String(this.issued).padStart(6, '0')}/${item.toKhai.loaiPhieu === '2' ? 'LLTP2' : 'LLTP1'}-STP${item.maTinh}`,
      ngayCapPhieu: request.dueDate,
      loaiPhieu: item.toKhai.loaiPhieu,
      soLuongCap: item.toKhai.soLuongCap,
      coQuanCap: `Sở Tư pháp ${item.tenTinh}`,
      nguoiKy: 'Trần Thị Giám Đốc',
      chucVu: 'Phó Giám đốc',
      tinhTrangAnTich: criminalRecord ? '2' : '1',
      tenTinhTrangAnTich: criminalRecord ? 'Có án tích' : 'Không có án tích',
      ...(criminalRecord && { thongTinAn: [{ soBanAn: '15/2019/HS-ST', toiDanh: 'Trộm cắp tài sản', hinhPhat: '12 tháng tù' }] }),
      dsCDNCV: [],
      phieuLLTP: Buffer.from('%PDF-1.4 sandbox certificate').toString('base64'),
    };
  }
}

function recordOf(request: StoredRequest): TrangThaiHoSoLLTP {
  const { item } = request;
  return {
    maHoSoMCDT: item.maHoSoMCDT,
    nycSoGiayTo: item.toKhai.nycSoGiayTo,
    loaiPhieu: item.toKhai.loaiPhieu,
    trangThaiXuLy: request.status,
    ngayTiepNhan: item.ngayTiepNhan,
    ngayHenTraKetQua: request.dueDate,
    lyDoTuChoi: request.reason ?? '',
    ketQuaXuLy: request.result ? structuredClone(request.result) : null,
  };
}

function invalidity(item: HoSoLLTP): string | undefined {
  if (!item || typeof item !== 'object' || !item.toKhai || typeof item.toKhai !== 'object') return 'toKhai';
  if (typeof item.maHoSoMCDT !== 'string' || !dossierCodePattern.test(item.maHoSoMCDT)) return 'maHoSoMCDT';
  if (typeof item.maTinh !== 'string' || !/^\d{2}$/.test(item.maTinh)) return 'maTinh';
  if (!['1', '3'].includes(item.nguonDangKy)) return 'nguonDangKy';
  if (!formDatePattern.test(item.ngayTiepNhan ?? '')) return 'ngayTiepNhan';
  const form = item.toKhai;
  if (!['1', '2'].includes(form.loaiPhieu)) return 'loaiPhieu';
  if (!['1', '2'].includes(form.nycGioiTinh)) return 'nycGioiTinh';
  if (!/^\d{12}$/.test(form.nycSoGiayTo ?? '')) return 'nycSoGiayTo';
  if (!formDatePattern.test(form.ngayHenTra ?? '')) return 'ngayHenTra';
  if (!/^[1-9]\d?$/.test(form.soLuongCap ?? '')) return 'soLuongCap';
  if (typeof form.mucDich !== 'string' || form.mucDich.trim() === '') return 'mucDich';
  return undefined;
}

/** Name without case or diacritics, birth date at the precision the population record has, and sex. */
function sameApplicant(person: SeededPerson, item: HoSoLLTP): boolean {
  const form = item.toKhai;
  return (
    toUpperAscii(fullNameOf(person.name)) === toUpperAscii(String(form.nycHoTen ?? '').trim().replace(/\s+/g, ' ')) &&
    formDateOf(person.birthDate) === form.nycNgaySinh &&
    (person.sex === 'female' ? '2' : '1') === form.nycGioiTinh
  );
}

function ok(body: unknown): RestAnswer {
  return { status: 200, body };
}
