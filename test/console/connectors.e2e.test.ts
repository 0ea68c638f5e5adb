import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { landSandboxDevCredentials, type LandSandbox } from '../../connectors/land/sandbox/server.js';
import { screenshotDir, startConsoleTestBed, type ConsoleSession, type ConsoleTestBed } from '../support/console-browser.js';
import { personalDataHeaders } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { encodingsOf, everyTableAsText } from '../support/secret-scan.js';

/**
 * The console's connectors page in headless Chromium, signed in through the
 * real OIDC flow (issue 16, item 4 and its acceptance): the list and the
 * detail; a settings change shown as a diff, then saved; the API's field
 * error under the field; switching a connector off and on while a lookup
 * gets 503; what an operator sees and may not do; and a credential rotation
 * through the write-only forms (stage → test connection → activate) after
 * which the secret is found in no page, no response the browser received,
 * no log line and no table, and the connector works with it.
 */
let bed: ConsoleTestBed;
let land: LandSandbox;
let admin: ConsoleSession;
let consumerToken: string;

beforeAll(async () => {
  bed = await startConsoleTestBed({ store: 'pglite', overrides: { health: { probeIntervalMs: 3_600_000 } } });
  land = bed.harness.stack.sandboxes.land as unknown as LandSandbox;
  consumerToken = await bed.harness.token();
  admin = await bed.signIn('admin');
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

const anParcel = { communeCode: '00004', mapSheet: '12', parcelNumber: '345' };
const findParcel = () => request(bed.url).get('/api/v1/land/parcels').query(anParcel).set(personalDataHeaders(consumerToken));
const adminApi = async (path: string) => {
  const { admin: token } = await bed.harness.staffTokens();
  return request(bed.url).get(`/admin/v1${path}`).set('authorization', `Bearer ${token}`);
};

const openDetail = async (page: Page, connector: string, heading: string) => {
  await page.goto(`${bed.url}/console/connectors/${connector}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Thông tin xác thực' }).waitFor();
};
const region = (page: Page, name: string) => page.getByRole('region', { name });
/** What the screen shows (a modal dialog sits in the viewport, which a full-page picture does not render well). */
const screenshotViewport = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`) });

describe('list and detail', () => {
  it('lists every connector with availability, breaker and probe, in Vietnamese, each linking to its detail', async () => {
    const { page } = admin;
    await page.goto(`${bed.url}/console/connectors`);
    await page.getByRole('heading', { level: 1, name: 'Kết nối' }).waitFor();
    const table = page.getByRole('table', { name: 'Danh sách kết nối' });
    await table.waitFor();
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Kết nối', 'Trạng thái', 'Cầu dao', 'Thăm dò gần nhất', 'Tỷ lệ lỗi gần đây', 'Yêu cầu/phút']);
    // Every registered connector (and the header row), each available with its breaker closed.
    expect(await table.getByRole('row').count()).toBe(connectorDescriptors.length + 1);
    expect(await table.getByText('Đang hoạt động').count()).toBe(connectorDescriptors.length);
    expect(await table.getByText('Đóng (bình thường)').count()).toBe(connectorDescriptors.length);
    await bed.screenshot(page, 'connectors-list');

    await table.getByRole('link', { name: 'CSDL đất đai của tỉnh' }).click();
    await page.waitForURL(`${bed.url}/console/connectors/land`);
    await page.getByRole('heading', { level: 1, name: 'CSDL đất đai của tỉnh' }).waitFor();
    const health = region(page, 'Tình trạng');
    await health.getByText('Cầu dao ngắt mạch').waitFor();
    await health.getByText('Đóng (bình thường)').waitFor();
    await health.getByText('Vách ngăn (bulkhead)').waitFor();
    // The effective policy, and the settings as they run with where each came from.
    await region(page, 'Chính sách chịu lỗi').getByRole('table', { name: 'Chính sách chung của kết nối' }).waitFor();
    await region(page, 'Cấu hình').getByText(land.baseUrl).first().waitFor();
    await bed.screenshot(page, 'connectors-detail');

    // English after switching the language.
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Provincial land database' }).waitFor();
    await region(page, 'Credentials').getByRole('button', { name: 'New version…' }).waitFor();
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('heading', { level: 1, name: 'CSDL đất đai của tỉnh' }).waitFor();
  }, 60_000);
});

describe('settings', () => {
  it('a change is shown as a before/after diff of the changed field only, then saved (and can go back to the configuration)', async () => {
    const { page } = admin;
    await openDetail(page, 'paygov', 'Nền tảng thanh toán trực tuyến (Paygov)');
    const settings = region(page, 'Cấu hình');
    const before = (await adminApi('/connectors/paygov')).body;
    expect(before.settings.source).toBe('config');

    await settings.getByLabel('deviceCode').fill('QUAY-01');
    await settings.getByRole('button', { name: 'Xem thay đổi trước khi lưu' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lưu cấu hình của Nền tảng thanh toán trực tuyến (Paygov)?' });
    await dialog.waitFor();
    const diff = dialog.getByRole('table', { name: 'Những gì sẽ thay đổi' });
    // One row: the field the admin changed, before and after (not the whole settings object).
    expect(before.settings.value.deviceCode).toBe('');
    expect(await diff.getByRole('row').allInnerTexts()).toEqual(['Trường\tHiện tại\tSau khi lưu', 'settings.deviceCode\t""\tQUAY-01']);
    await screenshotViewport(page, 'connectors-settings-diff');
    await dialog.getByRole('button', { name: 'Lưu thay đổi' }).click();

    await settings.getByText('Đã lưu cấu hình.').waitFor();
    const saved = (await adminApi('/connectors/paygov')).body;
    expect(saved.settings).toEqual({ value: { ...before.settings.value, deviceCode: 'QUAY-01' }, source: 'admin' });
    await settings.getByRole('table', { name: 'Cấu hình không bí mật (do quản trị viên đặt)' }).getByText('QUAY-01').waitFor();

    await settings.getByRole('button', { name: 'Trở về tệp cấu hình' }).click();
    await page.getByRole('dialog', { name: 'Trở về giá trị trong tệp cấu hình?' }).getByRole('button', { name: 'Trở về tệp cấu hình' }).click();
    await settings.getByText('Đã trở về giá trị trong tệp cấu hình.').waitFor();
    expect((await adminApi('/connectors/paygov')).body.settings).toEqual(before.settings);
  }, 60_000);

  it("an invalid value shows the API's field error under the field, and nothing changes", async () => {
    const { page } = admin;
    await openDetail(page, 'land', 'CSDL đất đai của tỉnh');
    const settings = region(page, 'Cấu hình');
    const apiPath = settings.getByLabel('apiPath');
    await apiPath.fill('khong-co-gach-dau');
    await settings.getByRole('button', { name: 'Xem thay đổi trước khi lưu' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Lưu thay đổi' }).click();

    await settings.getByRole('alert').getByText('LGSP_VALIDATION_FAILED').waitFor();
    await expectFieldError(apiPath, 'must match pattern "^/"');
    expect((await adminApi('/connectors/land')).body.settings.source).toBe('config');
  }, 60_000);

  it('a resilience override is saved through its diff and removed; an out-of-range value is refused on its field', async () => {
    const { page } = admin;
    await openDetail(page, 'land', 'CSDL đất đai của tỉnh');
    const resilience = region(page, 'Chính sách chịu lỗi');
    const attempts = resilience.getByLabel('Thử lại: số lần gọi tối đa (kể cả lần đầu)');
    await attempts.fill('99');
    await resilience.getByRole('button', { name: 'Xem thay đổi trước khi lưu' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expectFieldError(attempts, 'must be <= 10');

    await attempts.fill('3');
    await resilience.getByRole('button', { name: 'Xem thay đổi trước khi lưu' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('row').allInnerTexts()).toEqual(['Trường\tHiện tại\tSau khi lưu', 'retry.maxAttempts\t(không đặt)\t3']);
    await dialog.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await resilience.getByText('Đã lưu ghi đè.').waitFor();
    expect((await adminApi('/connectors/land/resilience')).body).toMatchObject({ override: { retry: { maxAttempts: 3 } }, updatedBy: 'admin', effective: { retry: { maxAttempts: 3 } } });

    await resilience.getByRole('button', { name: 'Xoá ghi đè' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Xoá ghi đè' }).click();
    await resilience.getByText('Đã xoá ghi đè.').waitFor();
    expect((await adminApi('/connectors/land/resilience')).body.override).toBeNull();
  }, 60_000);
});

async function expectFieldError(control: ReturnType<Page['getByLabel']>, message: string): Promise<void> {
  await eventually(() => control.getAttribute('aria-invalid'), (value) => value === 'true');
  const describedBy = (await control.getAttribute('aria-describedby'))!.split(' ');
  const texts = await Promise.all(describedBy.map((id) => control.page().locator(`[id="${id}"]`).innerText()));
  expect(texts.join(' ')).toContain(message);
}

describe('availability', () => {
  it('switching off makes a lookup through the API answer 503 LGSP_CONNECTOR_DISABLED; switching on brings it back; maintenance answers 503 with Retry-After', async () => {
    const { page } = admin;
    await openDetail(page, 'land', 'CSDL đất đai của tỉnh');
    expect((await findParcel()).status).toBe(200);
    const availability = region(page, 'Bật, tắt và bảo trì');

    await availability.getByRole('button', { name: 'Tắt kết nối' }).click();
    await page.getByRole('dialog', { name: 'Tắt kết nối CSDL đất đai của tỉnh?' }).getByRole('button', { name: 'Tắt kết nối' }).click();
    await availability.getByText('Đã tắt kết nối.').waitFor();
    await availability.getByText('Đã tắt', { exact: true }).waitFor();
    const off = await findParcel();
    expect([off.status, off.body.code]).toEqual([503, 'LGSP_CONNECTOR_DISABLED']);
    await region(page, 'Tình trạng').getByText('Đã tắt', { exact: true }).waitFor();

    await availability.getByRole('button', { name: 'Bật kết nối' }).click();
    await availability.getByText('Đã bật kết nối.').waitFor();
    expect((await findParcel()).status).toBe(200);

    await availability.getByLabel('Thông báo cho hệ thống khai thác').fill('Nâng cấp máy chủ CSDL đất đai');
    await availability.getByLabel('Thử lại sau (giây)').fill('1200');
    await availability.getByRole('button', { name: 'Bắt đầu bảo trì' }).click();
    await availability.getByText('Đã chuyển kết nối sang chế độ bảo trì.').waitFor();
    const maintenance = await findParcel();
    expect([maintenance.status, maintenance.body.code, maintenance.headers['retry-after']]).toEqual([503, 'LGSP_CONNECTOR_MAINTENANCE', '1200']);
    await availability.getByRole('button', { name: 'Kết thúc bảo trì' }).click();
    await availability.getByText('Đã kết thúc bảo trì.').waitFor();

    await availability.getByRole('button', { name: 'Theo tệp cấu hình' }).click();
    await availability.getByText('Trạng thái bật/tắt đã trở về giá trị trong tệp cấu hình.').waitFor();
    expect((await adminApi('/connectors/land')).body).toMatchObject({ enabled: { value: true, source: 'config' }, maintenance: null, availability: 'available' });
    expect((await findParcel()).status).toBe(200);
  }, 60_000);
});

describe('credential rotation through the write-only forms (acceptance)', () => {
  const secret = {
    password: `console-rotated-password-${randomBytes(8).toString('hex')}`,
    clientSecret: `console-rotated-client-secret-${randomBytes(8).toString('hex')}`,
    clientKey: `console-rotated-client-key-${randomBytes(8).toString('hex')}`,
    wrongPassword: `console-wrong-password-${randomBytes(8).toString('hex')}`,
  };
  const pagesSeen: string[] = [];
  const snapshot = async (page: Page) => {
    pagesSeen.push(await page.content());
  };

  it('stage → test connection → activate: the new credentials carry the calls', async () => {
    const { page } = admin;
    // The upstream's administrators changed the account first (as agreed for the rotation): the configuration's credentials no longer log in.
    land.authority.changeAccount({ password: secret.password, clientSecret: secret.clientSecret });
    land.authority.revokeAll();
    expect((await findParcel()).status).toBeGreaterThanOrEqual(500);

    await openDetail(page, 'land', 'CSDL đất đai của tỉnh');
    const credentials = region(page, 'Thông tin xác thực');
    await credentials.getByText('Kho bí mật chưa có phiên bản nào cho kết nối này: thông tin xác thực lấy từ tệp cấu hình.').waitFor();
    await credentials.getByRole('button', { name: 'Tạo phiên bản mới…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Phiên bản thông tin xác thực mới — CSDL đất đai của tỉnh' });
    await dialog.waitFor();

    const password = dialog.getByLabel('Mật khẩu (password)');
    const clientSecret = dialog.getByLabel('Khoá bí mật của client (clientSecret)');
    for (const input of [password, clientSecret]) {
      expect(await input.getAttribute('type')).toBe('password');
      expect(await input.getAttribute('autocomplete')).toBe('new-password');
    }
    const clientKey = dialog.getByLabel('Khoá riêng của chứng chỉ (PEM) (clientKey)');
    expect(await clientKey.getAttribute('autocomplete')).toBe('new-password');

    // A first try with a broken certificate: the API names the field, the secrets are cleared, the rest stays.
    await dialog.getByLabel('Mã client OAuth2 (clientId)').fill(landSandboxDevCredentials.clientId);
    await dialog.getByLabel('Tài khoản dịch vụ (username)').fill(landSandboxDevCredentials.username);
    await password.fill(secret.password);
    await clientSecret.fill(secret.clientSecret);
    await dialog.getByLabel('Chứng chỉ máy khách (PEM) (clientCertificate)').fill('not a certificate');
    await clientKey.fill(secret.clientKey);
    await snapshot(page);
    await dialog.getByRole('button', { name: 'Lưu phiên bản (chưa kích hoạt)' }).click();
    await expectFieldError(dialog.getByLabel('Chứng chỉ máy khách (PEM) (clientCertificate)'), 'must match pattern');
    await dialog.getByRole('alert').getByText('LGSP_VALIDATION_FAILED').waitFor();
    expect([await password.inputValue(), await clientSecret.inputValue(), await clientKey.inputValue()]).toEqual(['', '', '']);
    expect(await dialog.getByLabel('Tài khoản dịch vụ (username)').inputValue()).toBe(landSandboxDevCredentials.username);
    await snapshot(page);

    await dialog.getByLabel('Chứng chỉ máy khách (PEM) (clientCertificate)').fill('');
    await password.fill(secret.password);
    await clientSecret.fill(secret.clientSecret);
    await snapshot(page);
    await dialog.evaluate((element) => element.scrollTo(0, 0));
    await screenshotViewport(page, 'connectors-rotation-dialog');
    await dialog.getByRole('button', { name: 'Lưu phiên bản (chưa kích hoạt)' }).click();
    await dialog.waitFor({ state: 'detached' });
    await credentials.getByText('Đã lưu phiên bản 1 (chưa dùng). Hãy kiểm tra kết nối rồi kích hoạt.').waitFor();
    await snapshot(page);

    const versions = credentials.getByRole('table', { name: 'Các phiên bản trong kho bí mật' });
    await versions.getByText('Chờ kích hoạt').waitFor();
    await credentials.getByRole('button', { name: 'Kiểm tra kết nối phiên bản 1' }).click();
    await credentials.getByText('Phiên bản 1: Kết nối thành công.').waitFor();
    await snapshot(page);

    await credentials.getByRole('button', { name: 'Kích hoạt phiên bản 1' }).click();
    await page.getByRole('dialog', { name: 'Kích hoạt phiên bản 1?' }).getByRole('button', { name: 'Kích hoạt' }).click();
    await credentials.getByText('Đã kích hoạt phiên bản 1: đây là thông tin xác thực đang dùng.').waitFor();
    await versions.getByText('Đang dùng', { exact: true }).waitFor();
    await credentials.getByText('kho bí mật (vault)').waitFor();
    await snapshot(page);
    await credentials.screenshot({ path: join(screenshotDir, 'connectors-credentials.png') });

    const view = (await adminApi('/connectors/land/credentials')).body;
    expect(view.inUse).toEqual({ source: 'vault', activeVersion: 1, fieldsSet: ['clientId', 'clientSecret', 'password', 'username'], readOnly: false });
    expect(view.versions[0]).toMatchObject({ version: 1, state: 'active', createdBy: 'admin', activatedBy: 'admin', lastTest: { outcome: 'ok', by: 'admin' } });
    // Only the new account logs in at the upstream now: the lookup works through the rotated credentials.
    land.authority.revokeAll();
    await eventually(findParcel, (response) => response.status === 200, 5000, 200);
  }, 60_000);

  /** The rotation dialog filled with the land account and these secrets, saved. */
  const stageThroughForm = async (page: Page, password: string) => {
    await region(page, 'Thông tin xác thực').getByRole('button', { name: 'Tạo phiên bản mới…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Phiên bản thông tin xác thực mới — CSDL đất đai của tỉnh' });
    await dialog.getByLabel('Mã client OAuth2 (clientId)').fill(landSandboxDevCredentials.clientId);
    await dialog.getByLabel('Tài khoản dịch vụ (username)').fill(landSandboxDevCredentials.username);
    await dialog.getByLabel('Mật khẩu (password)').fill(password);
    await dialog.getByLabel('Khoá bí mật của client (clientSecret)').fill(secret.clientSecret);
    await snapshot(page);
    await dialog.getByRole('button', { name: 'Lưu phiên bản (chưa kích hoạt)' }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  it('a version the upstream refuses: the test says so, activation asks to force it, and it is discarded; a later one is rolled back from', async () => {
    const { page } = admin;
    const credentials = region(page, 'Thông tin xác thực');
    const versions = credentials.getByRole('table', { name: 'Các phiên bản trong kho bí mật' });
    await stageThroughForm(page, secret.wrongPassword);
    await credentials.getByText('Đã lưu phiên bản 2 (chưa dùng).', { exact: false }).waitFor();
    await credentials.getByRole('button', { name: 'Kiểm tra kết nối phiên bản 2' }).click();
    await credentials.getByRole('alert').getByText(/^Phiên bản 2: Bị từ chối đăng nhập \(.+\)\.$/).waitFor();
    await snapshot(page);

    await credentials.getByRole('button', { name: 'Kích hoạt phiên bản 2' }).click();
    const force = page.getByRole('dialog', { name: 'Kích hoạt phiên bản 2 khi chưa kiểm tra kết nối thành công?' });
    await force.getByRole('button', { name: 'Vẫn kích hoạt' }).waitFor();
    await force.getByRole('button', { name: 'Huỷ', exact: true }).click();
    await force.waitFor({ state: 'detached' });
    expect((await adminApi('/connectors/land/credentials')).body.inUse.activeVersion).toBe(1);

    await credentials.getByRole('button', { name: 'Huỷ bỏ phiên bản 2' }).click();
    await page.getByRole('dialog', { name: 'Huỷ bỏ phiên bản 2?' }).getByRole('button', { name: 'Huỷ bỏ' }).click();
    await credentials.getByText('Đã huỷ bỏ phiên bản 2.').waitFor();
    await versions.getByText('Đã huỷ', { exact: true }).waitFor();

    await stageThroughForm(page, secret.password);
    await credentials.getByRole('button', { name: 'Kiểm tra kết nối phiên bản 3' }).click();
    await credentials.getByText('Phiên bản 3: Kết nối thành công.').waitFor();
    await credentials.getByRole('button', { name: 'Kích hoạt phiên bản 3' }).click();
    await page.getByRole('dialog', { name: 'Kích hoạt phiên bản 3?' }).getByRole('button', { name: 'Kích hoạt' }).click();
    await credentials.getByText('Đã kích hoạt phiên bản 3', { exact: false }).waitFor();
    await versions.getByText('Phiên bản trước', { exact: true }).waitFor();

    await credentials.getByRole('button', { name: 'Quay lại phiên bản 1' }).click();
    await page.getByRole('dialog', { name: 'Quay lại phiên bản 1?' }).getByRole('button', { name: 'Quay lại phiên bản 1' }).click();
    await credentials.getByText('Đã quay lại phiên bản 1.').waitFor();
    await snapshot(page);
    expect((await adminApi('/connectors/land/credentials')).body.inUse).toMatchObject({ source: 'vault', activeVersion: 1, previousVersion: 3 });
    land.authority.revokeAll();
    await eventually(findParcel, (response) => response.status === 200, 5000, 200);
  }, 60_000);

  it('the secrets appear in no page, no response the browser received, no log line and no table (plain, hex, base64)', async () => {
    // Response bodies are read as they arrive: let the last ones land.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const places: Record<string, string> = {
      pages: pagesSeen.join('\n'),
      responses: admin.responses.map((response) => response.body).join('\n'),
      logs: bed.harness.logs.join(''),
      ...(await everyTableAsText(bed.harness.stack.gateway.store)),
    };
    expect(pagesSeen.length).toBeGreaterThanOrEqual(10);
    expect(places.responses).toContain('"fingerprint"');
    expect(places.connector_credentials).toContain('land');
    const found: string[] = [];
    for (const value of Object.values(secret)) {
      for (const [encoding, needle] of encodingsOf(value)) for (const [place, text] of Object.entries(places)) if (text.includes(needle)) found.push(`${value.slice(0, 30)}… (${encoding}) in ${place}`);
    }
    expect(found).toEqual([]);
  }, 60_000);
});

describe('an operator', () => {
  it('sees health, settings and credential metadata but no control to change them, and the relay refuses a PATCH (403 LGSP_ROLE_REQUIRED)', async () => {
    const operator = await bed.signIn('operator');
    const { page } = operator;
    await openDetail(page, 'land', 'CSDL đất đai của tỉnh');
    await region(page, 'Thông tin xác thực').getByRole('table', { name: 'Các phiên bản trong kho bí mật' }).waitFor();
    await region(page, 'Tình trạng').getByRole('button', { name: 'Làm mới tình trạng' }).waitFor();
    // Refreshing health is reading: the only button in the page's sections.
    expect(await page.locator('main section').getByRole('button').allInnerTexts()).toEqual(['Làm mới tình trạng']);
    expect(await page.locator('main form').count()).toBe(0);
    await bed.screenshot(page, 'connectors-detail-operator');

    const answer = await page.evaluate(async () => {
      const session = (await (await fetch('/console/session', { headers: { accept: 'application/json' } })).json()) as { csrfToken: string };
      const response = await fetch('/console/api/connectors/land', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: JSON.stringify({ enabled: false }) });
      return { status: response.status, body: (await response.json()) as { code?: string } };
    });
    expect([answer.status, answer.body.code]).toEqual([403, 'LGSP_ROLE_REQUIRED']);
    expect((await adminApi('/connectors/land')).body.enabled).toEqual({ value: true, source: 'config' });
    await operator.context.close();
  }, 60_000);
});
