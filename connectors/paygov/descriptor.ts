import { defineConnector, healthProbeContext } from '../../src/connector-kit/index.js';
import type { Payment, PaymentReceipt } from '../../contracts/types.generated.js';
import { createPaygovClient, paygovCredentialSchema, paygovSettingsSchema, type PaygovClient } from './client.js';
import { paygovPaymentPlatform } from './payment-platform.js';

/** A reference the platform never holds (ours are letters and digits only, and start otherwise). */
export const probeReference = 'PROBE0000000000000';

const contracts = 'https://lgsp.gov.vn/contracts';
const paygov = `${contracts}/paygov/v1`;

/**
 * The national portal's payment platform (Paygov): see README.md beside this
 * file. Its operations declare `payment`: the core keeps the payments
 * (src/payments) and runs its own stage for them, asking the platform only
 * through `payments` (payment-platform.ts) on this connector's client.
 */
export const paygovConnector = defineConnector({
  id: 'paygov',
  title: 'National payment platform (Paygov)',
  upstream: "National Public Service Portal's payment platform (Paygov), JSON messages sealed with a SHA-256 checksum (MaXacThuc)",
  protocol: 'rest',
  // No login: every message carries its own checksum; the kit seals it with the secretKey credential (the connector never holds it).
  authScheme: 'message-checksum',
  credentialSchema: paygovCredentialSchema,
  settingsSchema: paygovSettingsSchema,
  resilience: {},
  createClient: createPaygovClient,
  sandbox: { port: 8207, load: () => import('./sandbox/embedded.js') },
  async probe(client, signal) {
    // QUERY of a reference that does not exist: cheap, and a '00'/'04' answer proves our partner code and checksum (a bad one is MaLoi 01/03 → auth).
    await client.query(probeReference, healthProbeContext(signal));
  },
  payments: paygovPaymentPlatform,
  operations: [
    {
      id: 'paygov.payment.create',
      method: 'POST',
      path: '/payments',
      summary: "Create an online payment of a dossier's fees and charges",
      description:
        "Registers the payment with the national payment platform (INIT) and answers our reference (MaThamChieu) and the payment URL to send the payer to. `Idempotency-Key` is required: the same key with the same body is the same payment (`duplicate: true`), never a second one. Fee items are integer VND; an item the procedure's fee table in the national catalog lists must carry one of its listed amounts (422 naming the item). Personal data (the payer's name, sent to the platform for the receipt): audited.",
      personalData: true,
      // A second create would be a second payment: the core's Idempotency-Key makes a retry the same one, the platform is never asked blindly twice.
      idempotent: false,
      request: { body: `${paygov}/payment-create.json` },
      response: `${paygov}/payment.json`,
      // The payer's name is not an id: the audit record names the payment by its reference, which the core assigns.
      subjectIdOf: () => undefined,
      releasedFields: (payment: Payment) => Object.keys(payment),
      payment: 'create',
    },
    {
      id: 'paygov.payment.get',
      method: 'GET',
      path: '/payments/{reference}',
      summary: 'A payment: its state and history',
      description:
        'The payment as the gateway holds it: state (created, pending, paid, failed, expired, cancelled), amounts, the payment URL while it is payable, and every transition with what caused it (create, INIT answer, IPN, reconciliation QUERY, expiry). The payer appears only masked. Read from the gateway, so it answers while the connector is switched off or under maintenance.',
      personalData: false,
      idempotent: true,
      request: { params: { reference: { $ref: `${paygov}/definitions.json#/$defs/reference` } } },
      response: `${paygov}/payment.json`,
      subjectIdOf: () => undefined,
      releasedFields: (payment: Payment) => Object.keys(payment),
      payment: 'status',
    },
    {
      id: 'paygov.payment.receipt',
      method: 'GET',
      path: '/payments/{reference}/receipt',
      summary: 'The electronic receipt of a paid payment',
      description:
        "The receipt (biên lai) the platform issued for the payment (GET_BILL): number, series, amounts by item, when it was paid. 404 while it is not paid. It names the payer: personal data, audited.",
      // The receipt prints the payer's name. No lookup form: the path carries our payment reference, not a personal id (README.md, "Operations").
      personalData: true,
      idempotent: true,
      request: { params: { reference: { $ref: `${paygov}/definitions.json#/$defs/reference` } } },
      response: `${paygov}/payment-receipt.json`,
      subjectIdOf: () => undefined,
      releasedFields: (receipt: PaymentReceipt) => Object.keys(receipt),
      payment: 'receipt',
    },
  ],
});

export type { PaygovClient };
