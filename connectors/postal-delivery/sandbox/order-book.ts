import { fullNameOf, seededPeople, wellKnownPersonIds, type SeededPerson } from '../../../simulators/kit/people.js';
import type { VnpostOrder, VnpostTrackingDoc } from '../upstream-types.js';

/**
 * VNPost's orders as the sandbox keeps them, and how they move. An order
 * walks its path of status codes one step every `stepMs` from when it was
 * posted (time-driven, so the same clock gives the same state), or is
 * pushed along by `advance` (the sandbox control tests use). A cancel is
 * accepted only while the order is still at its first step (100). The
 * seeded orders are results of seeded dossiers sent to seeded citizens at
 * their current 2025 addresses, frozen at a known step.
 */

/** The usual walk of a result by post: accepted, picked up, in transit, out for delivery, delivered. */
export const deliveredPath = ['100', '200', '300', '400', '500'] as const;
/** A delivery that failed and came back to the one-stop centre. */
export const returnedPath = ['100', '200', '300', '400', '600', '700'] as const;
export const cancelledCode = '900';

export const statusMessages: Readonly<Record<string, string>> = Object.freeze({
  '100': 'Đã tiếp nhận đơn hàng',
  '200': 'Bưu cục đã nhận bưu gửi',
  '300': 'Đang vận chuyển',
  '400': 'Đang phát',
  '500': 'Phát thành công',
  '600': 'Phát không thành công - người nhận vắng nhà',
  '700': 'Đã chuyển hoàn cho người gửi',
  '900': 'Đã hủy',
});

export interface BookedOrder {
  order: VnpostOrder;
  /** Paging key of the tracking feed ([seen] `_id.$oid`). */
  oid: string;
  itemCode: string;
  postedAt: number;
  path: readonly string[];
  /** Steps added by `advance` on top of the time-driven ones. */
  advancedSteps: number;
  /** A seeded order stays at this step whatever the clock says. */
  frozenStep?: number;
  cancelledAt?: number;
}

export interface OrderBookOptions {
  now?: () => number;
  /** Time between two steps of a posted order (default 10 minutes). */
  stepMs?: number;
}

export class OrderBook {
  private readonly orders = new Map<string, BookedOrder>();
  private sequence = 0;
  /** Orders accepted by apiPostOrder since the start (seeded ones excluded): what "applied once" is counted with. */
  posted = 0;
  readonly now: () => number;
  private readonly stepMs: number;

  constructor(options: OrderBookOptions = {}) {
    this.now = options.now ?? Date.now;
    this.stepMs = options.stepMs ?? 10 * 60_000;
    for (const seeded of seededOrders()) this.book(seeded.order, { postedAt: seeded.postedAt, path: seeded.path, frozenStep: seeded.step });
  }

  get(orderNumber: string): BookedOrder | undefined {
    return this.orders.get(orderNumber);
  }

  /** Books an order (its number must be new); the item code is VNPost's number for it. */
  post(order: VnpostOrder): BookedOrder {
    this.posted += 1;
    return this.book(order, { postedAt: this.now(), path: deliveredPath });
  }

  /** Moves a posted order `steps` further along its path (a sandbox control). */
  advance(orderNumber: string, steps = 1): void {
    const booked = this.orders.get(orderNumber);
    if (!booked) throw new Error('no such order in the sandbox');
    booked.advancedSteps += steps;
  }

  cancel(booked: BookedOrder): void {
    booked.cancelledAt = this.now();
  }

  /** Where the order is now: its status code and since when. */
  statusOf(booked: BookedOrder): { code: string; at: number } {
    if (booked.cancelledAt !== undefined) return { code: cancelledCode, at: booked.cancelledAt };
    const last = booked.path.length - 1;
    const byClock = booked.frozenStep ?? Math.floor(Math.max(0, this.now() - booked.postedAt) / this.stepMs);
    const step = Math.min(last, byClock + booked.advancedSteps);
    // A step reached by advance is dated when it was pushed (now); one reached by the clock, when the clock reached it.
    const at = booked.advancedSteps > 0 ? this.now() : booked.postedAt + step * this.stepMs;
    return { code: booked.path[step]!, at };
  }

  trackingDoc(booked: BookedOrder): VnpostTrackingDoc {
    const { code, at } = this.statusOf(booked);
    return { _id: { $oid: booked.oid }, orderNumber: booked.order.OrderNumber, itemCode: booked.itemCode, statusCode: code, statusMessage: statusMessages[code], statusTime: vietnamDateTime(at) };
  }

  /** The feed the seen client pages through: oldest first, after `lastId`. */
  page(pageSize: number, lastId: string | undefined): BookedOrder[] {
    const all = [...this.orders.values()];
    const start = lastId === undefined ? 0 : all.findIndex((booked) => booked.oid === lastId) + 1;
    return start <= 0 && lastId !== undefined ? [] : all.slice(start, start + pageSize);
  }

  private book(order: VnpostOrder, how: { postedAt: number; path: readonly string[]; frozenStep?: number }): BookedOrder {
    this.sequence += 1;
    const booked: BookedOrder = {
      order,
      oid: this.sequence.toString(16).padStart(24, '0'),
      itemCode: `HCC${String(this.sequence).padStart(9, '0')}VN`,
      postedAt: how.postedAt,
      path: how.path,
      advancedSteps: 0,
      ...(how.frozenStep !== undefined && { frozenStep: how.frozenStep }),
    };
    this.orders.set(order.OrderNumber, booked);
    return booked;
  }
}

/** yyyyMMddHHmmss in Vietnam's time (UTC+7 all year), as the tracking documents carry it (ASSUMED form). */
export function vietnamDateTime(epochMs: number): string {
  return new Date(epochMs + 7 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** The one-stop centre of the sandbox's province (Hà Nội, Phường Ba Đình) as the sender of every seeded order. */
export const sandboxSender = Object.freeze({
  name: 'Trung tâm Phục vụ hành chính công',
  phone: '0243823456',
  provinceCode: '01',
  communeCode: '00004',
  address: 'Số 1 phố Điện Biên Phủ',
});

export const sandboxCustomerCode = 'LGSP-DEV-HCC';

/** Seeded results by post: dossier codes of the portal story, recipients from the shared seeded people at their current addresses. */
export const seededShipments = Object.freeze({
  delivered: { dossierCode: '000.00.01.H22-250701-0001', personalId: wellKnownPersonIds.manBornInHanoi1990, path: deliveredPath, step: 4 },
  inTransit: { dossierCode: '000.00.01.H22-250710-0002', personalId: wellKnownPersonIds.womanBorn2001WithDiacritics, path: deliveredPath, step: 2 },
  returned: { dossierCode: '000.00.01.H22-250705-0003', personalId: wellKnownPersonIds.elderlyYearOnlyWithOldIdCard, path: returnedPath, step: 5 },
});

function seededOrders(): Array<{ order: VnpostOrder; postedAt: number; path: readonly string[]; step: number }> {
  const people = new Map(seededPeople().map((person) => [person.personalId, person]));
  return Object.values(seededShipments).map((shipment) => {
    const person = people.get(shipment.personalId)!;
    return { order: orderTo(person, shipment.dossierCode), postedAt: Date.parse('2025-07-15T09:00:00+07:00'), path: shipment.path, step: shipment.step };
  });
}

/** The order the one-stop centre posts to send a dossier's result to this seeded person at their current address. */
export function orderTo(person: SeededPerson, dossierCode: string): VnpostOrder {
  return {
    CustomerCode: sandboxCustomerCode,
    OrderNumber: dossierCode,
    CODAmount: 0,
    SenderProvince: sandboxSender.provinceCode,
    SenderWard: sandboxSender.communeCode,
    SenderAddress: sandboxSender.address,
    SenderName: sandboxSender.name,
    SenderTel: sandboxSender.phone,
    Description: 'Kết quả giải quyết thủ tục hành chính',
    ReceiverName: fullNameOf(person.name),
    ReceiverAddress: person.currentAddress.street,
    ReceiverTel: '0912345678',
    ReceiverProvince: person.currentAddress.provinceCode,
    ReceiverWard: person.currentAddress.communeCode,
    ServiceName: 'HCC',
  };
}
