import { readFileSync } from 'node:fs';
import type { Dossier, DossierProgress } from '../../contracts/types.generated.js';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { UpstreamError } from '../../src/connector-kit/index.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import { catalogFactsFromThuTuc, dossierFromPortal, dossierStatusCodes, dossierStatusFromPortal, dossierToPortal, portalStatusCode, progressToPortal, type DossierStatus } from './dossier-mapping.js';
import { agencyListFromCatalog, fieldListFromCatalog, readEnvelope, readWriteAnswer } from './mapping.js';
import { dateTimeFromPortal, portalDateTime } from './portal-time.js';
import { sampleDossierProcessed } from './sandbox/sample-dossiers.js';
import type { CoQuan, HoSo, KetQuaDongBo, LinhVuc, PortalEnvelope, ThuTuc } from './upstream-types.js';

const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const validDossier = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/dossier.json');
const validProgress = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/dossier-progress.json');
const validAgencies = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/agency-list.json');
const validFields = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/field-list.json');

function fixture<Item>(file: string): PortalEnvelope<Item> {
  return JSON.parse(readFileSync(connectorFile('public-service-portal', `fixtures/${file}`), 'utf8')) as PortalEnvelope<Item>;
}

const dossierExample = (JSON.parse(readFileSync(fromProjectRoot('contracts/public-service-portal/v1/dossier.json'), 'utf8')) as { examples: Dossier[] }).examples[0]!;

describe('the status table', () => {
  const table: Array<[DossierStatus, string]> = [
    ['new', '1'],
    ['received', '2'],
    ['refused', '3'],
    ['processing', '4'],
    ['supplement_requested', '5'],
    ['awaiting_payment', '6'],
    ['withdrawn', '7'],
    ['stopped', '8'],
    ['processed', '9'],
    ['result_returned', '10'],
  ];

  it('is one table covering the contract enum exactly', () => {
    expect(Object.entries(dossierStatusCodes)).toEqual(table);
  });

  it.each(table)('%s ↔ %s', (status, code) => {
    expect(portalStatusCode(status)).toBe(code);
    expect(dossierStatusFromPortal(code, 'TrangThaiHoSo')).toBe(status);
    expect(dossierStatusFromPortal(Number(code), 'TrangThaiHoSo')).toBe(status);
  });

  it('reads a zero-padded code, leaves an empty one out and refuses the rest, naming the field', () => {
    expect(dossierStatusFromPortal('04', 'TrangThaiHoSo')).toBe('processing');
    expect(dossierStatusFromPortal('', 'TrangThaiHoSo')).toBeUndefined();
    for (const code of ['0', '11', 'x', '-1']) {
      expect(() => dossierStatusFromPortal(code, 'TrangThaiHoSo')).toThrow(expect.objectContaining({ kind: 'contract', message: expect.stringContaining('TrangThaiHoSo') }));
    }
  });
});

describe('dates: yyyyMMddHHmmss in Asia/Ho_Chi_Minh', () => {
  it.each([
    ['2025-07-14T08:30:00+07:00', '20250714083000'],
    // Across midnight: 17:30 UTC is 00:30 the next day in Vietnam.
    ['2025-07-13T17:30:00Z', '20250714003000'],
    ['2025-07-13T16:59:59Z', '20250713235959'],
    // Across the new year, from another offset.
    ['2025-12-31T12:00:00-05:00', '20260101000000'],
    ['2024-02-28T17:00:00Z', '20240229000000'],
    // Fractions of a second are dropped, not rounded up.
    ['2025-07-14T08:30:00.999+07:00', '20250714083000'],
  ])('%s → %s', (iso, portal) => {
    expect(portalDateTime(iso)).toBe(portal);
  });

  it('reads back with the +07:00 offset, the same instant', () => {
    const iso = dateTimeFromPortal('20250714003000', 'NgayTiepNhan');
    expect(iso).toBe('2025-07-14T00:30:00+07:00');
    expect(Date.parse(iso!)).toBe(Date.parse('2025-07-13T17:30:00Z'));
    expect(dateTimeFromPortal('', 'NgayTra')).toBeUndefined();
    expect(dateTimeFromPortal(null, 'NgayTra')).toBeUndefined();
  });

  it.each(['20250231120000', '20250714240000', '20250714', '2025-07-14T00:30:00', '14/07/2025 00:30:00'])('refuses %s as a contract violation naming the field only', (raw) => {
    try {
      dateTimeFromPortal(raw, 'NgayHenTra');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).kind).toBe('contract');
      expect((error as UpstreamError).message).toContain('NgayHenTra');
      expect((error as UpstreamError).message).not.toContain(raw);
    }
  });
});

describe('dossierToPortal', () => {
  it('maps the contract example to the portal item: codes as strings, dates converted, lists always present', () => {
    expect(validDossier(dossierExample)).toBe(true);
    expect(dossierToPortal(dossierExample)).toEqual({
      MaHoSo: '000.00.01.H22-250714-0001',
      MaTTHC: '1.003560.000.00.00.H56',
      SoBienNhan: '000.00.01.H22-250714-0001',
      ChuHoSo: 'Nguyễn Văn An',
      LoaiDoiTuong: '1',
      MaDoiTuong: '001090012345',
      TrichYeuHoSo: 'Cấp Phiếu lý lịch tư pháp số 1',
      NgayTiepNhan: '20250714083000',
      NgayHenTra: '20250724170000',
      TrangThaiHoSo: '2',
      HinhThuc: '0',
      DonViXuLy: 'Sở Tư pháp',
      TaiLieuNop: [{ TepDinhKemId: 'F-1', TenTepDinhKem: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', IsDeleted: false, MaThanhPhanHoSo: 'TP-01' }],
      DanhSachLePhi: [{ TenPhiLePhi: 'Phí cung cấp thông tin lý lịch tư pháp', MaPhiLePhi: 'LP-LLTP', Gia: 200000 }],
      DanhSachTepDinhKemKhac: [],
      DanhSachGiayToKetQua: [],
      DanhSachHoSoBoSung: [],
    });
  });

  it('a business, by post, with a supplement request; fees stay integers of đồng', () => {
    const item = dossierToPortal({
      ...dossierExample,
      applicant: { kind: 'business', id: '0101234567', name: 'Công ty TNHH An Bình' },
      deliveryByPost: true,
      status: 'supplement_requested',
      fees: [{ name: 'Lệ phí', amountVnd: 1_500_000, collectionMethod: '2', feeType: '1' }],
      supplementRequests: [{ requestId: 'BS-1', content: 'Bổ sung bản sao', requestedAt: '2025-07-15T02:00:00Z', newDueAt: '2025-07-30T10:00:00Z' }],
    });
    expect(item).toMatchObject({
      LoaiDoiTuong: '2',
      MaDoiTuong: '0101234567',
      HinhThuc: '1',
      TrangThaiHoSo: '5',
      DanhSachLePhi: [{ TenPhiLePhi: 'Lệ phí', Gia: 1500000, HinhThucThu: '2', LoaiPhiLePhi: '1' }],
      DanhSachHoSoBoSung: [{ HoSoBoSungId: 'BS-1', NoiDungBoSung: 'Bổ sung bản sao', NgayBoSung: '20250715090000', NgayHenTraMoi: '20250730170000', DanhSachGiayToBoSung: [], DanhSachLePhiBoSung: [] }],
    });
    expect(Number.isInteger(item.DanhSachLePhi![0]!.Gia)).toBe(true);
  });

  it("fills TenTTHC, MaLinhVuc, TenLinhVuc from the catalog (recorded LayThuTuc); the dossier's own values win", () => {
    const procedure = readEnvelope(fixture<ThuTuc>('lay-thu-tuc-ly-lich-tu-phap.json'));
    if (procedure.kind !== 'items') throw new Error('no procedure');
    const catalog = catalogFactsFromThuTuc(procedure.items[0]!);
    expect(dossierToPortal(dossierExample, catalog)).toMatchObject({
      TenTTHC: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
      MaLinhVuc: 'G06-LLTP',
      TenLinhVuc: 'Lý lịch tư pháp',
    });
    expect(dossierToPortal({ ...dossierExample, procedureName: 'Tên riêng', field: { code: 'X-1', label: 'Khác' } }, catalog)).toMatchObject({ TenTTHC: 'Tên riêng', MaLinhVuc: 'X-1', TenLinhVuc: 'Khác' });
  });
});

describe('progressToPortal', () => {
  it('maps one step for its dossier, dates in Vietnam time, status by the same table', () => {
    const step: DossierProgress = {
      officer: 'Trần Thị Bình',
      title: 'Chuyên viên',
      department: 'Phòng Hành chính tư pháp',
      at: '2025-07-14T18:00:00Z',
      content: 'Thẩm định hồ sơ',
      status: 'processing',
      startedAt: '2025-07-14T18:00:00Z',
      dueAt: '2025-07-18T10:00:00Z',
    };
    expect(validProgress(step)).toBe(true);
    expect(progressToPortal('000.00.01.H22-250714-0001', step)).toEqual({
      MaHoSo: '000.00.01.H22-250714-0001',
      NguoiXuLy: 'Trần Thị Bình',
      ChucDanh: 'Chuyên viên',
      ThoiDiemXuLy: '20250715010000',
      PhongBanXuLy: 'Phòng Hành chính tư pháp',
      NoiDungXuLy: 'Thẩm định hồ sơ',
      TrangThai: '4',
      NgayBatDau: '20250715010000',
      NgayKetThucTheoQuyDinh: '20250718170000',
    });
  });
});

describe('dossierFromPortal (recorded TraCuuHoSo)', () => {
  it('reads the dossier the portal holds into the contract, and back to the item that was sent', () => {
    const outcome = readEnvelope(fixture<HoSo>('tra-cuu-ho-so-found.json'));
    if (outcome.kind !== 'items') throw new Error('not found');
    const dossier = dossierFromPortal(outcome.items[0]!);
    expect(validDossier(dossier)).toBe(true);
    expect(dossier).toMatchObject({
      dossierCode: '000.00.14.H22-250714-0001',
      procedureCode: '1.003560.000.00.00.H56',
      field: { code: 'G06-LLTP', label: 'Lý lịch tư pháp' },
      applicant: { kind: 'citizen', id: '001090012345', name: 'Nguyễn Văn An' },
      receivedAt: '2025-07-14T00:30:00+07:00',
      status: 'processed',
      deliveryByPost: true,
      fees: [{ code: 'LEPHI', name: 'Lệ phí cấp Phiếu lý lịch tư pháp', amountVnd: 200000, collectionMethod: '1', feeType: '2' }],
      resultDocuments: [{ documentId: 'KQ-1', name: 'Phiếu lý lịch tư pháp số 1', componentCode: 'KQ-01', url: 'https://motcua.example.gov.vn/files/KQ-1' }],
    });
    expect(dossierToPortal(dossier)).toEqual(sampleDossierProcessed);
  });

  it('reads what other adapters send: numbers as strings, "50.000" amounts, nulls', () => {
    const dossier = dossierFromPortal({ ...sampleDossierProcessed, LoaiDoiTuong: 2, TrangThaiHoSo: 10, HinhThuc: 0, DanhSachLePhi: [{ TenPhiLePhi: 'Phí', Gia: '50.000' }], TaiLieuNop: null, Email: '' });
    expect(dossier).toMatchObject({ applicant: { kind: 'business' }, status: 'result_returned', deliveryByPost: false, fees: [{ name: 'Phí', amountVnd: 50000 }] });
    expect(dossier.submittedDocuments).toBeUndefined();
    expect(dossier.email).toBeUndefined();
  });
});

describe('reading the write answers', () => {
  it("created and updated (recorded): accepted, with the portal's id", () => {
    expect(readWriteAnswer(fixture<KetQuaDongBo>('dong-bo-ho-so-created.json'))).toEqual({ kind: 'accepted', reference: '1' });
    expect(readWriteAnswer(fixture<KetQuaDongBo>('dong-bo-ho-so-updated.json'))).toEqual({ kind: 'accepted', reference: '1' });
    expect(readWriteAnswer(fixture<KetQuaDongBo>('cap-nhat-tien-do-accepted.json'))).toMatchObject({ kind: 'accepted' });
  });

  it.each([[0], ['0'], ['00']])('error_code %j is success, with or without a result', (code) => {
    expect(readWriteAnswer({ error_code: code, message: 'Thành công' })).toEqual({ kind: 'accepted' });
    expect(readWriteAnswer({ error_code: code, result: [{ MaHoSo: 'x', IdHoSo: 42 }] })).toEqual({ kind: 'accepted', reference: '42' });
  });

  it('error_code "00" is success for the catalog reads too (items, not an error)', () => {
    expect(readEnvelope({ error_code: '00', message: 'Thành công', result: [{ MADONVI: '000.00.05.H22' }] })).toEqual({ kind: 'items', items: [{ MADONVI: '000.00.05.H22' }] });
  });

  it('"already exists": code -3 (recorded) or 3 with "đã tồn tại", composed or decomposed, any case', () => {
    expect(readWriteAnswer(fixture<KetQuaDongBo>('dong-bo-ho-so-already-exists.json'))).toEqual({ kind: 'already-exists', code: '-3' });
    expect(readWriteAnswer({ error_code: 3, message: 'Hồ sơ đã tồn tại' })).toEqual({ kind: 'already-exists', code: '3' });
    expect(readWriteAnswer({ error_code: '3', message: 'HỒ SƠ ĐÃ TỒN TẠI'.normalize('NFD') })).toEqual({ kind: 'already-exists', code: '3' });
  });

  it('anything else is an error with its code: 3 without the words, 5, 2, -1, no code', () => {
    expect(readWriteAnswer({ error_code: 3, message: 'Lỗi khác' })).toEqual({ kind: 'error', code: '3', message: 'Lỗi khác' });
    expect(readWriteAnswer(fixture<KetQuaDongBo>('cap-nhat-tien-do-unknown-dossier.json'))).toMatchObject({ kind: 'error', code: '5' });
    expect(readWriteAnswer(fixture<KetQuaDongBo>('dong-bo-ho-so-invalid.json'))).toMatchObject({ kind: 'error', code: '2' });
    expect(readWriteAnswer({ error_code: -1 })).toEqual({ kind: 'error', code: '-1' });
    expect(readWriteAnswer({})).toEqual({ kind: 'error', code: 'missing error_code' });
  });
});

describe('agency and field lists (recorded)', () => {
  it('maps LayDanhMucCoQuan and LayDanhMucLinhVuc to their contracts', () => {
    const agencies = readEnvelope(fixture<CoQuan>('lay-danh-muc-co-quan.json'));
    const fields = readEnvelope(fixture<LinhVuc>('lay-danh-muc-linh-vuc.json'));
    if (agencies.kind !== 'items' || fields.kind !== 'items') throw new Error('error answers');
    const agencyList = agencyListFromCatalog(agencies.items);
    const fieldList = fieldListFromCatalog(fields.items);
    expect(validAgencies(agencyList)).toBe(true);
    expect(validFields(fieldList)).toBe(true);
    expect(agencyList.items).toContainEqual({ code: '000.00.14.H22', name: 'Sở Tư pháp' });
    expect(fieldList.items).toContainEqual({ code: 'G06-LLTP', label: 'Lý lịch tư pháp' });
    expect(agencyListFromCatalog([{ TENDONVI: 'no code' }, { MADONVI: 'G06' }]).items).toEqual([{ code: 'G06' }]);
  });
});
