import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/connector-files.js';
import { ContractRegistry } from '../../src/contracts/contract-registry.js';
import { fromProjectRoot } from '../../src/paths.js';
import { amountInDong, procedureFromThuTuc, readEnvelope, searchResultFromList } from './mapping.js';
import type { PortalEnvelope, ThuTuc, ThuTucTomTat } from './upstream-types.js';

const contracts = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
const validProcedure = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/procedure.json');
const validSearch = contracts.validator('https://lgsp.gov.vn/contracts/public-service-portal/v1/procedure-search-result.json');

function fixture<Item>(file: string): PortalEnvelope<Item> {
  return JSON.parse(readFileSync(connectorFile('public-service-portal', `fixtures/${file}`), 'utf8')) as PortalEnvelope<Item>;
}

function onlyProcedure(file: string): ThuTuc {
  const outcome = readEnvelope(fixture<ThuTuc>(file));
  if (outcome.kind !== 'items' || !outcome.items[0]) throw new Error(`${file} holds no procedure`);
  return outcome.items[0];
}

describe('procedureFromThuTuc (recorded answers)', () => {
  it('maps the birth registration: channels as an enum beside KENH, free, same day, documents', () => {
    const procedure = procedureFromThuTuc(onlyProcedure('lay-thu-tuc-khai-sinh.json'));
    expect(validProcedure(procedure)).toBe(true);
    expect(procedure).toMatchObject({
      procedureCode: '1.001193.000.00.00.H56',
      name: 'Đăng ký khai sinh',
      level: { code: '4', label: 'Cấp Xã' },
      fields: [{ code: 'G06-HT01', label: 'Hộ tịch' }],
      agencies: [{ code: '000.00.23.H22', name: 'Ủy ban nhân dân cấp xã' }],
      status: { code: '1', label: 'Đang áp dụng', inForce: true },
    });
    expect(procedure.channels.slice(0, 2)).toEqual([
      { channel: 'in-person', channelCode: '1', processingTimes: [{ duration: 0, unit: 'Ngày làm việc', description: expect.any(String), fees: [] }] },
      { channel: 'online', channelCode: '2', processingTimes: [{ duration: 0, unit: 'Ngày làm việc', description: expect.any(String), fees: [] }] },
    ]);
    expect(procedure.requiredDocuments[0]).toMatchObject({ name: 'Tờ khai theo mẫu', originals: 1, copies: 0, form: expect.stringContaining('Tờ khai') });
  });

  it('turns string amounts into integers of đồng (half online)', () => {
    const procedure = procedureFromThuTuc(onlyProcedure('lay-thu-tuc-ly-lich-tu-phap.json'));
    expect(validProcedure(procedure)).toBe(true);
    const fees = procedure.channels.map((channel) => [channel.channel, channel.processingTimes[0]!.fees[0]!.amount]);
    expect(fees.slice(0, 2)).toEqual([
      ['in-person', 200_000],
      ['online', 100_000],
    ]);
  });

  it('reads "not found" (empty result) and a refused code (error_code 2) apart', () => {
    expect(readEnvelope(fixture('lay-thu-tuc-not-found.json'))).toEqual({ kind: 'items', items: [] });
    expect(readEnvelope(fixture('lay-thu-tuc-invalid-code.json'))).toEqual({ kind: 'error', code: '2', message: 'Tham số không hợp lệ' });
  });
});

describe('searchResultFromList (recorded answers)', () => {
  it('maps summaries with the total over all pages', () => {
    const outcome = readEnvelope(fixture<ThuTucTomTat>('lay-danh-sach-tthc-ho-tich.json'));
    if (outcome.kind !== 'items') throw new Error('expected items');
    const result = searchResultFromList(outcome.items, { page: 1, pageSize: 5, ...(outcome.total !== undefined && { total: outcome.total }) });
    expect(validSearch(result)).toBe(true);
    expect(result.items).toHaveLength(5);
    expect(result.total).toBeGreaterThan(5);
    expect(result.items[0]).toEqual({
      procedureCode: '1.001193.000.00.00.H56',
      name: 'Đăng ký khai sinh',
      fields: [{ code: 'G06-HT01', label: 'Hộ tịch' }],
      agencies: [{ code: '000.00.23.H22', name: 'Ủy ban nhân dân cấp xã' }],
      status: { code: '1', label: 'Đang áp dụng', inForce: true },
    });
  });

  it('an empty page is a result, not an error', () => {
    const outcome = readEnvelope(fixture<ThuTucTomTat>('lay-danh-sach-tthc-empty.json'));
    expect(outcome).toEqual({ kind: 'items', items: [], total: 0 });
    expect(searchResultFromList([], { page: 1, pageSize: 20, total: 0 })).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });
});

describe('the ugly cases (written inline: no sandbox sends them)', () => {
  it('numbers as numbers, dotted amounts, half days, nulls, unknown channels and codes without labels', () => {
    const procedure = procedureFromThuTuc({
      MATTHC: '2.000908.000.00.00.H12',
      TENTTHC: '  Chuyển mục đích sử dụng đất ',
      TENCAPTHUCHIEN: 'Cấp Tỉnh',
      LINHVUCTHUCHIEN: [{ MALINHVUC: 'BTNMT-DD' }, { TENLINHVUC: 'label without a code' }],
      COQUANTHUCHIEN: null,
      DOITUONGTHUCHIEN: 'Hộ gia đình, cá nhân',
      CACHTHUCTHUCHIEN: [
        { KENH: 1, THOIGIAN: [{ THOIGIANGIAIQUYET: '0,5', DONVITINH: 'Ngày', PHILEPHI: [{ MAPHILEPHI: 'LP', SOTIEN: '50.000' }, { SOTIEN: 'theo quy định' }] }] },
        { KENH: '9', THOIGIAN: [] },
        { KENH: '2', THOIGIAN: null },
      ],
      THANHPHANHOSO: [{ TENGIAYTO: '' }, { TENGIAYTO: 'Đơn đề nghị', SOBANCHINH: 1, SOBANSAO: null }],
      TRANGTHAI: 7,
    });
    expect(validProcedure(procedure)).toBe(true);
    expect(procedure).toEqual({
      procedureCode: '2.000908.000.00.00.H12',
      name: 'Chuyển mục đích sử dụng đất',
      fields: [{ code: 'BTNMT-DD' }],
      agencies: [],
      applicants: ['Hộ gia đình, cá nhân'],
      channels: [
        { channel: 'in-person', channelCode: '1', processingTimes: [{ duration: 0.5, unit: 'Ngày', fees: [{ code: 'LP', amount: 50_000 }] }] },
        { channel: 'online', channelCode: '2', processingTimes: [] },
      ],
      requiredDocuments: [{ name: 'Đơn đề nghị', originals: 1 }],
      status: { code: '7', inForce: false },
    });
  });

  it.each([
    [50000, 50000],
    ['50000', 50000],
    ['1.000.000', 1_000_000],
    ['1,000,000', 1_000_000],
    ['200.000 đ', 200_000],
    ['', undefined],
    ['12.5', undefined],
    ['miễn phí', undefined],
  ])('amountInDong(%p) = %p', (input, expected) => {
    expect(amountInDong(input)).toBe(expected);
  });

  it('keeps any error_code but 0 as the portal\'s error, including a missing one', () => {
    expect(readEnvelope({ error_code: -1, message: 'Hệ thống đang bận' })).toEqual({ kind: 'error', code: '-1', message: 'Hệ thống đang bận' });
    expect(readEnvelope({ result: [] })).toEqual({ kind: 'error', code: 'missing error_code' });
    expect(readEnvelope({ error_code: '0', result: null })).toEqual({ kind: 'items', items: [] });
  });
});
