import { loading, pageHeader, problemNotice } from '../components.js';
import { h, replaceChildren, useStylesheet } from '../dom.js';
import { defineMessages } from '../i18n.js';
import { renderConsumerDetail } from './consumers/consumer-detail.js';
import { renderConsumerList } from './consumers/consumer-list.js';
import { renderGrantEditor } from './consumers/grant-editor.js';
import { renderPurposes } from './consumers/purposes.js';
import type { PageContext } from './page-context.js';

const t = defineMessages({
  vi: { notFound: 'Không có trang này trong mục hệ thống khai thác.' },
  en: { notFound: 'No such page under consumer systems.' },
});

/**
 * /console/consumers — consumer systems, their grants and the purpose catalog:
 *   /console/consumers                       the systems (?tab=purposes: the purposes)
 *   /console/consumers/<id>                  one system and its grants
 *   /console/consumers/<id>/grants/new       a new grant
 *   /console/consumers/<id>/grants/<grant>   a grant (the editor for administrators)
 */
export async function render(main: HTMLElement, context: PageContext): Promise<void> {
  useStylesheet('/console/assets/pages/consumers.css');
  // The page's own wrapper: its style sheet's rules are scoped to it.
  const root = h('div', { class: 'consumers-page' });
  main.append(root);
  // After a change on the same URL (suspend, a new purpose): draw the view again in place, without a new history entry.
  const refresh = async () => {
    replaceChildren(root, loading());
    try {
      const fresh = h('div');
      await show(fresh, context, refresh);
      if (context.signal.aborted) return;
      replaceChildren(root, ...Array.from(fresh.childNodes));
      document.getElementById('page-title')?.focus();
    } catch (error) {
      if (!context.signal.aborted) replaceChildren(root, problemNotice(error));
    }
  };
  await show(root, context, refresh);
}

async function show(root: HTMLElement, context: PageContext, refresh: () => Promise<void>): Promise<void> {
  const [consumerId, part, grantId, ...rest] = context.subpath;
  if (consumerId === undefined) {
    if (context.query.get('tab') === 'purposes') await renderPurposes(root, context, refresh);
    else await renderConsumerList(root, context);
  } else if (part === undefined) {
    await renderConsumerDetail(root, context, consumerId, refresh);
  } else if (part === 'grants' && grantId !== undefined && rest.length === 0) {
    await renderGrantEditor(root, context, consumerId, grantId === 'new' ? undefined : grantId);
  } else {
    root.append(pageHeader(t('notFound')));
  }
}
