import { landSandboxDevCredentials } from '../../connectors/land/sandbox/server.js';
import type { FaultController } from '../../simulators/kit/fault-injection.js';
import { startTelegramStandIn } from '../../simulators/telegram-bot-api/telegram-standin.js';
import { eventually } from '../support/eventually.js';
import { probeDownRule } from './test-rules.js';
import { startHarness, type Harness } from '../support/embedded-harness.js';
import { encodingsOf } from '../support/secret-scan.js';
import { startWebhookSink, type WebhookSink } from '../support/notice-sinks.js';

/**
 * Issue 14 on one embedded gateway (PGlite): silences suppress and expire, a
 * flapping upstream inside the group interval sends no storm, a credential
 * close to its expiry raises its alert, receivers are managed through the
 * API with their secrets in the vault (a Telegram receiver against the local
 * Bot API stand-in), and the roles and validation of the routes.
 */

const webhookSecret = 'whsec-channel-test-secret-value';
const botToken = '123456789:AAE-channel-test-bot-token-value';
let harness: Harness;
let hooks: WebhookSink;
let telegram: Awaited<ReturnType<typeof startTelegramStandIn>>;
let staff: { admin: string; operator: string; auditor: string };
let landFaults: FaultController;

beforeAll(async () => {
  hooks = await startWebhookSink(webhookSecret);
  telegram = await startTelegramStandIn({ botToken });
  harness = await startHarness({
    store: 'pglite',
    env: { LGSP_TEST_WEBHOOK_SECRET: webhookSecret },
    overrides: {
      health: { probeIntervalMs: 150, probeTimeoutMs: 1_000 },
      outbox: { pollIntervalMs: 50, baseDelayMs: 50, maxDelayMs: 300, deferDelayMs: 100 },
      alerting: {
        evaluationIntervalMs: 200,
        leaseMs: 2_000,
        grouping: { groupBy: ['connector'], groupWaitSeconds: 0, groupIntervalSeconds: 3, repeatIntervalSeconds: 3600 },
        rules: [
          probeDownRule('land', 0),
          probeDownRule('tax', 0),
        ],
        receivers: [{ id: 'on-call-hook', kind: 'webhook', settings: { url: hooks.url }, secrets: { secret: { fromEnv: 'LGSP_TEST_WEBHOOK_SECRET' } } }],
      },
    },
  });
  staff = await harness.staffTokens();
  landFaults = (harness.stack.sandboxes.land as unknown as { faults: FaultController }).faults;
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await hooks?.close();
  await telegram?.close();
});

const admin = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${harness.url}/admin/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hooksAbout = (connector: string) => hooks.hooks.filter((hook) => [...hook.body.firing, ...hook.body.resolved].some((alert) => alert.labels.connector === connector));
const alertsOf = async (query: string) => (await json<{ items: Array<{ id: string; ruleId: string; state: string; silencedBy?: string[] }> }>(admin(`/alerts?${query}`, staff.operator))).items;

describe('the alerting channel on one gateway', () => {
  it('a silence suppresses the notice of a firing alert until it expires; then the notice comes', async () => {
    const taxFaults = (harness.stack.sandboxes.tax as unknown as { faults: FaultController }).faults;
    const created = await admin('/silences', staff.operator, {
      method: 'POST',
      body: JSON.stringify({ matchers: [{ name: 'connector', op: '=', value: 'tax' }], endsAt: new Date(Date.now() + 3_000).toISOString(), reason: 'Bảo trì theo lịch' }),
    });
    expect(created.status).toBe(201);
    const silence = await json<{ id: string; state: string; createdBy: string }>(created);
    expect(silence).toMatchObject({ state: 'active', createdBy: 'operator' });
    taxFaults.set({ kind: 'reset' });
    try {
      const firing = await eventually(() => alertsOf('connector=tax&state=firing'), (alerts) => alerts.length > 0, 15_000);
      expect(firing[0]!.silencedBy).toEqual([silence.id]);
      // Silenced: nothing is sent while the silence lasts.
      expect(hooksAbout('tax')).toHaveLength(0);
      // Expired: the alert still fires and nobody was told, so the notice goes now.
      await eventually(() => hooksAbout('tax').length, (count) => count === 1, 15_000);
      expect(hooksAbout('tax')[0]!.body.firing.map((alert) => alert.ruleId)).toEqual(['tax.probe-down']);
      const expired = await json<{ state: string }>(admin(`/silences/${silence.id}`, staff.auditor));
      expect(expired.state).toBe('expired');
    } finally {
      taxFaults.clear();
    }
    await eventually(() => alertsOf('connector=tax&state=open'), (alerts) => alerts.length === 0, 15_000);
  }, 60_000);

  it('a flapping upstream inside the group interval sends no storm: at most one notice per interval', async () => {
    const before = hooksAbout('land').length;
    const started = Date.now();
    // Down and up every 600 ms for 9 s: the probe sees each change (every 150 ms), the rule has no `for`.
    for (let flip = 0; flip < 15; flip += 1) {
      if (flip % 2 === 0) landFaults.set({ kind: 'reset' });
      else landFaults.clear();
      await sleep(600);
    }
    landFaults.clear();
    const elapsedSeconds = (Date.now() - started) / 1000;
    await eventually(() => alertsOf('connector=land&state=open'), (alerts) => alerts.length === 0, 15_000);
    await sleep(3_500);
    const episodes = (await alertsOf('rule=land.probe-down&limit=500')).length;
    const notices = hooksAbout('land').length - before;
    // Several alert instances came and went...
    expect(episodes).toBeGreaterThanOrEqual(3);
    // ...but the receiver got at most one notice per 3 s group interval (plus the last resolution).
    expect(notices).toBeGreaterThanOrEqual(1);
    expect(notices).toBeLessThanOrEqual(Math.ceil(elapsedSeconds / 3) + 2);
    expect(notices).toBeLessThan(episodes * 2);
  }, 90_000);

  it('a credential close to its expiry raises its alert', async () => {
    // Before: the sandbox credentials of the configuration have no expiry.
    expect((await alertsOf('rule=land.credential-expiring-soon')).length).toBe(0);
    const base = '/connectors/land/credentials';
    const staged = await admin(base, staff.admin, {
      method: 'POST',
      body: JSON.stringify({ credentials: landSandboxDevCredentials, expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
    });
    expect(staged.status).toBe(201);
    const { version } = await json<{ version: number }>(staged);
    const activated = await admin(`${base}/${version}/activate`, staff.admin, { method: 'POST', body: JSON.stringify({ force: true }) });
    expect(activated.status).toBe(200);
    const alerts = await eventually(() => alertsOf('connector=land&state=firing'), (found) => found.some((alert) => alert.ruleId === 'land.credential-expiring-soon'), 20_000);
    expect(alerts.find((alert) => alert.ruleId === 'land.credential-expiring-soon')).toBeDefined();
  }, 60_000);

  it('receivers through the API: the secret goes to the vault and never comes back; a test notice reaches Telegram', async () => {
    const put = await admin('/receivers/on-call-telegram', staff.admin, {
      method: 'PUT',
      body: JSON.stringify({ kind: 'telegram', settings: { chatId: '-1001234567890', baseUrl: telegram.url }, secrets: { botToken }, route: { severities: ['critical'] } }),
    });
    expect(put.status).toBe(201);
    const text = await put.text();
    expect(text).not.toContain(botToken);
    expect(JSON.parse(text)).toMatchObject({ id: 'on-call-telegram', kind: 'telegram', source: 'admin', secretsSet: ['botToken'] });
    const listed = await (await admin('/receivers', staff.auditor)).text();
    expect(listed).not.toContain(botToken);

    const test = await admin('/receivers/on-call-telegram/test', staff.admin, { method: 'POST' });
    expect(test.status).toBe(202);
    // The receiver takes critical alerts: the credential alert above may reach it too; the test notice comes once.
    const testNotices = () => telegram.messages.filter((message) => message.text.includes('Thông báo thử'));
    await eventually(() => testNotices().length, (count) => count === 1, 15_000);
    expect(testNotices()[0]).toMatchObject({ chatId: '-1001234567890' });
    expect(testNotices()[0]!.text).toContain('Test notice from an administrator');

    // Config receivers are the deployment's; operators cannot change receivers at all.
    expect((await admin('/receivers/on-call-hook', staff.admin, { method: 'PUT', body: JSON.stringify({ kind: 'email', settings: { to: ['a@example.gov.vn'] } }) })).status).toBe(409);
    expect((await admin('/receivers/x', staff.operator, { method: 'PUT', body: JSON.stringify({ kind: 'email', settings: { to: ['a@example.gov.vn'] } }) })).status).toBe(403);
    // The admin audit stream has the change, without the secret.
    const audit = await (await admin('/admin-audit?resourceType=alert_receiver', staff.auditor)).text();
    expect(audit).toContain('on-call-telegram');
    expect(audit).not.toContain(botToken);
    const logs = harness.logs.join('');
    for (const secret of [botToken, webhookSecret]) {
      expect(encodingsOf(secret).filter(([, needle]) => logs.includes(needle)).map(([encoding]) => encoding)).toEqual([]);
    }
  }, 60_000);

  it('rules through the API: an admin replaces a default, deleting the replacement brings the default back; bad input is a clear 400', async () => {
    const rules = await json<{ items: Array<{ id: string; source: string }> }>(admin('/alert-rules', staff.operator));
    expect(rules.items.find((rule) => rule.id === 'population.error-rate')).toMatchObject({ source: 'default' });
    expect(rules.items.find((rule) => rule.id === 'land.probe-down')).toMatchObject({ source: 'config' });

    const replaced = await admin('/alert-rules/population.error-rate', staff.admin, {
      method: 'PUT',
      body: JSON.stringify({ signal: 'error_ratio', matchers: { connector: 'population' }, op: '>', threshold: 0.3, windowSeconds: 600, forSeconds: 300, severity: 'warning', summary: { vi: 'Lỗi nhiều ở {connector}', en: 'Many errors at {connector}' } }),
    });
    expect(replaced.status).toBe(200);
    expect(await json(replaced)).toMatchObject({ id: 'population.error-rate', threshold: 0.3, source: 'admin' });
    expect((await admin('/alert-rules/population.error-rate', staff.operator, { method: 'DELETE' })).status).toBe(403);
    const restored = await json<{ threshold: number; source: string }>(admin('/alert-rules/population.error-rate', staff.admin, { method: 'DELETE' }));
    expect(restored).toMatchObject({ source: 'default', threshold: 0.1 });

    const bad = await admin('/alert-rules/x.bad', staff.admin, { method: 'PUT', body: JSON.stringify({ signal: 'no_such_signal', op: '>', threshold: 'high', forSeconds: -1, severity: 'loud', summary: { vi: 'x' } }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(bad)).toMatchObject({ code: 'LGSP_VALIDATION_FAILED' });
    const badSilence = await admin('/silences', staff.operator, { method: 'POST', body: JSON.stringify({ matchers: [{ name: 'connector', op: '=~', value: '(' }], endsAt: new Date(Date.now() + 60_000).toISOString(), reason: 'test' }) });
    expect(badSilence.status).toBe(400);
    const noEnd = await admin('/silences', staff.operator, { method: 'POST', body: JSON.stringify({ matchers: [{ name: 'connector', op: '=', value: 'land' }], reason: 'forever' }) });
    expect(noEnd.status).toBe(400);
    // Auditors read, they do not acknowledge.
    expect((await admin('/alerts/00000000-0000-4000-8000-000000000000/acknowledge', staff.auditor, { method: 'POST', body: '{}' })).status).toBe(403);
    expect((await admin('/alerts/00000000-0000-4000-8000-000000000000/acknowledge', staff.operator, { method: 'POST', body: '{}' })).status).toBe(404);
  }, 60_000);

  it('the live feed streams alert events as Server-Sent Events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${harness.url}/admin/v1/alerts/stream`, { headers: { authorization: `Bearer ${staff.operator}`, 'last-event-id': '0' }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let received = '';
    try {
      // Replayed from the store: the alerts of the tests above.
      await eventually(async () => {
        const { value } = await reader.read();
        received += new TextDecoder().decode(value);
        return received;
      }, (text) => /event: alert\nid: \d+|id: \d+\nevent: alert/.test(text) && text.includes('"kind":"firing"'), 15_000, 0);
    } finally {
      controller.abort();
    }
  }, 30_000);
});
