import type { AccessFacts } from '../access-auditor.js';
import { ProblemError } from '../../errors/index.js';
import { activeConsumer, grantOf, stageContext } from '../test-support/stage-context.js';
import { auditRecordStage } from './audit-record.js';

describe('audit-record stage', () => {
  const filled = () =>
    stageContext({
      principal: { clientId: 'one-stop', subject: 's', roles: [], expiresAt: 0 },
      authorization: { consumer: activeConsumer, grant: grantOf() },
      personalData: { endUser: 'officer01', purpose: 'DOSSIER-PROCESSING' },
      input: { params: { code: '001090012345' }, query: {}, body: undefined },
      answer: { data: { name: 'x' }, upstreamReference: 'UP-7' },
      released: { body: { name: 'x' }, fields: ['name'] },
    });

  it('records who asked, why, about whom, what was released and the upstream reference', async () => {
    const records: AccessFacts[] = [];
    await auditRecordStage({ auditor: { recordAccess: async (facts) => void records.push(facts), recordAccessQuietly: async () => undefined } }).run(filled());
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ operation: 'test.thing.get', connector: 'test', subjectId: '001090012345', fieldsReleased: ['name'], outcome: 'success', httpStatus: 200, upstreamReference: 'UP-7', headers: { endUser: 'officer01' } });
  });

  it('a record that cannot be committed stops the answer (503)', async () => {
    const failing = { recordAccess: async () => { throw new ProblemError('LGSP_AUDIT_UNAVAILABLE'); }, recordAccessQuietly: async () => undefined };
    await expect(auditRecordStage({ auditor: failing }).run(filled())).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE' });
  });
});
