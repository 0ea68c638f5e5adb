import type { Migration } from '../migrate.js';

/**
 * Resilience overrides set by an admin at run time (PUT
 * /admin/v1/connectors/{id}/resilience), over the descriptor defaults and the
 * deployment config: one row per connector holding the override document
 * (the same shape the config's `connectors.<id>.resilience` takes), and a
 * version that every replica polls to apply changes without a restart.
 * Changes are recorded in admin_audit_log like consumer and grant changes.
 */
export const connectorResilienceOverrides: Migration = {
  version: 6,
  name: 'connector_resilience_overrides',
  up: `
    CREATE TABLE connector_resilience_overrides (
      connector_id text PRIMARY KEY,
      override jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    );

    CREATE TABLE resilience_override_version (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version bigint NOT NULL
    );
    INSERT INTO resilience_override_version (version) VALUES (1);
  `,
};
