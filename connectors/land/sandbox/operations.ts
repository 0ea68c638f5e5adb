import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import { isKnownCommune, seededLand, toGiayChungNhanRecord, toThuaDatRecord } from './seed.js';

/**
 * What the land database does with a request, apart from HTTP: validate like
 * the real service, look up, answer in its envelope. Business codes are ours
 * (ASSUMPTION — the real ones are not public), listed in fixtures/README.md.
 */

export const landBusinessErrors = {
  invalidCommune: { code: 'DD-01', description: 'Mã đơn vị hành chính cấp xã (maXa) không hợp lệ hoặc không còn hiệu lực' },
  invalidParcelKey: { code: 'DD-02', description: 'Thiếu hoặc sai số tờ bản đồ (soTo), số thửa (soThua)' },
  invalidSerial: { code: 'DD-03', description: 'Số phát hành giấy chứng nhận (soPhatHanh) không hợp lệ' },
  certificateNotFound: { code: 'DD-04', description: 'Không tìm thấy giấy chứng nhận' },
  systemBusy: { code: 'DD-99', description: 'Hệ thống cơ sở dữ liệu đất đai đang bận, vui lòng thử lại sau' },
} as const;

function error(status: number, failure: { code: string; description: string }): RestAnswer {
  return { status, body: { MaLoi: failure.code, MoTaLoi: failure.description, DuLieu: null } };
}

/** GET /thua-dat?maXa=&soTo=&soThua= : every parcel at that place (usually one), an empty list when none. */
export function answerParcelSearch(query: URLSearchParams): RestAnswer {
  const communeCode = query.get('maXa')?.trim() ?? '';
  const mapSheet = query.get('soTo')?.trim() ?? '';
  const parcelNumber = query.get('soThua')?.trim() ?? '';
  if (!/^[0-9]{5}$/.test(communeCode) || !isKnownCommune(communeCode)) return error(400, landBusinessErrors.invalidCommune);
  if (!/^[0-9]{1,4}$/.test(mapSheet) || !/^[0-9]{1,5}$/.test(parcelNumber)) return error(400, landBusinessErrors.invalidParcelKey);
  const parcels = seededLand().byLocation.get(`${communeCode}/${Number(mapSheet)}/${Number(parcelNumber)}`) ?? [];
  return {
    status: 200,
    body: {
      MaLoi: '00',
      MoTaLoi: parcels.length > 0 ? 'Thành công' : 'Không có dữ liệu',
      // A string, as the land system's serializer prints its counters.
      TongSoBanGhi: String(parcels.length),
      DuLieu: parcels.map(toThuaDatRecord),
    },
  };
}

/** GET /giay-chung-nhan?soPhatHanh=DA%20123456 (the space is optional); 404 with DD-04 when unknown. */
export function answerCertificateLookup(query: URLSearchParams): RestAnswer {
  const serial = (query.get('soPhatHanh') ?? '').trim().toUpperCase();
  const match = /^([A-Z]{2}) ?([0-9]{6,8})$/.exec(serial);
  if (!match) return error(400, landBusinessErrors.invalidSerial);
  const parcel = seededLand().bySerial.get(`${match[1]}${match[2]}`);
  if (!parcel) return error(404, landBusinessErrors.certificateNotFound);
  return { status: 200, body: { MaLoi: '00', MoTaLoi: 'Thành công', DuLieu: toGiayChungNhanRecord(parcel) } };
}

export function landSystemBusy(): RestAnswer {
  return error(500, landBusinessErrors.systemBusy);
}
