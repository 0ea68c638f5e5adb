import { pageHeader } from '../components.js';
import { defineMessages } from '../i18n.js';
import type { PageContext } from './page-context.js';

// Scaffold: replaced by the real page.
const t = defineMessages({ vi: { title: 'overview' }, en: { title: 'overview' } });

export function render(root: HTMLElement, _context: PageContext): void {
  root.append(pageHeader(t('title')));
}
