import { button, consoleLink, dataTable, notice, openDialog, pageHeader } from '../../components.js';
import { h } from '../../dom.js';
import { defineMessages, formatDateTime } from '../../i18n.js';
import type { PageContext } from '../page-context.js';
import { consumerForm } from './consumer-form.js';
import { consumersApi, type Consumer } from './model.js';
import { sectionTabs } from './section-tabs.js';
import { common, ratePolicyText, statusBadge } from './texts.js';
import { appendAll, flashOnNextRender, takeFlash } from './ui.js';

const t = defineMessages({
  vi: {
    title: 'Hệ thống khai thác, quyền truy cập và mục đích',
    lead: 'Các hệ thống được gọi cổng, quyền gọi từng thao tác của mỗi hệ thống và danh mục mục đích xử lý dữ liệu cá nhân.',
    create: 'Đăng ký hệ thống khai thác',
    createTitle: 'Đăng ký hệ thống khai thác',
    createConfirm: 'Đăng ký',
    created: 'Đã đăng ký hệ thống {name}.',
    caption: 'Hệ thống khai thác đã đăng ký',
    empty: 'Chưa có hệ thống khai thác nào.',
    id: 'Mã',
    name: 'Tên hệ thống',
    agency: 'Cơ quan chủ quản',
    clientId: 'Mã client',
    status: 'Trạng thái',
    rateLimit: 'Hạn mức chung',
    updatedAt: 'Cập nhật',
  },
  en: {
    title: 'Consumers, grants and purposes',
    lead: 'The systems allowed to call the gateway, what each may call, and the catalog of purposes for processing personal data.',
    create: 'Register a consumer system',
    createTitle: 'Register a consumer system',
    createConfirm: 'Register',
    created: 'System {name} registered.',
    caption: 'Registered consumer systems',
    empty: 'No consumer system yet.',
    id: 'Id',
    name: 'System name',
    agency: 'Owning agency',
    clientId: 'Client id',
    status: 'Status',
    rateLimit: 'Overall quota',
    updatedAt: 'Changed',
  },
});

/** /console/consumers: the registered systems, and registering one (administrators). */
export async function renderConsumerList(root: HTMLElement, context: PageContext): Promise<void> {
  const consumers = await consumersApi.listConsumers(context.signal);
  if (context.signal.aborted) return;
  const admin = context.can('lgsp-admin');
  appendAll(
    root,
    pageHeader(t('title'), t('lead'), admin ? button(t('create'), () => void create(context), { kind: 'primary' }) : null),
    sectionTabs('consumers', context),
    takeFlash(),
    admin ? null : notice('info', h('p', null, common('readOnly'))),
    dataTable<Consumer>(
      t('caption'),
      [
        { label: t('id'), cell: (consumer) => consoleLink(context.navigate, `/console/consumers/${encodeURIComponent(consumer.id)}`, consumer.id) },
        { label: t('name'), cell: (consumer) => consumer.name },
        { label: t('agency'), cell: (consumer) => consumer.agency },
        { label: t('clientId'), cell: (consumer) => h('code', null, consumer.clientId) },
        { label: t('status'), cell: (consumer) => statusBadge(consumer.status) },
        { label: t('rateLimit'), cell: (consumer) => ratePolicyText(consumer.rateLimit) },
        { label: t('updatedAt'), cell: (consumer) => formatDateTime(consumer.updatedAt) },
      ],
      consumers,
      { empty: t('empty') },
    ),
  );
}

async function create(context: PageContext): Promise<void> {
  const form = consumerForm();
  const created = await openDialog(
    t('createTitle'),
    form.body,
    async () => {
      form.errors.clear();
      try {
        return await consumersApi.createConsumer(form.read());
      } catch (error) {
        // Beside the fields too, not only in the dialog's summary.
        form.errors.show(error);
        throw error;
      }
    },
    { confirmLabel: t('createConfirm') },
  );
  if (!created) return;
  flashOnNextRender(t('created', { name: created.name }));
  context.navigate(`/console/consumers/${encodeURIComponent(created.id)}`);
}
