import type { Migration } from '../migrate.js';

/**
 * Who may see what (issue 3): consumers bound to Keycloak clients, the
 * purpose catalog, grants (consumer × operation, deny by default), and the
 * admin audit log. `access_policy_version` is bumped in the same transaction
 * as every change, so each replica notices a change with one cheap read and
 * reloads its in-memory policy.
 */
export const accessControl: Migration = {
  version: 2,
  name: 'access_control',
  up: `
    CREATE TABLE consumers (
      id text PRIMARY KEY,
      client_id text NOT NULL UNIQUE,
      name text NOT NULL,
      agency text NOT NULL,
      contact jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text NOT NULL CHECK (status IN ('active', 'suspended')),
      rate_limit jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE purposes (
      code text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('code', 'dossier')),
      legal_basis text NOT NULL,
      unit_code_patterns text[] NOT NULL DEFAULT '{}',
      procedure_codes text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE grants (
      id uuid PRIMARY KEY,
      consumer_id text NOT NULL REFERENCES consumers (id) ON DELETE CASCADE,
      operation text NOT NULL,
      purposes text[] NOT NULL,
      fields text[] NOT NULL,
      valid_from timestamptz,
      valid_until timestamptz,
      quota jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (consumer_id, operation),
      CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
    );

    CREATE TABLE admin_audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      request_id text NOT NULL,
      actor text NOT NULL,
      actor_client text NOT NULL,
      action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
      resource_type text NOT NULL,
      resource_id text NOT NULL,
      before jsonb,
      after jsonb
    );
    CREATE INDEX admin_audit_log_resource ON admin_audit_log (resource_type, resource_id, occurred_at DESC);

    CREATE TABLE access_policy_version (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version bigint NOT NULL
    );
    INSERT INTO access_policy_version (version) VALUES (1);
  `,
};
