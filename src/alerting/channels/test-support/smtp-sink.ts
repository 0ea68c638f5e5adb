import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  user?: string;
  secure: boolean;
  raw: Buffer;
  parsed: ParsedMail;
}

/** An SMTP error the server answers with (smtp-server reads responseCode). */
export function smtpReply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export interface SmtpSinkOptions {
  /** TLS certificate: STARTTLS offered with it; absent: STARTTLS disabled. */
  tls?: { key: string; cert: string };
  /** AUTH PLAIN required with these; absent: no AUTH. */
  credentials?: { user: string; password: string };
  /** Refuse a recipient (an error) or accept it (undefined). */
  onRecipient?: (address: string, session: SMTPServerSession) => Error | undefined;
  /** Refuse a message after its data (an error) or keep it. */
  onMessage?: (mail: ReceivedMail) => Error | undefined;
}

/** A real in-process SMTP server (smtp-server) keeping every message it accepted, parsed with mailparser. */
export async function startSmtpSink(options: SmtpSinkOptions = {}) {
  const mails: ReceivedMail[] = [];
  // hold(): messages wait unanswered after their data; a sender that hangs up meanwhile never got its 250, so delivered nothing.
  let holding = false;
  const held: Array<() => void> = [];
  const closedSessions = new Set<string>();
  const serverOptions: SMTPServerOptions = {
    logger: false,
    onClose(session) {
      closedSessions.add(session.id);
    },
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(options.credentials ? [] : ['AUTH'])],
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    ...(options.credentials && { authMethods: ['PLAIN'], authOptional: false, allowInsecureAuth: true }),
    onAuth(auth, _session, callback) {
      const expected = options.credentials;
      if (expected && auth.username === expected.user && auth.password === expected.password) return callback(null, { user: auth.username });
      callback(smtpReply(535, 'Authentication credentials invalid'));
    },
    onRcptTo(address, session, callback) {
      callback(options.onRecipient?.(address.address, session) ?? undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const mail: ReceivedMail = {
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
              user: session.user as string | undefined,
              secure: session.secure,
              raw,
              parsed,
            };
            const answer = () => {
              if (closedSessions.has(session.id)) return;
              const refusal = options.onMessage?.(mail);
              if (refusal) return callback(refusal);
              mails.push(mail);
              callback();
            };
            if (holding) held.push(answer);
            else answer();
          },
          (error: Error) => callback(error),
        );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    /** Messages waiting for an answer now. */
    held: () => held.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
