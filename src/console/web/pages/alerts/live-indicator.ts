import { badge } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages } from '../../i18n.js';

const t = defineMessages({
  vi: { connecting: 'Đang kết nối luồng cảnh báo…', live: 'Cập nhật trực tiếp', lost: 'Mất kết nối trực tiếp, đang thử lại…' },
  en: { connecting: 'Connecting to the alert stream…', live: 'Live updates', lost: 'Live connection lost, retrying…' },
});

/** Whether the page is receiving the alert stream: text, not only a colour, in a polite status region. */
export function liveIndicator(): { element: HTMLElement; set: (live: boolean) => void } {
  const element = h('p', { class: 'live-indicator', role: 'status' }, badge('info', t('connecting')));
  return {
    element,
    set: (live) => element.replaceChildren(live ? badge('ok', t('live')) : badge('warn', t('lost'))),
  };
}
