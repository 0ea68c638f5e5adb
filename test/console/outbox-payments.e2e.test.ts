import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import type { PaygovSandbox } from '../../connectors/paygov/sandbox/server.js';
import { wellKnownProcedureCodes } from '../../connectors/public-service-portal/sandbox/seed.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { enqueue } from '../../src/outbox/index.js';
import { fromProjectRoot } from '../../src/paths.js';
import { startConsoleTestBed, type ConsoleSession, type ConsoleTestBed } from '../support/console-browser.js';
import { personalDataHeaders } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 16, item 6: the console's dossier-sync (outbox) and payments pages
 * in Chromium over the embedded stack, with real traffic made first: two
 * dossier syncs that go dead while the portal sandbox fails every
 * DongBoHoSoMC, and payments created through the API and paid (or refused)
 * on the paygov sandbox's payer page.
 */

const dossierTarget = 'public-service-portal.dossier';
const example = JSON.parse(readFileSync(fromProjectRoot('contracts/public-service-portal/v1/dossier.json'), 'utf8')).examples[0] as Record<string, unknown>;
// Personal data no console page or response may carry: the dossier's applicant and the payer.
const applicant = { kind: 'citizen', id: '079188001234', name: 'Lê Thị Hồng Nhung' };
const payerName = 'Đoàn Văn Khải Hoàn';
const dossierCodes = ['000.00.01.H22-260301-0101', '000.00.01.H22-260301-0102'] as const;
/** A target no handler serves: its messages stay pending, enough of them for two pages. */
const pagingTarget = 'console-test.paging';
const pagingMessages = 30;

let bed: ConsoleTestBed;
let portal: PublicServicePortalSandbox;
let paygov: PaygovSandbox;
let staff: { admin: string; operator: string; auditor: string };
/** The dead sync messages: the operator re-drives the first, the admin cancels the second. */
const dead: string[] = [];
const payments: { paid?: string; failed?: string; pending?: string } = {};
const sessions: ConsoleSession[] = [];

const adminApi = (path: string, token: string) => request(bed.url).get(`/admin/v1${path}`).set('authorization', `Bearer ${token}`);
const vietnamToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

beforeAll(async () => {
  bed = await startConsoleTestBed({
    store: 'pglite',
    overrides: {
      health: { probeIntervalMs: 3_600_000 },
      // Two failed attempts make a message dead, quickly.
      outbox: { pollIntervalMs: 100, maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50 },
    },
  });
  const { harness } = bed;
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
  paygov = harness.stack.sandboxes.paygov as unknown as PaygovSandbox;
  staff = await harness.staffTokens();
  const token = await harness.token();

  // Dossier sync while the portal answers every DongBoHoSoMC with HTTP 500: each message goes dead after two attempts.
  portal.chaos.randomFailures({ rate: 1, seed: 1, kinds: ['http-500'], services: ['DongBoHoSoMC'] });
  for (const dossierCode of dossierCodes) {
    const accepted = await request(bed.url)
      .put(`/api/v1/public-service-portal/dossiers/${dossierCode}`)
      .set({ authorization: `Bearer ${token}`, 'x-end-user': 'officer01', 'x-purpose': dossierCode })
      .send({ ...example, dossierCode, receiptNumber: dossierCode, applicant });
    expect(accepted.status).toBe(202);
    dead.push(accepted.body.syncId as string);
  }
  for (const id of dead) {
    await eventually(() => adminApi(`/outbox/messages/${id}`, staff.operator), (answer) => answer.body.state === 'dead', 20_000);
  }

  // Payments: one paid and one refused on the payer page, one left open.
  const create = async (serial: number) => {
    const dossierCode = `000.00.01.H22-260301-02${String(serial).padStart(2, '0')}`;
    const created = await request(bed.url)
      .post('/api/v1/payments')
      .set({ ...personalDataHeaders(token), 'idempotency-key': `console-${dossierCode}` })
      .send({
        dossierCode,
        procedureCode: wellKnownProcedureCodes.criminalRecordCertificate,
        agencyCode: '000.00.01.H22',
        payer: { name: payerName },
        items: [{ code: 'LEPHI', name: 'Lệ phí cấp Phiếu lý lịch tư pháp', amount: 200_000, kind: 'charge' }],
      });
    expect(created.status).toBe(201);
    return created.body as { reference: string; paymentUrl: string };
  };
  const payerPage = await bed.browser.newPage();
  try {
    for (const [outcome, buttonName] of [['paid', 'Thanh toán'], ['failed', 'Giả lập ngân hàng từ chối']] as const) {
      const payment = await create(outcome === 'paid' ? 1 : 2);
      payments[outcome] = payment.reference;
      await payerPage.goto(payment.paymentUrl);
      await Promise.all([payerPage.waitForNavigation(), payerPage.getByRole('button', { name: buttonName, exact: true }).click()]);
    }
  } finally {
    await payerPage.close();
  }
  payments.pending = (await create(3)).reference;
  await paygov.idle();
  await eventually(() => adminApi(`/payments/${payments.paid}`, staff.operator), (answer) => answer.body.state === 'paid', 10_000);
  await eventually(() => adminApi(`/payments/${payments.failed}`, staff.operator), (answer) => answer.body.state === 'failed', 10_000);
}, 180_000);

afterAll(async () => {
  for (const session of sessions) await session.context.close().catch(() => undefined);
  portal?.chaos.clear();
  await paygov?.idle();
  await bed?.close();
});

async function signIn(user: 'admin' | 'operator' | 'auditor'): Promise<ConsoleSession> {
  const session = await bed.signIn(user);
  sessions.push(session);
  return session;
}

/** A call through the console's relay from inside the page: the session cookie and the CSRF token, as the page's own code sends them. */
async function relay(page: Page, method: 'GET' | 'POST', path: string): Promise<{ status: number; type: string; body: string }> {
  return page.evaluate(
    async ({ method, path }) => {
      const session = (await (await fetch('/console/session')).json()) as { csrfToken: string };
      const answer = await fetch(`/console/api${path}`, { method, headers: { accept: 'application/json', ...(method === 'POST' && { 'x-csrf-token': session.csrfToken }) } });
      return { status: answer.status, type: answer.headers.get('content-type') ?? '', body: await answer.text() };
    },
    { method, path },
  );
}

const axeSource = readFileSync(fromProjectRoot('node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules over the page's own content (#main: the shared layout is checked with the shell). */
async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's CSP does not govern (a script tag would be refused, as it should).
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Axe = { run(context: string, options: object): Promise<{ passes: unknown[]; violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> };
    const { axe } = globalThis as unknown as { axe: Axe };
    const result = await axe.run('#main', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    // No rule that passed would mean nothing was checked.
    if (result.passes.length === 0) return ['axe checked nothing'];
    return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
}

/** Waits for the table (found again at each look: pages re-render it) to hold this many rows, header included. */
async function rowCount(table: Locator, expected: number): Promise<void> {
  await eventually(() => table.getByRole('row').count(), (count) => count === expected, 10_000);
}

function expectNoPersonalData(session: ConsoleSession): void {
  const seen = session.responses.map((response) => response.body).join('\n');
  for (const secret of [applicant.id, applicant.name, payerName]) expect(seen).not.toContain(secret);
}

describe('console: dossier sync (outbox)', () => {
  it('the operator sees the dead sync, re-drives it from its page, and it is delivered once the portal heals; no cancel for the operator, and the relay refuses one', async () => {
    const session = await signIn('operator');
    const { page } = session;
    await page.goto(`${bed.url}/console/outbox`);
    await page.getByRole('heading', { level: 1, name: 'Đồng bộ hồ sơ và hàng đợi gửi đi' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Có 2 thông điệp thất bại' }).waitFor();
    const statsTable = page.getByRole('table', { name: 'Tồn đọng và thông điệp thất bại theo hệ thống đích' });
    const statsRow = statsTable.getByRole('row').filter({ has: page.getByRole('cell', { name: dossierTarget, exact: true }) });
    await expect(statsRow.getByRole('cell').nth(4).textContent()).resolves.toContain('2');
    await page.getByRole('table', { name: 'Thông điệp, mới nhất trước' }).waitFor();
    await bed.screenshot(page, 'outbox');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The warning's way to the dead letters: the list filtered to them.
    await page.getByRole('button', { name: 'Xem 2 thông điệp thất bại', exact: true }).click();
    const list = page.getByRole('table', { name: 'Thông điệp, mới nhất trước' });
    await rowCount(list, 3);
    expect(await page.getByLabel('Trạng thái').inputValue()).toBe('dead');
    await expect(list.textContent()).resolves.not.toContain('Chờ gửi');
    expect(new URL(page.url()).searchParams.get('state')).toBe('dead');

    await page.getByRole('link', { name: `${dossierCodes[0]} #1` }).click();
    await page.getByRole('heading', { level: 1, name: `Thông điệp ${dossierTarget} · ${dossierCodes[0]} #1` }).waitFor();
    const status = page.getByRole('status').filter({ hasText: 'Trạng thái:' });
    await expect(status.textContent()).resolves.toContain('Thất bại, chờ xử lý');
    const facts = page.getByRole('region', { name: 'Thông tin gửi' });
    await expect(facts.textContent()).resolves.toMatch(/Số lần thử\s*2/);
    await expect(facts.textContent()).resolves.toContain(dead[0]!);
    await expect(page.getByRole('region', { name: 'Lỗi của lần thử gần nhất' }).textContent()).resolves.toMatch(/Loại lỗi\s*\S+/);
    await bed.screenshot(page, 'outbox-message');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The operator may re-drive but not cancel: no button, and the API says no through the relay too.
    expect(await page.getByRole('button', { name: 'Huỷ thông điệp' }).count()).toBe(0);
    const refused = await relay(page, 'POST', `/outbox/messages/${dead[0]}/cancel`);
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/application\/problem\+json/);
    expect(JSON.parse(refused.body).code).toBe('LGSP_ROLE_REQUIRED');

    portal.chaos.clear();
    await page.getByRole('button', { name: 'Gửi lại', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Gửi lại thông điệp thất bại?' });
    await dialog.getByRole('button', { name: 'Gửi lại' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The page reads the message again while it is open: it shows the delivery when it happens.
    await page.getByRole('status').filter({ hasText: 'Đã gửi' }).waitFor({ timeout: 30_000 });
    const delivered = (await adminApi(`/outbox/messages/${dead[0]}`, staff.auditor)).body;
    expect(delivered).toMatchObject({ state: 'delivered', redrivenAt: expect.any(String) });
    expect(portal.dossiers.get(dossierCodes[0])).toBeDefined();
    await expect(page.getByRole('region', { name: 'Thông tin gửi' }).textContent()).resolves.toContain(delivered.deliveryAnswer);
    expect(await page.getByRole('button', { name: 'Gửi lại', exact: true }).count()).toBe(0);

    // The second dead message still waits: the operator's list offers its re-drive, named for it.
    await page.goto(`${bed.url}/console/outbox?state=dead`);
    await page.getByRole('button', { name: `Gửi lại thông điệp ${dossierTarget} · ${dossierCodes[1]} #1` }).waitFor();
    expectNoPersonalData(session);
  }, 90_000);

  it('the admin cancels the other dead message from its page; the list pages by keyset', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto(`${bed.url}/console/outbox/${dead[1]}`);
    await page.getByRole('heading', { level: 1, name: `Thông điệp ${dossierTarget} · ${dossierCodes[1]} #1` }).waitFor();
    await page.getByRole('button', { name: 'Huỷ thông điệp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Huỷ thông điệp này?' });
    await dialog.getByRole('button', { name: 'Huỷ thông điệp' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã huỷ' }).first().waitFor();
    expect((await adminApi(`/outbox/messages/${dead[1]}`, staff.auditor)).body.state).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Gửi lại', exact: true }).count()).toBe(0);

    // Keyset paging: 30 messages, 25 a page, forward and back.
    for (let n = 1; n <= pagingMessages; n += 1) await enqueue(bed.harness.stack.gateway.store, { target: pagingTarget, key: `P-${String(n).padStart(2, '0')}`, payload: { n } });
    await page.goto(`${bed.url}/console/outbox`);
    await page.getByLabel('Hệ thống đích', { exact: true }).selectOption(pagingTarget);
    await page.getByLabel('Số dòng mỗi trang').selectOption('25');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    const table = page.getByRole('table', { name: 'Thông điệp, mới nhất trước' });
    await rowCount(table, 26);
    expect(new URL(page.url()).search).toBe(`?target=${pagingTarget}&limit=25`);
    // Newest first.
    await expect(table.getByRole('row').nth(1).textContent()).resolves.toContain(`P-${pagingMessages}`);
    expect(await page.getByRole('button', { name: 'Trang trước' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Trang sau' }).click();
    await rowCount(table, 6);
    await expect(table.getByRole('row').nth(5).textContent()).resolves.toContain('P-01');
    expect(await page.getByRole('button', { name: 'Trang sau' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Trang trước' }).click();
    await rowCount(table, 26);
    await expect(table.getByRole('row').nth(1).textContent()).resolves.toContain(`P-${pagingMessages}`);
    expectNoPersonalData(session);
  }, 60_000);
});

describe('console: payments', () => {
  it('the operator finds the payments with their states, filters them, opens one with its history, reads the day\'s reconciliation and downloads its CSV', async () => {
    const session = await signIn('operator');
    const { page } = session;
    await page.goto(`${bed.url}/console/payments`);
    await page.getByRole('heading', { level: 1, name: 'Thanh toán phí, lệ phí' }).waitFor();
    const table = page.getByRole('table', { name: 'Các khoản thanh toán, mới nhất trước' });
    await table.waitFor();
    for (const [reference, state] of [[payments.paid, 'Đã thanh toán'], [payments.failed, 'Thất bại'], [payments.pending, 'Chờ thanh toán']] as const) {
      await expect(table.getByRole('row').filter({ hasText: reference! }).textContent()).resolves.toContain(state);
    }
    await bed.screenshot(page, 'payments');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A problem from the API shows its field errors: the day range the wrong way round.
    await page.getByLabel('Tạo từ ngày').fill('2026-03-02');
    await page.getByLabel('Đến hết ngày').fill('2026-03-01');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'LGSP_VALIDATION_FAILED' });
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toMatch(/query:to\s*must be after from/);
    await page.getByRole('button', { name: 'Xoá bộ lọc' }).click();
    await rowCount(table, 4);

    await page.getByLabel('Trạng thái').selectOption('paid');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await rowCount(table, 2);
    await expect(table.textContent()).resolves.toContain(payments.paid!);
    expect(new URL(page.url()).searchParams.get('state')).toBe('paid');

    await page.getByRole('link', { name: `Chi tiết thanh toán ${payments.paid}` }).click();
    await page.getByRole('heading', { level: 1, name: `Thanh toán ${payments.paid}` }).waitFor();
    const history = page.getByRole('table', { name: 'Các lần chuyển trạng thái, cũ nhất trước' });
    const rows = history.getByRole('row');
    await rowCount(history, 4);
    await expect(rows.nth(1).textContent()).resolves.toContain('Tạo mới');
    await expect(rows.nth(2).textContent()).resolves.toMatch(/Mới tạo.*Chờ thanh toán.*Đăng ký với nền tảng/);
    await expect(rows.nth(3).textContent()).resolves.toMatch(/Chờ thanh toán.*Đã thanh toán.*Thông báo của nền tảng \(IPN\)/);
    await expect(page.getByRole('table', { name: 'Các IPN nhắc đến thanh toán này, cũ nhất trước' }).textContent()).resolves.toContain('applied');
    await expect(page.getByRole('region', { name: 'Thông tin chung' }).textContent()).resolves.toMatch(/Người nộp \(đã che\)\s*ĐOÀ\*+/);
    await bed.screenshot(page, 'payment-detail');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '← Danh sách thanh toán' }).click();
    await page.getByRole('navigation', { name: 'Các phần của trang Thanh toán' }).getByRole('link', { name: 'Đối soát' }).click();
    const today = vietnamToday();
    const byState = page.getByRole('table', { name: `Số lượng và số tiền theo trạng thái, ngày ${today}` });
    await byState.waitFor();
    const line = (label: string) => byState.getByRole('row').filter({ has: page.getByRole('cell', { name: label, exact: true }) });
    await expect(line('Đã thanh toán').textContent()).resolves.toMatch(/Đã thanh toán\s*1\s*200\.000/);
    await expect(line('Thất bại').textContent()).resolves.toMatch(/Thất bại\s*1\s*200\.000/);
    await expect(line('Tất cả').textContent()).resolves.toMatch(/Tất cả\s*3\s*600\.000/);
    await bed.screenshot(page, 'payments-reconciliation');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The CSV: a plain link through the relay, downloaded as a file of type text/csv.
    const link = page.getByRole('link', { name: `Tải CSV ngày ${today}` });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`payments-reconciliation-${today}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('date,section,state_or_kind,reference,count,amount_vnd,at,detail,payer_masked');
    expect(csv).toContain(`${today},state,paid,,1,200000`);
    expect(await link.getAttribute('href')).toBe(`/console/api/payments/reconciliation?date=${today}&format=csv`);
    const fetched = await relay(page, 'GET', `/payments/reconciliation?date=${today}&format=csv`);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toMatch(/^text\/csv/);

    // Running reconciliation now is the admin's: no button, and the relay refuses the operator.
    expect(await page.getByRole('button', { name: 'Đối soát ngay' }).count()).toBe(0);
    const run = await relay(page, 'POST', '/payments/reconciliation/run');
    expect(run.status).toBe(403);
    expect(JSON.parse(run.body).code).toBe('LGSP_ROLE_REQUIRED');
    expectNoPersonalData(session);
  }, 90_000);

  it('the admin runs reconciliation now from the page and sees its outcome; the page follows the English switch', async () => {
    const session = await signIn('admin');
    const { page } = session;
    await page.goto(`${bed.url}/console/payments/reconciliation`);
    await page.getByRole('button', { name: 'Đối soát ngay' }).click();
    const dialog = page.getByRole('dialog', { name: 'Chạy đối soát ngay?' });
    await dialog.getByRole('button', { name: 'Đối soát ngay' }).click();
    await page.getByRole('status').filter({ hasText: 'Đối soát xong' }).first().waitFor();
    await expect(page.getByRole('table', { name: 'Kết quả lần đối soát vừa chạy' }).textContent()).resolves.toContain('Đã kiểm tra');
    const audit = await adminApi('/admin-audit?resourceType=payment_reconciliation_run', staff.auditor);
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'admin' })]));

    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Fee payments' }).waitFor();
    await page.getByRole('table', { name: `Count and amount by state, ${vietnamToday()}` }).waitFor();
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('heading', { level: 1, name: 'Thanh toán phí, lệ phí' }).waitFor();
    expectNoPersonalData(session);
  }, 60_000);

  it('the auditor has no Payments page in the navigation, is told why at /console/payments, and the relay refuses the payments routes; the outbox stays readable without actions', async () => {
    const session = await signIn('auditor');
    const { page } = session;
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    expect(await nav.getByRole('link', { name: 'Đồng bộ hồ sơ' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Thanh toán' }).count()).toBe(0);

    await page.goto(`${bed.url}/console/payments`);
    await page.getByRole('heading', { level: 1, name: 'Thanh toán' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Trang Thanh toán dành cho quản trị viên và cán bộ vận hành' }).waitFor();
    for (const path of ['/payments', `/payments/${payments.paid}`, `/payments/reconciliation?date=${vietnamToday()}`]) {
      const refused = await relay(page, 'GET', path);
      expect({ path, status: refused.status, code: JSON.parse(refused.body).code }).toEqual({ path, status: 403, code: 'LGSP_ROLE_REQUIRED' });
    }

    await page.goto(`${bed.url}/console/outbox/${dead[0]}`);
    await page.getByRole('heading', { level: 1, name: `Thông điệp ${dossierTarget} · ${dossierCodes[0]} #1` }).waitFor();
    expect(await page.getByRole('button', { name: /Gửi lại|Huỷ thông điệp/ }).count()).toBe(0);
    const redrive = await relay(page, 'POST', `/outbox/messages/${dead[0]}/redrive`);
    expect(redrive.status).toBe(403);
    // The list has no actions column for a role that may not act.
    await page.goto(`${bed.url}/console/outbox`);
    await page.getByRole('table', { name: 'Thông điệp, mới nhất trước' }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Thao tác' }).count()).toBe(0);
    // An unknown message: the API's problem, said plainly.
    await page.goto(`${bed.url}/console/outbox/00000000-0000-4000-8000-000000000000`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/no such outbox message.*LGSP_NOT_FOUND/);
    expectNoPersonalData(session);
  }, 60_000);
});
