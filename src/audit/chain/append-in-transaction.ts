import type { Queryable } from '../../store/store.js';
import type { AuditRecord } from '../audit-record.js';
import { appendToChain } from './chain-append.js';
import { adminStream, dataAccessStream, storableAdminFacts, storableDataAccessRecord, type AdminAuditFacts } from './chain-streams.js';

/**
 * Appends one record to a stream inside the caller's own transaction, so
 * the record commits together with what it records (an admin change, a read
 * of the trail) or not at all. Holds the stream's head lock until that
 * transaction ends: keep such transactions short.
 */
export async function appendInTransaction(tx: Queryable, stream: 'admin', record: AdminAuditFacts): Promise<void>;
export async function appendInTransaction(tx: Queryable, stream: 'data_access', record: AuditRecord): Promise<void>;
export async function appendInTransaction(tx: Queryable, stream: 'admin' | 'data_access', record: AdminAuditFacts | AuditRecord): Promise<void> {
  if (stream === 'admin') await appendToChain(tx, adminStream, [storableAdminFacts(record as AdminAuditFacts)]);
  else await appendToChain(tx, dataAccessStream, [storableDataAccessRecord(record as AuditRecord)]);
}
