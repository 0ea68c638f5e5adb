import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { ConnectorClientContext } from '../../../src/connector-kit/descriptor.js';
import { noUpstreamAuth } from '../../../src/connector-kit/upstream-auth/upstream-auth.js';

/**
 * An upstream that routes strictly, as an adapter written by someone else
 * may: the request target must equal the one route it serves, byte for byte
 * (`/dvcqg` is not `/dvcqg/`, the query string counts when `matchQuery`);
 * anything else is a 404. Records every target it was asked for.
 */
export interface StrictUpstream {
  origin: string;
  targets: string[];
  close(): Promise<void>;
}

export async function startStrictUpstream(route: { method: string; target: string; matchQuery?: boolean; contentType: string; body: string }): Promise<StrictUpstream> {
  const targets: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    const target = request.url ?? '';
    targets.push(target);
    const compared = route.matchQuery ? target : target.split('?')[0];
    if (request.method !== route.method || compared !== route.target) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
      return;
    }
    response.writeHead(200, { 'content-type': route.contentType }).end(route.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What a connector's createClient gets, pointed at `baseUrl`, without authentication. */
export function plainClientContext<Settings extends Record<string, unknown>>(baseUrl: string, settings: Settings): ConnectorClientContext<Settings> {
  return { baseUrl, settings, auth: noUpstreamAuth, logger: pino({ level: 'silent' }), transport: { connectTimeoutMs: 2000 } };
}

export const testInvocation = () => ({ signal: AbortSignal.timeout(5000), requestId: 'req-path', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

/**
 * An upstream whose every answer is an HTTP 200 streamed without end (no
 * Content-Length); `closedEarly` resolves, per exchange, whether the client
 * closed the socket before the (1 GiB) answer was written.
 */
export async function startEndlessUpstream(): Promise<{ origin: string; closedEarly: Array<Promise<boolean>>; close(): Promise<void> }> {
  const closedEarly: Array<Promise<boolean>> = [];
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = http.createServer((request, response) => {
    request.resume();
    closedEarly.push(new Promise((resolve) => response.once('close', () => resolve(!response.writableFinished))));
    response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    let written = 0;
    const pump = () => {
      while (written < 1024 ** 3 && !response.destroyed) {
        written += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closedEarly,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
