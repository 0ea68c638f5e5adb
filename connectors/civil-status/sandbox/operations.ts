import type { IncomingMessage } from 'node:http';
import { readRequestBody } from '../../../simulators/kit/http-helpers.js';
import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import { registerKeyString, seededCivilStatus } from './seed.js';

/**
 * What the civil-status database does with a lookup, apart from HTTP:
 * validate like the real service would, look up, answer in its envelope.
 * Status codes are ours (ASSUMPTION — the real ones are not public), listed
 * in fixtures/README.md.
 */

export const civilStatusCodes = {
  ok: { statusCode: '00', message: 'Thành công' },
  invalidRequest: { statusCode: '01', message: 'Dữ liệu yêu cầu không hợp lệ' },
  unknownAuthority: { statusCode: '02', message: 'Nơi đăng ký (noiDangKy) không có trong danh mục' },
  missingDossier: { statusCode: '03', message: 'Thiếu mã đơn vị (maDonVi) hoặc mã hồ sơ (maHoSo)' },
  systemBusy: { statusCode: '99', message: 'Hệ thống cơ sở dữ liệu hộ tịch điện tử đang bận, vui lòng thử lại sau' },
} as const;

export type Register = 'births' | 'marriages' | 'deaths';

function refused(failure: { statusCode: string; message: string }): RestAnswer {
  return { status: 400, body: { ...failure, data: null } };
}

/** POST {api}/<register>/tra-cuu with `{maDonVi, maHoSo, nguoiTraCuu, data: {noiDangKy, quyenSo, so} | {soDinhDanh}}`. */
export async function answerLookup(register: Register, request: IncomingMessage): Promise<RestAnswer> {
  let body: { maDonVi?: unknown; maHoSo?: unknown; data?: Record<string, unknown> };
  try {
    body = JSON.parse((await readRequestBody(request)).toString('utf8')) as typeof body;
  } catch {
    return refused(civilStatusCodes.invalidRequest);
  }
  if (!body || typeof body !== 'object') return refused(civilStatusCodes.invalidRequest);
  if (typeof body.maDonVi !== 'string' || body.maDonVi === '' || typeof body.maHoSo !== 'string' || body.maHoSo === '') return refused(civilStatusCodes.missingDossier);
  const data = body.data ?? {};
  const registers = seededCivilStatus();
  let records: unknown[];
  if (typeof data.soDinhDanh === 'string') {
    if (!/^[0-9]{12}$/.test(data.soDinhDanh)) return refused(civilStatusCodes.invalidRequest);
    const index = register === 'births' ? registers.birthsByPersonalId : register === 'marriages' ? registers.marriagesByPersonalId : registers.deathsByPersonalId;
    records = index.get(data.soDinhDanh) ?? [];
  } else {
    const { noiDangKy, quyenSo, so } = data;
    if (typeof noiDangKy !== 'string' || typeof quyenSo !== 'string' || typeof so !== 'string' || !/^[0-9]{1,6}$/.test(so) || quyenSo === '') return refused(civilStatusCodes.invalidRequest);
    if (!registers.authorities.has(noiDangKy)) return refused(civilStatusCodes.unknownAuthority);
    const record = registers[register].get(registerKeyString({ authorityCode: noiDangKy, book: quyenSo, number: so }));
    records = record ? [record] : [];
  }
  return { status: 200, body: { ...civilStatusCodes.ok, message: records.length > 0 ? 'Thành công' : 'Không tìm thấy dữ liệu', data: records } };
}

export function civilStatusSystemBusy(): RestAnswer {
  return { status: 500, body: { ...civilStatusCodes.systemBusy, data: null } };
}
