import type { Migration } from '../migrate.js';

/**
 * Tamper evidence for the audit trail (issue 7, item 2; docs/audit-chain.md).
 *
 * - `audit_chain_heads`: one row per stream ('data_access' in audit_records,
 *   'admin' in admin_audit_log) holding the last sequence number and record
 *   hash. Every append locks this row (SELECT ... FOR UPDATE), which is what
 *   makes the per-stream sequence gap-free across concurrent writers and
 *   replicas: no UNIQUE (stream, seq) is needed, and none would be possible
 *   once audit_records is partitioned by month (the partition key must be
 *   part of every unique constraint). `anchor_seq`/`anchor_prev_hash` say
 *   where the retained chain starts: retention moves them forward in the
 *   transaction that drops old records, and the verifier starts there.
 * - `seq`, `prev_hash`, `record_hash` on admin_audit_log (audit_records has
 *   had them, NULL, since 0001). Rows written before this migration are
 *   chained once at start (src/audit/chain/chain-backfill.ts: the hash is
 *   computed in TypeScript, the canonical form is not SQL's); the CHECKs are
 *   NOT VALID so those rows pass until then, while every new row must carry
 *   its link.
 * - `audit_checkpoints`: signed statements "stream S had head H at seq N"
 *   (Ed25519; optionally an RFC 3161 token), so a truncated tail is
 *   detectable even when the head row was rewritten too. UNIQUE (stream,
 *   seq) lets several replicas sign the same head harmlessly.
 */
export const auditChain: Migration = {
  version: 4,
  name: 'audit_chain',
  up: `
    CREATE TABLE audit_chain_heads (
      stream           text   PRIMARY KEY,
      seq              bigint NOT NULL DEFAULT 0,
      record_hash      text   NOT NULL DEFAULT repeat('0', 64),
      anchor_seq       bigint NOT NULL DEFAULT 1,
      anchor_prev_hash text   NOT NULL DEFAULT repeat('0', 64)
    );
    INSERT INTO audit_chain_heads (stream) VALUES ('data_access'), ('admin');

    ALTER TABLE admin_audit_log
      ADD COLUMN seq bigint,
      ADD COLUMN prev_hash text,
      ADD COLUMN record_hash text;

    ALTER TABLE audit_records ADD CONSTRAINT audit_records_chained_check
      CHECK (seq IS NOT NULL AND prev_hash IS NOT NULL AND record_hash IS NOT NULL) NOT VALID;
    ALTER TABLE admin_audit_log ADD CONSTRAINT admin_audit_log_chained_check
      CHECK (seq IS NOT NULL AND prev_hash IS NOT NULL AND record_hash IS NOT NULL) NOT VALID;

    -- the verifier walks a stream in seq order, page by page
    CREATE INDEX audit_records_stream_seq_idx ON audit_records (stream, seq);
    CREATE INDEX admin_audit_log_seq_idx ON admin_audit_log (seq);

    CREATE TABLE audit_checkpoints (
      id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream      text        NOT NULL,
      seq         bigint      NOT NULL,
      record_hash text        NOT NULL,
      created_at  timestamptz NOT NULL,
      key_id      text        NOT NULL,
      algorithm   text        NOT NULL,
      signature   text        NOT NULL,
      tsa_url     text,
      tsa_token   bytea,
      CONSTRAINT audit_checkpoints_stream_seq_key UNIQUE (stream, seq)
    );
  `,
};
