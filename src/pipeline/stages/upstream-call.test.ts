import { UpstreamError } from '../../connector-kit/upstream-errors.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { BreakerRegistry } from '../../resilience/breaker-registry.js';
import { Deadline } from '../../resilience/deadline.js';
import { resolvePolicies } from '../../resilience/policy.js';
import { UpstreamCaller } from '../../resilience/upstream-caller.js';
import { activeConsumer, availableHandle, grantOf, stageContext, testOperation } from '../test-support/stage-context.js';
import { thingContracts } from '../test-support/thing-contracts.js';
import { upstreamCallStage } from './upstream-call.js';

function setUp(invoke: ReturnType<typeof testOperation>['invoke']) {
  const metrics = createMetrics();
  const logger = createLogger({ level: 'silent' });
  const breakers = new BreakerRegistry({ metrics, logger });
  const upstreams = new UpstreamCaller({ breakers, metrics, logger });
  upstreams.configure('test', resolvePolicies(['test.thing.get'], []));
  const operation = testOperation({ invoke });
  const stage = upstreamCallStage({ upstreams, maxRequestTimeoutMs: 5_000, contracts: thingContracts(), metrics, logger }, { id: 'test' } as never, operation, availableHandle('test', {}));
  const context = () =>
    stageContext({
      operation,
      input: { params: { code: '0101234565' }, query: {}, body: undefined },
      authorization: { consumer: activeConsumer, grant: grantOf() },
      deadline: new Deadline(performance.now() + 5_000),
      personalData: { endUser: 'officer01', purpose: 'DOSSIER-PROCESSING' },
    });
  return { stage, context, breakers };
}

describe('upstream-call stage', () => {
  it('asks the connector with the request id, the officer and the purpose, and keeps the validated answer', async () => {
    const seen: unknown[] = [];
    const { stage, context } = setUp(async (_client, _input, invocation) => {
      seen.push({ requestId: invocation.requestId, endUser: invocation.endUser, purpose: invocation.purpose, deadline: typeof invocation.deadline });
      return { kind: 'found', data: { name: 'Công ty A' }, upstreamReference: 'UP-1' };
    });
    const ctx = context();
    await stage.run(ctx);
    expect(seen).toEqual([{ requestId: 'req-1', endUser: 'officer01', purpose: 'DOSSIER-PROCESSING', deadline: 'number' }]);
    expect(ctx.upstreamAsked).toBe(true);
    expect(ctx.answer).toEqual({ data: { name: 'Công ty A' }, upstreamReference: 'UP-1' });
  });

  it('a not-found answer is a 404 problem; the upstream was asked', async () => {
    const { stage, context } = setUp(async () => ({ kind: 'not_found' }));
    const ctx = context();
    await expect(stage.run(ctx)).rejects.toMatchObject({ code: 'LGSP_SUBJECT_NOT_FOUND' });
    expect(ctx.upstreamAsked).toBe(true);
  });

  it('leaves failures typed for the edge, and a contract-breaking answer counts against the breaker', async () => {
    const { stage, context, breakers } = setUp(async () => ({ kind: 'found', data: { wrong: true } }));
    const failure = await Promise.resolve(stage.run(context())).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).kind).toBe('contract');
    expect(breakers.recentOutcomes('test').failures).toBe(1);
  });
});
