import type { Migration } from '../migrate.js';

/**
 * Issue 15, the payments' admin routes: GET /admin/v1/payments/{reference}
 * lists every IPN that named the reference, the refused ones too (a forged
 * callback, checksum wrong, names a real payment but is not linked to it:
 * payment_reference stays NULL). payment_ipns_payment covers only the linked
 * ones; this index finds the others without reading the whole table.
 */
export const paymentIpnReferenceIndex: Migration = {
  version: 13,
  name: 'payment-ipn-reference-index',
  up: `
    CREATE INDEX payment_ipns_parsed_reference ON payment_ipns (parsed_reference, received_at) WHERE parsed_reference IS NOT NULL;
  `,
};
