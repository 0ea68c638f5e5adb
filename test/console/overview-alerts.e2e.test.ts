import type { Page } from 'playwright-core';
import { probeDownRule } from '../alerting/test-rules.js';
import { startConsoleTestBed, type ConsoleTestBed } from '../support/console-browser.js';
import { personalDataHeaders } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';

/**
 * Issue 16, items 2 and 3 in a real browser: the overview (firing alerts
 * live over the alert stream, connector tiles, the hour's charts) and the
 * alerts pages (list and filters, detail, acknowledge, silence, silences),
 * signed in through the real OIDC flow as operator and auditor.
 *
 * The population sandbox is broken with its fault switch; a probe every
 * 150 ms and a probe-down rule without `for` (evaluated every 200 ms) make
 * the alert fire and resolve within a second or two of the switch. The
 * overview's only timed alert refresh is once a minute, so an alert that
 * shows within seconds came over the stream.
 */

const populationSummary = 'Không kết nối được population';
// The tile names the connector in the reader's language: Vietnamese by default, the descriptor's title in English.
const populationTitle = 'CSDL quốc gia về dân cư';
const populationTitleEnglish = 'National population database';
const responders = { timeout: 20_000 } as const;

let bed: ConsoleTestBed;
let staff: { admin: string; operator: string; auditor: string };
/** The alert of the journey (resolved by then), used by the later tests. */
let journeyAlertId: string;

beforeAll(async () => {
  bed = await startConsoleTestBed({
    store: 'pglite',
    overrides: {
      // A generous probe timeout: on a busy machine a slow healthy answer must not raise a false alarm (the fault is an immediate 500).
      health: { probeIntervalMs: 150, probeTimeoutMs: 5_000, trafficSampleIntervalMs: 1_000 },
      alerting: { evaluationIntervalMs: 200, leaseMs: 2_000, rules: [probeDownRule('population', 0)] },
    },
  });
  staff = await bed.harness.staffTokens();
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

afterEach(() => bed.harness.sandbox.faults.clear());

interface ApiAlert {
  id: string;
  state: string;
  acknowledgedBy?: string;
  acknowledgementNote?: string;
  resolution?: string;
}

const adminApi = async <T>(path: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${bed.url}/admin/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  return { status: response.status, body: (await response.json()) as T };
};
const populationAlerts = async (state: string) => (await adminApi<{ items: ApiAlert[] }>(`/alerts?connector=population&rule=population.probe-down&state=${state}`, staff.operator)).body.items;

/**
 * Errors the browser reports in its console: Content-Security-Policy
 * violations (uPlot, page code), a `pattern` attribute the browser cannot
 * compile (the check would be off)... there must be none.
 */
function watchConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The link to one alert's page (rows are told apart by the alert they link to). */
const linkTo = (page: Page, alertId: string) => page.locator(`a[href="/console/alerts/${alertId}"]`);

/** A form control's constraint validation, read in the page (this file compiles without the DOM library). */
type Validated = { validity: { patternMismatch: boolean; valueMissing: boolean } };

/** Set once on the window: still there later means the page was never reloaded. */
const markWindow = (page: Page) => page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
const sameWindow = (page: Page) => page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument === true);

describe('overview and alerts in the browser', () => {
  it('journey: a sandbox fails → the alert appears live on the overview → the operator acknowledges → the sandbox heals → it resolves on screen', async () => {
    const { page, context } = await bed.signIn('operator');
    const consoleErrors = watchConsoleErrors(page);
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/console/api/alerts/stream')) streams.push(request.url());
    });
    try {
      // Some real traffic for the tiles and the charts.
      const consumer = await bed.harness.token();
      for (let call = 0; call < 5; call += 1) {
        const lookup = await fetch(`${bed.url}/api/v1/population/citizens/001090012345`, { headers: personalDataHeaders(consumer) });
        expect(lookup.status).toBe(200);
      }
      // A calm start: nothing open (a slow first probe on a loaded machine may have raised and cleared one).
      await eventually(async () => (await adminApi<{ items: ApiAlert[] }>('/alerts?state=open', staff.auditor)).body.items, (items) => items.length === 0, 30_000, 250);
      await page.goto(`${bed.url}/console/`);
      await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor();
      await page.getByText('Cập nhật trực tiếp').waitFor();
      await page.getByText('Không có cảnh báo nào đang phát.').waitFor();
      const tile = page.getByRole('article', { name: populationTitle });
      await tile.getByText('Hoạt động tốt').waitFor();
      const connectors = await adminApi<{ items: unknown[] }>('/connectors', staff.auditor);
      expect(await page.getByRole('article').count()).toBe(connectors.body.items.length);
      // The traffic figures say whose view they are: this replica's.
      await page.getByText(/góc nhìn của bản sao “[^”]+” của cổng/).first().waitFor();
      for (const chart of ['Yêu cầu mỗi phút', 'Tỷ lệ lỗi', 'Độ trễ p95']) await page.getByRole('figure', { name: chart }).locator('canvas').first().waitFor(responders);
      await bed.screenshot(page, 'overview');
      expect(streams.length).toBeGreaterThan(0);

      await markWindow(page);
      bed.harness.sandbox.faults.set({ kind: 'http-500' });
      const firingTable = page.getByRole('table', { name: 'Cảnh báo đang phát, nghiêm trọng nhất trước' });
      const row = firingTable.getByRole('row').filter({ hasText: populationSummary });
      // Well inside the overview's once-a-minute refresh: the stream brought it.
      await row.waitFor({ timeout: 15_000 });
      await row.getByText('Nghiêm trọng').waitFor();
      await row.getByText('Đang phát').waitFor();
      await page.getByRole('heading', { level: 2, name: 'Cảnh báo đang phát (1)' }).waitFor();
      // The tile turns within one refresh (10 s), saying why.
      await tile.getByText('Suy giảm').waitFor(responders);
      await tile.getByText(/Kiểm tra sức khoẻ thất bại \d+ lần liên tiếp: HTTP 500 from the upstream/).waitFor();
      expect(await sameWindow(page)).toBe(true);
      await bed.screenshot(page, 'overview-alert-firing');

      const [firing] = await populationAlerts('firing');
      expect(firing).toBeDefined();
      journeyAlertId = firing!.id;

      const note = 'Đã gọi trung tâm dữ liệu dân cư, họ đang khởi động lại máy chủ.';
      await row.getByRole('button', { name: `Tiếp nhận: ${populationSummary}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Tiếp nhận cảnh báo' });
      await dialog.getByLabel('Ghi chú').fill(note);
      await bed.screenshot(page, 'acknowledge-dialog');
      await dialog.getByRole('button', { name: 'Tiếp nhận' }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.getByText('Đã tiếp nhận').waitFor();
      await row.getByText('Tiếp nhận bởi operator').waitFor();
      await row.getByText(note, { exact: false }).waitFor();
      expect(await row.getByRole('button').count()).toBe(0);
      const acknowledged = await adminApi<ApiAlert>(`/alerts/${journeyAlertId}`, staff.auditor);
      expect(acknowledged.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'operator', acknowledgementNote: note });

      bed.harness.sandbox.faults.clear();
      await page.getByText('Không có cảnh báo nào đang phát.').waitFor({ timeout: 15_000 });
      const resolvedRow = page.getByRole('table', { name: 'Cảnh báo đã khắc phục trong một giờ qua, mới nhất trước' }).getByRole('row').filter({ has: linkTo(page, journeyAlertId) });
      await resolvedRow.getByText('Đã khắc phục').waitFor();
      await tile.getByText('Hoạt động tốt').waitFor(responders);
      expect(await sameWindow(page)).toBe(true);
      const resolved = await adminApi<ApiAlert>(`/alerts/${journeyAlertId}`, staff.auditor);
      expect(resolved.body).toMatchObject({ state: 'resolved', resolution: 'cleared', acknowledgedBy: 'operator' });

      // The alert's own page: its history in order, the note with the acknowledgement.
      await resolvedRow.getByRole('link', { name: populationSummary }).click();
      await page.waitForURL(`${bed.url}/console/alerts/${journeyAlertId}`);
      await page.getByRole('heading', { level: 1, name: populationSummary }).waitFor();
      const events = page.getByRole('table', { name: 'Diễn biến của cảnh báo, cũ nhất trước' });
      const kinds = await events.locator('tbody tr td:nth-child(2)').allTextContents();
      expect(kinds).toEqual(['Điều kiện bắt đầu đúng (đang chờ)', 'Phát cảnh báo', 'Tiếp nhận', 'Khắc phục']);
      await events.getByRole('row').filter({ hasText: 'Tiếp nhận' }).getByText('operator').waitFor();
      await events.getByText(`Ghi chú: ${note}`).waitFor();
      await page.getByText('Tự hết (điều kiện không còn đúng)').first().waitFor();
      const labels = page.getByRole('table', { name: 'Nhãn của cảnh báo' });
      await labels.getByRole('row').filter({ hasText: 'connector' }).getByText('population').waitFor();
      await bed.screenshot(page, 'alert-detail');
      expect(await sameWindow(page)).toBe(true);
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the list filters by state and severity; history lists resolved alerts', async () => {
    const { page, context } = await bed.signIn('operator');
    const consoleErrors = watchConsoleErrors(page);
    try {
      await page.goto(`${bed.url}/console/alerts`);
      await page.getByRole('heading', { level: 1, name: 'Cảnh báo' }).waitFor();
      // Nothing is open: the default tab says so.
      await page.getByText('Không có cảnh báo nào khớp bộ lọc.').waitFor();
      await page.getByRole('navigation', { name: 'Các mục của trang cảnh báo' }).getByRole('link', { name: 'Lịch sử' }).click();
      await page.waitForURL(/state=resolved/);
      const table = page.getByRole('table', { name: 'Cảnh báo, mới nhất trước' });
      const row = table.getByRole('row').filter({ has: linkTo(page, journeyAlertId) });
      await row.getByText('Đã khắc phục').waitFor();
      await row.getByText(/operator, /).waitFor();
      await bed.screenshot(page, 'alerts-list');

      const filters = page.getByRole('search', { name: 'Lọc cảnh báo' });
      await filters.getByLabel('Mức độ').selectOption({ label: 'Cảnh báo' });
      await filters.getByRole('button', { name: 'Lọc', exact: true }).click();
      await page.waitForURL(/severity=warning/);
      await page.getByText('Không có cảnh báo nào khớp bộ lọc.').waitFor();

      await filters.getByLabel('Mức độ').selectOption({ label: 'Nghiêm trọng' });
      await filters.getByLabel('Kết nối').selectOption('population');
      await filters.getByRole('button', { name: 'Lọc', exact: true }).click();
      await page.waitForURL(/severity=critical/);
      expect(new URL(page.url()).searchParams.get('connector')).toBe('population');
      expect(new URL(page.url()).searchParams.get('state')).toBe('resolved');
      await row.waitFor();

      // A rule id the API would refuse is refused by the form already.
      await filters.getByLabel('Quy tắc').fill('Not A Rule!');
      await filters.getByRole('button', { name: 'Lọc', exact: true }).click();
      expect(await filters.getByLabel('Quy tắc').evaluate((input) => (input as unknown as Validated).validity.patternMismatch)).toBe(true);
      expect(new URL(page.url()).searchParams.get('rule')).toBeNull();
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('silences an alert: matchers prefilled from its labels, expiry required, API field errors shown; the silence is listed and ended', async () => {
    const { page, context } = await bed.signIn('operator');
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/console/api/silences')) posted.push(request.postData() ?? '');
    });
    try {
      await page.goto(`${bed.url}/console/alerts/${journeyAlertId}`);
      await page.getByRole('heading', { level: 1, name: populationSummary }).waitFor();
      await page.getByRole('button', { name: 'Tạm tắt thông báo' }).click();
      const dialog = page.getByRole('dialog', { name: 'Tạm tắt thông báo' });
      await dialog.waitFor();
      const matcherOf = async (name: string) => {
        const rows = dialog.locator('.matcher-row');
        for (let index = 0; index < (await rows.count()); index += 1) {
          const row = rows.nth(index);
          if ((await row.locator('.matcher-name').inputValue()) === name) return { op: await row.locator('.matcher-op').inputValue(), value: await row.locator('.matcher-value').inputValue() };
        }
        return undefined;
      };
      expect(await matcherOf('alertname')).toEqual({ op: '=', value: 'population.probe-down' });
      expect(await matcherOf('connector')).toEqual({ op: '=', value: 'population' });
      expect(await matcherOf('severity')).toEqual({ op: '=', value: 'critical' });
      const prefilled = await dialog.locator('.matcher-row').count();
      await dialog.getByLabel('Lý do').fill('Bảo trì theo lịch của trung tâm dữ liệu dân cư');
      await bed.screenshot(page, 'silence-dialog');

      // No expiry: the form refuses, nothing is sent.
      await dialog.getByRole('button', { name: 'Tạm tắt', exact: true }).click();
      expect(await dialog.isVisible()).toBe(true);
      expect(await dialog.getByLabel(/^Hết hạn/).evaluate((input) => (input as unknown as Validated).validity.valueMissing)).toBe(true);
      expect(posted).toEqual([]);

      // A pattern that does not compile: the API's field error is shown in the dialog.
      await dialog.getByRole('button', { name: 'Sau 1 giờ' }).click();
      await dialog.getByRole('button', { name: 'Thêm điều kiện' }).click();
      const added = prefilled + 1;
      await dialog.getByLabel(`Tên nhãn, điều kiện ${added}`).fill('operation');
      await dialog.getByLabel(`Phép so sánh, điều kiện ${added}`).selectOption('=~');
      await dialog.getByLabel(`Giá trị, điều kiện ${added}`).fill('population.(citizen');
      await dialog.getByRole('button', { name: 'Tạm tắt', exact: true }).click();
      const problem = dialog.getByRole('alert');
      await problem.getByText(`matchers/${added - 1}/value`).waitFor();
      await problem.getByText('not a valid regular expression').waitFor();
      expect(posted).toHaveLength(1);

      // Drop that condition and the severity one, then create it.
      await dialog.getByRole('button', { name: `Bỏ điều kiện ${added}` }).click();
      const rows = dialog.locator('.matcher-row');
      for (let index = 0; index < (await rows.count()); index += 1) {
        if ((await rows.nth(index).locator('.matcher-name').inputValue()) === 'severity') {
          await rows.nth(index).getByRole('button').click();
          break;
        }
      }
      await dialog.getByRole('button', { name: 'Tạm tắt', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });

      const silences = await adminApi<{ items: Array<{ id: string; state: string; createdBy: string; matchers: Array<{ name: string; op: string; value: string }>; endsAt: string; reason: string }> }>('/silences?state=active', staff.auditor);
      expect(silences.body.items).toHaveLength(1);
      const [silence] = silences.body.items;
      expect(silence).toMatchObject({ state: 'active', createdBy: 'operator', reason: 'Bảo trì theo lịch của trung tâm dữ liệu dân cư' });
      expect(silence!.matchers).toEqual(expect.arrayContaining([{ name: 'alertname', op: '=', value: 'population.probe-down' }, { name: 'connector', op: '=', value: 'population' }]));
      expect(silence!.matchers.map((matcher) => matcher.name)).not.toContain('severity');
      // "In 1 hour", to the minute the input keeps.
      expect(Math.abs(Date.parse(silence!.endsAt) - (Date.now() + 3_600_000))).toBeLessThan(3 * 60_000);

      await page.getByRole('navigation', { name: 'Các mục của trang cảnh báo' }).getByRole('link', { name: 'Tạm tắt thông báo' }).click();
      await page.waitForURL(`${bed.url}/console/alerts/silences`);
      const table = page.getByRole('table', { name: 'Lệnh tạm tắt thông báo, mới tạo trước' });
      const row = table.getByRole('row').filter({ hasText: 'connector="population"' });
      await row.getByText('Đang hiệu lực').waitFor();
      await row.getByText('Bảo trì theo lịch của trung tâm dữ liệu dân cư').waitFor();
      await bed.screenshot(page, 'silences-list');

      await row.getByRole('button', { name: /^Kết thúc ngay/ }).click();
      const confirm = page.getByRole('dialog', { name: 'Kết thúc lệnh tạm tắt?' });
      await confirm.getByRole('button', { name: 'Kết thúc ngay' }).click();
      await confirm.waitFor({ state: 'detached' });
      await row.getByText('Đã kết thúc').waitFor();
      expect(await row.getByRole('button').count()).toBe(0);
      const ended = await adminApi<{ state: string; expiredBy: string }>(`/silences/${silence!.id}`, staff.auditor);
      expect(ended.body).toMatchObject({ state: 'expired', expiredBy: 'operator' });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('an auditor sees alerts and silences but no acknowledge or silence buttons, and the API refuses an acknowledge through the relay', async () => {
    const silence = await adminApi<{ id: string }>('/silences', staff.operator, {
      method: 'POST',
      body: JSON.stringify({ matchers: [{ name: 'connector', op: '=', value: 'tax' }], endsAt: new Date(Date.now() + 600_000).toISOString(), reason: 'Kiểm thử quyền kiểm toán' }),
    });
    expect(silence.status).toBe(201);
    const { page, context } = await bed.signIn('auditor');
    try {
      await page.goto(`${bed.url}/console/`);
      await page.getByText('Cập nhật trực tiếp').waitFor();
      bed.harness.sandbox.faults.set({ kind: 'http-500' });
      const row = page.getByRole('table', { name: 'Cảnh báo đang phát, nghiêm trọng nhất trước' }).getByRole('row').filter({ hasText: populationSummary });
      await row.getByText('Đang phát').waitFor({ timeout: 15_000 });
      expect(await row.getByRole('button').count()).toBe(0);
      expect(await page.getByRole('columnheader', { name: 'Thao tác' }).count()).toBe(0);

      const [firing] = await populationAlerts('firing');
      await row.getByRole('link', { name: populationSummary }).click();
      await page.waitForURL(`${bed.url}/console/alerts/${firing!.id}`);
      await page.getByRole('heading', { level: 1, name: populationSummary }).waitFor();
      await page.getByRole('table', { name: 'Nhãn của cảnh báo' }).waitFor();
      expect(await page.getByRole('button', { name: /Tiếp nhận|Tạm tắt/ }).count()).toBe(0);
      await bed.screenshot(page, 'alert-detail-auditor');

      // Hidden is not the gate: the API refuses the auditor anyway, CSRF token and all.
      const refused = await page.evaluate(async (id) => {
        const session = (await (await fetch('/console/session', { headers: { accept: 'application/json' } })).json()) as { csrfToken: string };
        const response = await fetch(`/console/api/alerts/${id}/acknowledge`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify({ note: 'not mine to acknowledge' }),
        });
        return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { code: string } };
      }, firing!.id);
      expect(refused.status).toBe(403);
      expect(refused.type).toContain('application/problem+json');
      expect(refused.body.code).toBe('LGSP_ROLE_REQUIRED');
      expect((await adminApi<ApiAlert>(`/alerts/${firing!.id}`, staff.auditor)).body.state).toBe('firing');

      await page.goto(`${bed.url}/console/alerts/silences`);
      const silenceRow = page.getByRole('table', { name: 'Lệnh tạm tắt thông báo, mới tạo trước' }).getByRole('row').filter({ hasText: 'connector="tax"' });
      await silenceRow.getByText('Đang hiệu lực').waitFor();
      expect(await page.getByRole('button', { name: /Kết thúc ngay|Tạo lệnh tạm tắt/ }).count()).toBe(0);
    } finally {
      await context.close();
      bed.harness.sandbox.faults.clear();
      await adminApi(`/silences/${silence.body.id}`, staff.operator, { method: 'DELETE' });
      await eventually(() => populationAlerts('open'), (alerts) => alerts.length === 0, 15_000);
    }
  }, 60_000);

  it('a page closes its alert stream when the user leaves it (no stream left open per visit)', async () => {
    const feed = bed.harness.stack.gateway.alerting.feed;
    const { page, context } = await bed.signIn('operator');
    try {
      await page.getByText('Cập nhật trực tiếp').waitFor();
      const onOverview = feed.subscriberCount;
      expect(onOverview).toBeGreaterThanOrEqual(1);
      const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
      await nav.getByRole('link', { name: 'Kết nối' }).click();
      await page.waitForURL(`${bed.url}/console/connectors`);
      await eventually(() => feed.subscriberCount, (count) => count === onOverview - 1, 10_000);
      await nav.getByRole('link', { name: 'Cảnh báo' }).click();
      await page.getByText('Cập nhật trực tiếp').waitFor();
      await nav.getByRole('link', { name: 'Tổng quan' }).click();
      await page.getByText('Cập nhật trực tiếp').waitFor();
      // One page, one stream: the alerts page's was closed on the way.
      await eventually(() => feed.subscriberCount, (count) => count === onOverview, 10_000);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('speaks English after switching the language', async () => {
    const { page, context } = await bed.signIn('operator');
    try {
      await page.goto(`${bed.url}/console/alerts?state=resolved`);
      await page.getByRole('heading', { level: 1, name: 'Cảnh báo' }).waitFor();
      await page.getByLabel('Ngôn ngữ').selectOption('en');
      await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      await page.getByRole('navigation', { name: 'Alert page sections' }).getByRole('link', { name: 'History' }).waitFor();
      await page.getByRole('table', { name: 'Alerts, newest first' }).getByRole('row').filter({ has: linkTo(page, journeyAlertId) }).getByText('Resolved').waitFor();
      await page.goto(`${bed.url}/console/`);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await page.getByRole('article', { name: populationTitleEnglish }).getByText('Healthy').waitFor(responders);
      await page.getByText(/this gateway replica’s view/).first().waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});
