import { createLogger } from '../../observability/logger.js';
import { accessPolicyOf, activeConsumer, grantOf, stageContext } from '../test-support/stage-context.js';
import { authorizeStage } from './authorize.js';

const principal = { clientId: 'one-stop', subject: 's', roles: [], expiresAt: 0 };
const logger = createLogger({ level: 'silent' });
const at = (iso: string) => ({ monotonicMs: () => 0, now: () => new Date(iso) });

describe('authorize stage', () => {
  it('finds the consumer and its grant for this operation', () => {
    const grant = grantOf();
    const context = stageContext({ principal });
    authorizeStage({ access: accessPolicyOf({ consumers: [activeConsumer], grants: [grant] }), logger }).run(context);
    expect(context.authorization).toEqual({ consumer: activeConsumer, grant });
  });

  it('denies by default: unknown client, suspended consumer, no grant', () => {
    const run = (access: ReturnType<typeof accessPolicyOf>) => () => authorizeStage({ access, logger }).run(stageContext({ principal }));
    expect(run(accessPolicyOf({}))).toThrow(expect.objectContaining({ code: 'LGSP_CONSUMER_UNKNOWN' }));
    expect(run(accessPolicyOf({ consumers: [{ ...activeConsumer, status: 'suspended' }], grants: [grantOf()] }))).toThrow(expect.objectContaining({ code: 'LGSP_CONSUMER_SUSPENDED' }));
    expect(run(accessPolicyOf({ consumers: [activeConsumer], grants: [grantOf({ operation: 'other.op' })] }))).toThrow(expect.objectContaining({ code: 'LGSP_OPERATION_NOT_GRANTED' }));
  });

  it("reads the grant's validity window on the pipeline's clock", () => {
    const access = accessPolicyOf({ consumers: [activeConsumer], grants: [grantOf({ validFrom: '2026-12-01T00:00:00Z', validUntil: '2026-12-31T00:00:00Z' })] });
    expect(() => authorizeStage({ access, logger, clock: at('2026-11-30T23:59:59Z') }).run(stageContext({ principal }))).toThrow(expect.objectContaining({ code: 'LGSP_GRANT_NOT_VALID_NOW' }));
    expect(() => authorizeStage({ access, logger, clock: at('2026-12-06T10:00:00Z') }).run(stageContext({ principal }))).not.toThrow();
    expect(() => authorizeStage({ access, logger, clock: at('2026-12-31T00:00:00Z') }).run(stageContext({ principal }))).toThrow(expect.objectContaining({ code: 'LGSP_GRANT_NOT_VALID_NOW' }));
  });
});
