import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { enqueue, PermanentDeliveryError, type OutboxMessage } from '../../src/outbox/index.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

// The outbox as the gateway runs it: its one dispatcher, a target registered through
// RunningGateway.outbox, and the operators' routes under /admin/v1/outbox.
const target = 'test.sync';
const personalName = 'Nguyễn Văn Outbox';

let harness: Harness;
let tokens: { operator: string; auditor: string; admin: string; consumer: string };
const delivered: Array<{ key: string; sequence: number }> = [];

beforeAll(async () => {
  harness = await startHarness({ store: 'pglite', overrides: { health: { probeIntervalMs: 3_600_000 }, outbox: { pollIntervalMs: 50, baseDelayMs: 5, maxDelayMs: 20 } } });
  tokens = {
    ...(await harness.staffTokens()),
    consumer: await harness.token(),
  };
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const get = (path: string, token: string) => request(harness.url).get(`/admin/v1/outbox${path}`).set('authorization', `Bearer ${token}`);
const post = (path: string, token: string) => request(harness.url).post(`/admin/v1/outbox${path}`).set('authorization', `Bearer ${token}`);
const message = async (id: string) => (await get(`/messages/${id}`, tokens.operator)).body;

describe('/admin/v1/outbox on a running gateway', () => {
  let poison: string;
  let held: string;
  let first: string;

  it('claims nothing while no handler is registered, then delivers through the registered one; a permanent failure goes dead and holds its key', async () => {
    const { gateway } = harness.stack;
    const store = gateway.store;
    first = (await enqueue(store, { target, key: 'D-1', payload: { step: 1, applicant: personalName } })).id;
    await enqueue(store, { target, key: 'D-1', payload: { step: 2, applicant: personalName } });
    poison = (await enqueue(store, { target, key: 'D-2', payload: { step: 1, applicant: personalName, poison: true } })).id;
    held = (await enqueue(store, { target, key: 'D-2', payload: { step: 2, applicant: personalName } })).id;
    gateway.outbox.dispatcher.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await message(first)).toMatchObject({ state: 'pending', attempts: 0 });

    gateway.outbox.register(target, {
      handler: async (m: OutboxMessage) => {
        if ((m.payload as { poison?: boolean }).poison) throw new PermanentDeliveryError('rejected', 'target refused the content');
        delivered.push({ key: m.key, sequence: m.sequence });
        return { answer: 'accepted' };
      },
    });
    await eventually(() => message(poison), (body) => body.state === 'dead');
    await eventually(() => message(first), (body) => body.state === 'delivered');
    expect(delivered.filter((d) => d.key === 'D-1').map((d) => d.sequence)).toEqual([1, 2]);
    expect(await message(held)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await message(poison)).toMatchObject({ state: 'dead', deadReason: 'rejected by target (rejected)', lastError: { kind: 'rejected', message: 'target refused the content' } });
  });

  it('lists and reads messages for every admin role, never with the payload unless an admin asks (and that read is audited)', async () => {
    for (const token of [tokens.operator, tokens.auditor, tokens.admin]) {
      const list = await get(`/messages?target=${target}`, token);
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(4);
      expect(JSON.stringify(list.body)).not.toContain(personalName);
      for (const item of list.body.items) expect(item).not.toHaveProperty('payload');
    }
    const one = await get(`/messages?target=${target}&key=D-2&state=pending&limit=5`, tokens.auditor);
    expect(one.body.items.map((item: { id: string }) => item.id)).toEqual([held]);
    expect(JSON.stringify((await get(`/messages/${poison}`, tokens.operator)).body)).not.toContain(personalName);

    expect((await get(`/messages?includePayload=true`, tokens.operator)).status).toBe(403);
    expect((await get(`/messages/${poison}?includePayload=true`, tokens.auditor)).status).toBe(403);
    const withPayload = await get(`/messages/${poison}?includePayload=true`, tokens.admin);
    expect(withPayload.status).toBe(200);
    expect(withPayload.body.payload).toEqual({ step: 1, applicant: personalName, poison: true });
    const audit = await request(harness.url).get(`/admin/v1/admin-audit?resourceType=outbox_message_payload&resourceId=${poison}`).set('authorization', `Bearer ${tokens.auditor}`);
    expect(audit.body.items).toEqual([expect.objectContaining({ actor: 'admin', action: 'read', after: { target, returned: 1 } })]);
  });

  it('pages the list by keyset (nextCursor, null on the last page) and refuses a cursor it did not issue', async () => {
    const whole = (await get(`/messages?target=${target}`, tokens.auditor)).body;
    expect(whole.nextCursor).toBeNull();
    const first = await get(`/messages?target=${target}&limit=3`, tokens.auditor);
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/messages?target=${target}&limit=3&cursor=${first.body.nextCursor}`, tokens.auditor);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id)).toEqual(whole.items.map((item: { id: string }) => item.id));

    const bad = await get(`/messages?cursor=bm90LWEtY3Vyc29y`, tokens.operator);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'LGSP_VALIDATION_FAILED', errors: [{ field: 'query:cursor' }] });
  });

  it('shows backlog, oldest pending age, retrying and dead per target, as stats and metrics', async () => {
    const stats = await get('/stats', tokens.auditor);
    expect(stats.status).toBe(200);
    // Only this test's target (the gateway's own write paths register theirs too).
    expect(stats.body.items.filter((item: { target: string }) => item.target === target)).toEqual([
      { target, backlog: 1, oldestPendingAgeSeconds: expect.any(Number), retrying: 0, dead: 1, deliveries: { delivered: 2, retry: 0, dead: 1, deferred: 0 } },
    ]);
    expect(stats.body.items.find((item: { target: string }) => item.target === target).oldestPendingAgeSeconds).toBeGreaterThan(0);
    const metrics = (await request(harness.opsUrl).get('/metrics')).text;
    expect(metrics).toContain(`lgsp_outbox_dead_messages{target="${target}"} 1`);
    expect(metrics).toContain(`lgsp_outbox_backlog_messages{target="${target}"} 1`);
    expect(metrics).toContain(`lgsp_outbox_deliveries_total{target="${target}",outcome="delivered"} 2`);
  });

  it('refuses consumers, auditors changing anything, operators cancelling, bad queries, unknown ids and wrong states', async () => {
    expect((await get('/messages', tokens.consumer)).status).toBe(403);
    expect((await get('/stats', tokens.consumer)).status).toBe(403);
    const auditorRedrive = await post(`/messages/${poison}/redrive`, tokens.auditor);
    expect(auditorRedrive.status).toBe(403);
    expect(auditorRedrive.body.code).toBe('LGSP_ROLE_REQUIRED');
    expect((await post(`/messages/${poison}/cancel`, tokens.operator)).status).toBe(403);
    expect((await post(`/messages/${poison}/cancel`, tokens.consumer)).status).toBe(403);

    const bad = await get('/messages?limit=0&state=lost&colour=red', tokens.operator);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['query:colour', 'query:limit', 'query:state']);
    expect((await get('/messages?includePayload=maybe', tokens.admin)).status).toBe(400);

    for (const id of [randomUUID(), 'not-a-uuid']) {
      const missing = await post(`/messages/${id}/redrive`, tokens.admin);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('LGSP_NOT_FOUND');
      expect((await get(`/messages/${id}`, tokens.operator)).status).toBe(404);
    }
    const wrong = await post(`/messages/${first}/cancel`, tokens.admin);
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ code: 'LGSP_CONFLICT', state: 'delivered' });
    expect((await post(`/messages/${held}/redrive`, tokens.operator)).body).toMatchObject({ code: 'LGSP_CONFLICT', state: 'pending' });
  });

  it('an operator re-drives, an admin cancels; the key then moves on, and each change is in the admin audit stream with before and after, without payload', async () => {
    const redriven = await post(`/messages/${poison}/redrive`, tokens.operator);
    expect(redriven.status).toBe(200);
    expect(redriven.body).toMatchObject({ id: poison, state: 'pending', attempts: 0, deadReason: null, lastError: null });
    expect(redriven.body).not.toHaveProperty('payload');
    // Still refused by the target: dead again.
    await eventually(() => message(poison), (body) => body.state === 'dead' && body.attempts === 1);

    const cancelled = await post(`/messages/${poison}/cancel`, tokens.admin);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: poison, state: 'cancelled' });
    await eventually(() => message(held), (body) => body.state === 'delivered');
    expect(delivered.filter((d) => d.key === 'D-2').map((d) => d.sequence)).toEqual([2]);

    const audit = await request(harness.url).get(`/admin/v1/admin-audit?resourceType=outbox_message&resourceId=${poison}`).set('authorization', `Bearer ${tokens.auditor}`);
    expect(audit.status).toBe(200);
    // Newest first.
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actor: 'admin', action: 'update', before: expect.objectContaining({ state: 'dead' }), after: expect.objectContaining({ state: 'cancelled' }) }),
      expect.objectContaining({ actor: 'operator', action: 'update', before: expect.objectContaining({ state: 'dead', deadReason: 'rejected by target (rejected)' }), after: expect.objectContaining({ state: 'pending', attempts: 0 }) }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(personalName);
    for (const item of audit.body.items) {
      expect(item.before).not.toHaveProperty('payload');
      expect(item.after).not.toHaveProperty('payload');
    }
    const stats = await get('/stats', tokens.operator);
    expect(stats.body.items.find((item: { target: string }) => item.target === target)).toMatchObject({ target, backlog: 0, dead: 0, oldestPendingAgeSeconds: 0 });
  });
});
