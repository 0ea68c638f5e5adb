import type { Migration } from '../migrate.js';

/**
 * Issue 6: a grant may let its consumer be answered from the response cache
 * for a personal-data operation. Off for every existing grant: caching a
 * person's record is a decision someone makes, never a default.
 */
export const grantCachedResponses: Migration = {
  version: 7,
  name: 'grant_cached_responses',
  up: `
    ALTER TABLE grants ADD COLUMN allow_cached_responses boolean NOT NULL DEFAULT false;
  `,
};
