import type { Migration } from '../migrate.js';

/**
 * What the audit query API (issue 7, items 4 and 5) needs from the schema:
 * - reading the trail is itself recorded in `admin_audit_log`, as action
 *   'read' (the filter with the subject masked, and how many records left),
 *   so the CHECK on `action` learns that value;
 * - "what did consumer X read" is the auditor's most common question and may
 *   span the whole trail without a time range: an index on the consumer,
 *   newest first, serves it (time-range and subject filters already have
 *   theirs in 0001).
 */
export const auditQueries: Migration = {
  version: 3,
  name: 'audit_queries',
  up: `
    ALTER TABLE admin_audit_log DROP CONSTRAINT admin_audit_log_action_check;
    ALTER TABLE admin_audit_log ADD CONSTRAINT admin_audit_log_action_check
      CHECK (action IN ('create', 'update', 'delete', 'read'));

    CREATE INDEX audit_records_consumer_time_idx ON audit_records (consumer, occurred_at DESC, id DESC);
  `,
};
