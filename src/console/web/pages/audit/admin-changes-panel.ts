import { api } from '../../api.js';
import { announce, dataTable, field, loading, problemNotice, type Column } from '../../components.js';
import { h, replaceChildren, uniqueId } from '../../dom.js';
import { formatDateTime, formatNumber } from '../../i18n.js';
import { t } from './audit-messages.js';
import type { AdminAuditEntry } from './audit-types.js';

const knownActions = new Set(['create', 'update', 'delete', 'read']);
/** What the admin stream records today (suggestions; the filter takes any type). */
const resourceTypes = ['consumer', 'grant', 'purpose', 'audit_records', 'audit_subject_report', 'audit_chain', 'connector_settings', 'connector_credentials', 'connector_resilience', 'alert_rule', 'alert_receiver', 'alert_silence', 'outbox_message', 'outbox_message_payload', 'payment', 'payment_ipn_raw'];
const limits = [50, 100, 200, 500, 1000] as const;

/**
 * The admin stream (GET /admin-audit): changes with before and after, and
 * every read of the trail. The API returns the newest entries (no paging),
 * filtered by resource type and id.
 */
export function renderAdminChangesPanel(panel: HTMLElement, signal: AbortSignal): void {
  const headingId = uniqueId('admin-title');
  const typeList = h('datalist', { id: uniqueId('resource-types') }, ...resourceTypes.map((type) => h('option', { value: type })));
  const inputs = {
    resourceType: h('input', { type: 'text', name: 'resourceType', list: typeList.id, maxlength: '100', autocomplete: 'off', spellcheck: 'false' }),
    resourceId: h('input', { type: 'text', name: 'resourceId', maxlength: '200', autocomplete: 'off', spellcheck: 'false' }),
    limit: h('select', { name: 'limit' }, ...limits.map((limit) => h('option', { value: String(limit), selected: limit === 100 }, formatNumber(limit)))),
  };
  const results = h('div', { class: 'audit-results' });
  const form = h(
    'form',
    { class: 'audit-filters', 'aria-labelledby': headingId },
    h(
      'fieldset',
      null,
      h('legend', null, t('filtersLegend')),
      h(
        'div',
        { class: 'filters' },
        field(t('resourceType'), inputs.resourceType, { hint: t('resourceTypeHint') }),
        field(t('resourceId'), inputs.resourceId),
        field(t('adminLimit'), inputs.limit),
        h('div', { class: 'audit-form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, t('search'))),
      ),
    ),
    typeList,
  );

  async function run(): Promise<void> {
    replaceChildren(results, loading());
    try {
      const { items } = await api.get<{ items: AdminAuditEntry[] }>(
        '/admin-audit',
        { resourceType: inputs.resourceType.value.trim(), resourceId: inputs.resourceId.value.trim(), limit: inputs.limit.value },
        signal,
      );
      const columns: Array<Column<AdminAuditEntry>> = [
        { label: t('col.time'), cell: (entry) => h('time', { datetime: entry.occurredAt }, formatDateTime(entry.occurredAt)) },
        { label: t('col.actor'), cell: (entry) => entry.actor },
        { label: t('col.actorClient'), cell: (entry) => entry.actorClient },
        { label: t('col.action'), cell: (entry) => (knownActions.has(entry.action) ? t(`action.${entry.action as 'create'}`) : entry.action) },
        { label: t('col.resource'), cell: (entry) => h('span', null, h('code', null, entry.resourceType), ' ', entry.resourceId) },
        { label: t('col.change'), cell: (entry) => changeDetail(entry) },
      ];
      replaceChildren(results, h('p', { class: 'audit-count' }, t('adminShown', { count: formatNumber(items.length) })), dataTable(t('adminCaption'), columns, items, { empty: t('noEntries') }));
      announce(t('adminShown', { count: items.length }));
    } catch (error) {
      if (!signal.aborted) replaceChildren(results, problemNotice(error));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  replaceChildren(panel, h('h2', { id: headingId }, t('adminTitle')), form, results);
  void run();
}

/** Before and after as JSON text, folded away (a native disclosure: keyboard and screen readers know it). */
function changeDetail(entry: AdminAuditEntry): HTMLElement | string {
  if (entry.before === null && entry.after === null) return '—';
  const block = (label: string, value: unknown) => (value === null || value === undefined ? null : h('div', null, h('p', { class: 'audit-change-label' }, label), h('pre', { class: 'audit-json' }, JSON.stringify(value, null, 2))));
  return h('details', { class: 'audit-change' }, h('summary', null, t('showChange')), block(t('before'), entry.before), block(t('after'), entry.after));
}
