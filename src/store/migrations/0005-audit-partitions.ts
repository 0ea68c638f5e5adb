import type { Migration } from '../migrate.js';

/**
 * Issue 7, item 6: `audit_records` becomes a table RANGE-partitioned by
 * month on `occurred_at`, so retention drops whole months (a cheap catalog
 * change, no DELETE, no vacuum debt) and a subject query with a time range
 * only opens the months it covers.
 *
 * - Partitions are `audit_records_pYYYYMM`, UTC month bounds [first of the
 *   month, first of the next). There is deliberately no DEFAULT partition:
 *   it would make every later CREATE/ATTACH scan it. A row whose month has no
 *   partition fails to insert — the writer answers 503 (fail closed), never
 *   loses the record silently — and partition maintenance
 *   (src/audit/partitions) keeps months ahead so that does not happen.
 * - The table is rebuilt generically: columns, defaults and the identity
 *   come from LIKE; every constraint, index and trigger the old table had
 *   (0001, 0003, 0004's chained check and (stream, seq) index) is re-created
 *   on the partitioned table from its own definition, so each partition has
 *   it. Existing rows move with their ids; the identity continues after them.
 * - The subject index gains `id DESC` so "one subject, newest first" (query
 *   API and citizen report, ORDER BY occurred_at DESC, id DESC) is read in
 *   index order from each partition without a sort.
 * - Months created: from the oldest month present (contiguous, no gaps) to
 *   the current month + 3; maintenance extends that at every start.
 * `admin_audit_log` stays unpartitioned (small; retention deletes rows).
 */
export const auditPartitions: Migration = {
  version: 5,
  name: 'audit_partitions',
  up: `
    DO $migration$
    DECLARE
      old_indexes text[];
      old_triggers text[];
      definition text;
      old_seq text;
      item record;
      first_month date;
      last_month date;
      part_month date;
      old_constraints text[];
      max_id bigint;
    BEGIN
      -- Definitions read while the names still point at the old table, so
      -- replaying them later creates the same indexes on the new one.
      -- Constraint-backed indexes (the primary key) come back as constraints.
      SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid) ORDER BY c.relname), '{}')
        INTO old_indexes
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'audit_records'::regclass
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
      SELECT coalesce(array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname), '{}')
        INTO old_triggers
        FROM pg_trigger t
       WHERE t.tgrelid = 'audit_records'::regclass AND NOT t.tgisinternal;
      -- Every other constraint is replayed from its own definition after the
      -- rows moved, rather than copied by LIKE: LIKE would make a NOT VALID
      -- check (0004's "chained" check, which older unchained rows do not
      -- meet yet) valid, and the move would fail. pg_get_constraintdef keeps
      -- NOT VALID. A unique constraint must include occurred_at on a
      -- partitioned table: one without it fails here loudly, by design.
      SELECT coalesce(array_agg(format('ALTER TABLE audit_records ADD CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)) ORDER BY k.conname), '{}')
        INTO old_constraints
        FROM pg_constraint k
       WHERE k.conrelid = 'audit_records'::regclass AND k.contype IN ('c', 'u', 'x', 'f');

      -- Free every name the new table needs: the table, its indexes, the
      -- primary key and the identity sequence.
      ALTER TABLE audit_records RENAME TO audit_records_unpartitioned;
      FOR item IN
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = 'audit_records_unpartitioned'::regclass
      LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', item.relname, left('old_' || item.relname, 63));
      END LOOP;
      old_seq := pg_get_serial_sequence('audit_records_unpartitioned', 'id');
      EXECUTE format('ALTER SEQUENCE %s RENAME TO audit_records_unpartitioned_id_seq', old_seq);

      CREATE TABLE audit_records (
        LIKE audit_records_unpartitioned
          INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS,
        CONSTRAINT audit_records_pkey PRIMARY KEY (occurred_at, id)
      ) PARTITION BY RANGE (occurred_at);

      SELECT coalesce(min(date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date,
                      date_trunc('month', now() AT TIME ZONE 'UTC')::date),
             greatest(max(date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date,
                      (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date),
             max(id)
        INTO first_month, last_month, max_id
        FROM audit_records_unpartitioned;
      part_month := first_month;
      WHILE part_month <= last_month LOOP
        EXECUTE format(
          'CREATE TABLE %I PARTITION OF audit_records FOR VALUES FROM (%L) TO (%L)',
          'audit_records_p' || to_char(part_month, 'YYYYMM'),
          part_month::timestamp AT TIME ZONE 'UTC',
          (part_month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        part_month := (part_month + interval '1 month')::date;
      END LOOP;

      INSERT INTO audit_records OVERRIDING SYSTEM VALUE SELECT * FROM audit_records_unpartitioned;
      IF max_id IS NOT NULL THEN
        PERFORM setval(pg_get_serial_sequence('audit_records', 'id'), max_id);
      END IF;

      -- Indexes after the rows (one sorted build per partition instead of
      -- row-by-row maintenance). The subject index is re-created wider below.
      FOREACH definition IN ARRAY old_indexes LOOP
        CONTINUE WHEN definition LIKE 'CREATE INDEX audit_records_subject_idx %';
        EXECUTE definition;
      END LOOP;
      CREATE INDEX audit_records_subject_idx ON audit_records (subject_hash, occurred_at DESC, id DESC);
      FOREACH definition IN ARRAY old_constraints LOOP
        EXECUTE definition;
      END LOOP;
      FOREACH definition IN ARRAY old_triggers LOOP
        EXECUTE definition;
      END LOOP;

      DROP TABLE audit_records_unpartitioned;
    END
    $migration$;

    -- Admin-stream retention deletes by age; the log is small, but the
    -- daily batches should not walk all of it to find nothing.
    CREATE INDEX admin_audit_log_time_idx ON admin_audit_log (occurred_at);
  `,
};
