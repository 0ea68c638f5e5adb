import { h } from '../../dom.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
import { operationTitle, type Grant, type Operation, type Purpose } from './model.js';
import { common, isAllFields, ratePolicyText, validityText } from './texts.js';
import { definitionList } from './ui.js';

const t = defineMessages({
  vi: {
    operation: 'Thao tác',
    purposes: 'Mục đích xử lý',
    fields: 'Trường được cung cấp',
    validity: 'Thời hạn hiệu lực',
    quota: 'Hạn mức gọi',
    cache: 'Trả lời từ bộ đệm',
    updatedAt: 'Cập nhật lần cuối',
    notApplicable: 'Không áp dụng',
  },
  en: {
    operation: 'Operation',
    purposes: 'Processing purposes',
    fields: 'Released fields',
    validity: 'Validity',
    quota: 'Quota',
    cache: 'Answers from the cache',
    updatedAt: 'Last changed',
    notApplicable: 'Not applicable',
  },
});

/** A grant as read-only facts (what operators and auditors see instead of the editor). */
export function grantFacts(grant: Grant, operations: Operation[] | undefined, purposes: Purpose[]): HTMLElement {
  const operation = operations?.find((candidate) => candidate.id === grant.operation);
  const purposeName = (code: string) => purposes.find((purpose) => purpose.code === code)?.name;
  return definitionList([
    [t('operation'), [h('code', null, grant.operation), operation && operationTitle(operation) ? ` — ${operationTitle(operation)}` : null]],
    [
      t('purposes'),
      grant.purposes?.length
        ? h('ul', { class: 'plain-list' }, ...grant.purposes.map((code) => h('li', null, h('code', null, code), purposeName(code) ? ` — ${purposeName(code)}` : null)))
        : t('notApplicable'),
    ],
    [t('fields'), fieldsList(grant.fields)],
    [t('validity'), validityText(grant.validFrom, grant.validUntil)],
    [t('quota'), ratePolicyText(grant.quota)],
    [t('cache'), operation && !operation.personalData ? t('notApplicable') : grant.allowCachedResponses ? common('yes') : common('no')],
    [t('updatedAt'), formatDateTime(grant.updatedAt)],
  ]);
}

/** A grant's fields: "all" for ["*"], else the dotted paths. */
export function fieldsList(fields: readonly string[]): HTMLElement {
  if (isAllFields(fields)) return h('span', null, common('allFields'));
  return h('ul', { class: 'field-list' }, ...fields.map((path) => h('li', null, h('code', null, path))));
}
