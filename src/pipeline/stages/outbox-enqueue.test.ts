import type { EnqueueResult, NewOutboxMessage } from '../../outbox/index.js';
import type { OutboxAccess } from '../outbox-access.js';
import { stageContext } from '../test-support/stage-context.js';
import { outboxEnqueueStage } from './outbox-enqueue.js';

const write = {
  target: 'test.things',
  keyOf: (input: { params: Record<string, string> }) => input.params.code!,
  messageOf: (input: { body: unknown }) => ({ kind: 'thing', thing: input.body }),
  fieldsSent: (input: { body: unknown }) => Object.keys(input.body as object),
};
const input = { params: { code: 'K-1' }, query: {}, body: { code: 'K-1', name: 'x' } };

function outbox(answer: Partial<EnqueueResult>): OutboxAccess & { seen: NewOutboxMessage[] } {
  const seen: NewOutboxMessage[] = [];
  return {
    seen,
    enqueue: async (message) => (seen.push(message), { id: '6b0d7c52-8d64-4c1e-9a55-2f1f3f2b9a10', sequence: 3, created: true, sameContent: true, state: 'pending', ...answer }),
    messagesOf: async () => [],
  };
}

describe('outbox-enqueue stage', () => {
  it('stores the message under its key (with the caller’s Idempotency-Key) and answers 202 with the sync id, naming the fields sent', async () => {
    const access = outbox({});
    const context = stageContext({ input, idempotencyKey: 'req-1' });
    await outboxEnqueueStage({ outbox: access }, { id: 'test.thing.put' }, write).run(context);
    expect(access.seen).toEqual([{ target: 'test.things', key: 'K-1', payload: { kind: 'thing', thing: input.body }, idempotencyKey: 'req-1' }]);
    expect(context.status).toBe(202);
    expect(context.released).toEqual({ body: { syncId: '6b0d7c52-8d64-4c1e-9a55-2f1f3f2b9a10', key: 'K-1', sequence: 3, state: 'pending', duplicate: false }, fields: ['code', 'name'] });
  });

  it('says duplicate for a repeated request, and refuses an Idempotency-Key reused for another body (422)', async () => {
    const repeated = stageContext({ input });
    await outboxEnqueueStage({ outbox: outbox({ created: false }) }, { id: 'test.thing.put' }, write).run(repeated);
    expect(repeated.released?.body).toMatchObject({ duplicate: true });
    await expect(outboxEnqueueStage({ outbox: outbox({ created: false, sameContent: false }) }, { id: 'test.thing.put' }, write).run(stageContext({ input }))).rejects.toMatchObject({
      code: 'LGSP_IDEMPOTENCY_KEY_REUSED',
      status: 422,
    });
  });

  it('cannot be built without an outbox (a wiring bug, found at start)', () => {
    expect(() => outboxEnqueueStage({}, { id: 'test.thing.put' }, write)).toThrow('the outbox');
  });
});
