import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { boundedRequest } from './bounded-body.js';
import { connectorFile } from './connector-files.js';
import { createRestUpstream } from './rest-upstream.js';
import { createSoapUpstream } from './soap-upstream.js';
import { UpstreamError } from './upstream-errors.js';
import { requestOAuth2Token } from './upstream-auth/oauth2-token-endpoint.js';
import { createSessionDstcodeAuth } from './upstream-auth/session-dstcode.js';
import { noUpstreamAuth } from './upstream-auth/upstream-auth.js';
import { failureOf } from './test-support/upstream-failure.js';

/**
 * Both transports read an answer only up to maxResponseBytes, counted while
 * it streams: a chunked answer (no Content-Length) of any size costs the
 * gateway at most that much memory, and the upstream sees its socket closed
 * long before it has written everything.
 */
const MB = 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'x');

interface Exchange {
  /** Bytes the server managed to write before the exchange ended. */
  written: number;
  /** Whether it wrote its whole answer (false: the client closed the socket first). */
  finished: boolean;
}

let server: http.Server;
let origin: string;
/** Size of the next answers, in bytes. */
let answerBytes = 256 * MB;
let declareLength = false;
const exchanges: Array<Promise<Exchange>> = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    exchanges.push(
      new Promise<Exchange>((resolve) => {
        let written = 0;
        response.once('close', () => resolve({ written, finished: response.writableFinished }));
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', ...(declareLength && { 'content-length': String(answerBytes) }) });
        const pump = () => {
          while (written < answerBytes && !response.destroyed) {
            const piece = chunk.subarray(0, Math.min(chunk.length, answerBytes - written));
            written += piece.length;
            if (!response.write(piece)) return void response.once('drain', pump);
          }
          if (!response.destroyed) response.end();
        };
        pump();
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answerBytes = 256 * MB;
  declareLength = false;
  exchanges.length = 0;
});

const context = () => ({ signal: AbortSignal.timeout(20_000), requestId: 'req-big', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

const transports = {
  REST: async (maxResponseBytes?: number) => {
    const upstream = createRestUpstream({ baseUrl: `${origin}/api`, auth: noUpstreamAuth, maxResponseBytes });
    return { call: () => upstream.request({ method: 'GET', path: '/big' }, context()), close: () => upstream.close() };
  },
  SOAP: async (maxResponseBytes?: number) => {
    const upstream = await createSoapUpstream({ wsdlPath: connectorFile('population', 'population.wsdl'), endpoint: `${origin}/soap`, auth: noUpstreamAuth, maxResponseBytes });
    return { call: () => upstream.call('TraCuuThongTinCongDan', { SoDinhDanh: '001090012345' }, context()), close: async () => upstream.close() };
  },
};

describe.each(Object.entries(transports))('%s transport: answer size cap', (_name, open) => {
  it('cuts a chunked answer off at the cap as too_large, and the upstream sees its socket closed before it finished', async () => {
    const upstream = await open(1 * MB);
    try {
      const error = await failureOf(upstream.call());
      expect(error.kind).toBe('too_large');
      expect(error.countsAgainstUpstream).toBe(true);
      expect(error.transient).toBe(false);
      const [exchange] = await Promise.all(exchanges);
      expect(exchange!.finished).toBe(false);
      // What was written before the close is the cap plus what the sockets buffer, far from the 256 MB on offer.
      expect(exchange!.written).toBeLessThan(32 * MB);
    } finally {
      await upstream.close();
    }
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    declareLength = true;
    const upstream = await open(1 * MB);
    try {
      expect((await failureOf(upstream.call())).kind).toBe('too_large');
      const [exchange] = await Promise.all(exchanges);
      expect(exchange!.finished).toBe(false);
    } finally {
      await upstream.close();
    }
  });

  it('reads an answer under the cap to its end', async () => {
    answerBytes = 512 * 1024;
    const upstream = await open(1 * MB);
    try {
      const outcome = await upstream.call().then(
        () => 'ok',
        (error: UpstreamError) => error.kind,
      );
      // Read whole: 512 KiB of 'x' is neither JSON nor SOAP, which is the next verdict, not the size's.
      expect(outcome).toBe('contract');
      const [exchange] = await Promise.all(exchanges);
      expect(exchange!.finished).toBe(true);
    } finally {
      await upstream.close();
    }
  });

  it('keeps memory bounded with the default cap while the upstream offers 256 MB per answer', async () => {
    const upstream = await open();
    let peak = process.memoryUsage().rss;
    const baseline = peak;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      for (let call = 0; call < 3; call += 1) expect((await failureOf(upstream.call())).kind).toBe('too_large');
      peak = Math.max(peak, process.memoryUsage().rss);
      const done = await Promise.all(exchanges);
      expect(done.map((exchange) => exchange.finished)).toEqual([false, false, false]);
      // The default cap is 10 MB; reading the answers whole would add 256 MB or more.
      expect(peak - baseline).toBeLessThan(100 * MB);
    } finally {
      clearInterval(sampler);
      await upstream.close();
    }
  });
});

describe('login answers are bounded too', () => {
  it.each([
    ['OAuth2 token endpoint', () => requestOAuth2Token({ tokenUrl: `${origin}/token`, form: { grant_type: 'client_credentials' } })],
    ['session login', () => createSessionDstcodeAuth({ loginUrl: `${origin}/login`, credentials: { username: 'u', password: 'p', dstcode: 'VN:GOV:G22:DVCQG' } }).headers()],
  ])('%s: an endless answer fails as too_large, its socket closed', async (_name, logIn) => {
    expect((await failureOf(logIn())).kind).toBe('too_large');
    const [exchange] = await Promise.all(exchanges);
    expect(exchange!.finished).toBe(false);
    expect(exchange!.written).toBeLessThan(32 * MB);
  });
});

describe('boundedRequest', () => {
  let exchangeServer: http.Server;
  let exchangeOrigin: string;
  /** Per exchange, whether the server wrote its whole answer before the socket closed. */
  const finished: Array<Promise<boolean>> = [];
  let pool: Pool;

  beforeAll(async () => {
    exchangeServer = http.createServer((request, response) => {
      request.resume();
      finished.push(new Promise((resolve) => response.once('close', () => resolve(response.writableFinished))));
      if (request.url === '/early-hints') response.writeEarlyHints({ link: '</style.css>; rel=preload' });
      if (request.url === '/hang') return;
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-twice': ['a', 'b'] });
      if (request.url === '/slow') {
        // A first piece now, the rest never: the reader is waiting in the middle of the body.
        response.write('début ');
        return;
      }
      // Several chunks, no Content-Length: the pieces are joined in order.
      for (const piece of ['début ', 'milieu ', 'fin']) response.write(piece);
      response.end();
    });
    exchangeServer.listen(0, '127.0.0.1');
    await once(exchangeServer, 'listening');
    exchangeOrigin = `http://127.0.0.1:${(exchangeServer.address() as AddressInfo).port}`;
    pool = new Pool(exchangeOrigin);
  });

  afterAll(async () => {
    await pool.destroy();
    exchangeServer.closeAllConnections();
    await new Promise((resolve) => exchangeServer.close(resolve));
  });

  beforeEach(() => {
    finished.length = 0;
  });

  it.each(['/chunked', '/early-hints'])('%s: reads the status, the headers and the whole body', async (path) => {
    const answer = await boundedRequest(pool, { method: 'GET', path }, { maxBytes: MB, signal: AbortSignal.timeout(5000) });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-twice']).toEqual(['a', 'b']);
    expect(answer.body.toString('utf8')).toBe('début milieu fin');
  });

  it('cuts the body off at the cap, as too_large, and closes the socket', async () => {
    const error = await failureOf(boundedRequest(pool, { method: 'GET', path: '/slow' }, { maxBytes: 3, signal: AbortSignal.timeout(5000) }));
    expect(error.kind).toBe('too_large');
    expect(await Promise.all(finished)).toEqual([false]);
  });

  it('rejects with the reason of a signal that fired before the call, sending nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(boundedRequest(pool, { method: 'GET', path: '/chunked' }, { maxBytes: MB, signal: controller.signal })).rejects.toThrow('too late');
    expect(finished).toHaveLength(0);
  });

  it.each(['/hang', '/slow'])('%s: rejects with the signal reason when it fires mid-exchange, and closes the socket', async (path) => {
    const controller = new AbortController();
    const answer = boundedRequest(pool, { method: 'GET', path }, { maxBytes: MB, signal: controller.signal });
    while (finished.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    setTimeout(() => controller.abort(new Error('deadline')), 20);
    await expect(answer).rejects.toThrow('deadline');
    expect(await Promise.all(finished)).toEqual([false]);
  });

  it('rejects with the connection error when nobody listens', async () => {
    const closed = new Pool('http://127.0.0.1:9', { connect: { timeout: 2000 } });
    try {
      await expect(boundedRequest(closed, { method: 'GET', path: '/' }, { maxBytes: MB, signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await closed.destroy();
    }
  });
});
