import { button, dataTable, field, notice, openDialog, pageHeader } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { FormErrors } from './form-errors.js';
import { consumersApi, type Purpose, type PurposeKind } from './model.js';
import { sectionTabs } from './section-tabs.js';
import { common } from './texts.js';
import { appendAll, flashOnNextRender, listOf, takeFlash, textInput } from './ui.js';

const t = defineMessages({
  vi: {
    title: 'Mục đích xử lý dữ liệu cá nhân',
    lead: 'Danh mục mục đích mà quyền truy cập dữ liệu cá nhân viện dẫn; lời gọi nêu mục đích trong tiêu đề X-Purpose.',
    create: 'Thêm mục đích',
    createTitle: 'Thêm mục đích xử lý',
    createConfirm: 'Thêm',
    created: 'Đã thêm mục đích {code}.',
    caption: 'Danh mục mục đích xử lý',
    empty: 'Danh mục đang trống: chưa cấp được quyền truy cập dữ liệu cá nhân nào.',
    code: 'Mã',
    name: 'Tên mục đích',
    kind: 'Cách nêu trong X-Purpose',
    legalBasis: 'Căn cứ pháp lý',
    unitCodePatterns: 'Mã đơn vị được chấp nhận',
    procedureCodes: 'Mã thủ tục hành chính',
    codeHint: 'Chữ in hoa không dấu, chữ số, gạch dưới và gạch ngang, ví dụ DOSSIER-PROCESSING.',
    kindHint: 'Mã mục đích: X-Purpose mang chính mã này. Mã hồ sơ TTHC: X-Purpose mang mã hồ sơ (Thông tư 01/2018/TT-VPCP) của một đơn vị được chấp nhận.',
    unitCodePatternsHint: 'Bắt buộc với mã hồ sơ. Cách nhau bằng dấu phẩy; * thay cho một phần bất kỳ, ví dụ *.*.*.H22 (mọi đơn vị của tỉnh H22) hoặc * (mọi đơn vị).',
    procedureCodesHint: 'Không bắt buộc. Nếu có, lời gọi phải nêu một trong các mã này trong X-Procedure, ví dụ 1.003560.000.00.00.H56.',
    anyUnit: 'mọi đơn vị',
  },
  en: {
    title: 'Purposes of processing personal data',
    lead: 'The catalog of purposes personal-data grants name; each call states its purpose in the X-Purpose header.',
    create: 'Add a purpose',
    createTitle: 'Add a processing purpose',
    createConfirm: 'Add',
    created: 'Purpose {code} added.',
    caption: 'Purpose catalog',
    empty: 'The catalog is empty: no personal-data grant can be made yet.',
    code: 'Code',
    name: 'Purpose',
    kind: 'Stated in X-Purpose as',
    legalBasis: 'Legal basis',
    unitCodePatterns: 'Accepted unit codes',
    procedureCodes: 'Procedure codes',
    codeHint: 'Upper-case letters, digits, underscores and hyphens, e.g. DOSSIER-PROCESSING.',
    kindHint: 'Purpose code: X-Purpose carries this code. Dossier code: X-Purpose carries a dossier code (Circular 01/2018/TT-VPCP) of an accepted unit.',
    unitCodePatternsHint: 'Required for dossier codes. Separate with commas; * stands for any part, e.g. *.*.*.H22 (any unit of province H22) or * (any unit).',
    procedureCodesHint: 'Optional. When set, each call must name one of these in X-Procedure, e.g. 1.003560.000.00.00.H56.',
    anyUnit: 'any unit',
  },
});

/** /console/consumers?tab=purposes: the purpose catalog, and adding to it (administrators). */
export async function renderPurposes(root: HTMLElement, context: PageContext, refresh: () => Promise<void>): Promise<void> {
  const purposes = await consumersApi.listPurposes(context.signal);
  if (context.signal.aborted) return;
  const admin = context.can('lgsp-admin');
  const codes = (values: string[] | undefined) => (values?.length ? h('ul', { class: 'plain-list' }, ...values.map((value) => h('li', null, h('code', null, value)))) : common('none'));
  appendAll(
    root,
    pageHeader(t('title'), t('lead'), admin ? button(t('create'), () => void create(refresh), { kind: 'primary' }) : null),
    sectionTabs('purposes', context),
    takeFlash(),
    admin ? null : notice('info', h('p', null, common('readOnly'))),
    dataTable<Purpose>(
      t('caption'),
      [
        { label: t('code'), cell: (purpose) => h('code', null, purpose.code) },
        { label: t('name'), cell: (purpose) => purpose.name },
        { label: t('kind'), cell: (purpose) => common(`kind.${purpose.kind}`) },
        { label: t('legalBasis'), cell: (purpose) => purpose.legalBasis },
        {
          label: t('unitCodePatterns'),
          cell: (purpose) => (purpose.unitCodePatterns?.length === 1 && purpose.unitCodePatterns[0] === '*' ? [h('code', null, '*'), ` (${t('anyUnit')})`] : codes(purpose.unitCodePatterns)),
        },
        { label: t('procedureCodes'), cell: (purpose) => codes(purpose.procedureCodes) },
      ],
      purposes,
      { empty: t('empty') },
    ),
  );
}

async function create(refresh: () => Promise<void>): Promise<void> {
  const errors = new FormErrors();
  const code = textInput({ name: 'code', maxlength: '64', spellcheck: 'false', autocapitalize: 'characters' });
  const name = textInput({ name: 'name', maxlength: '300' });
  const kind = h('select', { name: 'kind' }, ...(['code', 'dossier'] as const).map((value) => h('option', { value }, common(`kind.${value}`))));
  const legalBasis = h('textarea', { name: 'legalBasis', maxlength: '500', rows: '2' });
  const unitCodePatterns = textInput({ name: 'unitCodePatterns', spellcheck: 'false' });
  const procedureCodes = textInput({ name: 'procedureCodes', spellcheck: 'false' });
  const withError = (fieldName: string, wrapper: HTMLElement) => {
    wrapper.append(errors.slot(fieldName, wrapper.querySelector('input, select, textarea') as HTMLElement));
    return wrapper;
  };
  // Unit codes only mean something for dossier codes, where they are required.
  const unitField = withError('unitCodePatterns', field(t('unitCodePatterns'), unitCodePatterns, { hint: t('unitCodePatternsHint') }));
  const showKind = () => {
    const dossier = kind.value === 'dossier';
    unitField.hidden = !dossier;
    unitCodePatterns.required = dossier;
  };
  kind.addEventListener('change', showKind);
  showKind();

  const body = h(
    'div',
    { class: 'purpose-form' },
    h('div', { class: 'form-row' }, withError('code', field(t('code'), code, { required: true, hint: t('codeHint') })), withError('name', field(t('name'), name, { required: true }))),
    withError('kind', field(t('kind'), kind, { required: true, hint: t('kindHint') })),
    withError('legalBasis', field(t('legalBasis'), legalBasis, { required: true })),
    unitField,
    withError('procedureCodes', field(t('procedureCodes'), procedureCodes, { hint: t('procedureCodesHint') })),
  );
  const created = await openDialog(
    t('createTitle'),
    body,
    async () => {
      errors.clear();
      const dossier = kind.value === 'dossier';
      const purpose: Purpose = {
        code: code.value.trim(),
        name: name.value.trim(),
        kind: kind.value as PurposeKind,
        legalBasis: legalBasis.value.trim(),
        ...(dossier && { unitCodePatterns: listOf(unitCodePatterns) }),
        ...(listOf(procedureCodes).length > 0 && { procedureCodes: listOf(procedureCodes) }),
      };
      try {
        return await consumersApi.createPurpose(purpose);
      } catch (error) {
        errors.show(error);
        throw error;
      }
    },
    { confirmLabel: t('createConfirm') },
  );
  if (!created) return;
  flashOnNextRender(t('created', { code: created.code }));
  await refresh();
}
