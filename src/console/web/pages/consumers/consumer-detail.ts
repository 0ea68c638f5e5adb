import { ApiError } from '../../api.js';
import { button, consoleLink, dataTable, notice, openDialog, pageHeader } from '../../components.js';
import { h, withAttributes } from '../../dom.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { consumerForm } from './consumer-form.js';
import { fieldsList } from './grant-facts.js';
import { consumersApi, operationTitle, type Consumer, type Grant, type Operation } from './model.js';
import { consumersPath } from './section-tabs.js';
import { common, ratePolicyText, statusBadge, validityText } from './texts.js';
import { appendAll, definitionList, flashOnNextRender, takeFlash } from './ui.js';

const t = defineMessages({
  vi: {
    back: '← Danh sách hệ thống khai thác',
    details: 'Thông tin hệ thống',
    id: 'Mã hệ thống',
    clientId: 'Mã client trên Keycloak',
    agency: 'Cơ quan chủ quản',
    status: 'Trạng thái',
    contact: 'Đầu mối liên hệ',
    rateLimit: 'Hạn mức chung',
    createdAt: 'Đăng ký lúc',
    updatedAt: 'Cập nhật lần cuối',
    edit: 'Sửa thông tin',
    editTitle: 'Sửa thông tin {name}',
    editConfirm: 'Lưu thay đổi',
    edited: 'Đã lưu thông tin {name}.',
    suspend: 'Tạm ngừng hệ thống',
    suspendTitle: 'Tạm ngừng {name}?',
    suspendText: 'Mọi lời gọi của hệ thống này sẽ bị từ chối (403) trên mọi bản sao của cổng cho đến khi được kích hoạt lại. Quyền truy cập vẫn được giữ nguyên.',
    suspendConfirm: 'Tạm ngừng',
    suspended: 'Đã tạm ngừng {name}.',
    reactivate: 'Kích hoạt lại',
    reactivateTitle: 'Kích hoạt lại {name}?',
    reactivateText: 'Hệ thống được gọi lại các thao tác đã được cấp quyền.',
    reactivateConfirm: 'Kích hoạt lại',
    reactivated: 'Đã kích hoạt lại {name}.',
    suspendedNotice: 'Hệ thống đang tạm ngừng: cổng từ chối mọi lời gọi của nó.',
    grants: 'Quyền truy cập',
    grantsCaption: 'Các thao tác {name} được gọi',
    grantsEmpty: 'Hệ thống chưa được cấp quyền gọi thao tác nào: mọi lời gọi bị từ chối.',
    newGrant: 'Cấp quyền mới',
    operation: 'Thao tác',
    purposes: 'Mục đích',
    fields: 'Trường được cung cấp',
    validity: 'Hiệu lực',
    quota: 'Hạn mức',
    cache: 'Bộ đệm',
    actions: 'Thao tác quản trị',
    editGrant: 'Sửa',
    editGrantLabel: 'Sửa quyền {operation}',
    viewGrant: 'Xem',
    viewGrantLabel: 'Xem quyền {operation}',
    notFound: 'Không có hệ thống khai thác {id}.',
  },
  en: {
    back: '← Consumer systems',
    details: 'System details',
    id: 'System id',
    clientId: 'Keycloak client id',
    agency: 'Owning agency',
    status: 'Status',
    contact: 'Contact',
    rateLimit: 'Overall quota',
    createdAt: 'Registered',
    updatedAt: 'Last changed',
    edit: 'Edit details',
    editTitle: 'Edit {name}',
    editConfirm: 'Save changes',
    edited: 'Details of {name} saved.',
    suspend: 'Suspend system',
    suspendTitle: 'Suspend {name}?',
    suspendText: 'Every call of this system will be refused (403) on every gateway replica until it is reactivated. Its grants are kept.',
    suspendConfirm: 'Suspend',
    suspended: '{name} suspended.',
    reactivate: 'Reactivate',
    reactivateTitle: 'Reactivate {name}?',
    reactivateText: 'The system may call its granted operations again.',
    reactivateConfirm: 'Reactivate',
    reactivated: '{name} reactivated.',
    suspendedNotice: 'This system is suspended: the gateway refuses all its calls.',
    grants: 'Grants',
    grantsCaption: 'Operations {name} may call',
    grantsEmpty: 'The system holds no grant yet: every call is refused.',
    newGrant: 'New grant',
    operation: 'Operation',
    purposes: 'Purposes',
    fields: 'Released fields',
    validity: 'Validity',
    quota: 'Quota',
    cache: 'Cache',
    actions: 'Actions',
    editGrant: 'Edit',
    editGrantLabel: 'Edit grant {operation}',
    viewGrant: 'View',
    viewGrantLabel: 'View grant {operation}',
    notFound: 'No consumer system {id}.',
  },
});

/** /console/consumers/<id>: the system, suspend / reactivate, and its grants. */
export async function renderConsumerDetail(root: HTMLElement, context: PageContext, consumerId: string, refresh: () => Promise<void>): Promise<void> {
  const { signal } = context;
  let consumer: Consumer;
  try {
    consumer = await consumersApi.getConsumer(consumerId, signal);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    appendAll(root, pageHeader(t('notFound', { id: consumerId })), h('p', { class: 'back-link' }, consoleLink(context.navigate, consumersPath, t('back'))));
    return;
  }
  const [grants, operations] = await Promise.all([consumersApi.listGrantsOf(consumerId, signal), consumersApi.listOperations(signal).catch(() => undefined)]);
  if (signal.aborted) return;
  const admin = context.can('lgsp-admin');
  const selfPath = `/console/consumers/${encodeURIComponent(consumer.id)}`;
  const suspended = consumer.status === 'suspended';

  appendAll(
    root,
    pageHeader(
      consumer.name,
      consumer.agency,
      admin ? button(t('edit'), () => void edit(consumer, refresh)) : null,
      admin ? button(suspended ? t('reactivate') : t('suspend'), () => void changeStatus(consumer, refresh), { kind: suspended ? 'primary' : 'danger' }) : null,
    ),
    h('p', { class: 'back-link' }, consoleLink(context.navigate, consumersPath, t('back'))),
    takeFlash(),
    suspended ? notice('warning', h('p', null, t('suspendedNotice'))) : null,
    admin ? null : notice('info', h('p', null, common('readOnly'))),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'consumer-details' },
      h('h2', { id: 'consumer-details' }, t('details')),
      definitionList([
        [t('id'), h('code', null, consumer.id)],
        [t('clientId'), h('code', null, consumer.clientId)],
        [t('agency'), consumer.agency],
        [t('status'), statusBadge(consumer.status)],
        [t('contact'), contactText(consumer)],
        [t('rateLimit'), ratePolicyText(consumer.rateLimit)],
        [t('createdAt'), formatDateTime(consumer.createdAt)],
        [t('updatedAt'), formatDateTime(consumer.updatedAt)],
      ]),
    ),
    h(
      'section',
      { class: 'section', 'aria-labelledby': 'consumer-grants' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'consumer-grants' }, t('grants')),
        admin ? withAttributes(consoleLink(context.navigate, `${selfPath}/grants/new`, t('newGrant')), { class: 'button button-primary' }) : null,
      ),
      grantsTable(context, consumer, grants, operations, selfPath),
    ),
  );
}

function grantsTable(context: PageContext, consumer: Consumer, grants: Grant[], operations: Operation[] | undefined, selfPath: string): HTMLElement {
  const admin = context.can('lgsp-admin');
  const operationOf = (grant: Grant) => operations?.find((operation) => operation.id === grant.operation);
  return dataTable<Grant>(
    t('grantsCaption', { name: consumer.name }),
    [
      {
        label: t('operation'),
        cell: (grant) => {
          const operation = operationOf(grant);
          return [h('code', null, grant.operation), operation && operationTitle(operation) ? h('div', { class: 'cell-note' }, operationTitle(operation)) : null];
        },
      },
      { label: t('purposes'), cell: (grant) => (grant.purposes?.length ? h('ul', { class: 'plain-list' }, ...grant.purposes.map((code) => h('li', null, h('code', null, code)))) : common('none')) },
      { label: t('fields'), cell: (grant) => fieldsList(grant.fields) },
      { label: t('validity'), cell: (grant) => validityText(grant.validFrom, grant.validUntil) },
      { label: t('quota'), cell: (grant) => ratePolicyText(grant.quota) },
      { label: t('cache'), cell: (grant) => (operationOf(grant)?.personalData === false ? common('none') : grant.allowCachedResponses ? common('yes') : common('no')) },
      {
        label: t('actions'),
        cell: (grant) =>
          withAttributes(consoleLink(context.navigate, `${selfPath}/grants/${encodeURIComponent(grant.id ?? '')}`, admin ? t('editGrant') : t('viewGrant')), {
            'aria-label': admin ? t('editGrantLabel', { operation: grant.operation }) : t('viewGrantLabel', { operation: grant.operation }),
          }),
      },
    ],
    grants,
    { empty: t('grantsEmpty') },
  );
}

function contactText(consumer: Consumer): string {
  const parts = [consumer.contact?.name, consumer.contact?.email, consumer.contact?.phone].filter(Boolean);
  return parts.length ? parts.join(' · ') : common('none');
}

async function edit(consumer: Consumer, refresh: () => Promise<void>): Promise<void> {
  const form = consumerForm(consumer);
  const saved = await openDialog(
    t('editTitle', { name: consumer.name }),
    form.body,
    async () => {
      form.errors.clear();
      try {
        return await consumersApi.replaceConsumer(form.read());
      } catch (error) {
        form.errors.show(error);
        throw error;
      }
    },
    { confirmLabel: t('editConfirm') },
  );
  if (!saved) return;
  flashOnNextRender(t('edited', { name: saved.name }));
  await refresh();
}

/** Suspending is the consumer written back with status `suspended` (the admin API's PUT takes the whole object). */
async function changeStatus(consumer: Consumer, refresh: () => Promise<void>): Promise<void> {
  const suspending = consumer.status === 'active';
  const name = consumer.name;
  const saved = await openDialog(
    suspending ? t('suspendTitle', { name }) : t('reactivateTitle', { name }),
    h('p', null, suspending ? t('suspendText') : t('reactivateText')),
    async () => {
      // The latest version, so a change made meanwhile by someone else is not written back over.
      const latest = await consumersApi.getConsumer(consumer.id);
      return consumersApi.replaceConsumer({ ...latest, status: suspending ? 'suspended' : 'active' });
    },
    { danger: suspending, confirmLabel: suspending ? t('suspendConfirm') : t('reactivateConfirm') },
  );
  if (!saved) return;
  flashOnNextRender(suspending ? t('suspended', { name }) : t('reactivated', { name }));
  await refresh();
}
