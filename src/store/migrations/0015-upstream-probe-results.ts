import type { Migration } from '../migrate.js';

/**
 * Issue 17: health probes shared by the replicas
 * (src/resilience/shared-probe-results.ts). One row per connector and probe
 * fingerprint (a keyed digest of what the probe is built from: base URL,
 * settings, credentials, probe setting), so a result of an old configuration
 * is never taken for the new one, and replicas that still run an old
 * configuration during a rolling update keep a row of their own.
 *
 * The claim (claimed_by, claim_token, claimed_at, lease_until) says who
 * probes this interval: a replica takes it with one conditional upsert when
 * lease_until has passed by the database clock. Publishing a result moves
 * lease_until to one interval after the probe ended. status is null until
 * the first result. When a new fingerprint's row appears, the rows of
 * fingerprints nobody has claimed for a day are deleted.
 */
export const upstreamProbeResults: Migration = {
  version: 15,
  name: 'upstream-probe-results',
  up: `
    CREATE TABLE upstream_probe_results (
      connector_id         text        NOT NULL,
      fingerprint          text        NOT NULL,
      claim_token          bigint      NOT NULL DEFAULT 1,
      claimed_by           text        NOT NULL,
      claimed_at           timestamptz NOT NULL,
      lease_until          timestamptz NOT NULL,
      status               text        CHECK (status IN ('ok', 'failed')),
      error_kind           text,
      error                text,
      latency_ms           integer,
      checked_at           timestamptz,
      consecutive_failures integer     NOT NULL DEFAULT 0,
      probed_by            text,
      PRIMARY KEY (connector_id, fingerprint)
    );
  `,
};
