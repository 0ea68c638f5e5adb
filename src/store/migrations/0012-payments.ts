import type { Migration } from '../migrate.js';

/**
 * Issue 15: fees paid online through the national payment platform (Paygov),
 * src/payments/.
 *
 * - payments: one row per payment, keyed by our reference (MaThamChieu, at
 *   most 20 of [A-Z0-9]). A consumer's Idempotency-Key (hashed) is unique per
 *   consumer, with a keyed hash of the request content beside it so a reused
 *   key with other content is told apart. The payer appears only as a keyed
 *   hash and a masked form (as in the audit trail): the name itself is sent
 *   to the platform at INIT time and not kept. final_at is set exactly when
 *   the state is final.
 * - payment_items: the fee lines, integer VND.
 * - payment_transitions: the history. UNIQUE (payment, to_state) and the
 *   partial unique index on final states make applying an outcome twice
 *   impossible at the database level, whatever the application does.
 * - payment_ipns: every IPN received, accepted or refused, raw (bounded)
 *   with its verdict and the answer sent: the evidence in a dispute.
 */
export const payments: Migration = {
  version: 12,
  name: 'payments',
  up: `
    CREATE TABLE payments (
      reference               text        PRIMARY KEY CHECK (reference ~ '^[A-Z0-9]{1,20}$'),
      consumer_id             text        NOT NULL,
      idempotency_key_hash    text        NOT NULL,
      request_hash            text        NOT NULL,
      dossier_code            text        NOT NULL,
      procedure_code          text        NOT NULL,
      agency_code             text,
      payer_name_hash         text        NOT NULL,
      payer_name_masked       text        NOT NULL,
      total_amount            bigint      NOT NULL CHECK (total_amount > 0),
      currency                text        NOT NULL DEFAULT 'VND' CHECK (currency ~ '^[A-Z]{3}$'),
      state                   text        NOT NULL DEFAULT 'created'
                              CHECK (state IN ('created', 'pending', 'paid', 'failed', 'expired', 'cancelled')),
      platform_transaction_id text,
      bank_code               text,
      payment_url             text,
      platform_paid_at        timestamptz,
      created_at              timestamptz NOT NULL DEFAULT now(),
      updated_at              timestamptz NOT NULL DEFAULT now(),
      expires_at              timestamptz NOT NULL,
      final_at                timestamptz,
      last_queried_at         timestamptz,
      query_count             integer     NOT NULL DEFAULT 0,
      UNIQUE (consumer_id, idempotency_key_hash),
      CHECK ((state IN ('paid', 'failed', 'expired', 'cancelled')) = (final_at IS NOT NULL))
    );
    -- Reconciliation: payments still open (created, pending) between two ages; daily report by state.
    CREATE INDEX payments_state_created ON payments (state, created_at);
    CREATE INDEX payments_final_at ON payments (final_at) WHERE final_at IS NOT NULL;
    CREATE INDEX payments_dossier ON payments (dossier_code);
    CREATE INDEX payments_platform_transaction ON payments (platform_transaction_id) WHERE platform_transaction_id IS NOT NULL;

    CREATE TABLE payment_items (
      payment_reference text    NOT NULL REFERENCES payments (reference),
      position          integer NOT NULL CHECK (position >= 0),
      code              text    NOT NULL,
      name              text    NOT NULL,
      kind              text    NOT NULL DEFAULT 'charge' CHECK (kind IN ('fee', 'charge')),
      amount            bigint  NOT NULL CHECK (amount > 0),
      PRIMARY KEY (payment_reference, position)
    );

    CREATE TABLE payment_ipns (
      id                      bigserial   PRIMARY KEY,
      received_at             timestamptz NOT NULL DEFAULT now(),
      source_ip               text,
      raw_body                text        NOT NULL,
      body_bytes              integer     NOT NULL,
      raw_truncated           boolean     NOT NULL DEFAULT false,
      parsed_reference        text,
      payment_reference       text        REFERENCES payments (reference),
      result_code             text,
      amount                  bigint,
      currency                text,
      platform_transaction_id text,
      secret_index            smallint,
      verdict                 text        NOT NULL CHECK (verdict IN (
                                'applied', 'replay', 'refused_checksum', 'refused_amount', 'refused_currency',
                                'refused_unknown', 'refused_malformed', 'refused_partner', 'refused_source_ip',
                                'ignored_late', 'recorded_after_final')),
      answer_code             text        NOT NULL,
      note                    text
    );
    CREATE INDEX payment_ipns_payment ON payment_ipns (payment_reference, received_at) WHERE payment_reference IS NOT NULL;
    CREATE INDEX payment_ipns_received ON payment_ipns (received_at);
    CREATE INDEX payment_ipns_verdict ON payment_ipns (verdict, received_at);

    CREATE TABLE payment_transitions (
      id                bigserial   PRIMARY KEY,
      payment_reference text        NOT NULL REFERENCES payments (reference),
      from_state        text        CHECK (from_state IN ('created', 'pending')),
      to_state          text        NOT NULL
                        CHECK (to_state IN ('created', 'pending', 'paid', 'failed', 'expired', 'cancelled')),
      at                timestamptz NOT NULL DEFAULT now(),
      source            text        NOT NULL CHECK (source IN ('create', 'init', 'ipn', 'query', 'expiry', 'manual')),
      ipn_id            bigint      REFERENCES payment_ipns (id),
      actor             text        NOT NULL,
      note              text,
      UNIQUE (payment_reference, to_state),
      CHECK ((from_state IS NULL) = (to_state = 'created' AND source = 'create')),
      CHECK ((ipn_id IS NULL) OR source = 'ipn')
    );
    -- One transition into a final state per payment, ever.
    CREATE UNIQUE INDEX payment_transitions_one_final ON payment_transitions (payment_reference)
      WHERE to_state IN ('paid', 'failed', 'expired', 'cancelled');
    CREATE INDEX payment_transitions_at ON payment_transitions (at);
  `,
};
