import { h, useStylesheet } from '../dom.js';
import { renderConnectorDetail } from './connectors/detail.js';
import { renderConnectorList } from './connectors/list.js';
import type { PageContext } from './page-context.js';

/**
 * /console/connectors: every connector with its health, and
 * /console/connectors/<id>: one connector's health, availability, settings,
 * resilience override and credentials (issue 16, item 4).
 */
export async function render(root: HTMLElement, context: PageContext): Promise<void> {
  useStylesheet('/console/assets/pages/connectors.css');
  // The page's own wrapper: its style sheet's rules apply inside it only.
  const page = h('div', { class: 'connectors-page' });
  root.append(page);
  const [id] = context.subpath;
  if (id) await renderConnectorDetail(page, context, id);
  else await renderConnectorList(page, context);
}
