import { addressUnitProblem } from '../../../src/connector-kit/index.js';
import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import type { VnpostCancelRequest, VnpostOrder } from '../upstream-types.js';
import type { OrderBook } from './order-book.js';

/**
 * What VNPost does with a request, apart from HTTP: validate, book, answer
 * in its envelope. Result codes are ours (ASSUMPTION — the real ones are not
 * public), the same the client classifies (client.ts) and fixtures/README.md lists.
 */
export const vnpostResults = {
  invalidOrder: { Code: '01', Message: 'Dữ liệu đơn hàng không hợp lệ' },
  invalidAddress: { Code: '02', Message: 'Mã tỉnh/xã người nhận không hợp lệ hoặc không còn hiệu lực' },
  notCancellable: { Code: '03', Message: 'Bưu gửi đã được bưu cục chấp nhận, không thể hủy' },
  orderNotFound: { Code: '04', Message: 'Không tìm thấy đơn hàng' },
  duplicateOrder: { Code: '09', Message: 'Số đơn hàng (OrderNumber) đã tồn tại' },
  systemError: { Code: '99', Message: 'Hệ thống đang bận, vui lòng thử lại sau' },
} as const;

const requiredTexts: ReadonlyArray<keyof VnpostOrder> = ['CustomerCode', 'OrderNumber', 'SenderProvince', 'SenderWard', 'SenderAddress', 'SenderName', 'SenderTel', 'Description', 'ReceiverName', 'ReceiverAddress', 'ReceiverTel', 'ReceiverProvince', 'ReceiverWard'];

/** POST /order/post (apiPostOrder). */
export function answerPostOrder(book: OrderBook, body: unknown, customerCode: string): RestAnswer {
  const order = body as Partial<VnpostOrder> | undefined;
  if (!order || typeof order !== 'object' || requiredTexts.some((field) => typeof order[field] !== 'string' || (order[field] as string).trim() === '')) {
    return { status: 400, body: vnpostResults.invalidOrder };
  }
  if (order.CustomerCode !== customerCode || typeof order.CODAmount !== 'number' || order.CODAmount < 0) return { status: 400, body: vnpostResults.invalidOrder };
  const complete = order as VnpostOrder;
  if (addressUnitProblem({ provinceCode: complete.ReceiverProvince, communeCode: complete.ReceiverWard }) !== undefined) return { status: 400, body: vnpostResults.invalidAddress };
  if (book.get(complete.OrderNumber)) return { status: 409, body: vnpostResults.duplicateOrder };
  const booked = book.post(complete);
  return { status: 200, body: { Code: '00', Message: 'Thành công', OrderNumber: complete.OrderNumber, ItemCode: booked.itemCode } };
}

/** POST /order/cancel (apiCancelOrder). */
export function answerCancelOrder(book: OrderBook, body: unknown, customerCode: string): RestAnswer {
  const request = body as Partial<VnpostCancelRequest> | undefined;
  if (!request || typeof request.OrderNumber !== 'string' || request.CustomerCode !== customerCode) return { status: 400, body: vnpostResults.invalidOrder };
  const booked = book.get(request.OrderNumber);
  if (!booked || booked.order.CustomerCode !== customerCode) return { status: 404, body: vnpostResults.orderNotFound };
  const { code } = book.statusOf(booked);
  if (code !== '100' && code !== '900') return { status: 400, body: vnpostResults.notCancellable };
  if (code === '100') book.cancel(booked);
  return { status: 200, body: { Code: '00', Message: 'Đã hủy đơn hàng', OrderNumber: request.OrderNumber } };
}

/** GET /order/tracking?orderNumber= (one order) or ?pagesize=&lastId= (the feed, as the seen client pages it). */
export function answerTracking(book: OrderBook, query: URLSearchParams): RestAnswer {
  const orderNumber = query.get('orderNumber')?.trim();
  const pageSize = Math.min(100, Math.max(1, Number(query.get('pagesize') ?? 20) || 20));
  const orders = orderNumber ? [book.get(orderNumber)].filter((booked) => booked !== undefined) : book.page(pageSize, query.get('lastId') ?? undefined);
  const docs = orders.map((booked) => book.trackingDoc(booked));
  return { status: 200, body: { _embedded: { 'rh:doc': docs }, _returned: docs.length } };
}

export function vnpostSystemError(): RestAnswer {
  return { status: 500, body: vnpostResults.systemError };
}
