import { addressUnitProblem, codeWithLabel, upstreamArray, upstreamDateTime, upstreamText, UpstreamError } from '../../src/connector-kit/index.js';
import type { PostalShipment, PostalShipmentRequest } from '../../contracts/types.generated.js';
import type { PostalSender } from './client.js';
import type { VnpostOrder, VnpostTrackingDoc, VnpostTrackingPage } from './upstream-types.js';

/**
 * Pure functions between our contracts and VNPost's order API: the request
 * becomes an order (with the province's sender details from the settings),
 * a tracking document becomes a shipment. Nothing here logs or throws with a
 * value in the message: the recipient's name, phone and address are personal
 * data.
 */

/** The public-administration service (hành chính công), as OpenCPS's price request names it (mainSrv "HCC"). */
export const publicAdministrationService = 'HCC';

/**
 * VNPost's status codes, normalized. ASSUMPTION: the real code list is not
 * public (README.md); these follow the stages every Vietnamese carrier
 * publishes (accepted, picked up, in transit, out for delivery, delivered,
 * failed, returned, cancelled). An unknown code is kept as it is, state `unknown`.
 */
export const vnpostStatuses: Readonly<Record<string, { state: PostalShipment['state']; label: string; cancellable: boolean }>> = Object.freeze({
  '100': { state: 'created', label: 'Đã tiếp nhận đơn hàng', cancellable: true },
  '200': { state: 'picked-up', label: 'Bưu cục đã nhận bưu gửi', cancellable: false },
  '300': { state: 'in-transit', label: 'Đang vận chuyển', cancellable: false },
  '400': { state: 'out-for-delivery', label: 'Đang phát', cancellable: false },
  '500': { state: 'delivered', label: 'Phát thành công', cancellable: false },
  '600': { state: 'delivery-failed', label: 'Phát không thành công', cancellable: false },
  '700': { state: 'returned', label: 'Đã chuyển hoàn cho người gửi', cancellable: false },
  '900': { state: 'cancelled', label: 'Đã hủy', cancellable: false },
});

/**
 * The order number of a dossier's shipment: the dossier code itself (VNPost
 * takes up to 50 characters of [A-Z0-9.-], ASSUMED). One dossier, one order
 * number, so a repeated create finds the order instead of making a second.
 */
export function orderNumberOf(dossierCode: string): string {
  return dossierCode.toUpperCase();
}

/**
 * Refuses an address whose units are not a 2025 province and one of its
 * communes, before anything is sent (a `rejected` failure: the caller's
 * mistake, never counted against VNPost). The detail names the code, which is
 * not personal data; never the street.
 */
export function checkDeliveryAddress(address: PostalShipmentRequest['address']): void {
  const problem = addressUnitProblem(address);
  if (problem !== undefined) throw new UpstreamError('rejected', `delivery address: ${problem}`, { upstreamCode: 'ADDRESS-UNIT-2025' });
}

export function orderFromRequest(request: PostalShipmentRequest, settings: { customerCode: string; sender: PostalSender }): VnpostOrder {
  const { sender } = settings;
  return {
    CustomerCode: settings.customerCode,
    OrderNumber: orderNumberOf(request.dossierCode),
    CODAmount: request.codAmountVnd ?? 0,
    SenderProvince: sender.provinceCode,
    SenderWard: sender.communeCode,
    SenderAddress: sender.address,
    SenderName: sender.name,
    ...(sender.email !== undefined && { SenderEmail: sender.email }),
    SenderTel: sender.phone,
    ...(request.note !== undefined && { SenderDesc: request.note }),
    Description: request.contents,
    ReceiverName: request.recipient.fullName,
    ReceiverAddress: request.address.street,
    ReceiverTel: request.recipient.phone,
    ReceiverProvince: request.address.provinceCode,
    ReceiverWard: request.address.communeCode,
    ...(request.recipient.email !== undefined && { ReceiverEmail: request.recipient.email }),
    ServiceName: publicAdministrationService,
  };
}

/** The documents of a tracking page; a page that is not one is a contract violation. */
export function trackingDocs(page: VnpostTrackingPage | undefined): VnpostTrackingDoc[] {
  if (!page || typeof page !== 'object' || Array.isArray(page)) throw new UpstreamError('contract', 'tracking answer is not a JSON object');
  const docs = page._embedded?.['rh:doc'];
  if (docs !== undefined && docs !== null && !Array.isArray(docs)) throw new UpstreamError('contract', 'tracking answer: _embedded.rh:doc is not a list');
  return upstreamArray(docs as VnpostTrackingDoc[] | undefined).filter((doc) => doc !== null && typeof doc === 'object');
}

/** The tracking document of this order, or undefined when VNPost holds none. */
export function docOfOrder(docs: VnpostTrackingDoc[], orderNumber: string): VnpostTrackingDoc | undefined {
  return docs.find((doc) => upstreamText(doc.orderNumber) === orderNumber);
}

export function shipmentFromTracking(doc: VnpostTrackingDoc, dossierCode: string): PostalShipment {
  const orderNumber = orderNumberOf(dossierCode);
  // The document asked for, or nothing is released (a mixed-up answer is VNPost's contract broken).
  if (upstreamText(doc.orderNumber) !== orderNumber) throw new UpstreamError('contract', 'tracking document of another order');
  const status = codeWithLabel(doc.statusCode, doc.statusMessage);
  if (!status) throw new UpstreamError('contract', 'tracking document without statusCode');
  const known = vnpostStatuses[status.code];
  const itemCode = upstreamText(doc.itemCode);
  const statusAt = upstreamDateTime(doc.statusTime, 'statusTime');
  const labelled = status.label === undefined && known ? { code: status.code, label: known.label } : status;
  return {
    dossierCode,
    orderNumber,
    ...(itemCode !== undefined && { itemCode }),
    state: known?.state ?? 'unknown',
    status: labelled,
    ...(statusAt !== undefined && { statusAt }),
    deliveryNote: deliveryNote({ itemCode, status: labelled, statusAt }),
    cancellable: known?.cancellable ?? false,
  };
}

/**
 * The shipment in one sentence for the dossier's delivery information on the
 * portal (README.md, "Tracking feeds the dossier"): the item code the
 * applicant can track on VNPost's site, the state and when. Nothing of the
 * recipient, so it may travel wherever the dossier's status does.
 */
export function deliveryNote(shipment: { itemCode?: string | undefined; status: { code: string; label?: string }; statusAt?: string | undefined }): string {
  const item = shipment.itemCode === undefined ? '' : `, số hiệu bưu gửi ${shipment.itemCode}`;
  const state = shipment.status.label ?? `trạng thái ${shipment.status.code}`;
  return `Kết quả gửi qua dịch vụ bưu chính công ích (VNPost)${item}: ${state}${shipment.statusAt === undefined ? '' : ` (${vietnamDateTimeText(shipment.statusAt)})`}.`;
}

/** `2025-07-25T10:15:00+07:00` → `25/07/2025 10:15`, as it reads on a Vietnamese form (the dates here are in Vietnam's time). */
function vietnamDateTimeText(iso: string): string {
  const [, year, month, day, hour, minute] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso) ?? [];
  return `${day}/${month}/${year} ${hour}:${minute}`;
}
