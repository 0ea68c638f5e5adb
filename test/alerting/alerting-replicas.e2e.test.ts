import { connectorDescriptors } from '../../connectors/registry.js';
import type { RunningSandbox } from '../../src/connector-kit/index.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { resolveConfigCredentials } from '../../src/connector-runtime/config-credentials.js';
import type { CrashChild } from '../../src/outbox/test-support/spawn-crash-child.js';
import { eventually } from '../support/eventually.js';
import { probeDownRule } from './test-rules.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { prepareGatewayChild } from '../support/gateway-child-process.js';
import { startSmtpSink } from '../../src/alerting/channels/test-support/smtp-sink.js';
import { startWebhookSink, type WebhookSink } from '../support/notice-sinks.js';

/**
 * Issue 14 acceptance, on real PostgreSQL with three gateway processes (this
 * one and two children): the land sandbox is stopped → every replica's
 * probe fails → one alert fires after its `for` → exactly one e-mail and one
 * webhook → an operator acknowledges and silences it → the sandbox returns →
 * the resolved notices arrive (the alert is silenced: they come anyway),
 * while the replica holding the evaluation lease is killed with SIGKILL in
 * the middle of that notification: nothing is lost, nothing repeated. The
 * per-operation error-rate alert that the outage caused is inhibited and
 * sends nothing to the receiver that takes warnings.
 */

const webhookSecret = 'whsec-test-0123456789abcdef';
const smtpPassword = 'smtp-test-password';
const secretsEnv = { LGSP_TEST_WEBHOOK_SECRET: webhookSecret, LGSP_TEST_SMTP_PASSWORD: smtpPassword };

let harness: Harness;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let hooks: WebhookSink;
let staff: { admin: string; operator: string; auditor: string };
const children: Array<{ child: CrashChild; url: string }> = [];
const gatewayChild = prepareGatewayChild();
let landSandbox: RunningSandbox | undefined;

beforeAll(async () => {
  smtp = await startSmtpSink({ credentials: { user: 'lgsp-alerts', password: smtpPassword } });
  hooks = await startWebhookSink(webhookSecret);
  harness = await startHarness({
    store: 'pg',
    env: secretsEnv,
    overrides: {
      health: { probeIntervalMs: 200, probeTimeoutMs: 1_000 },
      outbox: { pollIntervalMs: 50, leaseMs: 1_500, baseDelayMs: 50, maxDelayMs: 300, deferDelayMs: 100 },
      alerting: {
        evaluationIntervalMs: 250,
        leaseMs: 1_500,
        grouping: { groupBy: ['connector'], groupWaitSeconds: 1, groupIntervalSeconds: 3, repeatIntervalSeconds: 3600 },
        rules: [
          probeDownRule('land', 1),
          {
            id: 'land.error-rate',
            signal: 'error_ratio',
            matchers: { connector: 'land' },
            op: '>',
            threshold: 0.5,
            windowSeconds: 60,
            minSamples: 1,
            forSeconds: 0,
            severity: 'warning',
            summary: { vi: 'Tỷ lệ lỗi cao ở {connector} {operation}', en: 'High error rate at {connector} {operation}' },
          },
        ],
        smtp: { host: '127.0.0.1', port: smtp.port, user: 'lgsp-alerts', password: { fromEnv: 'LGSP_TEST_SMTP_PASSWORD' }, from: 'LGSP <lgsp-alerts@example.gov.vn>' },
        receivers: [
          { id: 'on-call-mail', kind: 'email', settings: { to: ['trucban@example.gov.vn'] }, route: { severities: ['critical'] } },
          { id: 'on-call-hook', kind: 'webhook', settings: { url: hooks.url }, secrets: { secret: { fromEnv: 'LGSP_TEST_WEBHOOK_SECRET' } }, route: { severities: ['critical'] } },
          { id: 'desk-hook', kind: 'webhook', settings: { url: hooks.url }, secrets: { secret: { fromEnv: 'LGSP_TEST_WEBHOOK_SECRET' } }, route: { severities: ['warning'] } },
        ],
      },
      // No retries: the outage is seen by the first call.
      connectors: { land: { resilience: { retry: { maxAttempts: 1 } } } },
    },
  });
  staff = await harness.staffTokens();
  // Two more replicas: same store (schema), sandboxes, IdP and receivers; their own ports.
  const base = harness.stack.config;
  const config: GatewayConfig = { ...base, server: { ...base.server, port: 0, opsPort: 0 }, access: { ...base.access, seedFile: undefined } };
  children.push(await gatewayChild.start(config, secretsEnv), await gatewayChild.start(config, secretsEnv));
}, 120_000);

afterAll(async () => {
  for (const { child } of children) child.process.kill('SIGKILL');
  await landSandbox?.close();
  await harness?.close();
  gatewayChild.dispose();
  await smtp?.close();
  await hooks?.close();
});

const admin = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${harness.url}/admin/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;
interface Alert {
  id: string;
  ruleId: string;
  state: string;
  inhibited?: boolean;
  acknowledgedBy?: string;
  timeToAcknowledgeSeconds?: number;
  timeToResolveSeconds?: number;
}
const alertsOf = async (query: string) => (await json<{ items: Alert[] }>(admin(`/alerts?${query}`, staff.operator))).items;
const leaseHolder = async () => (await harness.stack.gateway.store.query<{ holder: string }>(`SELECT holder FROM alert_leases WHERE name = 'alerting'`)).rows[0]?.holder;
const notificationsOf = async (receiver: string) =>
  (await harness.stack.gateway.store.query<{ kind: string }>('SELECT kind FROM alert_notifications WHERE receiver_id = $1 ORDER BY created_at', [receiver])).rows.map((row) => row.kind);
const hooksFor = (receiver: string) => hooks.hooks.filter((hook) => hook.body.receiverId === receiver);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alerting across three gateway processes (real PostgreSQL)', () => {
  it('an outage: one alert, one e-mail and one webhook; acknowledged and silenced; the return notified once although the leader dies mid-notification', async () => {
    // The lease goes to a child, so that the test can kill the replica that holds it.
    const engine = harness.stack.gateway.alerting.engine;
    await engine.stop();
    const childPids = children.map(({ child }) => String(child.process.pid));
    await eventually(leaseHolder, (holder) => holder !== undefined && childPids.some((pid) => holder.includes(`:${pid}:`)), 15_000);
    engine.start();

    // 1. The land sandbox stops: every replica's probe fails.
    const land = harness.stack.sandboxes.land!;
    const landUrl = new URL(land.baseUrl);
    await land.close();
    const [probeDown] = await eventually(
      () => alertsOf('connector=land&state=firing'),
      (alerts) => alerts.some((alert) => alert.ruleId === 'land.probe-down'),
      20_000,
    ).then((alerts) => alerts.filter((alert) => alert.ruleId === 'land.probe-down'));

    // Calls fail while it is down: the per-operation error-rate alert fires, inhibited by the connector-wide one.
    const token = await harness.token();
    for (let call = 0; call < 5; call += 1) {
      const response = await fetch(`${harness.url}/api/v1/land/parcels?communeCode=00004&mapSheet=12&parcelNumber=345`, { headers: personalDataHeaders(token) });
      expect(response.status).toBeGreaterThanOrEqual(500);
    }
    const errorRate = await eventually(
      () => alertsOf('connector=land&state=firing'),
      (alerts) => alerts.some((alert) => alert.ruleId === 'land.error-rate' && alert.inhibited === true),
      20_000,
    );
    expect(errorRate.find((alert) => alert.ruleId === 'land.error-rate')!.inhibited).toBe(true);

    // 2. Exactly one e-mail and one webhook, after `for` and the group wait; nothing more while it stays down.
    await eventually(async () => [smtp.mails.length, hooksFor('on-call-hook').length], ([mails, webhooks]) => mails! >= 1 && webhooks! >= 1, 20_000);
    await sleep(4_000);
    expect(smtp.mails).toHaveLength(1);
    expect(hooksFor('on-call-hook')).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail!.envelope.to).toEqual(['trucban@example.gov.vn']);
    expect(mail!.parsed.text).toContain('Không kết nối được land');
    expect(mail!.parsed.text).toContain('land cannot be reached');
    expect(mail!.parsed.text).not.toContain('error-rate');
    const [firingHook] = hooksFor('on-call-hook');
    expect(firingHook!.signatureValid).toBe(true);
    expect(firingHook!.body.firing.map((alert) => alert.ruleId)).toEqual(['land.probe-down']);
    // The inhibited alert reached nobody: the receiver of warnings got nothing.
    expect(hooksFor('desk-hook')).toHaveLength(0);

    // 3. An operator acknowledges it, then silences it for the repair.
    const acknowledged = await json<Alert>(admin(`/alerts/${probeDown!.id}/acknowledge`, staff.operator, { method: 'POST', body: JSON.stringify({ note: 'Đã báo Trung tâm dữ liệu' }) }));
    expect(acknowledged).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'operator' });
    expect(acknowledged.timeToAcknowledgeSeconds).toBeGreaterThanOrEqual(0);
    const silence = await admin('/silences', staff.operator, {
      method: 'POST',
      body: JSON.stringify({ matchers: [{ name: 'alertname', op: '=', value: 'land.probe-down' }], endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'Sửa chữa đường truyền' }),
    });
    expect(silence.status).toBe(201);

    // 4. The sandbox returns while the receivers hold what they get; the leader dies once the return is decided.
    smtp.hold();
    hooks.hold();
    landSandbox = await restartLand(landUrl);
    await eventually(
      async () => [await notificationsOf('on-call-mail'), await notificationsOf('on-call-hook')],
      (logs) => logs.every((kinds) => kinds.length === 2),
      20_000,
    );
    // Mid-notification: both notices are in the receivers' hands, unanswered.
    await eventually(() => [smtp.held(), hooks.held()], ([mails, webhooks]) => mails === 1 && webhooks === 1, 20_000);
    const leader = await leaseHolder();
    const victim = children.find(({ child }) => leader?.includes(`:${child.process.pid}:`));
    expect(victim).toBeDefined();
    const exited = new Promise((resolve) => victim!.child.process.once('exit', resolve));
    victim!.child.process.kill('SIGKILL');
    await exited;
    // Another replica takes the lease over...
    await eventually(leaseHolder, (holder) => holder !== undefined && holder !== leader, 15_000);
    smtp.release();
    hooks.release();
    // ...and the resolved notices arrive, once each (the outbox lease of a delivery the victim held runs out first).
    await eventually(async () => [smtp.mails.length, hooksFor('on-call-hook').length], ([mails, webhooks]) => mails === 2 && webhooks === 2, 20_000);
    await sleep(4_000);
    expect(smtp.mails).toHaveLength(2);
    expect(hooksFor('on-call-hook')).toHaveLength(2);
    expect(await notificationsOf('on-call-mail')).toHaveLength(2);
    const resolvedHook = hooksFor('on-call-hook')[1]!;
    expect(resolvedHook.signatureValid).toBe(true);
    expect(resolvedHook.body.resolved.map((alert) => alert.ruleId)).toEqual(['land.probe-down']);
    expect(smtp.mails[1]!.parsed.text).toContain('land');
    // Each notice keeps its id across attempts: the two e-mails are two notices.
    expect(new Set(smtp.mails.map((m) => m.parsed.messageId)).size).toBe(2);

    // 5. The history: acknowledged by the operator, resolved when the condition cleared, both durations recorded.
    const history = await json<Alert & { events: Array<{ kind: string }> }>(admin(`/alerts/${probeDown!.id}`, staff.auditor));
    expect(history).toMatchObject({ state: 'resolved', acknowledgedBy: 'operator' });
    expect(history.timeToResolveSeconds).toBeGreaterThan(0);
    expect(history.events.map((event) => event.kind)).toEqual(expect.arrayContaining(['pending', 'firing', 'acknowledged', 'notified', 'resolved']));
  }, 180_000);
});

/** The same sandbox again, on the port the gateways know. */
async function restartLand(url: URL): Promise<RunningSandbox> {
  const descriptor = connectorDescriptors.find((connector) => connector.id === 'land')!;
  const { start } = await descriptor.sandbox!.load();
  return start({ host: url.hostname, port: Number(url.port), credentials: resolveConfigCredentials('land', harness.stack.config.connectors.land!.credentials, {}).fields });
}
