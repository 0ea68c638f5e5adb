import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createUpstreamAuth } from '../../../src/connector-kit/upstream-auth/create-upstream-auth.js';
import { createPaygovClient, type PaygovClient, type PaygovCredentials, type PaygovSettings } from '../client.js';
import type { IpnMessage } from '../upstream-types.js';
import { paygovSandboxDevCredentials } from './server.js';

/**
 * The paygov client as the gateway builds it for a sandbox (or any platform at
 * `baseUrl`): sealed by the kit's 'message-checksum' UpstreamAuth made from
 * the credentials (the sandbox's development ones unless given), so the
 * connector code under test never holds the secret.
 */
export function createSandboxClient(baseUrl: string, credentials: PaygovCredentials = paygovSandboxDevCredentials, settings: PaygovSettings = {}): Promise<PaygovClient> {
  const auth = createUpstreamAuth('message-checksum', { baseUrl, settings, credentials: { ...credentials } });
  return createPaygovClient({ baseUrl, settings, auth, logger: pino({ level: 'silent' }), transport: { connectTimeoutMs: 2000 } });
}

/**
 * A stand-in for the gateway's IPN endpoint: records every IPN it is sent and
 * answers "00", or fails the first `failFirst` attempts with a 503.
 */
export interface IpnReceiver {
  url: string;
  received: IpnMessage[];
  /** The request path of each IPN taken, in order. */
  paths: string[];
  failFirst: number;
  close(): Promise<void>;
}

export async function startIpnReceiver(): Promise<IpnReceiver> {
  const receiver: IpnReceiver = { url: '', received: [], paths: [], failFirst: 0, close: async () => undefined };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (receiver.failFirst > 0) {
        receiver.failFirst -= 1;
        response.writeHead(503).end('busy');
        return;
      }
      receiver.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as IpnMessage);
      receiver.paths.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MaLoi: '00', MoTaLoi: 'Thành công' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/paygov/ipn`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}
