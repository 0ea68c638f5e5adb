import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { applyHttpFault, FaultController, parseFaultRequest } from './fault-injection.js';

describe('FaultController', () => {
  it('hits every data operation until cleared when no scope is given, but not the token endpoint', () => {
    const faults = new FaultController();
    faults.set({ kind: 'http-500' });
    expect(faults.next('TraCuuThongTinCongDan')).toEqual({ kind: 'http-500' });
    expect(faults.next('XacThucThongTinCongDan')).toEqual({ kind: 'http-500' });
    expect(faults.next('token')).toBeUndefined();
    faults.clear();
    expect(faults.next('TraCuuThongTinCongDan')).toBeUndefined();
  });

  it('limits a fault to one operation and to a number of calls', () => {
    const faults = new FaultController();
    faults.set({ kind: 'latency', ms: 10 }, { operation: 'XacThucThongTinCongDan', times: 2 });
    expect(faults.next('TraCuuThongTinCongDan')).toBeUndefined();
    expect(faults.next('XacThucThongTinCongDan')).toEqual({ kind: 'latency', ms: 10 });
    expect(faults.active?.remaining).toBe(1);
    expect(faults.next('XacThucThongTinCongDan')).toEqual({ kind: 'latency', ms: 10 });
    expect(faults.next('XacThucThongTinCongDan')).toBeUndefined();
    expect(faults.active).toBeUndefined();
  });

  it('reaches the token endpoint only when scoped to it', () => {
    const faults = new FaultController();
    faults.set({ kind: 'reset' }, { operation: 'token' });
    expect(faults.next('TraCuuThongTinCongDan')).toBeUndefined();
    expect(faults.next('token')).toEqual({ kind: 'reset' });
  });

  it('refuses malformed faults and scopes', () => {
    const faults = new FaultController();
    expect(() => faults.set({ kind: 'latency' } as never)).toThrow(/ms/);
    expect(() => faults.set({ kind: 'explode' } as never)).toThrow(/unknown fault kind/);
    expect(() => faults.set({ kind: 'hang' }, { times: 0 })).toThrow(/times/);
    expect(faults.active).toBeUndefined();
  });
});

describe('FaultController call counts', () => {
  it('counts every call that reached the sandbox, faulted or not, per operation and for all data operations', () => {
    const faults = new FaultController();
    faults.next('TraCuuThongTinCongDan');
    faults.set({ kind: 'unavailable', retryAfterSeconds: 2 });
    expect(faults.next('TraCuuThongTinCongDan')).toEqual({ kind: 'unavailable', retryAfterSeconds: 2 });
    faults.next('XacThucThongTinCongDan');
    faults.next('token');
    expect(faults.calls('TraCuuThongTinCongDan')).toBe(2);
    expect(faults.calls('token')).toBe(1);
    expect(faults.calls()).toBe(3);
    faults.resetCalls();
    expect(faults.calls()).toBe(0);
  });

  it('refuses a malformed Retry-After of the unavailable fault', () => {
    expect(() => new FaultController().set({ kind: 'unavailable', retryAfterSeconds: -1 })).toThrow(/retryAfterSeconds/);
    expect(parseFaultRequest({ kind: 'unavailable', retryAfterSeconds: 3, times: 1 })).toEqual({ fault: { kind: 'unavailable', retryAfterSeconds: 3 }, scope: { times: 1 } });
  });
});

describe('parseFaultRequest', () => {
  it('reads the flat and the nested form alike', () => {
    const expected = { fault: { kind: 'latency', ms: 250 }, scope: { operation: 'TraCuuThongTinCongDan', times: 3 } };
    expect(parseFaultRequest({ kind: 'latency', ms: 250, operation: 'TraCuuThongTinCongDan', times: 3 })).toEqual(expected);
    expect(parseFaultRequest({ fault: { kind: 'latency', ms: 250 }, scope: { operation: 'TraCuuThongTinCongDan', times: 3 } })).toEqual(expected);
    expect(parseFaultRequest({ kind: 'hang' })).toEqual({ fault: { kind: 'hang' }, scope: {} });
  });

  it('explains what is wrong', () => {
    expect(parseFaultRequest([])).toEqual({ error: expect.stringMatching(/object/) });
    expect(parseFaultRequest({ kind: 'latency', ms: -1 })).toEqual({ error: expect.stringMatching(/ms/) });
    expect(parseFaultRequest({ kind: 'garbage', operation: '' })).toEqual({ error: expect.stringMatching(/operation/) });
  });
});

describe('oversize fault', () => {
  it('takes an optional positive byte count, from the control route too', () => {
    expect(() => new FaultController().set({ kind: 'oversize', bytes: 0 })).toThrow(/bytes/);
    expect(parseFaultRequest({ kind: 'oversize', bytes: 1024, times: 1 })).toEqual({ fault: { kind: 'oversize', bytes: 1024 }, scope: { times: 1 } });
    expect(parseFaultRequest({ kind: 'oversize' })).toEqual({ fault: { kind: 'oversize' }, scope: {} });
  });

  it('streams a chunked answer with no Content-Length, and stops writing when the client hangs up', async () => {
    let finished: Promise<void> = Promise.resolve();
    const server = http.createServer((request, response) => {
      finished = applyHttpFault({ kind: 'oversize' }, request, response).then(() => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ port, host: '127.0.0.1', path: '/' }, resolve).on('error', reject));
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-length']).toBeUndefined();
      expect(response.headers['transfer-encoding']).toBe('chunked');
      let received = 0;
      for await (const chunk of response as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > 1024 * 1024) break;
      }
      response.destroy();
      // The sandbox notices the hang-up and ends (it would otherwise write 1 GiB).
      await finished;
      expect(received).toBeGreaterThan(1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
