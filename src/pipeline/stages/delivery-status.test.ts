import type { OutboxMessageView } from '../../outbox/index.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { BreakerRegistry } from '../../resilience/breaker-registry.js';
import { Deadline } from '../../resilience/deadline.js';
import { resolvePolicies } from '../../resilience/policy.js';
import { UpstreamCaller } from '../../resilience/upstream-caller.js';
import { availableHandle, stageContext } from '../test-support/stage-context.js';
import { deliveryStatusStage } from './delivery-status.js';

const at = new Date('2026-12-06T08:00:00Z');
const message = (overrides: Partial<OutboxMessageView>): OutboxMessageView => ({
  id: 'id-1', target: 'test.things', key: 'K-1', sequence: 1, state: 'delivered', attempts: 1, nextAttemptAt: at, leaseOwner: null, leaseExpiresAt: null, lastAttemptAt: at,
  lastError: null, createdAt: at, redrivenAt: null, deliveredAt: at, deliveryAnswer: 'created', deadReason: null, finishedAt: at, contentHash: 'h', ...overrides,
});

function setUp(messages: OutboxMessageView[]) {
  const metrics = createMetrics();
  const logger = createLogger({ level: 'silent' });
  const upstreams = new UpstreamCaller({ breakers: new BreakerRegistry({ metrics, logger }), metrics, logger });
  upstreams.configure('test', resolvePolicies(['test.thing.sync-status'], []));
  const asked: string[] = [];
  const stage = deliveryStatusStage({ outbox: { enqueue: async () => { throw new Error('not here'); }, messagesOf: async () => messages }, upstreams }, { id: 'test' }, { id: 'test.thing.sync-status' }, availableHandle('test', {}), {
    target: 'test.things',
    keyOf: (input) => input.params.code!,
    upstreamView: { wanted: (input) => input.query.upstream === 'true', read: async (_client, key) => (asked.push(key), { held: true }) },
  });
  const context = (query: Record<string, string> = {}) => stageContext({ input: { params: { code: 'K-1' }, query, body: undefined }, deadline: new Deadline(performance.now() + 5_000) });
  return { stage, context, asked };
}

describe('delivery-status stage', () => {
  it("shows each message's state and timing without its payload; a pending message already tried is 'retrying'", async () => {
    const { stage, context, asked } = setUp([message({}), message({ id: 'id-2', sequence: 2, state: 'pending', attempts: 2, deliveredAt: null, deliveryAnswer: null, lastError: { kind: 'timeout', message: 'x' } })]);
    const ctx = context();
    await stage.run(ctx);
    expect(ctx.released?.body).toEqual({
      key: 'K-1',
      messages: [
        { syncId: 'id-1', sequence: 1, state: 'delivered', acceptedAt: at.toISOString(), attempts: 1, deliveredAt: at.toISOString(), answer: 'created' },
        { syncId: 'id-2', sequence: 2, state: 'retrying', acceptedAt: at.toISOString(), attempts: 2, nextAttemptAt: at.toISOString(), lastError: 'timeout' },
      ],
    });
    expect(asked).toEqual([]);
  });

  it('asks the upstream only when the caller wants it; nothing accepted for the key is a 404', async () => {
    const { stage, context, asked } = setUp([message({})]);
    const ctx = context({ upstream: 'true' });
    await stage.run(ctx);
    expect(ctx.released?.body).toMatchObject({ upstream: { held: true } });
    expect(asked).toEqual(['K-1']);
    await expect(setUp([]).stage.run(context())).rejects.toMatchObject({ code: 'LGSP_NOT_FOUND' });
  });
});
