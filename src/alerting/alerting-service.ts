import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Dispatcher } from 'undici';
import { recordAdminChange, type AdminActor } from '../audit/admin-change.js';
import { ProblemError } from '../errors/problem-error.js';
import type { AlertingConfig } from '../config/gateway-config.js';
import { enqueue } from '../outbox/enqueue.js';
import type { TargetRegistration } from '../outbox/dispatcher.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { VersionPoller } from '../store/version-poller.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import { noticeDeliveryTargets } from './channels/notice-delivery.js';
import { ReceiverStore } from './channels/receiver-store.js';
import { configReceiverSecrets, effectiveReceivers, receiverTakes } from './channels/receivers.js';
import { resolveSmtp, type ResolvedSmtp } from './channels/email-channel.js';
import { AlertEngine } from './engine/alert-engine.js';
import { AlertFeed } from './engine/alert-feed.js';
import { AlertStore } from './engine/alert-store.js';
import { SilenceStore } from './engine/silence-store.js';
import { defaultRules } from './rules/default-rules.js';
import { evaluateRules, ruleWindows } from './rules/evaluate-rules.js';
import { AlertRuleStore, effectiveRules } from './rules/rule-store.js';
import { SignalSampler } from './signals/signal-sampler.js';
import { publishSamples, pruneSamples, readMergedSignals } from './signals/signal-store.js';
import { noticeTargets, type AlertView, type EffectiveRule, type Notice, type ReceiverView, type SignalSample } from './types.js';

export interface AlertingServiceDeps {
  config: AlertingConfig;
  store: Store;
  registry: Registry;
  logger: Logger;
  /** The mounted connectors: each gets the default rules. */
  connectorIds: readonly string[];
  /** Where admin-added receivers keep their secrets; without it, only receivers without secrets (e-mail) can be added at run time. */
  vault?: CredentialVault;
  /** This process's outbox dispatcher: notices are delivered through it. */
  outbox: { register(target: string, registration: TargetRegistration): void; wake(): void };
  /** This replica's name in the samples table and the lease (the outbox dispatcher's id). */
  replicaId: string;
  /** The config receivers' secrets and the SMTP password, resolved before anything was opened (resolveAlertingSecrets). */
  secrets: AlertingSecrets;
  /** Readings that are not metrics (the audit gate). */
  extraReadings?: Array<() => SignalSample[] | Promise<SignalSample[]>>;
  /** The upstream address guard: webhook and Bot API addresses obey the same allowlist, when set (checkUrl) and at every connect (dispatcher). */
  checkUrl(url: string): Promise<void>;
  dispatcher?: Dispatcher;
  /** How often stored rules, receivers and silences are reloaded (access.refreshIntervalMs). */
  refreshIntervalMs: number;
}

export interface AlertingSecrets {
  receivers: ReadonlyMap<string, Record<string, string>>;
  smtp: ResolvedSmtp | undefined;
}

/**
 * The config file's receiver secrets and SMTP password, from their values or
 * { fromEnv } / { fromFile } references. Called at the very start: a missing
 * variable or file fails the start (naming the key, never a value), not the
 * first notice.
 */
export function resolveAlertingSecrets(config: AlertingConfig, env: NodeJS.ProcessEnv): AlertingSecrets {
  return {
    receivers: new Map(config.receivers.map((receiver) => [receiver.id, configReceiverSecrets(receiver, env)])),
    smtp: resolveSmtp(config.smtp, env),
  };
}

export interface AlertingService {
  alerts: AlertStore;
  silences: SilenceStore;
  feed: AlertFeed;
  engine: AlertEngine;
  rules: { effective(): EffectiveRule[]; store: AlertRuleStore };
  receivers: { effective(): ReceiverView[]; configured(id: string): boolean; store: ReceiverStore };
  checkUrl(url: string): Promise<void>;
  /** Silences muting each open alert and whether an inhibiting alert mutes it, computed now. */
  annotate(alerts: readonly AlertView[]): Promise<AlertView[]>;
  /** One test notice to a receiver, through the outbox like any other (kind `test`, in the notification log). */
  sendTestNotice(receiverId: string, actor: AdminActor): Promise<{ notificationId: string }>;
  /** Starts evaluating (when alerting.enabled): called once the gateway listens, so a start that fails holds no lease. */
  start(): void;
  /** Reload stored rules and receivers now (after this replica's own change). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The alerting channel of one gateway process: every replica samples and
 * publishes its signals and delivers notices from the outbox; whichever holds
 * the lease evaluates and decides notices for all (src/alerting/types.ts).
 */
export async function startAlerting(deps: AlertingServiceDeps): Promise<AlertingService> {
  const { config, store, logger } = deps;
  const log = logger.child({ component: 'alerting' });
  const defaults = config.defaultRules ? defaultRules(deps.connectorIds) : [];
  const ruleStore = new AlertRuleStore(store);
  const receiverStore = new ReceiverStore({ store, ...(deps.vault && { vault: deps.vault }) });
  const configReceiverIds = new Set(config.receivers.map((receiver) => receiver.id));
  const configSecrets = deps.secrets.receivers;

  let rules: EffectiveRule[] = effectiveRules(defaults, config.rules, []);
  let receivers: ReceiverView[] = effectiveReceivers(config.receivers, []);
  const poller = new VersionPoller({
    readVersion: () => ruleStore.version(),
    reload: async () => {
      const [storedRules, storedReceivers] = await Promise.all([ruleStore.list(), receiverStore.list()]);
      rules = effectiveRules(
        defaults,
        config.rules,
        storedRules.map((stored) => stored.rule),
      );
      receivers = effectiveReceivers(config.receivers, storedReceivers);
    },
    logger: log,
    refreshIntervalMs: deps.refreshIntervalMs,
    failureMessage: 'alerting: could not reload rules and receivers; keeping the last loaded ones',
  });
  await poller.start();

  const receiverOf = (id: string) => receivers.find((receiver) => receiver.id === id);
  const secretsOf = async (id: string) => configSecrets.get(id) ?? (await receiverStore.secretsOf(id));
  const { smtp } = deps.secrets;
  for (const [target, registration] of noticeDeliveryTargets({
    receiverOf,
    secretsOf,
    ...(smtp && { smtp }),
    ...(config.consoleUrl !== undefined && { consoleUrl: config.consoleUrl }),
    ...(deps.dispatcher && { dispatcher: deps.dispatcher }),
    logger: log,
  })) {
    deps.outbox.register(target, registration);
  }

  const enabledRules = () => rules.filter(({ rule }) => rule.enabled !== false).map(({ rule }) => rule);
  const sampler = new SignalSampler({ registry: deps.registry, ...(deps.extraReadings && { extraReadings: deps.extraReadings }) });
  const engine = new AlertEngine({
    store,
    replicaId: deps.replicaId,
    logger: log,
    sample: (windows) => sampler.sample(windows),
    publish: publishSamples,
    readMerged: readMergedSignals,
    prune: pruneSamples,
    evaluate: evaluateRules,
    windows: ruleWindows,
    rules: enabledRules,
    receivers: () => receivers,
    receiverTakes,
    inhibitRules: config.inhibitRules,
    grouping: config.grouping,
    evaluationIntervalMs: config.evaluationIntervalMs,
    leaseMs: config.leaseMs,
    onNoticesEnqueued: () => deps.outbox.wake(),
    registry: deps.registry,
    historyRetentionDays: config.historyRetentionDays,
  });
  const alerts = new AlertStore(store, { registry: deps.registry });
  const silences = new SilenceStore(store);
  const feed = new AlertFeed({ store: alerts, pollIntervalMs: Math.min(1000, config.evaluationIntervalMs), logger: log });
  await feed.start();

  return {
    alerts,
    silences,
    feed,
    engine,
    rules: { effective: () => rules, store: ruleStore },
    receivers: { effective: () => receivers, configured: (id) => configReceiverIds.has(id), store: receiverStore },
    checkUrl: deps.checkUrl,
    annotate: (views) => alerts.annotate(views, config.inhibitRules),
    async sendTestNotice(receiverId, actor) {
      const receiver = receiverOf(receiverId);
      if (!receiver) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such receiver' });
      const notificationId = randomUUID();
      const notice: Notice = { notificationId, receiverId, groupKey: 'test', groupLabels: {}, kind: 'firing', createdAt: new Date().toISOString(), firing: [testAlert()], resolved: [] };
      await store.transaction(async (tx) => {
        const message = await enqueue(tx, { target: noticeTargets[receiver.kind], key: receiver.id, payload: notice, idempotencyKey: notificationId });
        await tx.query(
          `INSERT INTO alert_notifications (id, receiver_id, group_key, kind, alert_ids, outbox_message_id, notice) VALUES ($1, $2, 'test', 'test', '{}', $3, $4::jsonb)`,
          [notificationId, receiver.id, message.id, JSON.stringify(notice)],
        );
        await recordAdminChange(tx, actor, { type: 'alert_test_notice', id: notificationId }, undefined, { receiverId: receiver.id });
      });
      deps.outbox.wake();
      return { notificationId };
    },
    start() {
      if (config.enabled) engine.start();
    },
    refresh: () => poller.refresh(),
    async stop() {
      poller.stop();
      feed.stop();
      await engine.stop();
    },
  };
}

/** No name in a notice, not even a staff member's: the admin audit stream says who asked. */
function testAlert() {
  return {
    alertId: '00000000-0000-0000-0000-000000000000',
    ruleId: 'receiver-test',
    severity: 'info' as const,
    labels: { alertname: 'receiver-test', severity: 'info', scope: 'gateway' },
    summary: { vi: 'Thông báo thử từ quản trị viên: kênh nhận cảnh báo này hoạt động.', en: 'Test notice from an administrator: this receiver works.' },
    firedAt: new Date().toISOString(),
  };
}
