import { ApiError } from '../../api.js';
import { badge, button, consoleLink, field, notice, openDialog, pageHeader, problemNotice } from '../../components.js';
import { h, replaceChildren, uniqueId, withAttributes } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { fieldTree, type FieldTree } from './field-tree.js';
import { FormErrors } from './form-errors.js';
import { allFields, consumersApi, operationTitle, type Consumer, type Grant, type Operation, type Purpose, type RatePolicy } from './model.js';
import { fromProvinceInput, toProvinceInput } from './province-time.js';
import { grantFacts } from './grant-facts.js';
import { common, isAllFields } from './texts.js';
import { appendAll, flashOnNextRender, numberInput, numberOf } from './ui.js';

const t = defineMessages({
  vi: {
    newTitle: 'Cấp quyền truy cập mới',
    editTitle: 'Sửa quyền truy cập {operation}',
    viewTitle: 'Quyền truy cập {operation}',
    lead: 'Hệ thống khai thác: {consumer}',
    back: '← Quay lại {consumer}',
    operation: 'Thao tác',
    chooseOperation: '— Chọn thao tác —',
    alreadyGranted: '{operation} (đã cấp)',
    operationHint: 'Mỗi hệ thống có nhiều nhất một quyền cho mỗi thao tác; thao tác đã cấp thì sửa quyền hiện có.',
    purposes: 'Mục đích xử lý',
    purposesHint: 'Bắt buộc với thao tác xử lý dữ liệu cá nhân: lời gọi phải nêu (X-Purpose) một trong các mục đích này.',
    purposesNotApplicable: 'Không áp dụng: thao tác này không xử lý dữ liệu cá nhân, lời gọi không nêu mục đích.',
    purposesEmpty: 'Danh mục mục đích đang trống: hãy thêm mục đích ở thẻ “Mục đích xử lý dữ liệu”.',
    pickOperationFirst: 'Chọn thao tác trước.',
    fields: 'Trường được cung cấp',
    fieldsAll: 'Tất cả các trường (*)',
    fieldsPick: 'Chọn từng trường',
    fieldsHint: 'Trường không được chọn sẽ không có trong câu trả lời. Chọn một nhóm là cung cấp cả nhóm.',
    unknownFields: 'Quyền này nêu các trường không còn trong hợp đồng của thao tác: {fields}.',
    dropUnknown: 'Bỏ các trường này',
    validity: 'Thời hạn hiệu lực',
    validityHint: 'Giờ Việt Nam (UTC+7). Để trống là không giới hạn.',
    validFrom: 'Hiệu lực từ',
    validUntil: 'Hiệu lực đến',
    quota: 'Hạn mức gọi',
    quotaHint: 'Để trống cả nhóm nếu quyền này không có hạn mức riêng (vẫn áp dụng hạn mức chung của hệ thống).',
    limit: 'Số yêu cầu tối đa',
    windowSeconds: 'Trong khoảng (giây)',
    burst: 'Thêm khi cao điểm',
    burstWindowSeconds: 'Chu kỳ nạp lại phần cao điểm (giây)',
    cache: 'Bộ đệm câu trả lời',
    allowCached: 'Cho phép trả lời từ bộ đệm của cổng',
    cacheHint: 'Chỉ với dữ liệu cá nhân: nếu bật, câu trả lời có thể lấy từ bộ đệm (khi thao tác có cấu hình bộ đệm) thay vì hỏi lại nguồn; vẫn được ghi nhật ký.',
    cacheNotApplicable: 'Không áp dụng: dữ liệu dùng chung luôn được đệm cho mọi hệ thống.',
    save: 'Lưu quyền truy cập',
    cancel: 'Huỷ',
    delete: 'Xoá quyền này',
    deleteTitle: 'Xoá quyền truy cập?',
    deleteText: '{consumer} sẽ không gọi được {operation} nữa (bị từ chối 403) trên mọi bản sao của cổng.',
    deleteConfirm: 'Xoá quyền',
    saved: 'Đã lưu quyền truy cập {operation}.',
    deleted: 'Đã xoá quyền truy cập {operation}.',
    noCatalog: 'Cổng này chưa cung cấp danh mục thao tác (GET /admin/v1/operations), nên chưa chọn được thao tác và trường.',
    notFound: 'Không có quyền truy cập này ở hệ thống {consumer}.',
    method: '{method} {path}',
  },
  en: {
    newTitle: 'New grant',
    editTitle: 'Edit grant {operation}',
    viewTitle: 'Grant {operation}',
    lead: 'Consumer system: {consumer}',
    back: '← Back to {consumer}',
    operation: 'Operation',
    chooseOperation: '— Choose an operation —',
    alreadyGranted: '{operation} (already granted)',
    operationHint: 'A system holds at most one grant per operation; to change a granted one, edit its grant.',
    purposes: 'Processing purposes',
    purposesHint: 'Required for personal-data operations: each call must state (X-Purpose) one of these purposes.',
    purposesNotApplicable: 'Not applicable: this operation processes no personal data, its calls state no purpose.',
    purposesEmpty: 'The purpose catalog is empty: add a purpose under “Processing purposes”.',
    pickOperationFirst: 'Choose an operation first.',
    fields: 'Released fields',
    fieldsAll: 'All fields (*)',
    fieldsPick: 'Pick fields',
    fieldsHint: 'Fields not picked are absent from answers. Picking a group releases all of it.',
    unknownFields: 'This grant names fields the operation’s contract no longer has: {fields}.',
    dropUnknown: 'Remove these fields',
    validity: 'Validity',
    validityHint: 'Vietnam time (UTC+7). Leave empty for no limit.',
    validFrom: 'Valid from',
    validUntil: 'Valid until',
    quota: 'Quota',
    quotaHint: 'Leave the group empty when this grant has no quota of its own (the system’s overall quota still applies).',
    limit: 'Maximum requests',
    windowSeconds: 'Per (seconds)',
    burst: 'Extra at peaks',
    burstWindowSeconds: 'Peak reserve refill (seconds)',
    cache: 'Response cache',
    allowCached: 'Allow answers from the gateway’s cache',
    cacheHint: 'Personal data only: when on, answers may come from the cache (when the operation has a cache policy) instead of asking the source again; still audited.',
    cacheNotApplicable: 'Not applicable: reference data is cached for every system.',
    save: 'Save grant',
    cancel: 'Cancel',
    delete: 'Delete this grant',
    deleteTitle: 'Delete the grant?',
    deleteText: '{consumer} will no longer be able to call {operation} (refused with 403) on every gateway replica.',
    deleteConfirm: 'Delete grant',
    saved: 'Grant {operation} saved.',
    deleted: 'Grant {operation} deleted.',
    noCatalog: 'This gateway does not offer the operation catalog (GET /admin/v1/operations) yet, so operations and fields cannot be chosen.',
    notFound: 'The system {consumer} has no such grant.',
    method: '{method} {path}',
  },
});

/** /console/consumers/<id>/grants/new and /console/consumers/<id>/grants/<grant id>. */
export async function renderGrantEditor(root: HTMLElement, context: PageContext, consumerId: string, grantId: string | undefined): Promise<void> {
  const { signal } = context;
  const [consumer, operations, purposes, grants] = await Promise.all([
    consumersApi.getConsumer(consumerId, signal),
    consumersApi.listOperations(signal),
    consumersApi.listPurposes(signal),
    consumersApi.listGrantsOf(consumerId, signal),
  ]);
  if (signal.aborted) return;
  const grant = grantId ? grants.find((candidate) => candidate.id === grantId) : undefined;
  const detailPath = `/console/consumers/${encodeURIComponent(consumerId)}`;
  const back = h('p', { class: 'back-link' }, consoleLink(context.navigate, detailPath, t('back', { consumer: consumer.name })));
  const operationName = grant?.operation ?? '';
  const title = !grant ? t('newTitle') : context.can('lgsp-admin') ? t('editTitle', { operation: operationName }) : t('viewTitle', { operation: operationName });
  appendAll(root, pageHeader(title, t('lead', { consumer: consumer.name })), back);

  if (grantId && !grant) {
    appendAll(root, notice('warning', h('p', null, t('notFound', { consumer: consumer.name }))));
    return;
  }
  if (!context.can('lgsp-admin')) {
    appendAll(root, notice('info', h('p', null, common('readOnly'))));
    if (grant) root.append(h('section', { class: 'section' }, grantFacts(grant, operations, purposes)));
    return;
  }
  if (!operations) {
    appendAll(root, notice('warning', h('p', null, t('noCatalog'))));
    return;
  }
  appendAll(root, grantForm({ context, consumer, grant, operations, purposes, grantedElsewhere: new Set(grants.filter((other) => other !== grant).map((other) => other.operation)), detailPath }));
}

interface FormInput {
  context: PageContext;
  consumer: Consumer;
  grant: Grant | undefined;
  operations: Operation[];
  purposes: Purpose[];
  grantedElsewhere: ReadonlySet<string>;
  detailPath: string;
}

function grantForm(input: FormInput): HTMLElement {
  const { context, consumer, grant, operations, purposes } = input;
  const errors = new FormErrors();
  const summary = h('div', { class: 'form-summary' });

  // --- operation ---------------------------------------------------------
  const operationSelect = h('select', { name: 'operation' }, h('option', { value: '' }, t('chooseOperation')), ...operationOptions(operations, input.grantedElsewhere, grant?.operation));
  const operationInfo = h('p', { class: 'operation-info', 'aria-live': 'polite' });
  const selected = () => operations.find((operation) => operation.id === operationSelect.value);

  // --- purposes ----------------------------------------------------------
  const purposesLegendRequired = h('span', { class: 'required' });
  const purposesHint = h('p', { class: 'hint', id: uniqueId('purposes-hint') });
  const purposeBoxes = purposes.map((purpose) => ({
    purpose,
    box: h('input', { type: 'checkbox', name: 'purposes', value: purpose.code, id: uniqueId('purpose'), checked: grant?.purposes?.includes(purpose.code) ?? false }),
  }));
  const purposesSet = h(
    'fieldset',
    { class: 'purposes', 'aria-describedby': purposesHint.id },
    h('legend', null, t('purposes'), purposesLegendRequired),
    purposesHint,
    purposes.length === 0 ? h('p', { class: 'empty' }, t('purposesEmpty')) : null,
    h('ul', { class: 'check-list' }, ...purposeBoxes.map(({ purpose, box }) => h('li', null, box, h('label', { for: box.id }, h('code', null, purpose.code), ' — ', purpose.name)))),
  );
  const purposesError = errors.slot('purposes', purposesSet);
  purposesHint.after(purposesError);

  // --- fields ------------------------------------------------------------
  const fieldsLegendId = uniqueId('fields-legend');
  const radioName = uniqueId('fields-mode');
  const allRadio = h('input', { type: 'radio', name: radioName, value: 'all', id: uniqueId('fields-all') });
  const pickRadio = h('input', { type: 'radio', name: radioName, value: 'pick', id: uniqueId('fields-pick') });
  const treeSlot = h('div', { class: 'tree-slot' });
  const fieldsSet = h(
    'fieldset',
    { class: 'fields' },
    h('legend', { id: fieldsLegendId }, t('fields'), h('span', { class: 'required' }, ` ${requiredMark()}`)),
    h('p', { class: 'hint' }, t('fieldsHint')),
    h('div', { class: 'radio-row' }, h('span', null, allRadio, h('label', { for: allRadio.id }, t('fieldsAll'))), h('span', null, pickRadio, h('label', { for: pickRadio.id }, t('fieldsPick')))),
    treeSlot,
  );
  const fieldsError = errors.slot('fields', fieldsSet);
  fieldsSet.querySelector('legend')!.after(fieldsError);
  let tree: FieldTree | undefined;

  // --- validity ----------------------------------------------------------
  const validFrom = h('input', { type: 'datetime-local', name: 'validFrom', value: toProvinceInput(grant?.validFrom) });
  const validUntil = h('input', { type: 'datetime-local', name: 'validUntil', value: toProvinceInput(grant?.validUntil) });
  const validitySet = h(
    'fieldset',
    null,
    h('legend', null, t('validity')),
    h('p', { class: 'hint' }, t('validityHint')),
    h('div', { class: 'form-row' }, withError(errors, 'validFrom', field(t('validFrom'), validFrom)), withError(errors, 'validUntil', field(t('validUntil'), validUntil))),
  );

  // --- quota -------------------------------------------------------------
  const quota = {
    limit: numberInput(grant?.quota?.limit, { name: 'quota.limit', min: '1' }),
    windowSeconds: numberInput(grant?.quota?.windowSeconds, { name: 'quota.windowSeconds', min: '1', max: '86400' }),
    burst: numberInput(grant?.quota?.burst, { name: 'quota.burst', min: '0' }),
    burstWindowSeconds: numberInput(grant?.quota?.burstWindowSeconds, { name: 'quota.burstWindowSeconds', min: '1' }),
  };
  const quotaSet = h(
    'fieldset',
    null,
    h('legend', null, t('quota')),
    h('p', { class: 'hint' }, t('quotaHint')),
    h('div', { class: 'form-row' }, ...(Object.keys(quota) as Array<keyof typeof quota>).map((key) => withError(errors, `quota.${key}`, field(t(key), quota[key])))),
  );
  quotaSet.querySelector('legend')!.after(errors.slot('quota', quotaSet));

  // --- cache -------------------------------------------------------------
  const cacheBox = h('input', { type: 'checkbox', name: 'allowCachedResponses', id: uniqueId('cache'), checked: grant?.allowCachedResponses ?? false });
  const cacheHint = h('p', { class: 'hint', id: uniqueId('cache-hint') });
  cacheBox.setAttribute('aria-describedby', cacheHint.id);
  const cacheSet = h('fieldset', null, h('legend', null, t('cache')), h('div', { class: 'check-row' }, cacheBox, h('label', { for: cacheBox.id }, t('allowCached'))), cacheHint);

  /** Purposes, fields and cache depend on the operation: a personal-data one needs purposes; only it may use the cache. */
  const showOperation = (keepFields: readonly string[]) => {
    const operation = selected();
    operationInfo.replaceChildren(
      ...(operation
        ? [
            badge(operation.personalData ? 'warn' : 'info', operation.personalData ? common('personalData') : common('referenceData')),
            ' ',
            h('code', null, t('method', { method: operation.method, path: operation.path })),
            operationTitle(operation) ? ` — ${operationTitle(operation)}` : '',
          ]
        : []),
    );
    const personal = operation?.personalData ?? false;
    purposesSet.disabled = !personal;
    purposesLegendRequired.textContent = personal ? ` ${requiredMark()}` : '';
    purposesHint.textContent = !operation ? t('pickOperationFirst') : personal ? t('purposesHint') : t('purposesNotApplicable');
    cacheBox.disabled = !personal;
    if (!personal) cacheBox.checked = false;
    cacheHint.textContent = !operation ? t('pickOperationFirst') : personal ? t('cacheHint') : t('cacheNotApplicable');

    fieldsSet.disabled = !operation;
    tree = operation ? fieldTree(operation.fields, keepFields, { labelledBy: fieldsLegendId }) : undefined;
    replaceChildren(treeSlot, !operation ? h('p', { class: 'hint' }, t('pickOperationFirst')) : [unknownFieldsNotice(tree!), tree!.element]);
    tree?.tree.setAttribute('aria-required', 'true');
    showFieldsMode();
  };
  const showFieldsMode = () => {
    if (tree) tree.element.hidden = !pickRadio.checked;
  };
  allRadio.addEventListener('change', showFieldsMode);
  pickRadio.addEventListener('change', showFieldsMode);
  operationSelect.addEventListener('change', () => showOperation([]));

  const initialAll = grant ? isAllFields(grant.fields) : false;
  allRadio.checked = initialAll;
  pickRadio.checked = !initialAll;
  showOperation(grant && !initialAll ? grant.fields : []);

  const read = (): Grant => {
    const operation = selected()!;
    const quotaValues = { limit: numberOf(quota.limit), windowSeconds: numberOf(quota.windowSeconds), burst: numberOf(quota.burst), burstWindowSeconds: numberOf(quota.burstWindowSeconds) };
    const anyQuota = Object.values(quotaValues).some((value) => value !== undefined);
    const pickedPurposes = purposeBoxes.filter(({ box }) => box.checked).map(({ purpose }) => purpose.code);
    const from = fromProvinceInput(validFrom.value);
    const until = fromProvinceInput(validUntil.value);
    return {
      ...(grant?.id && { id: grant.id }),
      consumerId: consumer.id,
      operation: operation.id,
      // The form marks purposes required but leaves the rule to the API: one place decides, and its answer shows here.
      ...(operation.personalData && pickedPurposes.length > 0 && { purposes: pickedPurposes }),
      fields: allRadio.checked ? [allFields] : (tree?.selection.fields() ?? []),
      ...(from && { validFrom: from }),
      ...(until && { validUntil: until }),
      ...(anyQuota && { quota: quotaValues as RatePolicy }),
      ...(operation.personalData && { allowCachedResponses: cacheBox.checked }),
    };
  };

  const form = h(
    'form',
    { class: 'grant-form', novalidate: false },
    h('section', { class: 'section' }, withError(errors, 'operation', field(t('operation'), operationSelect, { required: true, hint: t('operationHint') })), operationInfo),
    h('section', { class: 'section' }, purposesSet, fieldsSet),
    h('section', { class: 'section' }, validitySet, quotaSet, cacheSet),
    summary,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, t('save')),
      withAttributes(consoleLink(context.navigate, input.detailPath, t('cancel')), { class: 'button button-secondary' }),
      grant?.id ? button(t('delete'), () => void confirmDelete(input, grant), { kind: 'danger' }) : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const body = read();
    summary.replaceChildren();
    errors.clear();
    const saving = grant?.id ? consumersApi.replaceGrant(grant.id, body) : consumersApi.createGrant(body);
    saving.then(
      (saved) => {
        flashOnNextRender(t('saved', { operation: saved.operation }));
        context.navigate(input.detailPath);
      },
      (error: unknown) => {
        errors.show(error);
        summary.replaceChildren(problemNotice(error));
        if (error instanceof ApiError) focusFirstInvalid(form);
      },
    );
  });
  return form;
}

/** The first control an error names takes the focus (in a group: its first control), so the keyboard user lands where the fix is. */
function focusFirstInvalid(form: HTMLFormElement): void {
  const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!invalid) return;
  const target = invalid instanceof HTMLFieldSetElement ? invalid.querySelector<HTMLElement>('input:not([disabled]), [role="treeitem"][tabindex="0"]') : invalid;
  target?.focus();
}

function operationOptions(operations: Operation[], grantedElsewhere: ReadonlySet<string>, current: string | undefined): HTMLElement[] {
  const byConnector = new Map<string, Operation[]>();
  for (const operation of operations) {
    const label = operation.connectorTitle ?? operation.connector;
    byConnector.set(label, [...(byConnector.get(label) ?? []), operation]);
  }
  return [...byConnector].map(([label, members]) =>
    h(
      'optgroup',
      { label },
      ...members.map((operation) => {
        const taken = grantedElsewhere.has(operation.id);
        const text = operationTitle(operation) ? `${operation.id} — ${operationTitle(operation)}` : operation.id;
        return h('option', { value: operation.id, selected: operation.id === current, disabled: taken }, taken ? t('alreadyGranted', { operation: text }) : text);
      }),
    ),
  );
}

/** A field wrapper with the slot its API errors land in. */
function withError(errors: FormErrors, name: string, wrapper: HTMLElement): HTMLElement {
  const control = wrapper.querySelector('input, select, textarea') as HTMLElement;
  wrapper.append(errors.slot(name, control));
  return wrapper;
}

function unknownFieldsNotice(tree: FieldTree): HTMLElement | null {
  if (tree.selection.unknown.length === 0) return null;
  const box: HTMLElement = notice(
    'warning',
    h('p', null, t('unknownFields', { fields: tree.selection.unknown.join(', ') })),
    button(t('dropUnknown'), () => {
      tree.selection.dropUnknown();
      tree.refresh();
      box.remove();
    }),
  );
  return box;
}

async function confirmDelete(input: FormInput, grant: Grant): Promise<void> {
  const done = await openDialog(
    t('deleteTitle'),
    h('p', null, t('deleteText', { consumer: input.consumer.name, operation: grant.operation })),
    async () => {
      await consumersApi.deleteGrant(grant.id!);
      return true;
    },
    { danger: true, confirmLabel: t('deleteConfirm') },
  );
  if (!done) return;
  flashOnNextRender(t('deleted', { operation: grant.operation }));
  input.context.navigate(input.detailPath);
}

function requiredMark(): string {
  return common('required');
}
