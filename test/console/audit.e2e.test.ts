import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { maskSubjectId } from '../../src/audit/subject-protection.js';
import { screenshotDir, startConsoleTestBed, type ConsoleSession, type ConsoleTestBed } from '../support/console-browser.js';
import { personalDataHeaders } from '../support/embedded-harness.js';

// The Audit page in headless Chromium, signed in through the real OIDC flow. Real audited lookups come first
// (the one-stop client against the population sandbox's seeded citizens), then the auditor finds them.
const citizenA = '001090012345';
const citizenB = '079301005678';
const dossier1 = '000.00.01.H22-261123-0001';
const dossier2 = '000.00.01.H22-261123-0002';
/** Twelve lookups of citizen A by officer01: more than one page of ten. */
const officer01Lookups = 12;

let bed: ConsoleTestBed;

async function lookUp(token: string, personalId: string, requestId: string, endUser: string, purpose: string): Promise<void> {
  const response = await request(bed.url)
    .get(`/api/v1/population/citizens/${personalId}`)
    .set({ ...personalDataHeaders(token), 'x-end-user': endUser, 'x-purpose': purpose, 'x-request-id': requestId });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  bed = await startConsoleTestBed();
  const token = await bed.harness.token();
  for (let i = 1; i <= officer01Lookups; i++) await lookUp(token, citizenA, `console-a-${i}`, 'officer01', dossier1);
  await lookUp(token, citizenA, 'console-a-officer02', 'officer02', dossier2);
  await lookUp(token, citizenB, 'console-b-1', 'officer03', dossier2);
  await lookUp(token, citizenB, 'console-b-2', 'officer03', dossier1);
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

/** Every URL the browser asked for in this session (page loads, fetches, downloads). */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (browserRequest) => urls.push(browserRequest.url()));
  return urls;
}

async function openAuditPage(session: ConsoleSession): Promise<void> {
  await session.page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nhật ký truy cập' }).click();
  await session.page.getByRole('heading', { level: 1, name: 'Nhật ký truy cập' }).waitFor();
}

const resultsTable = (page: Page) => page.getByRole('table', { name: 'Bản ghi truy cập dữ liệu, mới nhất trước' });
/** Waits for the results bar to count this many records (the live region says the same, hence the class). */
const pageCount = (page: Page, count: number) => page.locator('p.audit-count', { hasText: new RegExp(`^Trang này có ${count} bản ghi\\.$`) }).waitFor();
/** Body rows (the header row has th cells only). */
const bodyRows = (page: Page) => resultsTable(page).locator('tbody tr');

function expectNoClearIds(urls: string[], session: ConsoleSession): void {
  for (const id of [citizenA, citizenB]) {
    expect(urls.filter((url) => url.includes(id))).toEqual([]);
    expect(session.page.url()).not.toContain(id);
    expect(session.responses.filter((response) => response.body.includes(id)).map((response) => response.url)).toEqual([]);
    expect(bed.harness.logs.join('')).not.toContain(id);
  }
}

describe('Audit page (console)', () => {
  it('the auditor searches the trail with filters, pages through it and opens a record', async () => {
    const session = await bed.signIn('auditor');
    const urls = recordRequests(session.page);
    const { page } = session;
    await openAuditPage(session);

    // The first view: the newest records, no filter.
    await bodyRows(page).first().waitFor();

    await page.getByLabel('Đối tượng dữ liệu (số định danh hoặc mã)').fill(citizenA);
    await page.getByLabel('Số bản ghi mỗi trang').selectOption('10');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await pageCount(page, 10);
    expect(await bodyRows(page).count()).toBe(10);
    expect(await resultsTable(page).getByText(maskSubjectId(citizenA)).count()).toBe(10);

    await page.getByRole('button', { name: 'Trang sau' }).click();
    await pageCount(page, 3);
    expect(await bodyRows(page).count()).toBe(officer01Lookups + 1 - 10);
    expect(await page.getByRole('button', { name: 'Trang sau' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Trang trước' }).click();
    await pageCount(page, 10);

    // Filters combine: the subject and an officer.
    await page.getByLabel('Cán bộ thực hiện').fill('officer02');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await pageCount(page, 1);
    await expect(bodyRows(page).first().innerText()).resolves.toContain(dossier2);

    // The record's detail names its request id.
    await bodyRows(page).first().getByRole('button', { name: /^Xem chi tiết bản ghi/ }).click();
    const detail = page.getByRole('region', { name: /^Bản ghi \d+$/ });
    await expect(detail.innerText()).resolves.toContain('console-a-officer02');
    await expect(detail.innerText()).resolves.toContain('population.citizen.get');

    // Purpose and outcome without a subject: both citizens' records under dossier 2.
    await page.getByRole('button', { name: 'Xoá bộ lọc' }).click();
    await page.getByLabel('Mã hồ sơ / mục đích').fill(dossier2);
    await page.getByLabel('Kết quả').selectOption('success');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await pageCount(page, 2);
    const text = await resultsTable(page).innerText();
    expect(text).toContain(maskSubjectId(citizenA));
    expect(text).toContain(maskSubjectId(citizenB));
    expect(text).toContain('officer03');

    // A bad time range: the API's problem with its field error is shown.
    await page.getByLabel('Từ thời điểm').fill('2026-03-02T10:00');
    await page.getByLabel('Đến thời điểm (không gồm)').fill('2026-03-01T10:00');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'LGSP_VALIDATION_FAILED' });
    await problem.waitFor();
    await expect(problem.innerText()).resolves.toContain('must be later than from');

    await page.getByRole('button', { name: 'Xoá bộ lọc' }).click();
    await page.getByLabel('Đối tượng dữ liệu (số định danh hoặc mã)').fill(citizenA);
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await pageCount(page, officer01Lookups + 1);
    await bed.screenshot(page, 'audit-search');

    expectNoClearIds(urls, session);
    await session.context.close();
  }, 60_000);

  it('exports the search as CSV: a text/csv link without a subject, a POST download with one', async () => {
    const session = await bed.signIn('auditor');
    const urls = recordRequests(session.page);
    const { page } = session;
    await openAuditPage(session);

    await page.getByLabel('Mã hồ sơ / mục đích').fill(dossier2);
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await pageCount(page, 2);
    const link = page.getByRole('link', { name: 'Tải CSV' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/console\/api\/audit\?/);
    expect(href).toContain('format=csv');
    // The link's own answer (same session cookie): an RFC 4180 attachment.
    const answer = await session.context.request.get(`${bed.url}${href}`);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(answer.headers()['content-disposition']).toBe('attachment; filename="audit-records.csv"');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('audit-records.csv');
    const linked = readFileSync((await download.path())!, 'utf8');
    const linkedLines = linked.trimEnd().split('\r\n');
    expect(linkedLines[0]).toMatch(/^id,occurredAt,requestId,consumer,endUser,purpose,operation/);
    expect(linkedLines).toHaveLength(3);
    expect(linked).toContain('console-a-officer02');
    expect(linked).toContain('console-b-1');

    // With a subject the search went by POST: the CSV comes the same way and is saved from the page.
    await page.getByRole('button', { name: 'Xoá bộ lọc' }).click();
    await page.getByLabel('Đối tượng dữ liệu (số định danh hoặc mã)').fill(citizenA);
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await pageCount(page, officer01Lookups + 1);
    const [csvResponse, saved] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/console/api/audit/search') && response.request().method() === 'POST' && (response.headers()['content-type'] ?? '').startsWith('text/csv')),
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải CSV' }).click(),
    ]);
    expect(csvResponse.status()).toBe(200);
    expect(saved.suggestedFilename()).toBe('audit-records.csv');
    const posted = readFileSync((await saved.path())!, 'utf8');
    const postedLines = posted.trimEnd().split('\r\n');
    expect(postedLines).toHaveLength(1 + officer01Lookups + 1);
    for (let i = 1; i <= officer01Lookups; i++) expect(posted).toContain(`console-a-${i},`);
    expect(posted).toContain(maskSubjectId(citizenA));
    expect(posted).not.toContain(citizenA);

    expectNoClearIds(urls, session);
    await session.context.close();
  }, 60_000);

  it('makes the printable citizen report from a typed personal id that never reaches a URL or a log', async () => {
    const session = await bed.signIn('auditor');
    const urls = recordRequests(session.page);
    const { page } = session;
    await openAuditPage(session);
    await page.getByRole('tab', { name: 'Báo cáo cho công dân' }).click();
    expect(page.url()).toBe(`${bed.url}/console/audit/citizen-report`);

    // A well-formed but invalid id (province 000): the API's problem, without the id.
    await page.getByLabel('Số định danh cá nhân').fill('000090012345');
    await page.getByRole('button', { name: 'Lập báo cáo' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'LGSP_INVALID_PERSONAL_ID' });
    await problem.waitFor();
    await expect(problem.innerText()).resolves.not.toContain('000090012345');

    await page.getByLabel('Số định danh cá nhân').fill(citizenA);
    await page.getByRole('button', { name: 'Lập báo cáo' }).click();
    const report = page.getByRole('article', { name: 'Báo cáo truy cập dữ liệu cá nhân' });
    await report.waitFor();
    const reportText = await report.innerText();
    expect(reportText).toContain(maskSubjectId(citizenA));
    expect(reportText).not.toContain(citizenA);
    expect(reportText).toContain('officer02');
    expect(reportText).toContain(dossier2);
    expect(reportText).not.toContain('officer03');
    expect(reportText).toContain('Đã cung cấp dữ liệu');
    const accesses = report.getByRole('table', { name: 'Các lượt truy cập dữ liệu, mới nhất trước' }).locator('tbody tr');
    expect(await accesses.count()).toBe(officer01Lookups + 1);

    await bed.screenshot(page, 'audit-citizen-report');
    await page.emulateMedia({ media: 'print' });
    expect(await report.isVisible()).toBe(true);
    for (const hiddenInPrint of ['.audit-page .page-header', '.audit-chain', '.audit-report-form', '.tab-list', '.main-nav', '.top-bar', '.audit-report-toolbar']) {
      expect(await page.locator(hiddenInPrint).isVisible()).toBe(false);
    }
    await bed.screenshot(page, 'audit-citizen-report-print');
    await page.emulateMedia({ media: 'screen' });

    // "In báo cáo" opens the browser's print dialog.
    // (Runs in the page: globalThis is its window.)
    type PrintSpy = { printed: number; print: () => void };
    await page.evaluate(() => {
      const window = globalThis as unknown as PrintSpy;
      window.printed = 0;
      window.print = () => {
        window.printed += 1;
      };
    });
    await page.getByRole('button', { name: 'In báo cáo' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as PrintSpy).printed)).toBe(1);

    // A period with no access: the report says so.
    await page.getByLabel('Từ ngày').fill('2020-01-01');
    await page.getByLabel('Đến ngày (gồm cả ngày này)').fill('2020-01-31');
    await page.getByRole('button', { name: 'Lập báo cáo' }).click();
    await page.getByText('Chưa có lượt truy cập nào vào dữ liệu của công dân này.').waitFor();
    await expect(page.getByRole('article', { name: 'Báo cáo truy cập dữ liệu cá nhân' }).innerText()).resolves.toMatch(/Khoảng thời gian\s+từ .+ – trước .+/);

    // The report request went by POST to the body route; no URL ever held the id.
    expectNoClearIds(urls, session);
    expect(urls.some((url) => url.endsWith('/console/api/audit/subjects/report'))).toBe(true);
    expect(session.responses.some((response) => response.url.endsWith('/console/api/audit/subjects/report') && response.body.includes(maskSubjectId(citizenA)))).toBe(true);
    expect(bed.harness.logs.join('')).toContain('/admin/v1/audit/subjects/report');
    await session.context.close();
  }, 60_000);

  it('shows the chain state at the top and the admin stream, where the reads of the trail are recorded', async () => {
    const session = await bed.signIn('auditor');
    const { page } = session;
    await openAuditPage(session);
    const chain = page.getByRole('region', { name: 'Tính toàn vẹn của nhật ký (chuỗi băm)' });
    for (const stream of ['Truy cập dữ liệu cá nhân', 'Thay đổi quản trị và lượt đọc nhật ký']) {
      const tile = chain.getByRole('article').filter({ has: page.getByRole('heading', { name: stream, exact: true }) });
      await tile.getByText('Nguyên vẹn').waitFor();
      await expect(tile.innerText()).resolves.toContain('Điểm kiểm tra đã ký mới nhất');
    }
    const dataAccess = await chain.locator('[data-stream="data_access"]').innerText();
    expect(dataAccess).toMatch(new RegExp(`Bản ghi đã kiểm tra\\s+${officer01Lookups + 3} \\(số thứ tự 1–${officer01Lookups + 3}\\)`));
    await chain.getByText(/^Kiểm tra lúc /).waitFor();
    await chain.screenshot({ path: join(screenshotDir, 'audit-chain-status.png') });
    await chain.getByRole('button', { name: 'Kiểm tra lại' }).click();
    await chain.locator('[data-stream="data_access"]').getByText('Nguyên vẹn').waitFor();

    // Keyboard: the tabs answer the arrow keys.
    await page.getByRole('tab', { name: 'Tra cứu truy cập dữ liệu' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Thay đổi quản trị' }).getAttribute('aria-selected')).toBe('true');
    const log = page.getByRole('table', { name: 'Nhật ký quản trị, mới nhất trước' });
    await log.waitFor();
    await page.getByLabel('Loại đối tượng').fill('audit_chain');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.locator('p.audit-count', { hasText: /^Hiển thị \d+ mục mới nhất\.$/ }).waitFor();
    const rows = log.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    await expect(rows.first().innerText()).resolves.toContain('auditor');
    await rows.first().getByText('Trước / sau').click();
    await expect(rows.first().locator('pre').innerText()).resolves.toContain('"ok": true');
    await bed.screenshot(page, 'audit-admin-changes');
    await session.context.close();
  }, 60_000);

  it('is not offered to an operator, and the relay refuses an operator’s GET /audit', async () => {
    const operator = await bed.signIn('operator');
    const nav = operator.page.getByRole('navigation', { name: 'Điều hướng chính' });
    await nav.getByRole('link').first().waitFor();
    expect(await nav.getByRole('link', { name: 'Nhật ký truy cập' }).count()).toBe(0);
    const refused = await operator.context.request.get(`${bed.url}/console/api/audit`);
    expect(refused.status()).toBe(403);
    expect(refused.headers()['content-type']).toContain('application/problem+json');
    expect((await refused.json()).code).toBe('LGSP_ROLE_REQUIRED');
    const verification = await operator.context.request.get(`${bed.url}/console/api/audit/verification`);
    expect(verification.status()).toBe(403);
    // By its address the page says it is not for this role, and asks the API nothing.
    const urls = recordRequests(operator.page);
    await operator.page.goto(`${bed.url}/console/audit`);
    await operator.page.getByRole('alert').filter({ hasText: 'Nhật ký truy cập chỉ dành cho quản trị viên và kiểm toán viên.' }).waitFor();
    expect(urls.filter((url) => url.includes('/console/api/audit'))).toEqual([]);
    await operator.context.close();

    // An administrator has the page, in English after switching the language.
    const admin = await bed.signIn('admin');
    await openAuditPage(admin);
    await admin.page.getByLabel('Ngôn ngữ').selectOption('en');
    await admin.page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await admin.page.getByRole('tab', { name: 'Citizen access report' }).click();
    await admin.page.getByLabel('Personal identification number').waitFor();
    await admin.context.close();
  }, 60_000);
});
