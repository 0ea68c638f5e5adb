import { UpstreamError, createRestUpstream, upstreamText, type ConnectorClientContext, type InvocationContext, type JsonSchema, type RestErrorClassifier, type SettingsOf } from '../../src/connector-kit/index.js';
import type { VnpostCancelRequest, VnpostOrder, VnpostResult, VnpostTrackingPage } from './upstream-types.js';

/**
 * Talks to VNPost's order API through the data-sharing platform (REST/JSON;
 * the bearer token and `lgspaccesstoken` come from the kit's
 * client-credentials scheme through context.auth). Knows the three calls and
 * VNPost's result codes; knows nothing about our contracts (mapping.ts).
 */
export interface PostalDeliveryClient {
  /** The tracking page of one order (apiGetOrderTracking). */
  tracking(orderNumber: string, context: InvocationContext): Promise<VnpostTrackingPage | undefined>;
  /** apiPostOrder: `exists` when VNPost already holds an order with this number (it refuses a second one). */
  postOrder(order: VnpostOrder, context: InvocationContext): Promise<{ kind: 'created'; itemCode?: string } | { kind: 'exists' }>;
  /** apiCancelOrder: `absent` when VNPost holds no such order. */
  cancelOrder(request: VnpostCancelRequest, context: InvocationContext): Promise<{ kind: 'cancelled' } | { kind: 'absent' }>;
  /** What every order and cancel carries besides the caller's request. */
  settings: { customerCode: string; sender: PostalSender };
  close(): Promise<void>;
}

/** The sender: the one-stop centre that hands the results to the post office (settings.sender). */
export interface PostalSender {
  name: string;
  phone: string;
  email?: string;
  provinceCode: string;
  communeCode: string;
  address: string;
}

/** Read with the type its schema describes (the config loader validated them against it). */
export type PostalDeliverySettings = SettingsOf<typeof postalDeliverySettingsSchema>;

export const defaultApiPath = '/apiVNPostNGSP/p1.0';

/**
 * VNPost's result codes (ASSUMED, see README.md): 00 success; 01-03 the
 * order is invalid or cannot be cancelled any more (the caller's problem);
 * 04 with 404 no such order and 09 with 409 an order number already used
 * (answers the client handles); 99 VNPost failing.
 */
export const vnpostCodes = {
  ok: '00',
  invalidOrder: '01',
  invalidAddress: '02',
  notCancellable: '03',
  orderNotFound: '04',
  duplicateOrder: '09',
  systemError: '99',
} as const;

export const classifyVnpostAnswer: RestErrorClassifier = ({ status, body }) => {
  const code = upstreamText((body as VnpostResult | undefined)?.Code);
  if (code === undefined) return undefined;
  if ((code === vnpostCodes.orderNotFound && status === 404) || (code === vnpostCodes.duplicateOrder && status === 409)) return { verdict: 'answer', upstreamCode: code };
  if (/^0[1-3]$/.test(code) && status >= 400 && status < 500) return { verdict: 'rejected', upstreamCode: code };
  return { verdict: 'fault', upstreamCode: code };
};

const senderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'phone', 'provinceCode', 'communeCode', 'address'],
  description: 'The sender printed on every envelope: the one-stop centre that hands the results to the post office (and receives returned items).',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    phone: { type: 'string', pattern: '^(0[0-9]{9}|\\+84[0-9]{9})$' },
    email: { type: 'string', format: 'email' },
    provinceCode: { type: 'string', pattern: '^[0-9]{2}$', description: '2025 province code.' },
    communeCode: { type: 'string', pattern: '^[0-9]{5}$', description: '2025 commune code.' },
    address: { type: 'string', minLength: 1, maxLength: 300 },
  },
} as const satisfies JsonSchema;

export const postalDeliverySettingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['customerCode', 'sender'],
  properties: {
    apiPath: { type: 'string', pattern: '^/', default: defaultApiPath, description: "Path of VNPost's order API under baseUrl." },
    tokenUrl: { type: 'string', format: 'uri', description: "The platform's token endpoint, when it is not {baseUrl}/token." },
    customerCode: { type: 'string', minLength: 1, maxLength: 50, description: "The province's customer code at VNPost (CustomerCode), sent on every order and cancel." },
    sender: senderSchema,
  },
} as const satisfies JsonSchema;

export async function createPostalDeliveryClient(context: ConnectorClientContext<PostalDeliverySettings>): Promise<PostalDeliveryClient> {
  const { settings } = context;
  const apiPath = (settings.apiPath ?? defaultApiPath).replace(/\/+$/, '');
  const upstream = createRestUpstream({ baseUrl: context.baseUrl, auth: context.auth, classifyError: classifyVnpostAnswer, transport: context.transport });

  // The schema's sender object (validated by the config loader) typed as what it is.
  const orderSettings = { customerCode: settings.customerCode, sender: settings.sender as PostalSender };

  return {
    settings: orderSettings,
    async tracking(orderNumber, invocation) {
      const answer = await upstream.request<VnpostTrackingPage | undefined>({ method: 'GET', path: `${apiPath}/order/tracking`, query: { orderNumber, pagesize: 1 } }, invocation);
      return answer.body;
    },
    async postOrder(order, invocation) {
      const { status, body } = await upstream.request<VnpostResult | undefined>({ method: 'POST', path: `${apiPath}/order/post`, body: order }, invocation);
      if (status === 409) return { kind: 'exists' };
      const result = successful(body, 'apiPostOrder');
      // The answer must be about the order sent: anything else is not an order we can stand behind.
      if (upstreamText(result.OrderNumber) !== order.OrderNumber) throw new UpstreamError('contract', 'apiPostOrder answered for another order number');
      const itemCode = upstreamText(result.ItemCode);
      return { kind: 'created', ...(itemCode !== undefined && { itemCode }) };
    },
    async cancelOrder(request, invocation) {
      const { status, body } = await upstream.request<VnpostResult | undefined>({ method: 'POST', path: `${apiPath}/order/cancel`, body: request }, invocation);
      if (status === 404) return { kind: 'absent' };
      successful(body, 'apiCancelOrder');
      return { kind: 'cancelled' };
    },
    close: () => upstream.close(),
  };
}

/** A 2xx whose Code is not "00" is VNPost reporting its own failure; no envelope at all breaks the contract. */
function successful(body: VnpostResult | undefined, call: string): VnpostResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new UpstreamError('contract', `${call} answered without a JSON object`);
  const code = upstreamText(body.Code);
  if (code !== vnpostCodes.ok) throw new UpstreamError('fault', `${call} answered Code ${code ?? '(none)'}`, ...(code !== undefined ? [{ upstreamCode: code }] : []));
  return body;
}
