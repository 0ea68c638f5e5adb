import { api } from '../../api.js';
import { announce, button, openDialog } from '../../components.js';
import { h } from '../../dom.js';
import type { PageContext } from '../page-context.js';
import { t } from './outbox-text.js';
import type { OutboxMessage } from './outbox-types.js';

/**
 * Re-drive and cancel, offered only where the admin API would allow them
 * (src/admin/outbox-router.ts): re-drive a dead message for admins and
 * operators; cancel a pending or dead one for admins only. The API checks
 * the roles and the state again.
 */
export function mayRedrive(context: PageContext, message: OutboxMessage): boolean {
  return message.state === 'dead' && context.can('lgsp-admin', 'lgsp-operator');
}

export function mayCancel(context: PageContext, message: OutboxMessage): boolean {
  return (message.state === 'dead' || message.state === 'pending') && context.can('lgsp-admin');
}

const names = (message: OutboxMessage) => ({ target: message.target, key: message.key, sequence: message.sequence });

/** Asks, re-drives, announces; resolves with the message after the change, or undefined when the user backed out. */
export async function redrive(message: OutboxMessage): Promise<OutboxMessage | undefined> {
  const after = await openDialog(t('redriveTitle'), h('p', null, t('redriveText', names(message))), () => api.post<OutboxMessage>(`/outbox/messages/${encodeURIComponent(message.id)}/redrive`), {
    confirmLabel: t('redrive'),
  });
  if (after) announce(t('redriven', names(after)));
  return after;
}

export async function cancel(message: OutboxMessage): Promise<OutboxMessage | undefined> {
  const after = await openDialog(t('cancelTitle'), h('p', null, t('cancelText', names(message))), () => api.post<OutboxMessage>(`/outbox/messages/${encodeURIComponent(message.id)}/cancel`), {
    confirmLabel: t('cancelConfirm'),
    danger: true,
  });
  if (after) announce(t('cancelled', names(after)));
  return after;
}

/** The re-drive button of a list row: its accessible name says which message. */
export function redriveButton(message: OutboxMessage, done: (after: OutboxMessage) => void): HTMLButtonElement {
  const control = button(t('redrive'), () => void redrive(message).then((after) => after && done(after)));
  control.setAttribute('aria-label', t('redriveLabel', names(message)));
  return control;
}
