import type { Migration } from '../migrate.js';

/**
 * The web console's login sessions (src/console/session-store.ts), kept in
 * the gateway's database so that any replica serves any signed-in user.
 * data is what express-session hands the store, OIDC tokens included: only
 * the session store reads or writes this table. Expired rows are invisible
 * to reads at once and deleted by the store's periodic prune, which the
 * expires_at index keeps cheap.
 */
export const consoleSessions: Migration = {
  version: 14,
  name: 'console-sessions',
  up: `
    CREATE TABLE console_sessions (
      sid        text        PRIMARY KEY,
      data       jsonb       NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);
  `,
};
