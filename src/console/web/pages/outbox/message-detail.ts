import { api, withQuery } from '../../api.js';
import { button, loading, pageHeader, problemNotice } from '../../components.js';
import { h, replaceChildren, useStylesheet } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { cancel, mayCancel, mayRedrive, redrive } from './message-actions.js';
import { consoleLink, factList } from './outbox-parts.js';
import { stateBadge, t } from './outbox-text.js';
import type { OutboxMessage } from './outbox-types.js';

/** How often an open message (pending, being delivered) is read again while the page is shown. */
const refreshMs = 2_000;

/**
 * /console/outbox/<id>: one message as GET /admin/v1/outbox/messages/<id>
 * gives it (never its payload), with re-drive and cancel where the user's
 * role allows them. The API keeps the attempt count, the last attempt and
 * its error, not every attempt: that is what is shown.
 */
export async function renderMessageDetail(root: HTMLElement, context: PageContext, id: string): Promise<void> {
  useStylesheet('/console/assets/pages/outbox.css');
  const back = h('p', { class: 'outbox-back' }, consoleLink(context, '/console/outbox', t('back')));
  root.append(back, loading());

  let message: OutboxMessage;
  try {
    message = await api.get<OutboxMessage>(`/outbox/messages/${encodeURIComponent(id)}`, undefined, context.signal);
  } catch (error) {
    if (context.signal.aborted) return;
    replaceChildren(root, back, pageHeader(t('message')), problemNotice(error));
    return;
  }
  if (context.signal.aborted) return;

  const actions = h('div', { class: 'outbox-actions' });
  const stateLine = h('p', { class: 'outbox-state', role: 'status', tabindex: '-1' });
  const body = h('div');
  const names = { target: message.target, key: message.key, sequence: message.sequence };
  replaceChildren(root, back, pageHeader(t('detailTitle', names), undefined, actions), stateLine, body);

  let timer: ReturnType<typeof setTimeout> | undefined;
  context.signal.addEventListener('abort', () => clearTimeout(timer));

  const show = (current: OutboxMessage) => {
    message = current;
    replaceChildren(stateLine, t('stateIs'), ' ', stateBadge(current.state));
    replaceChildren(actions, ...actionButtons(current));
    replaceChildren(body, ...details(context, current));
    clearTimeout(timer);
    if (current.state === 'pending' || current.state === 'delivering') timer = setTimeout(() => void reread(), refreshMs);
  };

  const reread = async () => {
    try {
      const fresh = await api.get<OutboxMessage>(`/outbox/messages/${encodeURIComponent(id)}`, undefined, context.signal);
      if (!context.signal.aborted) show(fresh);
    } catch {
      // A failed read keeps what is shown and tries again later.
      if (!context.signal.aborted) timer = setTimeout(() => void reread(), refreshMs * 2);
    }
  };

  // The button that opened the dialog is gone after the change: focus goes to the new state, which is read out.
  const changed = (after: OutboxMessage | undefined) => {
    if (!after || context.signal.aborted) return;
    show(after);
    stateLine.focus();
  };
  const actionButtons = (current: OutboxMessage): HTMLElement[] => [
    ...(mayRedrive(context, current) ? [button(t('redrive'), () => void redrive(current).then(changed), { kind: 'primary' })] : []),
    ...(mayCancel(context, current) ? [button(t('cancel'), () => void cancel(current).then(changed), { kind: 'danger' })] : []),
    button(t('refresh'), () => void reread()),
  ];

  show(message);
}

function details(context: PageContext, message: OutboxMessage): HTMLElement[] {
  const open = message.state === 'pending' || message.state === 'delivering';
  return [
    message.state === 'dead' && !context.can('lgsp-admin', 'lgsp-operator') ? h('p', { class: 'outbox-hint' }, t('noActionsAuditor')) : null,
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'outbox-delivery-heading' },
      h('h2', { id: 'outbox-delivery-heading' }, t('detailHeading')),
      factList([
        [t('id'), h('code', null, message.id)],
        [t('target'), h('code', null, message.target)],
        [t('key'), message.key],
        [t('sequence'), formatNumber(message.sequence)],
        [t('attempts'), formatNumber(message.attempts)],
        [t('createdAt'), formatDateTime(message.createdAt)],
        [t('lastAttemptAt'), message.lastAttemptAt ? formatDateTime(message.lastAttemptAt) : null],
        [t('nextAttemptAt'), open ? formatDateTime(message.nextAttemptAt) : null],
        [t('lease'), message.state === 'delivering' && message.leaseOwner ? t('leaseUntil', { owner: message.leaseOwner, until: formatDateTime(message.leaseExpiresAt) }) : null],
        [t('redrivenAt'), message.redrivenAt ? formatDateTime(message.redrivenAt) : null],
        [t('deliveredAt'), message.deliveredAt ? formatDateTime(message.deliveredAt) : null],
        [t('deliveryAnswer'), message.deliveryAnswer ? h('code', null, message.deliveryAnswer) : null],
        [t('deadReason'), message.deadReason],
        [t('finishedAt'), message.finishedAt ? formatDateTime(message.finishedAt) : null],
        [t('contentHash'), h('code', { class: 'outbox-hash' }, message.contentHash)],
      ]),
      h('p', { class: 'outbox-hint' }, t('payloadNote')),
      open ? h('p', { class: 'outbox-hint' }, t('refreshing')) : null,
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'outbox-error-heading' },
      h('h2', { id: 'outbox-error-heading' }, t('errorHeading')),
      message.lastError
        ? factList([
            [t('errorKind'), h('code', null, message.lastError.kind)],
            [t('errorMessage'), message.lastError.message],
          ])
        : h('p', { class: 'empty' }, t('noError')),
    ),
    h('p', null, consoleLink(context, withQuery('/console/outbox', { target: message.target, key: message.key }), t('sameKey'))),
  ].filter((part): part is HTMLElement => part !== null);
}
