import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http-helpers.js';
import { httpOrigin } from '../../src/util/http-url.js';

export interface SandboxHttpServer {
  server: http.Server;
  baseUrl: string;
  /** Stops listening and ends every open exchange (hanging ones and idle keep-alive sockets too). */
  close(): Promise<void>;
}

/**
 * The HTTP server under a sandbox: listens on host:port (0 = any free port),
 * turns a handler's unexpected failure into a 500, and closes without waiting
 * for exchanges a `hang` fault keeps open.
 */
export async function startSandboxHttpServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  options: { host?: string; port?: number },
): Promise<SandboxHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((request, response) => {
    handle(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: 'sandbox_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    baseUrl: httpOrigin(host, port),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
