import { readFileSync } from 'node:fs';
import { connectorFile } from '../../src/connector-kit/index.js';
import type { PostalShipmentRequest } from '../../contracts/types.generated.js';
import type { VnpostTrackingPage } from './upstream-types.js';
import { checkDeliveryAddress, docOfOrder, orderFromRequest, orderNumberOf, shipmentFromTracking, trackingDocs } from './mapping.js';

const sender = { name: 'Trung tâm Phục vụ hành chính công', phone: '0243823456', provinceCode: '01', communeCode: '00004', address: 'Số 1 phố Điện Biên Phủ' };
const request: PostalShipmentRequest = {
  dossierCode: '000.00.01.H22-250714-0001',
  recipient: { personalId: '001090012345', fullName: 'Nguyễn Văn An', phone: '0912345678' },
  address: { provinceCode: '01', communeCode: '00004', street: 'Số 12 phố Đội Cấn' },
  contents: 'Phiếu lý lịch tư pháp số 1',
};

describe('postal-delivery mapping: request → VNPost order', () => {
  it('sends the recipient, the 2025 units, the sender and the dossier code as order number', () => {
    expect(orderFromRequest({ ...request, codAmountVnd: 25000, note: 'Gọi trước khi phát' }, { customerCode: 'C-01', sender })).toEqual({
      CustomerCode: 'C-01',
      OrderNumber: '000.00.01.H22-250714-0001',
      CODAmount: 25000,
      SenderProvince: '01',
      SenderWard: '00004',
      SenderAddress: sender.address,
      SenderName: sender.name,
      SenderTel: sender.phone,
      SenderDesc: 'Gọi trước khi phát',
      Description: 'Phiếu lý lịch tư pháp số 1',
      ReceiverName: 'Nguyễn Văn An',
      ReceiverAddress: 'Số 12 phố Đội Cấn',
      ReceiverTel: '0912345678',
      ReceiverProvince: '01',
      ReceiverWard: '00004',
      ServiceName: 'HCC',
    });
  });

  it('never sends the personal id (it is the audit subject only) and collects nothing by default', () => {
    const order = orderFromRequest(request, { customerCode: 'C-01', sender });
    expect(JSON.stringify(order)).not.toContain('001090012345');
    expect(order.CODAmount).toBe(0);
    expect(order).not.toHaveProperty('SenderDesc');
  });

  it('refuses an address outside the 2025 units as the caller\'s mistake, naming the code and never the street', () => {
    expect(() => checkDeliveryAddress(request.address)).not.toThrow();
    let refusal: unknown;
    try {
      checkDeliveryAddress({ ...request.address, communeCode: '99999' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ kind: 'rejected', upstreamCode: 'ADDRESS-UNIT-2025' });
    expect((refusal as Error).message).toContain('99999');
    expect((refusal as Error).message).not.toContain('Đội Cấn');
  });
});

describe('postal-delivery mapping: tracking → shipment', () => {
  const doc = { _id: { $oid: '00000000000000000000000a' }, orderNumber: orderNumberOf(request.dossierCode), itemCode: 'HCC000000010VN', statusCode: '300', statusMessage: 'Đang vận chuyển', statusTime: '20250725101500' };

  it('normalizes the status and keeps VNPost\'s own code and message', () => {
    expect(shipmentFromTracking(doc, request.dossierCode)).toEqual({
      dossierCode: request.dossierCode,
      orderNumber: request.dossierCode,
      itemCode: 'HCC000000010VN',
      state: 'in-transit',
      status: { code: '300', label: 'Đang vận chuyển' },
      statusAt: '2025-07-25T10:15:00+07:00',
      deliveryNote: 'Kết quả gửi qua dịch vụ bưu chính công ích (VNPost), số hiệu bưu gửi HCC000000010VN: Đang vận chuyển (25/07/2025 10:15).',
      cancellable: false,
    });
  });

  it('labels a known code sent without a message, keeps an unknown code as "unknown", and lets only 100 be cancelled', () => {
    expect(shipmentFromTracking({ ...doc, statusCode: '100', statusMessage: '' }, request.dossierCode)).toMatchObject({ state: 'created', status: { code: '100', label: 'Đã tiếp nhận đơn hàng' }, cancellable: true });
    expect(shipmentFromTracking({ ...doc, statusCode: '450', statusMessage: 'Lưu kho chờ phát' }, request.dossierCode)).toMatchObject({ state: 'unknown', status: { code: '450', label: 'Lưu kho chờ phát' }, cancellable: false });
    const bare = shipmentFromTracking({ ...doc, statusTime: undefined, itemCode: '' }, request.dossierCode);
    expect(bare).not.toHaveProperty('statusAt');
    expect(bare.deliveryNote).toBe('Kết quả gửi qua dịch vụ bưu chính công ích (VNPost): Đang vận chuyển.');
  });

  it('treats a document of another order, one without a status, or an unreadable time as a broken contract', () => {
    expect(() => shipmentFromTracking({ ...doc, orderNumber: '000.00.01.H22-250714-0002' }, request.dossierCode)).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => shipmentFromTracking({ ...doc, statusCode: undefined }, request.dossierCode)).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => shipmentFromTracking({ ...doc, statusTime: '25/07/2025 10:15' }, request.dossierCode)).toThrow(expect.objectContaining({ kind: 'contract' }));
  });

  it('reads the tracking page: no documents is an empty list, anything but a page is a broken contract', () => {
    expect(trackingDocs({ _embedded: { 'rh:doc': [] }, _returned: 0 })).toEqual([]);
    expect(trackingDocs({})).toEqual([]);
    expect(docOfOrder(trackingDocs({ _embedded: { 'rh:doc': [doc] } }), doc.orderNumber)).toBe(doc);
    expect(docOfOrder(trackingDocs({ _embedded: { 'rh:doc': [doc] } }), 'OTHER')).toBeUndefined();
    expect(() => trackingDocs(undefined)).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => trackingDocs([] as never)).toThrow(expect.objectContaining({ kind: 'contract' }));
    expect(() => trackingDocs({ _embedded: { 'rh:doc': 'x' } })).toThrow(expect.objectContaining({ kind: 'contract' }));
  });
});

describe('postal-delivery mapping on recorded answers', () => {
  const fixture = (file: string) => JSON.parse(readFileSync(connectorFile('postal-delivery', 'fixtures', file), 'utf8')) as VnpostTrackingPage;

  it('reads the recorded in-transit and returned shipments', () => {
    const inTransit = docOfOrder(trackingDocs(fixture('order-tracking-in-transit.json')), '000.00.01.H22-250710-0002')!;
    expect(shipmentFromTracking(inTransit, '000.00.01.H22-250710-0002')).toMatchObject({ state: 'in-transit', itemCode: 'HCC000000002VN', statusAt: '2025-07-15T09:20:00+07:00' });
    const returned = docOfOrder(trackingDocs(fixture('order-tracking-returned.json')), '000.00.01.H22-250705-0003')!;
    expect(shipmentFromTracking(returned, '000.00.01.H22-250705-0003')).toMatchObject({ state: 'returned', status: { code: '700' } });
    expect(trackingDocs(fixture('order-tracking-none.json'))).toEqual([]);
  });
});
