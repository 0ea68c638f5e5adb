import type { Migration } from '../migrate.js';

/**
 * The trail of personal-data access (DESIGN.md, core idea 4). Shaped for what
 * issue 7 adds later without rewriting rows:
 * - `stream` separates trails (data access now, admin actions later), each
 *   with its own hash chain;
 * - `seq`, `prev_hash`, `record_hash` stay NULL until the chain writer fills
 *   them (per-stream sequence, hash of the canonical record);
 * - the primary key includes `occurred_at`, so the table can become a
 *   monthly range-partitioned one (partition keys must be part of every
 *   unique constraint), e.g. by attaching this table as the first partition.
 * The data subject appears only as a keyed hash and a masked form (both NULL
 * when the request never named a valid subject, e.g. it was refused before);
 * the end user (the accountable officer) is stored as given.
 */
export const auditRecords: Migration = {
  version: 1,
  name: 'audit_records',
  up: `
    CREATE TABLE audit_records (
      id                 bigint GENERATED ALWAYS AS IDENTITY,
      stream             text        NOT NULL DEFAULT 'data_access',
      occurred_at        timestamptz NOT NULL,
      recorded_at        timestamptz NOT NULL DEFAULT now(),
      request_id         text        NOT NULL,
      consumer           text        NOT NULL,
      end_user           text        NOT NULL,
      purpose            text        NOT NULL,
      operation          text        NOT NULL,
      connector          text        NOT NULL,
      subject_hash       text,
      subject_masked     text,
      fields_released    text[]      NOT NULL DEFAULT '{}',
      outcome            text        NOT NULL
        CONSTRAINT audit_records_outcome_check
        CHECK (outcome IN ('success', 'not_found', 'client_error', 'upstream_error', 'denied', 'gateway_error')),
      http_status        smallint    NOT NULL,
      latency_ms         integer     NOT NULL CHECK (latency_ms >= 0),
      upstream_reference text,
      seq                bigint,
      prev_hash          text,
      record_hash        text,
      CONSTRAINT audit_records_subject_check CHECK ((subject_hash IS NULL) = (subject_masked IS NULL)),
      CONSTRAINT audit_records_pkey PRIMARY KEY (occurred_at, id)
    );

    -- "who looked at my data": one subject, newest first
    CREATE INDEX audit_records_subject_idx ON audit_records (subject_hash, occurred_at DESC);
    -- "does this response have its record": lookups by request id
    CREATE INDEX audit_records_request_idx ON audit_records (request_id);
    -- auditor queries filter by time first, then by stream
    CREATE INDEX audit_records_stream_time_idx ON audit_records (stream, occurred_at);
  `,
};
