import type { Migration } from '../migrate.js';

/**
 * Issue 13: the credential vault (src/vault). One row per credential version
 * of a connector, holding only what envelope encryption leaves: the data key
 * wrapped under a master key (named by master_key_id), the AES-256-GCM iv,
 * tag and ciphertext of the fields. A destroyed version keeps its metadata
 * (who, when, fingerprint: the admin history refers to it) but its key
 * material and ciphertext are wiped, which the CHECK makes impossible to
 * forget. At most one active and one staged version per connector (partial
 * unique indexes); a previous version needs the end of its overlap window.
 *
 * vault_master_keys remembers the master key ids ever used and which were
 * retired by `npm run vault:rewrap`: a retired id is refused even when a
 * deployment still configures it (a key that leaked stays dead).
 */
export const credentialVault: Migration = {
  version: 10,
  name: 'credential_vault',
  up: `
    CREATE TABLE vault_master_keys (
      key_id        text PRIMARY KEY,
      state         text NOT NULL CHECK (state IN ('active', 'retired')),
      first_used_at timestamptz NOT NULL DEFAULT now(),
      retired_at    timestamptz,
      CHECK ((state = 'retired') = (retired_at IS NOT NULL))
    );

    CREATE TABLE connector_credentials (
      connector_id  text NOT NULL,
      version       integer NOT NULL CHECK (version > 0),
      state         text NOT NULL CHECK (state IN ('staged', 'active', 'previous', 'destroyed')),
      source        text NOT NULL CHECK (source IN ('vault', 'config', 'env', 'file')),
      fields_set    text[] NOT NULL,
      fingerprint   text NOT NULL,
      master_key_id text,
      wrapped_key   bytea,
      iv            bytea,
      auth_tag      bytea,
      ciphertext    bytea,
      expires_at    timestamptz,
      created_at    timestamptz NOT NULL,
      created_by    text NOT NULL,
      activated_at  timestamptz,
      activated_by  text,
      usable_until  timestamptz,
      destroyed_at  timestamptz,
      last_test     jsonb,
      PRIMARY KEY (connector_id, version),
      CHECK ((state = 'destroyed') = (ciphertext IS NULL)),
      CHECK ((state = 'destroyed') = (destroyed_at IS NOT NULL)),
      CHECK (state = 'destroyed' OR (master_key_id IS NOT NULL AND wrapped_key IS NOT NULL AND iv IS NOT NULL AND auth_tag IS NOT NULL)),
      CHECK (state <> 'destroyed' OR (master_key_id IS NULL AND wrapped_key IS NULL AND iv IS NULL AND auth_tag IS NULL)),
      CHECK (state <> 'previous' OR usable_until IS NOT NULL)
    );
    CREATE UNIQUE INDEX connector_credentials_one_active ON connector_credentials (connector_id) WHERE state = 'active';
    CREATE UNIQUE INDEX connector_credentials_one_staged ON connector_credentials (connector_id) WHERE state = 'staged';
    -- The sweep and the expiry signals look only at these.
    CREATE INDEX connector_credentials_previous_until ON connector_credentials (usable_until) WHERE state = 'previous';
    CREATE INDEX connector_credentials_expiring ON connector_credentials (expires_at) WHERE state IN ('staged', 'active');
  `,
};
