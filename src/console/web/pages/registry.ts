import { defineMessages } from '../i18n.js';
import type { ConsolePage, Role } from './page-context.js';

export type { ConsolePage, ConsoleUser, PageContext, Role } from './page-context.js';

export interface PageEntry {
  /** The console path the page answers (and its sub-paths). */
  path: string;
  label: string;
  /** Roles that see the page in the navigation; the admin API's own roles are the real gate. */
  roles: readonly Role[];
  load: () => Promise<ConsolePage>;
}

const t = defineMessages({
  vi: {
    overview: 'Tổng quan',
    alerts: 'Cảnh báo',
    connectors: 'Kết nối',
    consumers: 'Hệ thống khai thác',
    outbox: 'Đồng bộ hồ sơ',
    payments: 'Thanh toán',
    audit: 'Nhật ký truy cập',
  },
  en: {
    overview: 'Overview',
    alerts: 'Alerts',
    connectors: 'Connectors',
    consumers: 'Consumers & grants',
    outbox: 'Dossier sync',
    payments: 'Payments',
    audit: 'Audit trail',
  },
});

const everyone: readonly Role[] = ['lgsp-admin', 'lgsp-operator', 'lgsp-auditor'];

/** The console's pages, in navigation order; each is loaded when first shown. */
export function consolePages(): PageEntry[] {
  return [
    { path: '/console/', label: t('overview'), roles: everyone, load: () => import('./overview.js') },
    { path: '/console/alerts', label: t('alerts'), roles: everyone, load: () => import('./alerts.js') },
    { path: '/console/connectors', label: t('connectors'), roles: everyone, load: () => import('./connectors.js') },
    { path: '/console/consumers', label: t('consumers'), roles: everyone, load: () => import('./consumers.js') },
    { path: '/console/outbox', label: t('outbox'), roles: everyone, load: () => import('./outbox.js') },
    { path: '/console/payments', label: t('payments'), roles: ['lgsp-admin', 'lgsp-operator'], load: () => import('./payments.js') },
    { path: '/console/audit', label: t('audit'), roles: ['lgsp-admin', 'lgsp-auditor'], load: () => import('./audit.js') },
  ];
}
