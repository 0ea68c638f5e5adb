import type { Migration } from '../migrate.js';
import { auditRecords } from './0001-audit-records.js';
import { accessControl } from './0002-access-control.js';
import { auditQueries } from './0003-audit-queries.js';

/**
 * Every migration, in the order applied. Append only: a released migration is
 * never edited, renumbered or removed (the runner refuses to start when the
 * database and this list disagree).
 */
export const migrations: readonly Migration[] = [auditRecords, accessControl, auditQueries];
