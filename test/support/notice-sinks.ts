import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/alerting/channels/webhook-channel.js';

/**
 * A webhook endpoint for alert notices in end-to-end tests (the SMTP one is
 * src/alerting/channels/test-support/smtp-sink.ts). A notice counts once the
 * sink has answered 2xx: a sender that dies while it is held has delivered
 * nothing.
 */

export interface ReceivedWebhook {
  notificationId: string;
  signatureValid: boolean;
  body: { kind: string; firing: Array<{ ruleId: string; labels: Record<string, string> }>; resolved: Array<{ ruleId: string; labels: Record<string, string> }>; [key: string]: unknown };
}

export interface WebhookSink {
  url: string;
  hooks: ReceivedWebhook[];
  hold(): void;
  release(): void;
  held(): number;
  close(): Promise<void>;
}

export async function startWebhookSink(secret: string): Promise<WebhookSink> {
  const hooks: ReceivedWebhook[] = [];
  let holding = false;
  const waiting: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const accept = () => {
        // A sender gone while held delivered nothing: only an answered request counts.
        if (res.destroyed || req.socket.destroyed) return;
        hooks.push({
          notificationId: String(req.headers['x-lgsp-notification-id']),
          signatureValid: verifyWebhookSignature(secret, { timestamp: header(req, 'x-lgsp-timestamp'), signature: header(req, 'x-lgsp-signature') }, raw),
          body: JSON.parse(raw) as ReceivedWebhook['body'],
        });
        res.writeHead(204).end();
      };
      if (holding) waiting.push(accept);
      else accept();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/lgsp`,
    hooks,
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const accept of waiting.splice(0)) accept();
    },
    held: () => waiting.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
