import { api } from '../../api.js';
import { loading, pageHeader, problemNotice } from '../../components.js';
import { h, replaceChildren, useStylesheet } from '../../dom.js';
import type { PageContext } from '../page-context.js';
import { filterFromQuery, messageList } from './message-list.js';
import { statsSection } from './outbox-stats.js';
import { t } from './outbox-text.js';
import type { TargetStats } from './outbox-types.js';

/** /console/outbox: the status per target, then the messages with filters and paging. */
export async function renderOutboxOverview(root: HTMLElement, context: PageContext): Promise<void> {
  useStylesheet('/console/assets/pages/outbox.css');
  const statsSlot = h('div', null, loading());
  root.append(pageHeader(t('title'), t('lead')), statsSlot);

  let stats: TargetStats[] | undefined;
  try {
    stats = (await api.get<{ items: TargetStats[] }>('/outbox/stats', undefined, context.signal)).items;
  } catch (error) {
    // The list may still answer: show the problem where the counts would be.
    if (!context.signal.aborted) replaceChildren(statsSlot, problemNotice(error));
  }
  if (context.signal.aborted) return;

  const list = messageList(context, (stats ?? []).map((entry) => entry.target), filterFromQuery(context.query), () => void refreshStats());
  const showDead = (target?: string) => list.apply({ state: 'dead', ...(target !== undefined && { target }), limit: filterFromQuery(new URLSearchParams(location.search)).limit });
  if (stats) replaceChildren(statsSlot, statsSection(stats, showDead));
  root.append(list.element);

  // After a re-drive the counts move: read them again, quietly (a failure keeps the last ones).
  async function refreshStats(): Promise<void> {
    try {
      const fresh = (await api.get<{ items: TargetStats[] }>('/outbox/stats', undefined, context.signal)).items;
      if (!context.signal.aborted) replaceChildren(statsSlot, statsSection(fresh, showDead));
    } catch {
      /* the list shows its own errors; the counts stay as they were */
    }
  }
}
