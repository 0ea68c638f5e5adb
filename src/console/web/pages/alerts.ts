import { useStylesheet } from '../dom.js';
import { renderAlertDetail } from './alerts/alert-detail.js';
import { renderAlertList } from './alerts/alert-list.js';
import { renderSilenceList } from './alerts/silence-list.js';
import type { PageContext } from './page-context.js';

/**
 * /console/alerts: the list with filters (open by default, `?state=resolved`
 * the history), /console/alerts/<id> one alert, /console/alerts/silences the
 * silences. Reads and changes go through the admin API's alert routes.
 */
export async function render(root: HTMLElement, context: PageContext): Promise<void> {
  useStylesheet('/console/assets/pages/alerts.css');
  const [first] = context.subpath;
  if (first === 'silences') await renderSilenceList(root, context);
  else if (first !== undefined) await renderAlertDetail(root, context, first);
  else await renderAlertList(root, context);
}
