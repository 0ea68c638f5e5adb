import type { Migration } from '../migrate.js';

/**
 * Issue 14: the alerting channel (src/alerting).
 *
 * - alert_signal_samples: each replica's latest reading of each signal series
 *   (upserted every evaluation interval); the leader merges the fresh ones.
 * - alert_leases: the evaluation leader's lease. Its row is locked (FOR
 *   UPDATE, token checked) by every engine transaction, so a replica that
 *   lost the lease writes nothing, and engine transactions never overlap.
 * - alert_rules / alert_receivers: what administrators added or changed over
 *   the shipped defaults and the config file; alerting_config_version is
 *   bumped with each change (and each silence change), polled by replicas.
 * - alerts: one row per alert instance, from pending to resolved; at most one
 *   open instance per fingerprint. Rows are kept: they are the history.
 * - alert_events: every lifecycle step, acknowledgement, notification and
 *   silence change, in id order: the history of an alert and the live feed.
 * - alert_silences: matchers, a required end, author and reason.
 * - alert_groups / alert_receiver_marks / alert_notifications: the
 *   notification log. A notice is written with the marks it sets and its
 *   outbox message in one transaction: a restart or failover neither loses
 *   it (committed, or re-decided by the next leader) nor repeats it (the
 *   marks say it was sent).
 */
export const alerting: Migration = {
  version: 11,
  name: 'alerting',
  up: `
    CREATE TABLE alert_signal_samples (
      replica_id     text NOT NULL,
      series_key     text NOT NULL,
      signal         text NOT NULL,
      labels         jsonb NOT NULL,
      window_seconds integer NOT NULL DEFAULT 0,
      value          double precision,
      num            double precision,
      den            double precision,
      buckets        jsonb,
      observed_at    timestamptz NOT NULL,
      PRIMARY KEY (replica_id, series_key)
    );
    CREATE INDEX alert_signal_samples_observed ON alert_signal_samples (observed_at);

    CREATE TABLE alert_leases (
      name       text PRIMARY KEY,
      holder     text NOT NULL,
      token      bigint NOT NULL,
      expires_at timestamptz NOT NULL
    );

    CREATE TABLE alert_rules (
      id         text PRIMARY KEY,
      rule       jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    );

    CREATE TABLE alert_receivers (
      id         text PRIMARY KEY,
      kind       text NOT NULL CHECK (kind IN ('email', 'webhook', 'telegram')),
      settings   jsonb NOT NULL,
      route      jsonb NOT NULL,
      enabled    boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    );

    CREATE TABLE alerting_config_version (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version   bigint NOT NULL
    );
    INSERT INTO alerting_config_version (version) VALUES (1);

    CREATE TABLE alerts (
      id                   uuid PRIMARY KEY,
      fingerprint          text NOT NULL,
      rule_id              text NOT NULL,
      labels               jsonb NOT NULL,
      severity             text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
      summary              jsonb NOT NULL,
      runbook              text,
      state                text NOT NULL CHECK (state IN ('pending', 'firing', 'acknowledged', 'resolved')),
      value                double precision,
      started_at           timestamptz NOT NULL,
      fired_at             timestamptz,
      acknowledged_at      timestamptz,
      acknowledged_by      text,
      acknowledgement_note text,
      resolved_at          timestamptz,
      resolved_by          text,
      resolution           text CHECK (resolution IN ('cleared', 'manual', 'rule_removed')),
      resolution_note      text,
      last_evaluated_at    timestamptz NOT NULL,
      CHECK ((state = 'resolved') = (resolved_at IS NOT NULL)),
      CHECK (state <> 'acknowledged' OR acknowledged_at IS NOT NULL),
      CHECK (state = 'pending' OR state = 'resolved' OR fired_at IS NOT NULL)
    );
    CREATE UNIQUE INDEX alerts_one_open_per_fingerprint ON alerts (fingerprint) WHERE state <> 'resolved';
    CREATE INDEX alerts_open ON alerts (state) WHERE state <> 'resolved';
    CREATE INDEX alerts_started ON alerts (started_at DESC, id);

    CREATE TABLE alert_events (
      id         bigserial PRIMARY KEY,
      alert_id   uuid REFERENCES alerts (id),
      silence_id uuid,
      kind       text NOT NULL,
      at         timestamptz NOT NULL DEFAULT now(),
      actor      text,
      detail     jsonb
    );
    CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
    CREATE INDEX alert_events_at ON alert_events (at);

    CREATE TABLE alert_silences (
      id         uuid PRIMARY KEY,
      matchers   jsonb NOT NULL,
      starts_at  timestamptz NOT NULL,
      ends_at    timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      reason     text NOT NULL CHECK (length(reason) > 0),
      expired_at timestamptz,
      expired_by text,
      CHECK (ends_at > starts_at)
    );
    CREATE INDEX alert_silences_ends ON alert_silences (ends_at);

    CREATE TABLE alert_groups (
      receiver_id      text NOT NULL,
      group_key        text NOT NULL,
      group_labels     jsonb NOT NULL,
      first_active_at  timestamptz,
      last_notified_at timestamptz,
      PRIMARY KEY (receiver_id, group_key)
    );

    CREATE TABLE alert_receiver_marks (
      alert_id             uuid NOT NULL REFERENCES alerts (id),
      receiver_id          text NOT NULL,
      firing_notified_at   timestamptz,
      resolved_notified_at timestamptz,
      last_notified_at     timestamptz,
      PRIMARY KEY (alert_id, receiver_id)
    );
    CREATE INDEX alert_receiver_marks_unresolved ON alert_receiver_marks (receiver_id) WHERE resolved_notified_at IS NULL;

    CREATE TABLE alert_notifications (
      id                uuid PRIMARY KEY,
      receiver_id       text NOT NULL,
      group_key         text NOT NULL,
      kind              text NOT NULL CHECK (kind IN ('firing', 'resolved', 'mixed', 'repeat', 'test')),
      alert_ids         uuid[] NOT NULL,
      created_at        timestamptz NOT NULL DEFAULT now(),
      outbox_message_id uuid,
      notice            jsonb NOT NULL
    );
    CREATE INDEX alert_notifications_receiver ON alert_notifications (receiver_id, created_at DESC);
  `,
};
