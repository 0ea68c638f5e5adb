import type { ConnectionOptions } from 'node:tls';
import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '../../config/gateway-config.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../outbox/errors.js';
import type { Notice } from '../types.js';
import { renderNotice } from './render-notice.js';
import { resolveSecretReference } from '../../connector-runtime/config-credentials.js';

/** The SMTP settings with the password reference resolved. */
export type ResolvedSmtp = Omit<SmtpConfig, 'password'> & { password?: string };

export interface EmailSendResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface EmailChannel {
  send(notice: Notice, to: readonly string[], options?: { consoleUrl?: string }): Promise<EmailSendResult>;
  close(): void;
}

export interface EmailChannelOptions {
  /** Extra TLS options (a private CA for the relay; tests). */
  tls?: ConnectionOptions;
}

/** alerting.smtp with its password resolved (a value, { fromEnv } or { fromFile }); undefined when there is no smtp section. */
export function resolveSmtp(smtp: SmtpConfig | undefined, env: NodeJS.ProcessEnv): ResolvedSmtp | undefined {
  if (!smtp) return undefined;
  const { password, ...rest } = smtp;
  return password === undefined ? rest : { ...rest, password: resolveSecretReference(password, 'alerting.smtp.password', env) };
}

/** The Message-ID of a notice's e-mail: the same for every attempt, so a mailbox (or a person) can drop a duplicate. */
export function noticeMessageId(notice: Pick<Notice, 'notificationId'>): string {
  return `<${notice.notificationId}@lgsp-gateway>`;
}

/**
 * The e-mail channel: an SMTP transport (nodemailer), created for a
 * delivery and closed after it (notice-delivery.ts: notices are few, and
 * nothing stays open between them), a plain-text UTF-8 message per notice. Failures come out as the
 * outbox's errors: a 4xx reply or a broken connection is worth another
 * attempt, a 5xx reply is not. Messages say the code, never the server's
 * text (it may quote the addresses).
 */
export function createEmailChannel(smtp: ResolvedSmtp, options: EmailChannelOptions = {}): EmailChannel {
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.user !== undefined && { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
    connectionTimeout: smtp.connectionTimeoutMs,
    greetingTimeout: smtp.connectionTimeoutMs,
    socketTimeout: Math.max(smtp.connectionTimeoutMs, 30_000),
    ...(options.tls && { tls: options.tls }),
    // Notices are text we rendered; nothing in them may make the mailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });

  return {
    async send(notice, to, sendOptions = {}) {
      if (to.length === 0) throw new PermanentDeliveryError('smtp_no_recipients', 'e-mail receiver has no recipient');
      const { subject, text } = renderNotice(notice, sendOptions.consoleUrl === undefined ? {} : { consoleUrl: sendOptions.consoleUrl });
      let info: { messageId: string; accepted: unknown[]; rejected: unknown[] };
      try {
        info = await transport.sendMail({
          from: smtp.from,
          to: [...to],
          subject,
          text,
          messageId: noticeMessageId(notice),
          headers: { 'X-LGSP-Notification-Id': notice.notificationId },
        });
      } catch (error) {
        throw classifySmtpFailure(error);
      }
      return { messageId: info.messageId, accepted: info.accepted.map(addressOf), rejected: info.rejected.map(addressOf) };
    },
    close() {
      transport.close();
    },
  };
}

const connectionCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL', 'ETLS', 'EMAXLIMIT']);

/** SMTP failure → outbox error: reply code first (4xx again later, 5xx never), else the kind of failure. */
export function classifySmtpFailure(error: unknown): TransientDeliveryError | PermanentDeliveryError {
  const { code, responseCode, rejected } = (error ?? {}) as { code?: unknown; responseCode?: unknown; rejected?: unknown };
  const everyoneRefused = code === 'EENVELOPE' && Array.isArray(rejected) && rejected.length > 0;
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600) {
    const what = everyoneRefused ? `SMTP server refused every recipient (${responseCode})` : `SMTP server answered ${responseCode}`;
    // nodemailer reports a temporary refusal when any recipient got one: the envelope may pass later.
    if (responseCode < 500) return new TransientDeliveryError(`smtp_${responseCode}`, what);
    return new PermanentDeliveryError(everyoneRefused ? 'smtp_recipients_rejected' : `smtp_${responseCode}`, what);
  }
  if (everyoneRefused) return new PermanentDeliveryError('smtp_recipients_rejected', 'SMTP server refused every recipient');
  const safeCode = typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) ? code : undefined;
  if (safeCode === 'EAUTH') return new PermanentDeliveryError('smtp_auth', 'SMTP authentication failed');
  if (safeCode && connectionCodes.has(safeCode)) return new TransientDeliveryError('smtp_connection', `SMTP connection failed (${safeCode})`);
  return new TransientDeliveryError('smtp_error', `SMTP sending failed (${safeCode ?? (error instanceof Error ? error.name : 'error')})`);
}

function addressOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && typeof (entry as { address?: unknown }).address === 'string') return (entry as { address: string }).address;
  return String(entry);
}
