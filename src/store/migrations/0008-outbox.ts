import type { Migration } from '../migrate.js';

/**
 * Issue 12: the durable outbox (src/outbox/). One row per message; a per-key
 * counter row hands out sequences. Taking that counter row's lock in the
 * enqueuer's transaction serializes enqueuers of one key across replicas, so
 * sequences of a key become visible in order (a rolled-back enqueue leaves a
 * harmless gap).
 *
 * dedup_key is the caller's idempotency key (hashed) or the payload's content
 * hash: one message per target + key + dedup_key, whatever the concurrency.
 * Timestamps come from the database clock only, so replicas with skewed
 * clocks agree on leases and due times.
 */
export const outbox: Migration = {
  version: 8,
  name: 'outbox',
  up: `
    CREATE TABLE outbox_keys (
      target        text   NOT NULL,
      ordering_key  text   NOT NULL,
      last_sequence bigint NOT NULL,
      PRIMARY KEY (target, ordering_key)
    );

    CREATE TABLE outbox_messages (
      id                 uuid        PRIMARY KEY,
      target             text        NOT NULL,
      ordering_key       text        NOT NULL,
      sequence           bigint      NOT NULL,
      dedup_key          text        NOT NULL,
      content_hash       text        NOT NULL,
      payload            jsonb       NOT NULL,
      state              text        NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'delivering', 'delivered', 'dead', 'cancelled')),
      attempts           integer     NOT NULL DEFAULT 0,
      next_attempt_at    timestamptz NOT NULL DEFAULT now(),
      lease_owner        text,
      lease_expires_at   timestamptz,
      last_attempt_at    timestamptz,
      last_error_kind    text,
      last_error_message text,
      created_at         timestamptz NOT NULL DEFAULT now(),
      redriven_at        timestamptz,
      delivered_at       timestamptz,
      delivery_answer    text,
      dead_reason        text,
      finished_at        timestamptz,
      UNIQUE (target, ordering_key, sequence),
      UNIQUE (target, ordering_key, dedup_key)
    );

    -- The claim: due pending messages, and deliveries whose lease ran out.
    CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at) WHERE state = 'pending';
    CREATE INDEX outbox_messages_leased ON outbox_messages (lease_expires_at) WHERE state = 'delivering';
    -- "Is an earlier message of this key unfinished?" and the backlog signals, without reading delivered history.
    CREATE INDEX outbox_messages_open_by_key ON outbox_messages (target, ordering_key, sequence)
      WHERE state IN ('pending', 'delivering', 'dead');
    CREATE INDEX outbox_messages_open_by_age ON outbox_messages (target, created_at)
      WHERE state IN ('pending', 'delivering', 'dead');
  `,
};
