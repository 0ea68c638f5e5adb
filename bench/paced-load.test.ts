import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drivePaced } from './paced-load.js';
import { latenciesOf } from './load.js';

/**
 * The generator's two promises: it sends on schedule whatever the target does
 * (open loop), and a stall of the target shows in every request that was due
 * during it, not in one (no coordinated omission). Bounds are wide on purpose:
 * the machine is shared.
 */
async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('drivePaced', () => {
  it('sends rate × duration requests without waiting for answers, and times them from their scheduled send', async () => {
    // The target stalls: nothing is answered before 400 ms after the first request arrived.
    const held: Array<() => void> = [];
    let released = false;
    const target = await serve((req, res) => {
      const answer = () => res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'text/plain' }).end('ok');
      if (released) return answer();
      held.push(answer);
      if (held.length === 1) {
        setTimeout(() => {
          released = true;
          for (const release of held.splice(0)) release();
        }, 400);
      }
    });
    try {
      const result = await drivePaced({ url: `${target.url}/` }, { rate: 50, durationSeconds: 1 });
      expect(result.generator.sent).toBe(50);
      expect(result.statuses).toEqual({ '200': 50 });
      expect(result.errors).toBe(0);
      // Open loop: the requests due during the stall went out anyway, on many sockets.
      expect(result.generator.maxInFlight).toBeGreaterThanOrEqual(10);
      expect(result.generator.waitedForSocket).toBe(0);
      // No coordinated omission: every request due in the stall's first 200 ms waited ≥ 200 ms
      // (≈ 10 requests at 50/s). A closed loop would have recorded one slow sample.
      const slow = latenciesOf(result).filter((ms) => ms >= 200);
      expect(slow.length).toBeGreaterThanOrEqual(8);
    } finally {
      await target.close();
    }
  });

  it('counts a late send against the latency: requests due while the generator itself was blocked', async () => {
    const target = await serve((_req, res) => res.writeHead(200).end('ok'));
    try {
      // 50 ms in, this process's event loop is blocked for 300 ms: the requests due then go out late.
      setTimeout(() => {
        const until = Date.now() + 300;
        while (Date.now() < until);
      }, 50);
      const result = await drivePaced({ url: target.url }, { rate: 50, durationSeconds: 1 });
      expect(result.statuses).toEqual({ '200': 50 });
      expect(result.generator.sendLagMax).toBeGreaterThanOrEqual(200);
      // ≈ 15 requests were due during the block; the first 10 of them were ≥ 100 ms late.
      expect(latenciesOf(result).filter((ms) => ms >= 100).length).toBeGreaterThanOrEqual(8);
    } finally {
      await target.close();
    }
  });

  it('counts statuses, and answers that never come as errors after the timeout', async () => {
    let calls = 0;
    const target = await serve((_req, res) => {
      calls += 1;
      if (calls % 5 === 0) return; // never answered
      res.writeHead(calls % 5 === 1 ? 503 : 200).end();
    });
    try {
      const result = await drivePaced({ url: target.url, method: 'POST', body: '<x/>', headers: { 'content-type': 'text/xml' } }, { rate: 40, durationSeconds: 0.5, timeoutSeconds: 1 });
      expect(result.generator.sent).toBe(20);
      expect(result.errors).toBe(4);
      expect(result.statuses).toEqual({ '200': 12, '503': 4 });
      expect(result.okPerSecond).toBeCloseTo(24, 5);
      expect(latenciesOf(result, (status) => status === 503)).toHaveLength(4);
    } finally {
      await target.close();
    }
  });
});
