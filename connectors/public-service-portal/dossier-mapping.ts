import { codeWithLabel, compact, upstreamArray, upstreamBoolean, upstreamText, upstreamWholeNumber, UpstreamError } from '../../src/connector-kit/index.js';
import type { Dossier, DossierProgress } from '../../contracts/types.generated.js';
import { amountInDong } from './mapping.js';
import { dateTimeFromPortal, portalDateTime } from './portal-time.js';
import type { GiayToKetQua, HoSo, HoSoBoSung, LePhi, TaiLieuNop, TepDinhKemKhac, ThuTuc, TienDo } from './upstream-types.js';

/**
 * Pure functions between our dossier contract and the portal's dossier and
 * progress items (DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo). Outbound,
 * absent optional fields stay absent and lists are always sent (empty when
 * there is nothing); inbound, empty values become absent fields.
 */

export type DossierStatus = Dossier['status'];
type Fee = NonNullable<Dossier['fees']>[number];
type SubmittedDocument = NonNullable<Dossier['submittedDocuments']>[number];
type SupplementRequest = NonNullable<Dossier['supplementRequests']>[number];

/** The one table between our status words and the portal's TrangThaiHoSo / TrangThai codes (REFERENCE.md). */
export const dossierStatusCodes = {
  new: '1',
  received: '2',
  refused: '3',
  processing: '4',
  supplement_requested: '5',
  awaiting_payment: '6',
  withdrawn: '7',
  stopped: '8',
  processed: '9',
  result_returned: '10',
} as const satisfies Record<DossierStatus, string>;

const statusByCode = new Map<string, DossierStatus>(Object.entries(dossierStatusCodes).map(([status, code]) => [code, status as DossierStatus]));

export function portalStatusCode(status: DossierStatus): string {
  return dossierStatusCodes[status];
}

/** A code outside 1-10 is the portal breaking its contract: refused, naming the field. */
export function dossierStatusFromPortal(value: unknown, field: string): DossierStatus | undefined {
  const code = upstreamText(value);
  if (code === undefined) return undefined;
  const status = statusByCode.get(String(Number(code)));
  if (!status) throw new UpstreamError('contract', `${field}: not a dossier status code`);
  return status;
}

const applicantKindCodes = { citizen: '1', business: '2' } as const;

/** What DongBoHoSoMC needs from the national catalog when the one-stop system did not send it (TenTTHC, MaLinhVuc, TenLinhVuc). */
export interface CatalogFacts {
  procedureName?: string;
  field?: { code: string; label?: string };
}

/** From LayThuTuc: TENTTHC and LINHVUCTHUCHIEN[0], as public one-stop clients fill them. */
export function catalogFactsFromThuTuc(record: ThuTuc): CatalogFacts {
  const first = upstreamArray(record.LINHVUCTHUCHIEN)[0];
  return compact({ procedureName: upstreamText(record.TENTTHC), field: first && codeWithLabel(first.MALINHVUC, first.TENLINHVUC) }) ?? {};
}

const optionalDate = (value: string | undefined) => (value === undefined ? undefined : portalDateTime(value));

/** Our dossier → DongBoHoSoMC's item; the dossier's own procedure name and field win over the catalog's. */
export function dossierToPortal(dossier: Dossier, catalog: CatalogFacts = {}): HoSo {
  const field = dossier.field ?? catalog.field;
  return compact({
    MaHoSo: dossier.dossierCode,
    MaTTHC: dossier.procedureCode,
    TenTTHC: dossier.procedureName ?? catalog.procedureName,
    MaLinhVuc: field?.code,
    TenLinhVuc: field?.label,
    SoBienNhan: dossier.receiptNumber,
    ChuHoSo: dossier.applicant.name,
    // A string on the wire, as public clients send it.
    LoaiDoiTuong: applicantKindCodes[dossier.applicant.kind],
    MaDoiTuong: dossier.applicant.id,
    TrichYeuHoSo: dossier.summary,
    NgayTiepNhan: portalDateTime(dossier.receivedAt),
    NgayHenTra: portalDateTime(dossier.dueAt),
    TrangThaiHoSo: portalStatusCode(dossier.status),
    NgayTra: optionalDate(dossier.returnedAt),
    NgayKetThucXuLy: optionalDate(dossier.processingEndedAt),
    HinhThuc: dossier.deliveryByPost ? '1' : '0',
    DonViXuLy: dossier.handlingUnit,
    Email: dossier.email,
    Fax: dossier.fax,
    SoDienThoai: dossier.phone,
    ThongTinTra: dossier.returnInfo,
    ThongTinKhac: dossier.otherInfo,
    GhiChu: dossier.note,
    TaiLieuNop: (dossier.submittedDocuments ?? []).map(submittedDocumentToPortal),
    DanhSachLePhi: (dossier.fees ?? []).map(feeToPortal),
    DanhSachTepDinhKemKhac: (dossier.otherAttachments ?? []).map((attachment) => compact({ TenGiayTo: attachment.name, SoLuong: attachment.quantity, LoaiGiayTo: attachment.kind })!),
    DanhSachGiayToKetQua: (dossier.resultDocuments ?? []).map(
      (document) => compact({ TenGiayTo: document.name, MaThanhPhanHoSo: document.componentCode, GiayToId: document.documentId, DuongDanTepTinKetQua: document.url })!,
    ),
    DanhSachHoSoBoSung: (dossier.supplementRequests ?? []).map(supplementToPortal),
  })!;
}

function submittedDocumentToPortal(document: SubmittedDocument): TaiLieuNop {
  return compact({ TepDinhKemId: document.fileId, TenTepDinhKem: document.name, IsDeleted: document.deleted ?? false, MaThanhPhanHoSo: document.componentCode, DuongDanTaiTepTin: document.url })!;
}

function feeToPortal(fee: Fee): LePhi {
  return compact({ TenPhiLePhi: fee.name, MaPhiLePhi: fee.code, HinhThucThu: fee.collectionMethod, Gia: fee.amountVnd, LoaiPhiLePhi: fee.feeType })!;
}

function supplementToPortal(request: SupplementRequest): HoSoBoSung {
  return compact({
    HoSoBoSungId: request.requestId,
    NguoiYeuCauBoSung: request.requestedBy,
    NoiDungBoSung: request.content,
    NgayBoSung: portalDateTime(request.requestedAt),
    NguoiTiepNhanBoSung: request.receivedBy,
    ThongTinTiepNhan: request.receiptNote,
    NgayTiepNhanBoSung: optionalDate(request.receivedAt),
    TrangThaiBoSung: request.status,
    DanhSachGiayToBoSung: (request.documents ?? []).map(submittedDocumentToPortal),
    DanhSachLePhiBoSung: (request.fees ?? []).map(feeToPortal),
    NgayHenTraTruoc: optionalDate(request.previousDueAt),
    NgayHenTraMoi: optionalDate(request.newDueAt),
  })!;
}

/** One processing step → CapNhatTienDoHoSoMC's item, for the dossier it belongs to. */
export function progressToPortal(dossierCode: string, step: DossierProgress): TienDo {
  return compact({
    MaHoSo: dossierCode,
    NguoiXuLy: step.officer,
    ChucDanh: step.title,
    ThoiDiemXuLy: portalDateTime(step.at),
    PhongBanXuLy: step.department,
    NoiDungXuLy: step.content,
    TrangThai: portalStatusCode(step.status),
    NgayBatDau: optionalDate(step.startedAt),
    NgayKetThucTheoQuyDinh: optionalDate(step.dueAt),
  })!;
}

/**
 * What TraCuuHoSo answers → our dossier. Empty values become absent fields;
 * an unreadable date or status is a contract violation naming the field;
 * whatever else is missing the response contract check reports.
 */
export function dossierFromPortal(item: HoSo): Dossier {
  const kind = upstreamText(item.LoaiDoiTuong);
  const field = codeWithLabel(item.MaLinhVuc, item.TenLinhVuc);
  return compact({
    dossierCode: upstreamText(item.MaHoSo),
    procedureCode: upstreamText(item.MaTTHC),
    procedureName: upstreamText(item.TenTTHC),
    field,
    receiptNumber: upstreamText(item.SoBienNhan),
    applicant: compact({ kind: kind === '1' ? 'citizen' : kind === '2' ? 'business' : undefined, id: upstreamText(item.MaDoiTuong), name: upstreamText(item.ChuHoSo) }),
    summary: upstreamText(item.TrichYeuHoSo),
    receivedAt: dateTimeFromPortal(item.NgayTiepNhan, 'NgayTiepNhan'),
    dueAt: dateTimeFromPortal(item.NgayHenTra, 'NgayHenTra'),
    returnedAt: dateTimeFromPortal(item.NgayTra, 'NgayTra'),
    processingEndedAt: dateTimeFromPortal(item.NgayKetThucXuLy, 'NgayKetThucXuLy'),
    status: dossierStatusFromPortal(item.TrangThaiHoSo, 'TrangThaiHoSo'),
    deliveryByPost: upstreamBoolean(item.HinhThuc),
    handlingUnit: upstreamText(item.DonViXuLy),
    fees: nonEmpty(upstreamArray(item.DanhSachLePhi).flatMap(feeFromPortal)),
    submittedDocuments: nonEmpty(upstreamArray(item.TaiLieuNop).flatMap(submittedDocumentFromPortal)),
    otherAttachments: nonEmpty(upstreamArray(item.DanhSachTepDinhKemKhac).flatMap(otherAttachmentFromPortal)),
    resultDocuments: nonEmpty(upstreamArray(item.DanhSachGiayToKetQua).flatMap(resultDocumentFromPortal)),
    supplementRequests: nonEmpty(upstreamArray(item.DanhSachHoSoBoSung).flatMap(supplementFromPortal)),
    email: upstreamText(item.Email),
    phone: upstreamText(item.SoDienThoai),
    fax: upstreamText(item.Fax),
    returnInfo: upstreamText(item.ThongTinTra),
    otherInfo: upstreamText(item.ThongTinKhac),
    note: upstreamText(item.GhiChu),
  }) as Dossier;
}

function feeFromPortal(fee: LePhi): Fee[] {
  const name = upstreamText(fee.TenPhiLePhi);
  const amountVnd = amountInDong(fee.Gia);
  if (!name || amountVnd === undefined) return [];
  return [compact({ code: upstreamText(fee.MaPhiLePhi), name, amountVnd, collectionMethod: upstreamText(fee.HinhThucThu), feeType: upstreamText(fee.LoaiPhiLePhi) }) as Fee];
}

function submittedDocumentFromPortal(document: TaiLieuNop): SubmittedDocument[] {
  const name = upstreamText(document.TenTepDinhKem);
  if (!name) return [];
  return [
    compact({
      fileId: upstreamText(document.TepDinhKemId),
      name,
      componentCode: upstreamText(document.MaThanhPhanHoSo),
      url: upstreamText(document.DuongDanTaiTepTin),
      deleted: upstreamBoolean(document.IsDeleted),
    }) as SubmittedDocument,
  ];
}

function otherAttachmentFromPortal(attachment: TepDinhKemKhac): NonNullable<Dossier['otherAttachments']> {
  const name = upstreamText(attachment.TenGiayTo);
  return name ? [compact({ name, quantity: upstreamWholeNumber(attachment.SoLuong), kind: upstreamText(attachment.LoaiGiayTo) }) as { name: string }] : [];
}

function resultDocumentFromPortal(document: GiayToKetQua): NonNullable<Dossier['resultDocuments']> {
  const name = upstreamText(document.TenGiayTo);
  if (!name) return [];
  return [compact({ documentId: upstreamText(document.GiayToId), name, componentCode: upstreamText(document.MaThanhPhanHoSo), url: upstreamText(document.DuongDanTepTinKetQua) }) as { name: string }];
}

function supplementFromPortal(request: HoSoBoSung): SupplementRequest[] {
  const requestId = upstreamText(request.HoSoBoSungId);
  if (!requestId) return [];
  return [
    compact({
      requestId,
      requestedBy: upstreamText(request.NguoiYeuCauBoSung),
      content: upstreamText(request.NoiDungBoSung),
      requestedAt: dateTimeFromPortal(request.NgayBoSung, 'NgayBoSung'),
      receivedBy: upstreamText(request.NguoiTiepNhanBoSung),
      receiptNote: upstreamText(request.ThongTinTiepNhan),
      receivedAt: dateTimeFromPortal(request.NgayTiepNhanBoSung, 'NgayTiepNhanBoSung'),
      status: upstreamText(request.TrangThaiBoSung),
      documents: nonEmpty(upstreamArray(request.DanhSachGiayToBoSung).flatMap(submittedDocumentFromPortal)),
      fees: nonEmpty(upstreamArray(request.DanhSachLePhiBoSung).flatMap(feeFromPortal)),
      previousDueAt: dateTimeFromPortal(request.NgayHenTraTruoc, 'NgayHenTraTruoc'),
      newDueAt: dateTimeFromPortal(request.NgayHenTraMoi, 'NgayHenTraMoi'),
    }) as SupplementRequest,
  ];
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}
