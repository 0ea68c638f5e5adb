import { clientCredentialsLgspCredentialSchema, defineConnector, healthProbeContext, UpstreamError, type InvocationContext, type OperationResult } from '../../src/connector-kit/index.js';
import type { PostalShipment, PostalShipmentRequest } from '../../contracts/types.generated.js';
import { createPostalDeliveryClient, postalDeliverySettingsSchema, vnpostCodes, type PostalDeliveryClient } from './client.js';
import { checkDeliveryAddress, deliveryNote, docOfOrder, orderFromRequest, orderNumberOf, shipmentFromTracking, trackingDocs, vnpostStatuses } from './mapping.js';

const contracts = 'https://lgsp.gov.vn/contracts';
const shipmentContract = `${contracts}/postal-delivery/v1/shipment.json`;

/** What tracking and cancel share: keyed by the dossier code, answering the shipment, nothing of the recipient (not personal-data operations). */
const byDossierCode = {
  personalData: false,
  request: { params: { dossierCode: { $ref: `${contracts}/public-service-portal/v1/definitions.json#/$defs/dossierCode` } } },
  response: shipmentContract,
  subjectIdOf: () => undefined,
  releasedFields: (shipment: PostalShipment) => Object.keys(shipment),
} as const;

/** The order probed for health: a number no dossier has, so the answer is an empty page. */
const probeOrderNumber = 'LGSP-PROBE';

/** The dossier's shipment as VNPost holds it now, or undefined when VNPost holds none. */
async function currentShipment(client: PostalDeliveryClient, dossierCode: string, context: InvocationContext): Promise<PostalShipment | undefined> {
  const doc = docOfOrder(trackingDocs(await client.tracking(orderNumberOf(dossierCode), context)), orderNumberOf(dossierCode));
  return doc ? shipmentFromTracking(doc, dossierCode) : undefined;
}

/**
 * Applied once, whatever the caller repeats (README.md, "Creating a shipment
 * exactly once"): the order number is the dossier code, VNPost is asked for
 * it first, and only an order it does not hold is posted; "already exists"
 * (a concurrent or lost earlier create) is answered with the order VNPost holds.
 */
async function createShipment(client: PostalDeliveryClient, request: PostalShipmentRequest, context: InvocationContext): Promise<OperationResult<PostalShipment>> {
  checkDeliveryAddress(request.address);
  const held = await currentShipment(client, request.dossierCode, context);
  if (held) return { kind: 'found', data: { ...held, created: false }, upstreamReference: held.orderNumber };
  const order = orderFromRequest(request, client.settings);
  const posted = await client.postOrder(order, context);
  if (posted.kind === 'exists') {
    const existing = await currentShipment(client, request.dossierCode, context);
    // VNPost says it holds the order yet cannot show it: nothing we could stand behind.
    if (!existing) throw new UpstreamError('contract', 'apiPostOrder answered "already exists" for an order tracking does not show', { upstreamCode: vnpostCodes.duplicateOrder });
    return { kind: 'found', data: { ...existing, created: false }, upstreamReference: existing.orderNumber };
  }
  const accepted = vnpostStatuses['100']!;
  return {
    kind: 'found',
    data: {
      dossierCode: request.dossierCode,
      orderNumber: order.OrderNumber,
      ...(posted.itemCode !== undefined && { itemCode: posted.itemCode }),
      state: accepted.state,
      status: { code: '100', label: accepted.label },
      deliveryNote: deliveryNote({ itemCode: posted.itemCode, status: { code: '100', label: accepted.label } }),
      created: true,
      cancellable: accepted.cancellable,
    },
    upstreamReference: order.OrderNumber,
  };
}

/** VNPost's public postal service (results delivered by post): see README.md beside this file. */
export const postalDeliveryConnector = defineConnector({
  id: 'postal-delivery',
  title: 'Public postal service (VNPost)',
  upstream: "VNPost's order API (apiPostOrder, apiGetOrderTracking, apiCancelOrder) through the data-sharing platform, REST/JSON behind OAuth2 client credentials",
  protocol: 'rest',
  authScheme: 'oauth2-client-credentials+lgspaccesstoken',
  credentialSchema: clientCredentialsLgspCredentialSchema,
  settingsSchema: postalDeliverySettingsSchema,
  // The kit's defaults (src/resilience/policy.ts); deployments tune them in config.
  resilience: {},
  createClient: createPostalDeliveryClient,
  // The simulator, imported only by the embedded launcher and tests.
  sandbox: { port: 8210, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // Tracking an order no dossier has: cheap, touches no shipment, and proves the token and the API.
    trackingDocs(await client.tracking(probeOrderNumber, healthProbeContext(signal)));
  },
  operations: [
    {
      id: 'postal-delivery.shipment.create',
      method: 'POST',
      path: '/postal-delivery/shipments',
      summary: "Send a dossier's result to the applicant by post",
      description:
        "Creates the VNPost order that returns the dossier's result to the recipient at a 2025 address (public postal service, Decision 45/2016/QĐ-TTg). The province and commune codes are checked against the 2025 units first (a pre-July-2025 or unknown code is a 400). One shipment per dossier: the order number is the dossier code, so the same request again (a retry, a duplicate, a timeout after VNPost created it) answers the order VNPost holds, with `created: false`, and never creates a second. Personal data (the recipient's name, phone and address go to VNPost): audited under the recipient's personal id.",
      personalData: true,
      // Safe to repeat by construction (lookup before create, one order number per dossier): a retry after a timeout finds the order instead of posting it again.
      idempotent: true,
      request: { body: `${contracts}/postal-delivery/v1/shipment-request.json` },
      response: shipmentContract,
      subjectIdOf: (input) => (input.body as PostalShipmentRequest).recipient.personalId,
      releasedFields: (shipment: PostalShipment) => Object.keys(shipment),
      invoke: (client, input, context) => createShipment(client, input.body as PostalShipmentRequest, context),
    },
    {
      id: 'postal-delivery.shipment.get',
      method: 'GET',
      path: '/postal-delivery/shipments/{dossierCode}',
      summary: "Track a dossier's result shipment",
      description:
        "Where the dossier's result is now (apiGetOrderTracking): VNPost's item code, the state (created, picked-up, in-transit, out-for-delivery, delivered, delivery-failed, returned, cancelled) with VNPost's own status code and message, and when it was recorded. 404 when VNPost holds no shipment for the dossier. Nothing of the recipient is answered.",
      ...byDossierCode,
      idempotent: true,
      async invoke(client, input, context) {
        const shipment = await currentShipment(client, input.params.dossierCode!, context);
        return shipment ? { kind: 'found', data: shipment, upstreamReference: shipment.orderNumber } : { kind: 'not_found' };
      },
    },
    {
      id: 'postal-delivery.shipment.cancel',
      method: 'POST',
      path: '/postal-delivery/shipments/{dossierCode}/cancel',
      summary: "Cancel a dossier's result shipment before it is picked up",
      description:
        "Cancels the VNPost order (apiCancelOrder) and answers the shipment as it is then. Only an order the post office has not picked up yet can be cancelled: later, VNPost refuses (400, its code 03). Cancelling a cancelled shipment again answers it unchanged; 404 when VNPost holds no shipment for the dossier.",
      ...byDossierCode,
      // A second cancel finds the order cancelled and sends nothing.
      idempotent: true,
      async invoke(client, input, context) {
        const dossierCode = input.params.dossierCode!;
        const held = await currentShipment(client, dossierCode, context);
        if (!held) return { kind: 'not_found' };
        if (held.state === 'cancelled') return { kind: 'found', data: held, upstreamReference: held.orderNumber };
        const outcome = await client.cancelOrder({ CustomerCode: client.settings.customerCode, OrderNumber: held.orderNumber }, context);
        if (outcome.kind === 'absent') return { kind: 'not_found' };
        const after = await currentShipment(client, dossierCode, context);
        if (!after) throw new UpstreamError('contract', 'the cancelled order is gone from tracking');
        return { kind: 'found', data: after, upstreamReference: after.orderNumber };
      },
    },
  ],
});
