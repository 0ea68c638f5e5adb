import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '../../src/alerting/channels/webhook-channel.js';

/**
 * The receiving ends of alert notices for end-to-end tests: a real SMTP
 * server and a webhook endpoint, in process. A notice counts once the sink
 * has accepted it (250 after DATA, 2xx after the body): a sender that dies
 * before that has not delivered, exactly as with a real mail server.
 */

export interface ReceivedMail {
  messageId: string | undefined;
  notificationId: string | undefined;
  to: string[];
  subject: string;
  text: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Hold the next messages unanswered (after their data arrived) until release(). */
  hold(): void;
  release(): void;
  /** How many messages are being held now. */
  held(): number;
  close(): Promise<void>;
}

export async function startSmtpSink(options: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let holding = false;
  const waiting: Array<() => void> = [];
  const closedSessions = new Set<string>();
  const server = new SMTPServer({
    onClose(session) {
      closedSessions.add(session.id);
    },
    authOptional: options.user === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const accept = () => {
          // The sender hung up while held: it never got a 250, so nothing was delivered.
          if (closedSessions.has(session.id)) return;
          void simpleParser(Buffer.concat(chunks)).then((parsed) => {
            const header = parsed.headers.get('x-lgsp-notification-id');
            mails.push({
              messageId: parsed.messageId,
              notificationId: typeof header === 'string' ? header : undefined,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
            callback();
          }, callback);
        };
        if (holding) waiting.push(accept);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const accept of waiting.splice(0)) accept();
    },
    held: () => waiting.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

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
