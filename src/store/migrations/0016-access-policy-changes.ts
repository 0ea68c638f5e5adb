import type { Migration } from '../migrate.js';

/**
 * Issue 18: what each access policy version changed, so a replica that moves
 * from version N to N+k re-reads only those rows instead of the whole policy
 * (src/access/access-policy.ts). Written in the transaction that bumps
 * `access_policy_version`, one row per resource the replicas must re-read:
 * `consumer` (the consumer row and its grants; a grant change names the
 * consumers whose grants it touched) or `purpose`. Only the latest versions
 * are kept (src/access/access-repository.ts prunes on every change); a
 * replica further behind, or one that finds a version with no row (a change
 * by a release that predates this table), reloads everything.
 */
export const accessPolicyChanges: Migration = {
  version: 16,
  name: 'access-policy-changes',
  up: `
    CREATE TABLE access_policy_changes (
      version       bigint NOT NULL,
      resource_type text   NOT NULL,
      resource_id   text   NOT NULL,
      PRIMARY KEY (version, resource_type, resource_id)
    );
  `,
};
