import { createServer } from 'node:net';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import { reply, startHttpReceiver } from './test-support/http-receiver.js';
import { sampleNotice } from './test-support/notices.js';
import { sendWebhook, verifyWebhookSignature } from './webhook-channel.js';
import { failureOf } from './test-support/failure-of.js';

const secret = 'whsec-PLANTED-7d1f';
const notice = sampleNotice({ receiverId: 'ops-hook' });

describe('sendWebhook', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const receiver = async (answer: Parameters<typeof startHttpReceiver>[0]) => {
    const started = await startHttpReceiver(answer);
    closers.push(started.close);
    return started;
  };

  it('POSTs the notice as signed JSON; the signature verifies, and fails for an altered body, another secret or a stale timestamp', async () => {
    const server = await receiver((_, response) => reply(response, 204));
    const now = () => Date.parse('2026-03-01T08:06:01.500Z');
    expect(await sendWebhook({ url: `${server.url}/hooks/lgsp?token=abc`, secret, notice, now })).toEqual({ status: 204 });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/lgsp?token=abc' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-lgsp-notification-id']).toBe(notice.notificationId);
    expect(request!.headers['x-lgsp-timestamp']).toBe(String(Math.floor(now() / 1000)));
    expect(request!.headers['x-lgsp-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const body = JSON.parse(request!.body.toString('utf8'));
    expect(body).toEqual({
      version: 1,
      notificationId: notice.notificationId,
      receiverId: 'ops-hook',
      kind: 'mixed',
      groupKey: notice.groupKey,
      groupLabels: notice.groupLabels,
      createdAt: notice.createdAt,
      firing: notice.firing,
      resolved: notice.resolved,
    });
    // The Vietnamese text arrives intact (UTF-8).
    expect(body.firing[0].summary.vi).toBe('Không kết nối được Cơ sở dữ liệu quốc gia về dân cư');

    const headers = { timestamp: request!.headers['x-lgsp-timestamp'] as string, signature: request!.headers['x-lgsp-signature'] as string };
    expect(verifyWebhookSignature(secret, headers, request!.body, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, headers, request!.body.toString('utf8'), { now })).toBe(true);
    const altered = request!.body.toString('utf8').replace('"mixed"', '"repeat"');
    expect(verifyWebhookSignature(secret, headers, altered, { now })).toBe(false);
    expect(verifyWebhookSignature('another-secret', headers, request!.body, { now })).toBe(false);
    // The same body replayed with a fresh timestamp but the old signature: refused.
    expect(verifyWebhookSignature(secret, { ...headers, timestamp: String(Number(headers.timestamp) + 1) }, request!.body, { now })).toBe(false);
    // A captured notice replayed ten minutes later: refused (default tolerance 5 min), unless the receiver allows it.
    const later = () => now() + 600_000;
    expect(verifyWebhookSignature(secret, headers, request!.body, { now: later })).toBe(false);
    expect(verifyWebhookSignature(secret, headers, request!.body, { now: later, toleranceSeconds: 900 })).toBe(true);
    expect(verifyWebhookSignature(secret, { timestamp: headers.timestamp }, request!.body, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, { ...headers, signature: 'sha256=abc' }, request!.body, { now })).toBe(false);
  });

  it('408, 425, 429 and 5xx are transient (Retry-After honoured); other 4xx and 3xx permanent; no URL path, query or body in the errors', async () => {
    const answers: Array<[number, Record<string, string>]> = [
      [503, { 'retry-after': '7' }],
      [429, { 'retry-after': new Date(Date.parse('2026-03-01T08:00:30Z')).toUTCString() }],
      [408, {}],
      [425, {}],
      [500, {}],
      [400, {}],
      [404, {}],
      [410, {}],
      [301, { location: 'http://elsewhere.example/' }],
    ];
    const server = await receiver((_, response, index) => reply(response, answers[index]![0], 'answer body 84 Trần Hưng Đạo', answers[index]![1]));
    const url = `${server.url}/hooks/SECRET-PATH?token=SECRET-QUERY`;
    const now = () => Date.parse('2026-03-01T08:00:00Z');
    const errors: Error[] = [];
    for (let i = 0; i < answers.length; i += 1) errors.push(await failureOf(sendWebhook({ url, secret, notice, now })));
    expect(errors.map((error) => [error.constructor.name, (error as TransientDeliveryError).kind])).toEqual([
      ['TransientDeliveryError', 'http_503'],
      ['TransientDeliveryError', 'http_429'],
      ['TransientDeliveryError', 'http_408'],
      ['TransientDeliveryError', 'http_425'],
      ['TransientDeliveryError', 'http_500'],
      ['PermanentDeliveryError', 'http_400'],
      ['PermanentDeliveryError', 'http_404'],
      ['PermanentDeliveryError', 'http_410'],
      ['PermanentDeliveryError', 'http_301'],
    ]);
    expect((errors[0] as TransientDeliveryError).options.retryAfterMs).toBe(7_000);
    expect((errors[1] as TransientDeliveryError).options.retryAfterMs).toBe(30_000);
    expect(errors[0]!.message).toBe(`webhook ${server.url} answered 503`);
    for (const error of errors) {
      expect(`${error.message} ${String(error.cause ?? '')}`).not.toMatch(/SECRET|Trần|population|whsec/);
    }
  });

  it('a refused connection and a silent receiver are transient, and name no path or query', async () => {
    // A port nobody listens on: take one, then free it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await failureOf(sendWebhook({ url: `http://127.0.0.1:${port}/x/SECRET?token=SECRET`, secret, notice }));
    expect(refused).toBeInstanceOf(TransientDeliveryError);
    expect((refused as TransientDeliveryError).kind).toBe('network');
    expect(refused.message).toMatch(/connection failed \(ECONNREFUSED\)/);
    expect(refused.message).not.toContain('SECRET');

    const silent = await receiver(() => undefined);
    const timedOut = await failureOf(sendWebhook({ url: `${silent.url}/x?token=SECRET`, secret, notice, timeoutMs: 200 }));
    expect(timedOut).toBeInstanceOf(TransientDeliveryError);
    expect((timedOut as TransientDeliveryError).kind).toBe('timeout');
    expect(timedOut.message).not.toContain('SECRET');

    expect(await failureOf(sendWebhook({ url: 'ftp://example.org/x', secret, notice }))).toBeInstanceOf(PermanentDeliveryError);
  });

  it('reads no more than a few KB of an endless answer', async () => {
    let written = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = await receiver((_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (!response.destroyed && written < 200 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      response.on('close', closed);
      pump();
    });
    expect(await sendWebhook({ url: server.url, secret, notice })).toEqual({ status: 200 });
    await connectionClosed;
    // Socket buffers hold some; an unbounded read would have taken all 200 MB.
    expect(written).toBeLessThan(20 * 1024 * 1024);
  });
});
