import { stageContext } from '../test-support/stage-context.js';
import { auditGateStage } from './audit-gate.js';
import { ProblemError } from '../../errors/index.js';

describe('audit-gate stage', () => {
  it('asks the gate, and lets its refusal through before anything else happens', async () => {
    let asked = 0;
    await auditGateStage({ auditGate: { assertOpen: async () => void (asked += 1) } }).run(stageContext());
    expect(asked).toBe(1);
    const closed = { assertOpen: async () => { throw new ProblemError('LGSP_AUDIT_UNAVAILABLE'); } };
    await expect(auditGateStage({ auditGate: closed }).run(stageContext())).rejects.toMatchObject({ code: 'LGSP_AUDIT_UNAVAILABLE', status: 503 });
  });
});
