import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadDossier, loadDossierCode, loadStep, type DossierLoad } from '../../bench/dossier-sync-driver.js';
import { landSandboxDevCredentials, type LandSandbox } from '../../connectors/land/sandbox/server.js';
import type { PublicServicePortalSandbox } from '../../connectors/public-service-portal/sandbox/server.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import type { FaultController } from '../../simulators/kit/fault-injection.js';
import { loadVerificationKeys } from '../../src/audit/chain/checkpoint-key.js';
import type { ChainStreamName } from '../../src/audit/chain/chain-streams.js';
import { verifyChain } from '../../src/audit/chain/verify-chain.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { connectStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { removeSharedRedisKeys } from '../../src/rate-limit/test-support/throwaway-redis.js';
import { eventually } from '../support/eventually.js';
import { expectDeliveredOnceInOrder } from '../support/portal-journal.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { prepareGatewayChild, type GatewayChild } from '../support/gateway-child-process.js';
import { startWebhookSink, type WebhookSink } from '../support/notice-sinks.js';
import { roundRobinClient, UnansweredError, type ReplicaAnswer, type RoundRobinClient } from '../support/round-robin-client.js';

/**
 * Issue 17, item 3: three gateway processes on their own ports, one
 * PostgreSQL schema and one Redis (a key prefix of this run), behind a
 * round-robin client, behave as one gateway: global quotas, admin changes
 * seen by all within the refresh interval, one alert notice per group, each
 * outbox message delivered once and in order, one gap-free audit chain; and
 * a replica killed with SIGKILL mid-load loses no accepted work and no audit
 * record.
 *
 * Only the three children act. The harness's in-process gateway creates the
 * schema (migrations), the access seed and the dev grants, takes one setup
 * change (the quota below), and is then closed before the children start:
 * from then on no request, outbox delivery, alert evaluation, notice or
 * checkpoint comes from this process. The harness keeps serving what is not
 * a gateway: the dev IdP and the sandboxes.
 */

const refreshIntervalMs = 300;
/** How long the polls wait for a change to show on a replica: many refresh intervals, for a loaded 2-core machine (not a speed claim). */
const visibleWithin = 10_000;
const evaluationIntervalMs = 250;
const outboxLeaseMs = 3_000;
const webhookSecret = 'whsec-three-replicas-0123456789';
const secretsEnv = { LGSP_TEST_WEBHOOK_SECRET: webhookSecret };
const quotaOperation = 'tax.taxpayer.get';
const quota = { limit: 6, windowSeconds: 3600 };
const alertRuleId = 'tax.obligations-failing';
const portalTarget = 'public-service-portal.dossier';
const run = randomBytes(4).toString('hex');
const redisPrefix = `lgsp:test:three-replicas:${run}`;

const paths = {
  taxpayer: `/api/v1/tax/taxpayers/${wellKnownTaxCodes.activeCompany}`,
  obligations: `/api/v1/tax/taxpayers/${wellKnownTaxCodes.activeCompany}/obligations`,
  enterprise: `/api/v1/business-registry/enterprises/${wellKnownTaxCodes.activeCompany}`,
  participant: '/api/v1/social-insurance/participants/0123456789',
  certificate: '/api/v1/land/certificates/DA123456',
  citizen: '/api/v1/population/citizens/001090012345',
};

let harness: Harness;
let hooks: WebhookSink;
let store: Store;
let replicas: GatewayChild[] = [];
let client: RoundRobinClient;
let consumerToken: string;
let staff: { admin: string; operator: string; auditor: string };
let portal: PublicServicePortalSandbox;
let signingKey: string;
const gatewayChild = prepareGatewayChild();

beforeAll(async () => {
  hooks = await startWebhookSink(webhookSecret);
  // One checkpoint signing key for the cluster, as production configures it: a checkpoint signed by any replica verifies.
  signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  harness = await startHarness({
    store: 'pg',
    env: secretsEnv,
    overrides: {
      // The run may outlast the default 5-minute token on a loaded machine; tokens are fetched once.
      devIdp: { port: 0, accessTokenTtlSeconds: 3600 },
      // A generous command timeout: a slow answer on a loaded machine must not turn a decision into a local (per-replica) one.
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `${redisPrefix}:rl`, replicas: 3, commandTimeoutMs: 2_000 },
      cache: { sharedKeyPrefix: `${redisPrefix}:cache` },
      access: { refreshIntervalMs },
      health: { probeIntervalMs: 3_600_000 },
      audit: { checkpoints: { intervalMs: 1_000, signingKey } },
      // A killed replica's messages are taken over after the lease; a delivery the portal holds is given up after the timeout.
      // Both stay well above what a delivery takes on a loaded machine, so an ordinary delivery is never taken over or retried.
      outbox: { pollIntervalMs: 50, leaseMs: outboxLeaseMs, baseDelayMs: 20, maxDelayMs: 300, deferDelayMs: 100, deliveryTimeoutMs: 6_000 },
      alerting: {
        evaluationIntervalMs,
        leaseMs: 1_500,
        defaultRules: false,
        grouping: { groupBy: ['connector'], groupWaitSeconds: 1, groupIntervalSeconds: 1, repeatIntervalSeconds: 3600 },
        rules: [
          {
            id: alertRuleId,
            signal: 'error_ratio',
            matchers: { connector: 'tax', operation: 'tax.obligation.list' },
            op: '>',
            threshold: 0.5,
            windowSeconds: 60,
            // Two failures per replica: no replica alone reaches this, the cluster's merged signal does.
            minSamples: 6,
            forSeconds: 0,
            severity: 'critical',
            summary: { vi: 'Tra cứu nghĩa vụ thuế lỗi ({value:percent})', en: 'Tax obligation lookups failing ({value:percent})' },
          },
        ],
        receivers: [{ id: 'cluster-hook', kind: 'webhook', settings: { url: hooks.url }, secrets: { secret: { fromEnv: 'LGSP_TEST_WEBHOOK_SECRET' } }, route: { severities: ['critical'] } }],
      },
      connectors: {
        // Each failure is one call (no retries), and the breaker stays closed: the error ratio is exactly what was sent.
        tax: { resilience: { retry: { maxAttempts: 1 }, breaker: { volumeThreshold: 10_000 } } },
        'public-service-portal': { resilience: { timeoutMs: 20_000, breaker: { resetTimeoutMs: 200 } } },
      },
    },
  });
  portal = harness.stack.sandboxes['public-service-portal'] as unknown as PublicServicePortalSandbox;
  consumerToken = await harness.token();
  staff = await harness.staffTokens();

  // Setup through the in-process gateway, before any child starts: every replica loads the quota at its start.
  const grant = await grantOf(harness.url, quotaOperation);
  const { id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = grant;
  const quoted = await fetch(`${harness.url}/admin/v1/grants/${id}`, { method: 'PUT', headers: adminHeaders(), body: JSON.stringify({ ...fields, quota }) });
  expect(quoted.status).toBe(200);
  // From here on the in-process gateway is gone (listeners, outbox dispatcher, alert engine, checkpoints): only the children act.
  await harness.stack.gateway.close();

  store = await connectStore(harness.stack.config.store, createLogger({ level: 'silent' }), { max: 3, applicationName: 'lgsp-three-replicas-test' });
  const base = harness.stack.config;
  const config: GatewayConfig = { ...base, server: { ...base.server, port: 0, opsPort: 0 }, access: { ...base.access, seedFile: undefined } };
  replicas = await Promise.all([0, 1, 2].map(() => gatewayChild.start(config, secretsEnv)));
  client = roundRobinClient(replicas.map((replica) => replica.url), { requestIdPrefix: `three-${run}` });
  // Each replica's rate limiter on the shared Redis before the first request (until then it would decide locally).
  await eventually(() => Promise.all(replicas.map(metricsOf)), (texts) => texts.every((text) => metricValue(text, 'lgsp_rate_limit_redis_connected') === 1), 15_000);
}, 180_000);

afterAll(async () => {
  await Promise.all(replicas.map(({ child }) => stopProcess(child.process)));
  await store?.close();
  await harness?.close();
  gatewayChild.dispose();
  await hooks?.close();
  await removeSharedRedisKeys(redisPrefix);
}, 60_000);

// --- helpers ----------------------------------------------------------------

function adminHeaders(token = staff.admin): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}
const personal = () => personalDataHeaders(consumerToken);

interface Grant {
  id: string;
  operation: string;
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
}

async function grantOf(url: string, operation: string): Promise<Grant> {
  const response = await fetch(`${url}/admin/v1/grants?consumerId=one-stop`, { headers: adminHeaders() });
  const grant = ((await response.json()) as { items: Grant[] }).items.find((item) => item.operation === operation);
  if (!grant) throw new Error(`no grant for ${operation}`);
  return grant;
}

const metricsOf = async (replica: GatewayChild) => (await fetch(`${replica.opsUrl}/metrics`)).text();

/** Sum of a metric's samples whose labels include all of `labels` (0 when there is none). */
function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!(line.startsWith(`${name} `) || line.startsWith(`${name}{`))) continue;
    if (!Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function stopProcess(process: GatewayChild['child']['process']): Promise<void> {
  if (process.exitCode !== null || process.signalCode !== null) return;
  const exited = new Promise((resolve) => process.once('exit', resolve));
  process.kill('SIGKILL');
  await exited;
}

interface OutboxRow {
  id: string;
  key: string;
  sequence: number;
  state: string;
  attempts: number;
  lease_owner: string | null;
}

const outboxRows = async (day: string) =>
  (
    await store.query<OutboxRow>(
      `SELECT id, ordering_key AS key, sequence::int AS sequence, state, attempts, lease_owner FROM outbox_messages
       WHERE target = $1 AND ordering_key LIKE $2 ORDER BY ordering_key, sequence`,
      [portalTarget, `%-${day}-%`],
    )
  ).rows;

/**
 * Dossier sync as a one-stop desk sends it, through the round-robin client:
 * each dossier created, then its steps one after another (a step only once
 * the previous was accepted), many dossiers at once. Each write carries an
 * Idempotency-Key, so one cut off with its replica is sent again, with the
 * same key, to the next replica: it is then the same message, whether or
 * not the first attempt was committed. `moreSteps(code, sent)` says whether
 * to send another step.
 */
async function syncDossiers(options: { codes: string[]; concurrency: number; moreSteps: (code: string, sent: number) => boolean | Promise<boolean> }) {
  const load: DossierLoad = { codes: [...options.codes], steps: new Map(options.codes.map((code) => [code, []])) };
  const accepted: ReplicaAnswer[] = [];
  const retried: UnansweredError[] = [];
  const write = async (code: string, method: 'PUT' | 'POST', suffix: string, body: Record<string, unknown>, idempotencyKey: string) => {
    const headers = { authorization: `Bearer ${consumerToken}`, 'x-end-user': 'officer01', 'x-purpose': code, 'idempotency-key': idempotencyKey };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const answer = await client.send(`/api/v1/public-service-portal/dossiers/${code}${suffix}`, { method, headers, json: body });
        if (answer.status !== 202) throw new Error(`${method} ${code}${suffix}: ${answer.status} ${answer.body?.code ?? ''}`);
        accepted.push(answer);
        return;
      } catch (error) {
        if (!(error instanceof UnansweredError) || attempt >= 3) throw error;
        retried.push(error);
      }
    }
  };
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < options.codes.length; index = next++) {
      const code = options.codes[index]!;
      await write(code, 'PUT', '', loadDossier(code), `${code}:dossier`);
      const steps = load.steps.get(code)!;
      while (await options.moreSteps(code, steps.length)) {
        const body = loadStep(steps.length);
        await write(code, 'POST', '/progress', body, `${code}:step-${steps.length}`);
        steps.push(body.content as string);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.codes.length) }, worker));
  return { load, accepted, retried };
}

const personalExchanges = () => client.exchanges.filter((exchange) => exchange.path.startsWith('/api/v1/'));
const succeeded = (outcome: number | string) => typeof outcome === 'number' && outcome >= 200 && outcome < 300;

interface AuditRow {
  seq: number;
  request_id: string;
  http_status: number;
}
const auditRows = async () =>
  (await store.query<AuditRow>(`SELECT seq::int AS seq, request_id, http_status FROM audit_records WHERE stream = 'data_access' ORDER BY seq, id`)).rows;

/** Resolves once each replica has published its signals `rounds` more times (the alerting engine's evaluation clock, not a sleep). */
async function evaluationRounds(rounds: number): Promise<void> {
  const { rows } = await store.query<{ now: Date }>('SELECT now() AS now');
  const until = rows[0]!.now.getTime() + rounds * evaluationIntervalMs;
  const latest = async () =>
    Promise.all(
      replicas.map(async ({ child }) => {
        const published = await store.query<{ at: Date | null }>('SELECT max(observed_at) AS at FROM alert_signal_samples WHERE replica_id LIKE $1', [`%:${child.process.pid}:%`]);
        return published.rows[0]?.at?.getTime() ?? 0;
      }),
    );
  await eventually(latest, (times) => times.every((time) => time >= until), 15_000);
}

/** The verifier of `npm run audit:verify`, with the keys it would load from this configuration. */
async function verify(stream: ChainStreamName) {
  return verifyChain(store, { stream, publicKeys: await loadVerificationKeys(harness.stack.config.audit.checkpoints) });
}

// --- the proofs ---------------------------------------------------------------

describe('three gateway processes on one PostgreSQL and one Redis', () => {
  it('a quota holds globally: of requests spread over the three, exactly the quota succeeds, the rest are 429 LGSP_RATE_LIMITED', async () => {
    const answers = await Promise.all(Array.from({ length: quota.limit * 3 }, () => client.send(paths.taxpayer, { headers: personal() })));
    // Each replica took a third: per replica, a count of its own would have let every one through.
    expect([0, 1, 2].map((replica) => answers.filter((answer) => answer.replica === replica).length)).toEqual([quota.limit, quota.limit, quota.limit]);
    const statuses = answers.map((answer) => answer.status);
    expect({ ok: statuses.filter((status) => status === 200).length, refused: statuses.filter((status) => status === 429).length }).toEqual({ ok: quota.limit, refused: quota.limit * 2 });
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
      expect(answer.status).toBe(429);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ code: 'LGSP_RATE_LIMITED', status: 429 });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Every decision was Redis's: no replica fell back to its local share (which would also total the quota, by another road).
    for (const text of await Promise.all(replicas.map(metricsOf))) {
      expect(metricValue(text, 'lgsp_rate_limit_decisions_total', { degraded: 'true' })).toBe(0);
      expect(metricValue(text, 'lgsp_rate_limit_decisions_total', { degraded: 'false' })).toBeGreaterThan(0);
    }
  }, 60_000);

  it('a grant removed on one replica and created again on another: refused, then allowed, on all three without a restart', async () => {
    const before = (await client.sendTo(0, '/admin/v1/grants?consumerId=one-stop', { headers: adminHeaders() })).body.items.find(
      (grant: Grant) => grant.operation === 'business-registry.enterprise.get',
    ) as Grant;
    for (const replica of [0, 1, 2]) expect((await client.sendTo(replica, paths.enterprise, { headers: personal() })).status).toBe(200);

    expect((await client.sendTo(0, `/admin/v1/grants/${before.id}`, { method: 'DELETE', headers: adminHeaders() })).status).toBe(204);
    for (const replica of [0, 1, 2]) {
      const denied = await eventually(() => client.sendTo(replica, paths.enterprise, { headers: personal() }), (answer) => answer.status === 403, visibleWithin);
      expect(denied.body).toMatchObject({ code: 'LGSP_OPERATION_NOT_GRANTED' });
      expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }

    const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...grant } = before;
    expect((await client.sendTo(1, '/admin/v1/grants', { method: 'POST', headers: adminHeaders(), json: grant })).status).toBe(201);
    for (const replica of [0, 1, 2]) {
      await eventually(() => client.sendTo(replica, paths.enterprise, { headers: personal() }), (answer) => answer.status === 200, visibleWithin);
    }
  }, 60_000);

  it('a connector setting changed on one replica (maintenance) applies on all three, and its removal on another too', async () => {
    for (const replica of [0, 1, 2]) expect((await client.sendTo(replica, paths.participant, { headers: personal() })).status).toBe(200);
    const maintenance = { message: 'Cơ sở dữ liệu bảo hiểm xã hội bảo trì đến 22:00', retryAfterSeconds: 900 };
    const changed = await client.sendTo(1, '/admin/v1/connectors/social-insurance', { method: 'PATCH', headers: adminHeaders(), json: { maintenance } });
    expect(changed.status).toBe(200);
    for (const replica of [0, 1, 2]) {
      const refused = await eventually(() => client.sendTo(replica, paths.participant, { headers: personal() }), (answer) => answer.status === 503, visibleWithin);
      expect(refused.body).toMatchObject({ code: 'LGSP_CONNECTOR_MAINTENANCE', detail: maintenance.message });
      expect(refused.headers.get('retry-after')).toBe('900');
    }

    expect((await client.sendTo(2, '/admin/v1/connectors/social-insurance', { method: 'PATCH', headers: adminHeaders(), json: { maintenance: null } })).status).toBe(200);
    for (const replica of [0, 1, 2]) {
      await eventually(() => client.sendTo(replica, paths.participant, { headers: personal() }), (answer) => answer.status === 200, visibleWithin);
    }
  }, 60_000);

  it('a credential staged, tested and activated on three different replicas is what every replica logs in with next', async () => {
    const land = harness.stack.sandboxes.land as unknown as LandSandbox;
    // Every replica holds a session of the old credential first.
    for (const replica of [0, 1, 2]) expect((await client.sendTo(replica, paths.certificate, { headers: personal() })).status).toBe(200);
    const rotated = { ...landSandboxDevCredentials, password: `rotated-${run}` };
    // The upstream's own password change: from now on only the new password logs in.
    land.authority.changeAccount({ password: rotated.password });

    const credentials = '/admin/v1/connectors/land/credentials';
    const staged = await client.sendTo(0, credentials, { method: 'POST', headers: adminHeaders(), json: { credentials: rotated } });
    expect(staged.status).toBe(201);
    const version = staged.body.version as number;
    expect((await client.sendTo(1, `${credentials}/${version}/test`, { method: 'POST', headers: adminHeaders(), json: {} })).body).toMatchObject({ outcome: 'ok' });
    expect((await client.sendTo(2, `${credentials}/${version}/activate`, { method: 'POST', headers: adminHeaders(), json: {} })).status).toBe(200);
    // Each replica's own connector runtime (not the store) reports the version it now uses.
    for (const replica of [0, 1, 2]) {
      await eventually(() => client.sendTo(replica, '/admin/v1/connectors/land', { headers: adminHeaders() }), (answer) => answer.body?.credentials?.activeVersion === version, visibleWithin);
    }

    // The upstream forgets every session: each replica must log in again, and only the new password is accepted.
    land.authority.revokeAll();
    const loginsBefore = land.authority.issued.password;
    for (const replica of [0, 1, 2]) expect((await client.sendTo(replica, paths.certificate, { headers: personal() })).status).toBe(200);
    expect(land.authority.issued.password - loginsBefore).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('an upstream fault seen across the cluster fires one alert: one firing notice for its group, one resolved notice once it clears', async () => {
    const tax = (harness.stack.sandboxes.tax as unknown as { faults: FaultController }).faults;
    tax.set({ kind: 'http-500' }, { operation: 'TraCuuNghiaVuThue' });
    try {
      // Two failures per replica: only the signals merged across the three reach the rule's minSamples.
      for (let round = 0; round < 2; round += 1) {
        for (const replica of [0, 1, 2]) expect((await client.sendTo(replica, paths.obligations, { headers: personal() })).status).toBeGreaterThanOrEqual(500);
      }
    } finally {
      tax.clear();
    }
    const ours = () => hooks.hooks.filter((hook) => [...hook.body.firing, ...hook.body.resolved].some((alert) => alert.ruleId === alertRuleId));
    const [firing] = await eventually(ours, (received) => received.length >= 1, 30_000);
    expect(firing!.body.kind).toBe('firing');
    expect(firing!.signatureValid).toBe(true);
    expect(firing!.body.firing.map((alert) => [alert.ruleId, alert.labels.connector])).toEqual([[alertRuleId, 'tax']]);

    // The upstream answers again: successes bring the cluster's ratio under the threshold (6 failed of 15).
    for (let round = 0; round < 3; round += 1) {
      for (const replica of [0, 1, 2]) expect((await client.sendTo(replica, paths.obligations, { headers: personal() })).status).toBe(200);
    }
    await eventually(ours, (received) => received.length >= 2, 30_000);
    // A few more evaluation rounds of every replica (each publishes its signals every round): a second leader or a repeated delivery would show by now.
    await evaluationRounds(4);

    const received = ours();
    expect(received.map((hook) => hook.body.kind)).toEqual(['firing', 'resolved']);
    expect(new Set(received.map((hook) => hook.body.groupKey)).size).toBe(1);
    expect(new Set(received.map((hook) => hook.notificationId)).size).toBe(2);
    expect(received[1]!.body.resolved.map((alert) => alert.ruleId)).toEqual([alertRuleId]);
    const log = await store.query<{ kind: string }>(`SELECT kind FROM alert_notifications WHERE receiver_id = 'cluster-hook' ORDER BY created_at`);
    expect(log.rows.map((row) => row.kind)).toEqual(['firing', 'resolved']);
  }, 90_000);

  it('dossier sync spread over the three: every message delivered exactly once, in order per dossier, by replicas competing for the outbox', async () => {
    const day = '260101';
    const journalBefore = portal.journal.length;
    const before = await Promise.all(replicas.map(async (replica) => metricValue(await metricsOf(replica), 'lgsp_outbox_deliveries_total', { target: portalTarget, outcome: 'delivered' })));
    const stepsPerDossier = 4;
    const { load, accepted } = await syncDossiers({ codes: Array.from({ length: 12 }, (_, index) => loadDossierCode(index, day)), concurrency: 6, moreSteps: (_code, sent) => sent < stepsPerDossier });
    const messages = 12 * (1 + stepsPerDossier);
    expect(accepted).toHaveLength(messages);
    expect(new Set(accepted.map((answer) => answer.replica)).size).toBe(3);

    await eventually(() => outboxRows(day), (rows) => rows.length === messages && rows.every((row) => row.state === 'delivered'), 30_000, 100);
    expectDeliveredOnceInOrder(portal, load);
    expect(portal.journal.length - journalBefore).toBe(messages);
    // One delivery per message across the three (never two replicas on one message), and no message taken over or retried.
    const after = await Promise.all(replicas.map(async (replica) => metricValue(await metricsOf(replica), 'lgsp_outbox_deliveries_total', { target: portalTarget, outcome: 'delivered' })));
    const delivered = after.map((count, replica) => count - before[replica]!);
    expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(messages);
    expect(delivered.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
    expect((await outboxRows(day)).every((row) => row.attempts === 1)).toBe(true);
  }, 90_000);

  it('the audit trail written by the three is one gap-free hash chain, one record per 2xx personal-data answer', async () => {
    // More personal-data reads, spread over the three, at the same time.
    await Promise.all(Array.from({ length: 30 }, () => client.send(paths.citizen, { headers: personal() })));

    const rows = await auditRows();
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index + 1));
    // Once a replica has signed a checkpoint of the head (every second or so), the chain and every checkpoint verify.
    const report = await eventually(() => verify('data_access'), (candidate) => candidate.checkpoints.newestSeq === rows.length, 15_000);
    expect(report).toMatchObject({ ok: true, checked: rows.length, head: { seq: rows.length }, unchained: 0 });
    expect(report.checkpoints.valid).toBe(report.checkpoints.checked);
    expect(report.checkpoints.firstInvalid).toBeUndefined();
    // The admin changes made through the three are one chain too.
    expect(await verify('admin')).toMatchObject({ ok: true, unchained: 0 });

    // Exactly one record per 2xx answer, and each other record is an answered failure the upstream was asked for (the alert's).
    const exchanges = new Map(personalExchanges().map((exchange) => [exchange.requestId, exchange]));
    const answered2xx = personalExchanges().filter((exchange) => succeeded(exchange.outcome));
    const recorded2xx = rows.filter((row) => succeeded(row.http_status));
    expect(recorded2xx).toHaveLength(answered2xx.length);
    expect(recorded2xx.map((row) => row.request_id).sort()).toEqual(answered2xx.map((exchange) => exchange.requestId).sort());
    const failures = rows.filter((row) => !succeeded(row.http_status));
    expect(failures.map((row) => [exchanges.get(row.request_id)?.path, exchanges.get(row.request_id)?.outcome])).toEqual(
      failures.map((row) => [paths.obligations, row.http_status]),
    );
    expect(failures).toHaveLength(personalExchanges().filter((exchange) => exchange.path === paths.obligations && typeof exchange.outcome === 'number' && exchange.outcome >= 500).length);
    // Written by all three.
    expect(new Set(rows.map((row) => exchanges.get(row.request_id)!.replica)).size).toBe(3);

    // The gateway's own verification route answers the same on every replica.
    for (const replica of [0, 1, 2]) {
      const answer = await client.sendTo(replica, '/admin/v1/audit/verification?stream=data_access', { headers: adminHeaders(staff.auditor) });
      expect(answer.body).toMatchObject({ ok: true, checked: rows.length });
    }
  }, 60_000);

  it('a replica killed with SIGKILL mid-load loses nothing: every accepted write delivered once and in order, every 2xx read audited, the client fails over', async () => {
    const day = '260102';
    const population = harness.sandbox.faults;
    const exchangesBefore = client.exchanges.length;
    let killed: { replica: number; heldMessages: string[] } | undefined;
    let afterKill!: () => void;
    const killDone = new Promise<void>((resolve) => (afterKill = resolve));

    // Reads: workers reading until the writes are done and some reads went round after the kill.
    const reads: ReplicaAnswer[] = [];
    const cutReads: UnansweredError[] = [];
    let writesDone = false;
    let readsAfterKill = 0;
    // (Should the kill not happen, they stop with the writes: the test fails on its own reason, not on a runaway load.)
    const reader = async () => {
      while (!(writesDone && (readsAfterKill >= 9 || !killed))) {
        try {
          const answer = await client.send(paths.citizen, { headers: personal() });
          reads.push(answer);
          if (killed) readsAfterKill += 1;
        } catch (error) {
          if (!(error instanceof UnansweredError)) throw error;
          cutReads.push(error);
        }
      }
    };
    // Writes: each dossier sends steps until the kill (at most 20 before it), then 3 more through the survivors.
    const stepsAtKill = new Map<string, number>();
    const moreSteps = async (code: string, sent: number) => {
      if (!killed && sent >= 20) {
        await killDone;
        if (!killed) return false;
      }
      if (!killed) return true;
      if (!stepsAtKill.has(code)) stepsAtKill.set(code, sent);
      return sent < stepsAtKill.get(code)! + 3;
    };
    const readers = Promise.all(Array.from({ length: 6 }, reader));
    const writes = syncDossiers({ codes: Array.from({ length: 8 }, (_, index) => loadDossierCode(index, day)), concurrency: 8, moreSteps }).finally(() => (writesDone = true));

    try {
      await eventually(() => outboxRows(day), (rows) => rows.filter((row) => row.state === 'delivered').length >= 16, 30_000);
      // The portal now holds every call unanswered (before storing anything), and reads wait 3 s for their upstream. The victim
      // is a replica that holds deliveries (none of which has reached the portal, so none can be delivered twice) and serves reads.
      portal.faults.set({ kind: 'hang' });
      population.set({ kind: 'latency', ms: 3_000 });
      const atPortal = (row: OutboxRow) =>
        row.sequence === 1 ? portal.dossiers.has(row.key) : (portal.dossiers.get(row.key)?.progress.length ?? 0) >= row.sequence - 1;
      const holds = (replica: number, row: OutboxRow) => row.lease_owner?.includes(`:${replicas[replica]!.child.process.pid}:`) === true;
      // A read in flight at a replica: the replica itself is waiting for the population upstream (its bulkhead says so).
      const readsInFlight = async (replica: number) => metricValue(await metricsOf(replicas[replica]!), 'lgsp_upstream_bulkhead_in_flight', { connector: 'population' });
      const victimOf = async (rows: OutboxRow[]) => {
        const delivering = rows.filter((row) => row.state === 'delivering');
        if (delivering.some(atPortal)) return undefined;
        for (const replica of [0, 1, 2]) if (delivering.some((row) => holds(replica, row)) && (await readsInFlight(replica)) > 0) return replica;
        return undefined;
      };
      const { rows, victim } = await eventually(
        async () => {
          const all = await outboxRows(day);
          return { rows: all, victim: await victimOf(all) };
        },
        (candidate) => candidate.victim !== undefined,
        30_000,
      );
      if (victim === undefined) throw new Error('no victim');
      const process = replicas[victim]!.child.process;
      killed = { replica: victim, heldMessages: rows.filter((row) => row.state === 'delivering' && holds(victim, row)).map((row) => row.id) };
      const exited = new Promise<NodeJS.Signals | null>((resolve) => process.once('exit', (_code, signal) => resolve(signal)));
      process.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    } finally {
      portal.faults.clear();
      population.clear();
      afterKill();
    }
    const { load, accepted, retried } = await writes;
    await readers;
    const { replica: victim, heldMessages } = killed!;

    // Nothing accepted is lost: every message delivered, the victim's taken over once its lease ran out, each exactly once, in order.
    await eventually(() => outboxRows(day), (rows) => rows.every((row) => row.state === 'delivered'), 60_000, 100);
    const rows = await outboxRows(day);
    expect(rows).toHaveLength(load.codes.reduce((sum, code) => sum + 1 + load.steps.get(code)!.length, 0));
    expectDeliveredOnceInOrder(portal, load);
    expect(heldMessages.length).toBeGreaterThan(0);
    for (const id of heldMessages) expect(rows.find((row) => row.id === id)).toMatchObject({ state: 'delivered', attempts: 2 });
    // Each accepted write is one of these messages (a retried write answered with the message it had become).
    const messageIds = new Set(rows.map((row) => row.id));
    expect(accepted.every((answer) => messageIds.has(answer.body.syncId))).toBe(true);

    // The client failed over: the dead replica refused connections, reads in flight there were cut off, all else answered.
    const since = client.exchanges.slice(exchangesBefore);
    expect(since.filter((exchange) => exchange.replica === victim && exchange.outcome === 'refused').length).toBeGreaterThan(0);
    expect(cutReads.filter((error) => error.replica === victim).length).toBeGreaterThan(0);
    expect([...cutReads, ...retried].every((error) => error.replica === victim)).toBe(true);
    expect(reads.every((answer) => answer.status === 200)).toBe(true);
    // The victim took its share of this load until it died.
    expect(since.some((exchange) => exchange.replica === victim && typeof exchange.outcome === 'number')).toBe(true);

    // No audit record lost or made up: one per 2xx answer; a request cut off with the victim has one or none.
    const audit = await auditRows();
    expect(audit.map((row) => row.seq)).toEqual(audit.map((_, index) => index + 1));
    const recordsOf = new Map<string, number>();
    for (const row of audit) recordsOf.set(row.request_id, (recordsOf.get(row.request_id) ?? 0) + 1);
    const exchanges = new Map(personalExchanges().map((exchange) => [exchange.requestId, exchange]));
    for (const exchange of personalExchanges().filter((candidate) => succeeded(candidate.outcome))) expect([exchange.requestId, recordsOf.get(exchange.requestId)]).toEqual([exchange.requestId, 1]);
    for (const row of audit) {
      const exchange = exchanges.get(row.request_id);
      expect([row.request_id, recordsOf.get(row.request_id), exchange?.outcome === 'unanswered' || exchange?.outcome === row.http_status]).toEqual([row.request_id, 1, true]);
    }
    const report = await verify('data_access');
    expect(report).toMatchObject({ ok: true, checked: audit.length, head: { seq: audit.length }, unchained: 0 });
    expect(await verify('admin')).toMatchObject({ ok: true, unchained: 0 });
  }, 150_000);
});
