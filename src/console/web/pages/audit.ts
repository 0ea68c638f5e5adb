import { notice, pageHeader } from '../components.js';
import { h, useStylesheet } from '../dom.js';
import { renderAdminChangesPanel } from './audit/admin-changes-panel.js';
import { t } from './audit/audit-messages.js';
import { chainStatus } from './audit/chain-status.js';
import { renderCitizenReportPanel } from './audit/citizen-report-panel.js';
import { renderSearchPanel } from './audit/search-panel.js';
import { tabs } from './audit/tabs.js';
import type { PageContext } from './page-context.js';

type AuditTab = 'search' | 'admin-changes' | 'citizen-report';
const tabIds: readonly AuditTab[] = ['search', 'admin-changes', 'citizen-report'];

/**
 * The Audit page (admins and auditors): the hash chains' state on top, then
 * the data-access search, the admin stream and the citizen access report as
 * tabs. The tab is in the address (/console/audit/<tab>); a personal id
 * never is.
 */
export function render(root: HTMLElement, context: PageContext): void {
  useStylesheet('/console/assets/pages/audit.css');
  // Reached by its address without the role: say so instead of three refusals (the API refuses anyway).
  if (!context.can('lgsp-admin', 'lgsp-auditor')) {
    root.append(pageHeader(t('title')), notice('warning', t('auditorsOnly')));
    return;
  }
  const requested = context.subpath[0] as AuditTab | undefined;
  const initial = requested && tabIds.includes(requested) ? requested : 'search';
  root.append(
    h(
      'div',
      { class: 'audit-page' },
      pageHeader(t('title'), t('lead')),
      chainStatus(context.signal),
      tabs<AuditTab>(
        t('tabsLabel'),
        [
          { id: 'search', label: t('tab.search'), render: (panel) => renderSearchPanel(panel, context.signal) },
          { id: 'admin-changes', label: t('tab.admin'), render: (panel) => renderAdminChangesPanel(panel, context.signal) },
          { id: 'citizen-report', label: t('tab.report'), render: (panel) => renderCitizenReportPanel(panel) },
        ],
        initial,
        // The address follows the tab without a new history entry or a reload (the chain is not walked again).
        (id) => history.replaceState(null, '', id === 'search' ? '/console/audit' : `/console/audit/${id}`),
      ),
    ),
  );
}
