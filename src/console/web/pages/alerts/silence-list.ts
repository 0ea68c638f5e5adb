import { api } from '../../api.js';
import { announce, button, dataTable, field, loading, openDialog, pageHeader, problemNotice } from '../../components.js';
import { h, replaceChildren } from '../../dom.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { silenceStates, type SilenceState, type SilenceView } from './alert-model.js';
import { matcherText, silenceStateBadge, silenceStateName } from './alert-format.js';
import { alertsNav } from './alerts-nav.js';
import { createSilence } from './silence-dialog.js';

const t = defineMessages({
  vi: {
    title: 'Tạm tắt thông báo',
    lead: 'Trong thời gian tạm tắt, cảnh báo khớp vẫn được ghi nhận nhưng không gửi thông báo. Lệnh nào cũng có hạn.',
    create: 'Tạo lệnh tạm tắt',
    state: 'Trạng thái',
    allStates: 'Mọi trạng thái',
    apply: 'Lọc',
    filters: 'Lọc lệnh tạm tắt',
    caption: 'Lệnh tạm tắt thông báo, mới tạo trước',
    empty: 'Không có lệnh tạm tắt nào.',
    colState: 'Trạng thái',
    colMatchers: 'Điều kiện khớp',
    colStarts: 'Bắt đầu',
    colEnds: 'Hết hạn',
    colCreatedBy: 'Người tạo',
    colReason: 'Lý do',
    colEndedBy: 'Kết thúc sớm bởi',
    colActions: 'Thao tác',
    end: 'Kết thúc ngay',
    endLabel: 'Kết thúc ngay lệnh tạm tắt {matchers}',
    endTitle: 'Kết thúc lệnh tạm tắt?',
    endText: 'Thông báo về các cảnh báo khớp {matchers} sẽ được gửi lại từ bây giờ.',
    ended: 'Đã kết thúc lệnh tạm tắt.',
  },
  en: {
    title: 'Silences',
    lead: 'While a silence lasts, matching alerts are still recorded but no notice is sent. Every silence ends.',
    create: 'Create a silence',
    state: 'State',
    allStates: 'Any state',
    apply: 'Filter',
    filters: 'Filter silences',
    caption: 'Silences, newest first',
    empty: 'No silences.',
    colState: 'State',
    colMatchers: 'Conditions',
    colStarts: 'Starts',
    colEnds: 'Expires',
    colCreatedBy: 'Created by',
    colReason: 'Reason',
    colEndedBy: 'Ended early by',
    colActions: 'Actions',
    end: 'End now',
    endLabel: 'End the silence {matchers} now',
    endTitle: 'End the silence?',
    endText: 'Notices about alerts matching {matchers} are sent again from now on.',
    ended: 'Silence ended.',
  },
});

const responders = ['lgsp-admin', 'lgsp-operator'] as const;

/** /console/alerts/silences: the silences (by state), creating one and ending one for responders. */
export async function renderSilenceList(root: HTMLElement, context: PageContext): Promise<void> {
  const mayChange = context.can(...responders);
  const results = h('div', null, loading());
  const stateParam = context.query.get('state');
  const state = stateParam && (silenceStates as readonly string[]).includes(stateParam) ? (stateParam as SilenceState) : undefined;

  const load = async () => {
    try {
      const { items } = await api.get<{ items: SilenceView[] }>('/silences', { state }, context.signal);
      replaceChildren(results, silenceTable(items, mayChange, load));
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(results, problemNotice(error));
    }
  };
  const createButton = mayChange ? button(t('create'), () => void createSilence([]).then((created) => created && load()), { kind: 'primary' }) : null;
  root.append(pageHeader(t('title'), t('lead'), createButton), alertsNav(context, 'silences'), stateFilter(context, state), results);
  await load();
}

function stateFilter(context: PageContext, state: SilenceState | undefined): HTMLElement {
  const select = h('select', { name: 'state' }, h('option', { value: '', selected: state === undefined }, t('allStates')), ...silenceStates.map((value) => h('option', { value, selected: value === state }, silenceStateName(value))));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('filters') }, field(t('state'), select), h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('apply'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.navigate(select.value ? `/console/alerts/silences?state=${encodeURIComponent(select.value)}` : '/console/alerts/silences');
  });
  return form;
}

function silenceTable(silences: readonly SilenceView[], mayChange: boolean, reload: () => Promise<void>): HTMLElement {
  const matchers = (silence: SilenceView) => silence.matchers.map(matcherText).join(', ');
  return dataTable(
    t('caption'),
    [
      { label: t('colState'), cell: (silence) => silenceStateBadge(silence.state) },
      { label: t('colMatchers'), cell: (silence) => h('ul', { class: 'plain-list' }, ...silence.matchers.map((matcher) => h('li', null, h('code', null, matcherText(matcher))))) },
      { label: t('colStarts'), cell: (silence) => formatDateTime(silence.startsAt) },
      { label: t('colEnds'), cell: (silence) => formatDateTime(silence.expiredAt ?? silence.endsAt) },
      { label: t('colCreatedBy'), cell: (silence) => silence.createdBy },
      { label: t('colReason'), cell: (silence) => silence.reason },
      { label: t('colEndedBy'), cell: (silence) => silence.expiredBy ?? '—' },
      ...(mayChange
        ? [
            {
              label: t('colActions'),
              cell: (silence: SilenceView) =>
                silence.state === 'expired'
                  ? null
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'button button-danger',
                        'aria-label': t('endLabel', { matchers: matchers(silence) }),
                        onclick: () => void endSilence(silence, matchers(silence)).then((ended) => (ended ? reload() : undefined)),
                      },
                      t('end'),
                    ),
            },
          ]
        : []),
    ],
    silences,
    { empty: t('empty') },
  );
}

async function endSilence(silence: SilenceView, matchers: string): Promise<boolean> {
  const ended = await openDialog(t('endTitle'), h('p', null, t('endText', { matchers })), () => api.delete<SilenceView>(`/silences/${encodeURIComponent(silence.id)}`), { confirmLabel: t('end'), danger: true });
  if (ended) announce(t('ended'));
  return ended !== undefined;
}
