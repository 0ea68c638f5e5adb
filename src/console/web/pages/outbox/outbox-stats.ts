import { badge, dataTable, notice } from '../../components.js';
import { h } from '../../dom.js';
import { formatDuration, formatNumber } from '../../i18n.js';
import { t } from './outbox-text.js';
import type { TargetStats } from './outbox-types.js';

/**
 * Backlog and dead letters per target (GET /admin/v1/outbox/stats). A dead
 * message holds its key, so dead letters lead the page as a warning with a
 * way to the list of them.
 */
export function statsSection(stats: TargetStats[], showDead: (target?: string) => void): HTMLElement {
  const dead = stats.reduce((sum, entry) => sum + entry.dead, 0);
  const deadLink = (count: number, target?: string) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button button-secondary outbox-inline-button',
        // The visible text begins the accessible name (WCAG 2.5.3); a row's button also says whose.
        'aria-label': target === undefined ? undefined : t('showDeadOf', { count: formatNumber(count), target }),
        onclick: () => showDead(target),
      },
      t('showDead', { count: formatNumber(count) }),
    );
  return h(
    'section',
    { class: 'section', 'aria-labelledby': 'outbox-stats-heading' },
    h('h2', { id: 'outbox-stats-heading' }, t('statsHeading')),
    dead > 0 ? notice('warning', h('p', null, t('deadWarning', { count: formatNumber(dead) })), h('p', null, deadLink(dead))) : null,
    dataTable<TargetStats>(
      t('statsCaption'),
      [
        { label: t('target'), cell: (entry) => h('code', null, entry.target) },
        { label: t('backlog'), numeric: true, cell: (entry) => formatNumber(entry.backlog) },
        { label: t('oldestPending'), numeric: true, cell: (entry) => (entry.backlog > 0 ? formatDuration(entry.oldestPendingAgeSeconds * 1000) : t('none')) },
        { label: t('retrying'), numeric: true, cell: (entry) => formatNumber(entry.retrying) },
        {
          label: t('dead'),
          numeric: true,
          cell: (entry) => (entry.dead > 0 ? h('span', null, badge('bad', formatNumber(entry.dead)), ' ', deadLink(entry.dead, entry.target)) : formatNumber(0)),
        },
        { label: t('deliveredHere'), numeric: true, cell: (entry) => formatNumber(entry.deliveries?.delivered ?? 0) },
      ],
      stats,
      { captionHidden: true, empty: t('statsEmpty') },
    ),
  );
}
