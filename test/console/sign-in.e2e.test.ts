import { startConsoleTestBed, type ConsoleTestBed } from '../support/console-browser.js';

/**
 * Signing in to the console through the real authorization-code flow (dev
 * IdP, keycloak-connect), what each role is shown, sessions and cookies,
 * CSRF and cross-role refusals, and signing out of the realm too.
 */
let bed: ConsoleTestBed;

beforeAll(async () => {
  // Access tokens of 10 s: the console must refresh them through the session without the user noticing.
  bed = await startConsoleTestBed({ store: 'pglite', overrides: { devIdp: { port: 0, accessTokenTtlSeconds: 10 } } });
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

const navLabels = async (page: import('playwright-core').Page) => (await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link').allInnerTexts()).map((text) => text.trim());

/** A request as another site or a script would send it: the session cookie, no browser in between. */
async function sendWithCookie(cookie: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cookie', cookie);
  return fetch(`${bed.url}${path}`, { ...init, headers, redirect: 'manual' });
}

async function sessionCookie(context: import('playwright-core').BrowserContext): Promise<string> {
  const cookie = (await context.cookies(`${bed.url}/console/`)).find((candidate) => candidate.name === 'lgsp_console');
  if (!cookie) throw new Error('no console session cookie');
  return `${cookie.name}=${cookie.value}`;
}

describe('signing in', () => {
  it('shows each role the pages it may use, in Vietnamese by default', async () => {
    const expected: Record<'admin' | 'operator' | 'auditor', string[]> = {
      admin: ['Tổng quan', 'Cảnh báo', 'Kết nối', 'Hệ thống khai thác', 'Đồng bộ hồ sơ', 'Thanh toán', 'Nhật ký truy cập'],
      operator: ['Tổng quan', 'Cảnh báo', 'Kết nối', 'Hệ thống khai thác', 'Đồng bộ hồ sơ', 'Thanh toán'],
      auditor: ['Tổng quan', 'Cảnh báo', 'Kết nối', 'Hệ thống khai thác', 'Đồng bộ hồ sơ', 'Nhật ký truy cập'],
    };
    for (const user of ['admin', 'operator', 'auditor'] as const) {
      const { page, context } = await bed.signIn(user);
      expect(await navLabels(page)).toEqual(expected[user]);
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      expect(await page.locator('.user-name').innerText()).toMatch(/^Đăng nhập: \S/);
      await context.close();
    }
  }, 90_000);

  it('keeps the session server-side: an HttpOnly, SameSite=Lax cookie scoped to /console, and no token in the browser', async () => {
    const { page, context, responses } = await bed.signIn('operator');
    const cookies = await context.cookies(`${bed.url}/console/`);
    const session = cookies.find((cookie) => cookie.name === 'lgsp_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });
    // Plain http here, so not Secure (secureCookies: auto); behind TLS it is.
    expect(session?.secure).toBe(false);
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    expect(stored).not.toMatch(/eyJ/); // no JWT anywhere the page's script can read
    for (const response of responses.filter((r) => r.url.startsWith(bed.url))) expect(response.body).not.toMatch(/eyJ[\w-]+\.eyJ/);
    await context.close();
  }, 60_000);

  it('serves every console page under a strict Content-Security-Policy', async () => {
    const { page, context } = await bed.signIn('admin');
    const response = await page.goto(`${bed.url}/console/alerts`);
    const headers = response!.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    // The shell has no inline script to allow.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await context.close();
  }, 60_000);

  it('refreshes an expired access token through the session', async () => {
    const { page, context } = await bed.signIn('auditor');
    const before = bed.harness.logs.length;
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const status = await page.evaluate(async () => (await fetch('/console/api/consumers')).status);
    expect(bed.harness.logs.slice(before).filter((line) => line.includes('console session'))).toEqual([]);
    expect(status).toBe(200);
    await context.close();
  }, 60_000);

  it('returns to the page that was asked for, never to another site', async () => {
    const context = await bed.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${bed.url}/console/login?next=${encodeURIComponent('//evil.example/steal')}`);
    await page.getByLabel(/username/i).fill('operator');
    await page.getByLabel(/password/i).fill('operator-dev-password');
    await Promise.all([page.waitForURL(`${bed.url}/console/**`), page.getByRole('button', { name: /sign in/i }).click()]);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await context.close();
  }, 60_000);
});

describe('refusals', () => {
  it('answers the API relay without a session with 401 problem+json, whatever bearer token comes along', async () => {
    const { admin } = await bed.harness.staffTokens();
    for (const headers of [{}, { authorization: `Bearer ${admin}` }] as Array<Record<string, string>>) {
      const response = await fetch(`${bed.url}/console/api/consumers`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { code: string }).code).toBe('LGSP_CONSOLE_SIGN_IN_REQUIRED');
    }
    // A page without a session goes to sign-in.
    const page = await fetch(`${bed.url}/console/connectors`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fconnectors');
  });

  it('refuses a change without the CSRF token, or from another origin, and applies nothing', async () => {
    const { page, context } = await bed.signIn('admin');
    const cookie = await sessionCookie(context);
    const { csrfToken } = (await (await sendWithCookie(cookie, '/console/session')).json()) as { csrfToken: string };
    const purpose = (code: string) => JSON.stringify({ code, name: 'Thử CSRF', kind: 'dossier', legalBasis: 'Nghị định 13/2023/NĐ-CP', unitCodePatterns: ['*.*.*.H22'] });
    const attempts: Array<{ headers: Record<string, string>; body: string }> = [
      { headers: { 'content-type': 'application/json' }, body: purpose('CSRF-NO-TOKEN') },
      { headers: { 'content-type': 'application/json', 'x-csrf-token': 'forged' }, body: purpose('CSRF-FORGED') },
      { headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, origin: 'http://evil.example' }, body: purpose('CSRF-OTHER-ORIGIN') },
    ];
    for (const attempt of attempts) {
      const response = await sendWithCookie(cookie, '/console/api/purposes', { method: 'POST', ...attempt });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { code: string }).code).toBe('LGSP_CSRF_TOKEN_INVALID');
    }
    // Reads too, when the browser says another site asked for them (a citizen report is a read, and audited).
    for (const site of ['cross-site', 'same-site']) {
      const read = await sendWithCookie(cookie, '/console/api/consumers', { headers: { 'sec-fetch-site': site } });
      expect(read.status).toBe(403);
      expect(((await read.json()) as { code: string }).code).toBe('LGSP_CSRF_TOKEN_INVALID');
    }
    expect((await sendWithCookie(cookie, '/console/api/consumers', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    // The browser's own request without the header is refused the same way.
    const fromPage = await page.evaluate(async () => {
      const response = await fetch('/console/api/purposes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return { status: response.status, code: ((await response.json()) as { code: string }).code };
    });
    expect(fromPage).toEqual({ status: 403, code: 'LGSP_CSRF_TOKEN_INVALID' });
    const { admin } = await bed.harness.staffTokens();
    const purposes = (await (await fetch(`${bed.url}/admin/v1/purposes`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { items: Array<{ code: string }> };
    expect(purposes.items.map((item) => item.code).filter((code) => code.startsWith('CSRF-'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('lets the admin API decide roles: an auditor with a valid CSRF token is refused a change; an admin is audited as the console user', async () => {
    const auditor = await bed.signIn('auditor');
    const refused = await auditor.page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/console/session')).json()) as { csrfToken: string };
      const response = await fetch('/console/api/purposes', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify({ code: 'AUDITOR-TRIES', name: 'x', kind: 'dossier', legalBasis: 'x' }) });
      return { status: response.status, code: ((await response.json()) as { code: string }).code };
    });
    expect(refused).toEqual({ status: 403, code: 'LGSP_ROLE_REQUIRED' });
    await auditor.context.close();

    const admin = await bed.signIn('admin');
    const created = await admin.page.evaluate(async () => {
      const { csrfToken } = (await (await fetch('/console/session')).json()) as { csrfToken: string };
      const response = await fetch('/console/api/purposes', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ code: 'CONSOLE-TEST', name: 'Kiểm thử bảng điều khiển', kind: 'dossier', legalBasis: 'Nghị định 13/2023/NĐ-CP', unitCodePatterns: ['*.*.*.H22'] }),
      });
      return response.status;
    });
    expect(created).toBe(201);
    const { admin: token } = await bed.harness.staffTokens();
    const audit = (await (await fetch(`${bed.url}/admin/v1/admin-audit?limit=20`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Array<Record<string, unknown>> };
    const entry = audit.items.find((item) => JSON.stringify(item).includes('CONSOLE-TEST'));
    expect(entry).toMatchObject({ actor: 'admin', actorClient: 'lgsp-console' });
    await admin.context.close();
  }, 90_000);

  it('refuses a sign-in callback this browser did not start (forged or replayed state)', async () => {
    const context = await bed.browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${bed.url}/console/callback?auth_callback=1&code=stolen-code&state=forged-state`);
    expect(response!.status()).toBe(400);
    expect(response!.headers()['content-type']).toContain('application/problem+json');
    expect(((await response!.json()) as { code: string }).code).toBe('LGSP_CONSOLE_SIGN_IN_FAILED');
    expect(await context.cookies(`${bed.url}/console/`)).toEqual([]);
    await context.close();
  }, 30_000);
});

describe('language', () => {
  it('switches to English and keeps the choice', async () => {
    const { page, context } = await bed.signIn('admin');
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(await navLabels2(page)).toContain('Audit trail');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await context.close();
  }, 60_000);
});

async function navLabels2(page: import('playwright-core').Page): Promise<string[]> {
  return (await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allInnerTexts()).map((text) => text.trim());
}

describe('signing out', () => {
  it('ends the console session and the realm session', async () => {
    const { page, context } = await bed.signIn('operator');
    const cookie = await sessionCookie(context);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    // The realm asks to confirm (Keycloak does too, for an RP-initiated logout).
    await page.getByRole('button', { name: /yes, sign me out/i }).click();
    await page.waitForURL(`${bed.url}/console/signed-out`);
    await bed.screenshot(page, 'signed-out');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bạn đã đăng xuất');
    // The old cookie is worth nothing now.
    expect((await sendWithCookie(cookie, '/console/api/consumers')).status).toBe(401);
    // And the realm asks for the password again: single sign-on ended too.
    await page.getByRole('link', { name: 'Đăng nhập lại' }).click();
    await page.getByLabel(/password/i).waitFor();
    await bed.screenshot(page, 'sign-in-form');
    await context.close();
  }, 60_000);
});
