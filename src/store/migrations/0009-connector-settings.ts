import type { Migration } from '../migrate.js';

/**
 * Issue 13: connector settings an administrator changes at run time (base
 * URL, non-secret settings, enabled, maintenance, health probe), over the
 * configuration file's starting values, one nullable column per kind (null =
 * the configuration's value). connector_config_version is bumped by every
 * settings change and every credential-vault change (0010): each replica
 * polls it and rebuilds the connectors whose effective state moved.
 */
export const connectorSettings: Migration = {
  version: 9,
  name: 'connector_settings',
  up: `
    CREATE TABLE connector_settings (
      connector_id text PRIMARY KEY,
      base_url     text,
      settings     jsonb,
      enabled      boolean,
      maintenance  jsonb,
      probe        jsonb,
      updated_at   timestamptz NOT NULL DEFAULT now(),
      updated_by   text NOT NULL
    );

    CREATE TABLE connector_config_version (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version bigint NOT NULL
    );
    INSERT INTO connector_config_version (version) VALUES (1);
  `,
};
