import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import type { ThuTuc, ThuTucTomTat } from '../upstream-types.js';
import { catalogFields, findProcedure, seededCatalog } from './seed.js';

/**
 * What the portal answers, apart from HTTP: the `{error_code, message,
 * result[]}` envelope, always with HTTP 200 as JSON adapters on the bus do.
 * ASSUMPTIONS (listed in ../README.md): the error codes other than 0, the
 * messages, "not found" as error_code 0 with an empty result, the search
 * parameters tuKhoa/maLinhVuc/maCoQuan/trang/soLuong and the total TONGSO.
 */
export const portalErrors = {
  invalidParameter: { error_code: 2, message: 'Tham số không hợp lệ' },
  unknownService: { error_code: 4, message: 'Dịch vụ không tồn tại' },
  sessionRejected: { error_code: 401, message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' },
  systemError: { error_code: -1, message: 'Hệ thống Cổng Dịch vụ công quốc gia đang bận, vui lòng thử lại sau' },
} as const;

const procedureCodePattern = /^[0-9]\.[0-9]{6}(\.[0-9A-Z]{1,3}){4}$/;

export type PortalRequest = Record<string, unknown> & { service?: unknown };

/** The catalog services this sandbox plays; dossier and payment services come with their issues. */
export const catalogAnswers: Record<string, (request: PortalRequest) => RestAnswer> = {
  LayThuTuc(request) {
    const code = typeof request.maTTHC === 'string' ? request.maTTHC.trim() : '';
    if (!procedureCodePattern.test(code)) return ok(portalErrors.invalidParameter);
    const procedure = findProcedure(code);
    return ok({ error_code: 0, message: 'Thành công', result: procedure ? [procedure] : [] });
  },
  LayDanhSachTTHC(request) {
    const page = positiveInteger(request.trang, 1);
    const size = positiveInteger(request.soLuong, 20);
    if (page === undefined || size === undefined || size > 100) return ok(portalErrors.invalidParameter);
    const keyword = typeof request.tuKhoa === 'string' ? fold(request.tuKhoa) : '';
    const matches = seededCatalog().filter(
      (procedure) =>
        (!keyword || fold(String(procedure.TENTTHC)).includes(keyword)) &&
        (!request.maLinhVuc || procedure.LINHVUCTHUCHIEN?.some((field) => field.MALINHVUC === request.maLinhVuc)) &&
        (!request.maCoQuan || procedure.COQUANTHUCHIEN?.some((agency) => agency.MADONVI === request.maCoQuan)),
    );
    const result = matches.slice((page - 1) * size, page * size).map(summary);
    return ok({ error_code: 0, message: 'Thành công', TONGSO: matches.length, result });
  },
  LayDanhMucLinhVuc() {
    return ok({ error_code: 0, message: 'Thành công', result: catalogFields });
  },
  LayDanhMucCoQuan() {
    const agencies = new Map(seededCatalog().flatMap((procedure) => (procedure.COQUANTHUCHIEN ?? []).map((agency) => [agency.MADONVI, agency] as const)));
    return ok({ error_code: 0, message: 'Thành công', result: [...agencies.values()] });
  },
};

function summary(procedure: ThuTuc): ThuTucTomTat {
  const { MATTHC, TENTTHC, LINHVUCTHUCHIEN, COQUANTHUCHIEN, TRANGTHAI } = procedure;
  return { MATTHC, TENTTHC, LINHVUCTHUCHIEN, COQUANTHUCHIEN, TRANGTHAI };
}

/** The portal's search ignores case and (for typing without an IME) diacritics. ASSUMPTION. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();
}

function positiveInteger(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 ? number : undefined;
}

function ok(body: unknown): RestAnswer {
  return { status: 200, body };
}

/** The `soap-fault` switch on this JSON upstream: the portal's own "system busy" envelope (HTTP 200). */
export function portalSystemError(): RestAnswer {
  return ok(portalErrors.systemError);
}
