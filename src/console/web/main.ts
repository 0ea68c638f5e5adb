import { ApiError, signOut, useCsrfToken } from './api.js';
import { loading, problemNotice } from './components.js';
import { h, replaceChildren } from './dom.js';
import { catalogs, currentLanguage, defineMessages, languages, setLanguage, type Language } from './i18n.js';
import { consolePages, type ConsoleUser, type PageEntry, type Role } from './pages/registry.js';

const t = defineMessages({
  vi: {
    product: 'Cổng LGSP',
    productLong: 'Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh',
    skip: 'Bỏ qua, đến nội dung chính',
    mainNav: 'Điều hướng chính',
    signOut: 'Đăng xuất',
    signedInAs: 'Đăng nhập: {name}',
    language: 'Ngôn ngữ',
    roles: 'Vai trò: {roles}',
    noRole: 'Tài khoản của bạn chưa được giao vai trò nào của cổng (quản trị, vận hành, kiểm toán). Liên hệ quản trị viên.',
    notFound: 'Không có trang này trong bảng điều khiển.',
    signedOutTitle: 'Bạn đã đăng xuất',
    signedOutText: 'Phiên làm việc trên bảng điều khiển và trên hệ thống đăng nhập một lần đã kết thúc.',
    signInAgain: 'Đăng nhập lại',
    'role.lgsp-admin': 'quản trị',
    'role.lgsp-operator': 'vận hành',
    'role.lgsp-auditor': 'kiểm toán',
  },
  en: {
    product: 'LGSP gateway',
    productLong: 'Provincial data-integration hub',
    skip: 'Skip to main content',
    mainNav: 'Main navigation',
    signOut: 'Sign out',
    signedInAs: 'Signed in: {name}',
    language: 'Language',
    roles: 'Roles: {roles}',
    noRole: 'Your account holds none of the gateway roles (administrator, operator, auditor). Ask an administrator.',
    notFound: 'The console has no such page.',
    signedOutTitle: 'You are signed out',
    signedOutText: 'Your console session and your single sign-on session have ended.',
    signInAgain: 'Sign in again',
    'role.lgsp-admin': 'administrator',
    'role.lgsp-operator': 'operator',
    'role.lgsp-auditor': 'auditor',
  },
});

const languageNames: Record<Language, string> = { vi: 'Tiếng Việt', en: 'English' };

interface Session {
  user: ConsoleUser;
  csrfToken: string;
}

let session: Session | undefined;
let leaving: AbortController | undefined;

async function start(): Promise<void> {
  document.documentElement.lang = currentLanguage();
  // The browser tests read every catalog from here to check both languages are complete.
  (window as unknown as { __lgspCatalogs: typeof catalogs }).__lgspCatalogs = catalogs;
  if (location.pathname === '/console/signed-out') {
    renderSignedOut();
    return;
  }
  const response = await fetch('/console/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (response.status === 401) {
    location.assign(`/console/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  if (!response.ok) {
    replaceChildren(document.getElementById('app')!, h('main', { id: 'main' }, problemNotice(new ApiError(response.status, `HTTP_${response.status}`, response.statusText, undefined, []))));
    return;
  }
  session = (await response.json()) as Session;
  useCsrfToken(session.csrfToken);
  window.addEventListener('popstate', () => void show());
  await show();
}

function renderSignedOut(): void {
  document.title = `${t('signedOutTitle')} — ${t('product')}`;
  replaceChildren(
    document.getElementById('app')!,
    h('main', { id: 'main', class: 'signed-out' }, h('h1', null, t('signedOutTitle')), h('p', null, t('signedOutText')), h('p', null, h('a', { href: '/console/login', class: 'button button-primary' }, t('signInAgain')))),
  );
}

function pageFor(path: string, pages: PageEntry[]): { page: PageEntry; subpath: string[] } | undefined {
  const normalized = path === '/console' ? '/console/' : path;
  if (normalized === '/console/') return { page: pages[0]!, subpath: [] };
  for (const page of pages.slice(1)) {
    if (normalized === page.path || normalized.startsWith(`${page.path}/`)) {
      try {
        return { page, subpath: normalized.slice(page.path.length).split('/').filter(Boolean).map(decodeURIComponent) };
      } catch {
        return undefined; // a malformed escape (%E0): no such page
      }
    }
  }
  return undefined;
}

/** Renders the layout and the page the URL names. */
async function show(): Promise<void> {
  if (!session) return;
  leaving?.abort();
  leaving = new AbortController();
  const { user } = session;
  const pages = consolePages().filter((page) => page.roles.some((role) => user.roles.includes(role)));
  const match = pageFor(location.pathname, consolePages());
  const main = h('main', { id: 'main', tabindex: '-1' });
  replaceChildren(document.getElementById('app')!, layout(user, pages, match?.page), main);

  if (user.roles.length === 0) {
    replaceChildren(main, h('div', { class: 'notice notice-warning', role: 'alert' }, t('noRole')));
    return;
  }
  if (!match) {
    document.title = t('product');
    replaceChildren(main, h('h1', { tabindex: '-1', id: 'page-title' }, t('notFound')));
    return;
  }
  document.title = `${match.page.label} — ${t('product')}`;
  replaceChildren(main, loading());
  const signal = leaving.signal;
  try {
    const module = await match.page.load();
    if (signal.aborted) return;
    main.replaceChildren();
    await module.render(main, {
      user,
      can: (...roles: Role[]) => roles.some((role) => user.roles.includes(role)),
      subpath: match.subpath,
      query: new URLSearchParams(location.search),
      navigate,
      signal,
    });
  } catch (error) {
    if (!signal.aborted) replaceChildren(main, problemNotice(error));
  }
  if (!signal.aborted) (document.getElementById('page-title') ?? main).focus();
}

function navigate(path: string): void {
  history.pushState(null, '', path);
  void show();
}

function layout(user: ConsoleUser, pages: PageEntry[], current: PageEntry | undefined): HTMLElement {
  const languageSelect = h('select', { id: 'language', 'aria-label': t('language') }, ...languages.map((language) => h('option', { value: language, selected: language === currentLanguage(), lang: language }, languageNames[language])));
  languageSelect.addEventListener('change', () => {
    setLanguage(languageSelect.value as Language);
    void show();
  });
  const links = pages.map((page) =>
    h(
      'li',
      null,
      h(
        'a',
        {
          href: page.path,
          'aria-current': page === current ? 'page' : undefined,
          onclick: (event: MouseEvent) => {
            if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            navigate(page.path);
          },
        },
        page.label,
      ),
    ),
  );
  return h(
    'div',
    { class: 'chrome' },
    h('a', { class: 'skip-link', href: '#main' }, t('skip')),
    h(
      'header',
      { class: 'top-bar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-name' }, t('product')), h('span', { class: 'brand-long' }, t('productLong'))),
      h(
        'div',
        { class: 'user-box' },
        h('span', { class: 'user-name' }, t('signedInAs', { name: user.name ?? user.username })),
        h('span', { class: 'user-roles' }, t('roles', { roles: user.roles.map((role) => t(`role.${role}`)).join(', ') || '—' })),
        languageSelect,
        h('button', {
          type: 'button',
          class: 'button button-secondary',
          onclick: () =>
            signOut().catch((error: unknown) => {
              const main = document.getElementById('main');
              if (main) main.prepend(problemNotice(error));
            }),
        }, t('signOut')),
      ),
    ),
    h('nav', { class: 'main-nav', 'aria-label': t('mainNav') }, h('ul', null, ...links)),
    h('div', { id: 'announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }),
  );
}

void start();
