import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import express, { type Request, type Router } from 'express';
import type { AlertingService } from '../alerting/alerting-service.js';
import { serveAlertStream } from '../alerting/engine/alert-feed.js';
import { validateReceiverInput } from '../alerting/channels/receiver-store.js';
import { validateAlertRule } from '../alerting/rules/rule-validation.js';
import { receiverIdPattern, ruleIdPattern, silenceInputSchema } from '../alerting/schemas.js';
import type { AlertRule, Matcher } from '../alerting/types.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { UpstreamAddressRefusedError } from '../connector-kit/upstream-address-guard.js';
import { describeViolations } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import { validQuery } from './query-validation.js';
import { adminActorOf, requireRole } from './require-role.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true });
addFormats(ajv);
const bodyAjv = new Ajv2020({ allErrors: true, strict: true });
addFormats(bodyAjv);

const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } as const;
const validateAlertList = ajv.compile<{ state?: string; severity?: 'critical' | 'warning' | 'info'; connector?: string; rule?: string; since?: string; until?: string; limit?: number; before?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { enum: ['open', 'pending', 'firing', 'acknowledged', 'resolved'] },
    severity: { enum: ['critical', 'warning', 'info'] },
    connector: { type: 'string', minLength: 1, maxLength: 100 },
    rule: { type: 'string', pattern: ruleIdPattern },
    since: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    before: { type: 'string', minLength: 1, maxLength: 200 },
  },
});
const validateSilenceList = ajv.compile<{ state?: 'pending' | 'active' | 'expired' }>({
  type: 'object',
  additionalProperties: false,
  properties: { state: { enum: ['pending', 'active', 'expired'] } },
});
const validateNotificationList = ajv.compile<{ receiver?: string; limit?: number }>({
  type: 'object',
  additionalProperties: false,
  properties: { receiver: { type: 'string', pattern: receiverIdPattern }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
});
const validateNone = ajv.compile<Record<string, never>>({ type: 'object', additionalProperties: false });
const validateNote = bodyAjv.compile<{ note?: string }>({ type: 'object', additionalProperties: false, properties: { note: { type: 'string', minLength: 1, maxLength: 1000 } } });
const validateSilence = bodyAjv.compile<{ matchers: Matcher[]; startsAt?: string; endsAt: string; reason: string }>(silenceInputSchema);

/**
 * /admin/v1 alerts, silences, alert rules, receivers and the notification
 * log (issue 14). Every admin role reads (nothing here is personal data);
 * lgsp-operator and lgsp-admin acknowledge, resolve and silence; only
 * lgsp-admin changes rules and receivers. Each change commits with its admin
 * audit record; this replica applies it at once, the others within one
 * refresh interval.
 */
export function createAlertsRouter(options: { tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>; alerting: AlertingService; bodyLimitBytes: number }): Router {
  const { alerting } = options;
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const responders = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator]);
  const writers = requireRole(options.tokenVerifier, [Roles.admin]);
  const router = express.Router();
  const json = express.json({ limit: options.bodyLimitBytes });

  const idIn = (req: Request, pattern: RegExp | string, what: string): string => {
    const id = String(req.params.id);
    if (!(typeof pattern === 'string' ? new RegExp(pattern) : pattern).test(id)) throw new ProblemError('LGSP_NOT_FOUND', { detail: `no such ${what}` });
    return id;
  };
  const alertId = (req: Request) => idIn(req, uuid.pattern, 'alert');
  const silenceId = (req: Request) => idIn(req, uuid.pattern, 'silence');
  const body = <T>(req: Request, validate: { (data: unknown): data is T; errors?: unknown }): T => {
    const value: unknown = req.body ?? {};
    if (!validate(value)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: describeViolations(validate.errors as Parameters<typeof describeViolations>[0]) });
    return value;
  };
  const noStore = (res: express.Response) => res.setHeader('Cache-Control', 'no-store');

  // The live feed first: "stream" is not an alert id.
  router.get('/alerts/stream', readers, (req, res) => {
    validQuery(req, validateNone);
    serveAlertStream(alerting.feed, req, res);
  });

  router.get('/alerts', readers, async (req, res) => {
    const query = validQuery(req, validateAlertList);
    const page = await alerting.alerts.list({
      ...(query.state !== undefined && { state: query.state as never }),
      ...(query.severity !== undefined && { severity: query.severity }),
      ...(query.connector !== undefined && { connector: query.connector }),
      ...(query.rule !== undefined && { ruleId: query.rule }),
      ...(query.since !== undefined && { since: new Date(query.since) }),
      ...(query.until !== undefined && { until: new Date(query.until) }),
      ...(query.before !== undefined && { before: query.before }),
      limit: query.limit ?? 100,
    });
    noStore(res);
    res.json({ items: await alerting.annotate(page.alerts), ...(page.next !== undefined && { next: page.next }) });
  });

  router.get('/alerts/:id', readers, async (req, res) => {
    validQuery(req, validateNone);
    const alert = await alerting.alerts.get(alertId(req));
    if (!alert) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such alert' });
    const [annotated] = await alerting.annotate([alert]);
    noStore(res);
    res.json(annotated);
  });

  router.post('/alerts/:id/acknowledge', responders, json, async (req, res) => {
    const id = alertId(req);
    const { note } = body(req, validateNote);
    res.json(await alerting.alerts.acknowledge(id, adminActorOf(res), note));
  });

  router.post('/alerts/:id/resolve', responders, json, async (req, res) => {
    const id = alertId(req);
    const { note } = body(req, validateNote);
    res.json(await alerting.alerts.resolve(id, adminActorOf(res), note));
  });

  router.get('/silences', readers, async (req, res) => {
    const query = validQuery(req, validateSilenceList);
    noStore(res);
    res.json({ items: await alerting.silences.list(query.state !== undefined ? { state: query.state } : {}) });
  });

  router.get('/silences/:id', readers, async (req, res) => {
    validQuery(req, validateNone);
    const silence = await alerting.silences.get(silenceId(req));
    if (!silence) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such silence' });
    noStore(res);
    res.json(silence);
  });

  router.post('/silences', responders, json, async (req, res) => {
    // The matchers' regular expressions are checked by the store, with the rest of what the schema cannot say.
    const input = body(req, validateSilence);
    const silence = await alerting.silences.create(
      { matchers: input.matchers, endsAt: new Date(input.endsAt), reason: input.reason, ...(input.startsAt !== undefined && { startsAt: new Date(input.startsAt) }) },
      adminActorOf(res),
    );
    res.status(201).location(`${req.baseUrl}/silences/${silence.id}`).json(silence);
  });

  router.delete('/silences/:id', responders, async (req, res) => {
    const id = silenceId(req);
    validQuery(req, validateNone);
    const silence = await alerting.silences.expire(id, adminActorOf(res));
    res.json(silence);
  });

  router.get('/alert-rules', readers, (req, res) => {
    validQuery(req, validateNone);
    noStore(res);
    res.json({ items: alerting.rules.effective().map(({ rule, source }) => ({ ...rule, source })) });
  });

  const effectiveRule = (id: string) => alerting.rules.effective().find(({ rule }) => rule.id === id);
  router.get('/alert-rules/:id', readers, (req, res) => {
    validQuery(req, validateNone);
    const found = effectiveRule(idIn(req, ruleIdPattern, 'alert rule'));
    if (!found) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such alert rule' });
    noStore(res);
    res.json({ ...found.rule, source: found.source });
  });

  router.put('/alert-rules/:id', writers, json, async (req, res) => {
    const id = String(req.params.id);
    const submitted: unknown = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? { id, ...(req.body as object) } : req.body;
    const checked = validateAlertRule(submitted);
    if (!checked.ok) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: checked.errors });
    if (checked.rule.id !== id) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'id', message: 'must equal the identifier in the path' }] });
    // Replacing a default or configured rule changes an existing resource (200); a new id creates one (201).
    const existed = effectiveRule(id) !== undefined;
    await alerting.rules.store.put(checked.rule as AlertRule, adminActorOf(res));
    await alerting.refresh();
    const now = effectiveRule(id)!;
    res.status(existed ? 200 : 201).json({ ...now.rule, source: now.source });
  });

  router.delete('/alert-rules/:id', writers, async (req, res) => {
    const id = idIn(req, ruleIdPattern, 'alert rule');
    validQuery(req, validateNone);
    if (!(await alerting.rules.store.remove(id, adminActorOf(res)))) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no alert rule of this id was set by an administrator' });
    await alerting.refresh();
    // A default or configured rule of the same id applies again.
    const now = effectiveRule(id);
    if (now) res.json({ ...now.rule, source: now.source });
    else res.status(204).end();
  });

  router.get('/receivers', readers, (req, res) => {
    validQuery(req, validateNone);
    noStore(res);
    res.json({ items: alerting.receivers.effective() });
  });

  const effectiveReceiver = (id: string) => alerting.receivers.effective().find((receiver) => receiver.id === id);
  router.get('/receivers/:id', readers, (req, res) => {
    validQuery(req, validateNone);
    const receiver = effectiveReceiver(idIn(req, receiverIdPattern, 'receiver'));
    if (!receiver) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such receiver' });
    noStore(res);
    res.json(receiver);
  });

  router.put('/receivers/:id', writers, json, async (req, res) => {
    const id = String(req.params.id);
    if (!new RegExp(receiverIdPattern).test(id)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'id', message: `must match ${receiverIdPattern}` }] });
    if (alerting.receivers.configured(id)) {
      throw new ProblemError('LGSP_CONFLICT', { detail: 'this receiver is defined in the configuration file: change it there' });
    }
    const checked = validateReceiverInput(req.body);
    if (!checked.ok) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: checked.errors });
    const url = checked.input.kind === 'webhook' ? String(checked.input.settings.url) : checked.input.kind === 'telegram' ? (checked.input.settings.baseUrl as string | undefined) : undefined;
    if (url !== undefined) await checkReceiverUrl(alerting, url);
    const { receiver, created } = await alerting.receivers.store.put(id, checked.input, adminActorOf(res));
    await alerting.refresh();
    res.status(created ? 201 : 200).json(receiver);
  });

  router.delete('/receivers/:id', writers, async (req, res) => {
    const id = idIn(req, receiverIdPattern, 'receiver');
    validQuery(req, validateNone);
    if (alerting.receivers.configured(id)) throw new ProblemError('LGSP_CONFLICT', { detail: 'this receiver is defined in the configuration file: remove it there' });
    if (!(await alerting.receivers.store.remove(id, adminActorOf(res)))) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such receiver' });
    await alerting.refresh();
    res.status(204).end();
  });

  router.post('/receivers/:id/test', writers, async (req, res) => {
    const id = idIn(req, receiverIdPattern, 'receiver');
    validQuery(req, validateNone);
    res.status(202).json(await alerting.sendTestNotice(id, adminActorOf(res)));
  });

  router.get('/alert-notifications', readers, async (req, res) => {
    const query = validQuery(req, validateNotificationList);
    noStore(res);
    res.json({ items: await alerting.alerts.notifications({ ...(query.receiver !== undefined && { receiverId: query.receiver }), limit: query.limit ?? 100 }) });
  });

  return router;
}

/** A webhook or Bot API address is an outbound connection like an upstream's: the same allowlist decides. */
async function checkReceiverUrl(alerting: AlertingService, url: string): Promise<void> {
  try {
    await alerting.checkUrl(url);
  } catch (error) {
    if (error instanceof UpstreamAddressRefusedError) throw new ProblemError('LGSP_UPSTREAM_URL_REFUSED', { detail: error.message });
    throw error;
  }
}
