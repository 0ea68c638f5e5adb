import { randomBytes } from 'node:crypto';
import { createPgStore } from '../store/pg-store.js';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget, testDatabaseUrl } from '../store/test-support/store-targets.js';
import { createAuditWriter } from './audit-writer.js';
import { describeAuditContract, sampleEntry } from './test-support/audit-contract.js';

describeAuditContract(pgStoreTarget(captureLogger().logger));

describe('audit trail on pg: database gone', () => {
  it('rejects with LGSP_AUDIT_UNAVAILABLE once the pool is closed', async () => {
    const log = captureLogger();
    const store = await createPgStore({ connectionString: testDatabaseUrl, logger: log.logger });
    await store.close();
    const writer = createAuditWriter({ store, subjectKey: randomBytes(32), logger: log.logger });
    await expect(writer.record(sampleEntry())).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE' });
  });
});
