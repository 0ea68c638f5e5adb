import { api } from '../../api.js';
import { announce, field, openDialog } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import type { AlertView } from './alert-model.js';
import { severityBadge, summaryOf } from './alert-format.js';

const t = defineMessages({
  vi: {
    title: 'Tiếp nhận cảnh báo',
    intro: 'Cho những người trực khác biết bạn đang xử lý cảnh báo này. Cảnh báo vẫn mở cho đến khi sự cố hết; các thông báo nhắc lại dừng.',
    note: 'Ghi chú',
    noteHint: 'Bạn đang làm gì, đã liên hệ ai (tối đa 1000 ký tự). Không ghi số định danh hay họ tên công dân.',
    confirm: 'Tiếp nhận',
    done: 'Đã tiếp nhận cảnh báo.',
  },
  en: {
    title: 'Acknowledge the alert',
    intro: 'Tell the others on duty that you are handling this alert. It stays open until the problem clears; repeated notices stop.',
    note: 'Note',
    noteHint: 'What you are doing, whom you contacted (at most 1000 characters). No citizen ids or names.',
    confirm: 'Acknowledge',
    done: 'Alert acknowledged.',
  },
});

/**
 * POST /alerts/{id}/acknowledge with an optional note, from a dialog.
 * Resolves with the acknowledged alert, or undefined when cancelled.
 */
export async function acknowledgeAlert(alert: AlertView): Promise<AlertView | undefined> {
  const note = h('textarea', { name: 'note', maxlength: '1000', rows: '3' });
  const body = h('div', null, h('p', null, severityBadge(alert.severity), ' ', h('strong', null, summaryOf(alert))), h('p', { class: 'hint' }, t('intro')), field(t('note'), note, { hint: t('noteHint') }));
  const acknowledged = await openDialog(
    t('title'),
    body,
    () => {
      const text = note.value.trim();
      return api.post<AlertView>(`/alerts/${encodeURIComponent(alert.id)}/acknowledge`, text ? { note: text } : {});
    },
    { confirmLabel: t('confirm') },
  );
  if (acknowledged) announce(t('done'));
  return acknowledged;
}
