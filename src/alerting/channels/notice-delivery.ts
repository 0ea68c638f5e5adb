import type { Dispatcher } from 'undici';
import type { Logger } from '../../observability/logger.js';
import type { TargetRegistration } from '../../outbox/dispatcher.js';
import { PermanentDeliveryError } from '../../outbox/errors.js';
import type { OutboxMessage } from '../../outbox/types.js';
import { noticeTargets, type Notice, type ReceiverKind, type ReceiverView } from '../types.js';
import { createEmailChannel, type ResolvedSmtp } from './email-channel.js';
import { renderNotice } from './render-notice.js';
import { sendTelegram, telegramMaxTextLength } from './telegram-channel.js';
import { sendWebhook } from './webhook-channel.js';

export interface NoticeDeliveryDeps {
  /** The receiver as in force now (effective receivers); undefined once removed. */
  receiverOf(id: string): ReceiverView | undefined;
  /** Its secrets: the vault's for admin receivers, the resolved references for config ones. */
  secretsOf(id: string): Promise<Record<string, string>>;
  smtp?: ResolvedSmtp;
  consoleUrl?: string;
  /** Per HTTP call (webhook, Telegram). */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  logger: Logger;
}

/**
 * The outbox registrations that deliver notices, one per channel kind
 * (noticeTargets). Each attempt looks the receiver up afresh: a receiver
 * removed or disabled since the notice was written makes it dead (nothing
 * to retry), a changed address or secret is used at once. Answers are short
 * and name no recipient.
 */
export function noticeDeliveryTargets(deps: NoticeDeliveryDeps): Array<[string, TargetRegistration]> {
  const kinds = Object.keys(noticeTargets) as ReceiverKind[];
  return kinds.map((kind) => [noticeTargets[kind], { handler: (message, signal) => deliver(deps, kind, message, signal) }]);
}

async function deliver(deps: NoticeDeliveryDeps, kind: ReceiverKind, message: OutboxMessage, signal: AbortSignal): Promise<{ answer: string }> {
  const notice = noticeOf(message.payload);
  const receiver = deps.receiverOf(message.key);
  if (!receiver) throw new PermanentDeliveryError('receiver_removed', `receiver ${message.key} no longer exists`);
  if (!receiver.enabled) throw new PermanentDeliveryError('receiver_disabled', `receiver ${receiver.id} is disabled`);
  if (receiver.kind !== kind) throw new PermanentDeliveryError('receiver_kind_changed', `receiver ${receiver.id} is now a ${receiver.kind} receiver`);
  const timing = { ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }), ...(deps.dispatcher && { dispatcher: deps.dispatcher }) };

  switch (kind) {
    case 'email': {
      if (!deps.smtp) throw new PermanentDeliveryError('smtp_not_configured', 'e-mail receivers need alerting.smtp in the configuration');
      const to = stringList(receiver.settings.to);
      // A transport per delivery: notices are few, and nothing stays open between them (nor at shutdown).
      const channel = createEmailChannel(deps.smtp);
      try {
        const result = await channel.send(notice, to, deps.consoleUrl === undefined ? {} : { consoleUrl: deps.consoleUrl });
        if (result.rejected.length === 0) return { answer: 'sent' };
        deps.logger.warn({ receiver: receiver.id, notificationId: notice.notificationId, refused: result.rejected.length }, 'alert e-mail refused for some recipients');
        return { answer: `sent; ${result.rejected.length} of ${to.length} recipients refused` };
      } finally {
        channel.close();
      }
    }
    case 'webhook': {
      const { secret } = await deps.secretsOf(receiver.id);
      if (!secret) throw new PermanentDeliveryError('secret_missing', `receiver ${receiver.id} has no signing secret`);
      const url = receiver.settings.url;
      if (typeof url !== 'string') throw new PermanentDeliveryError('receiver_invalid', `receiver ${receiver.id} has no URL`);
      const { status } = await sendWebhook({ url, secret, notice, signal, ...timing });
      return { answer: `sent (HTTP ${status})` };
    }
    case 'telegram': {
      const { botToken } = await deps.secretsOf(receiver.id);
      if (!botToken) throw new PermanentDeliveryError('secret_missing', `receiver ${receiver.id} has no bot token`);
      const chatId = receiver.settings.chatId;
      if (typeof chatId !== 'string') throw new PermanentDeliveryError('receiver_invalid', `receiver ${receiver.id} has no chat id`);
      const baseUrl = typeof receiver.settings.baseUrl === 'string' ? receiver.settings.baseUrl : undefined;
      // The subject leads: it is what a phone's notification shows; the text gets what room is left.
      const { subject } = renderNotice(notice);
      const { text } = renderNotice(notice, { ...(deps.consoleUrl !== undefined && { consoleUrl: deps.consoleUrl }), maxLength: telegramMaxTextLength - subject.length - 2 });
      await sendTelegram({ ...(baseUrl && { baseUrl }), botToken, chatId, text: `${subject}\n\n${text}`, signal, ...timing });
      return { answer: 'sent' };
    }
  }
}

/** The payload as the engine wrote it; anything else is a bug upstream that no retry fixes. */
function noticeOf(payload: unknown): Notice {
  const candidate = payload as Partial<Notice> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    typeof candidate.notificationId !== 'string' ||
    typeof candidate.receiverId !== 'string' ||
    !Array.isArray(candidate.firing) ||
    !Array.isArray(candidate.resolved)
  ) {
    throw new PermanentDeliveryError('bad_payload', 'outbox payload is not a notice');
  }
  return candidate as Notice;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
