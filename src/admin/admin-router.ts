import express, { type Request, type Router } from 'express';
import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import type { AccessPolicy } from '../access/access-policy.js';
import { listAdminAudit, type AccessRepository } from '../access/access-repository.js';
import { grantViolations } from '../access/grant-rules.js';
import { ratePolicyViolations } from '../access/rate-policy-rules.js';
import type { AlertingService } from '../alerting/alerting-service.js';
import { createAlertsRouter } from './alerts-router.js';
import { createAuditRouter, type ChainVerificationKeys } from './audit-router.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { describeViolations, type ContractRegistry } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import type { Store } from '../store/store.js';
import { createConnectorCredentialsRouter, type ConnectorCredentialsAdmin } from './connector-credentials-router.js';
import { createConnectorHealthRouter, type ConnectorHealthSource } from './connector-health-router.js';
import { createConnectorSettingsRouter, type ConnectorSettingsAdmin } from './connector-settings-router.js';
import { createOperationsRouter, type OperationsRouterOptions } from './operations-router.js';
import { createOutboxRouter, type OutboxAdminSource } from './outbox-router.js';
import { createPaymentsAdminRouter, type PaymentsAdminSource } from './payments-router.js';
import { adminActorOf, requireRole } from './require-role.js';
import { isUuid } from '../util/uuid.js';

export interface AdminRouterOptions {
  store: Store;
  repository: AccessRepository;
  access: AccessPolicy;
  contracts: ContractRegistry;
  tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>;
  /** Operation id → $id of its response contract (what grants may name). */
  operations: ReadonlyMap<string, string>;
  /** Operations that process personal data (their grants must name purposes; the others' must not). */
  personalDataOperations: ReadonlySet<string>;
  /** The mounted connectors: the operation catalog's titles, methods and paths (/admin/v1/operations). */
  connectors: OperationsRouterOptions['connectors'];
  /** The key audit records' subjects are hashed with (config.audit.subjectHashKey); the audit query API hashes with it too. */
  auditSubjectKey: Buffer | string;
  /** Public keys (and the RFC 3161 check) the hash-chain verification route checks checkpoints with. */
  auditChainVerification: ChainVerificationKeys;
  bodyLimitBytes: number;
  /** Breaker, probe and error rate per mounted connector. */
  connectorHealth: ConnectorHealthSource;
  /** Run-time connector settings and the credential vault (the vault's routes only when it is configured). */
  connectorAdmin?: { settings: ConnectorSettingsAdmin; credentials?: ConnectorCredentialsAdmin };
  /** The durable outbox: messages, re-drive, cancel, stats (/admin/v1/outbox). */
  outbox?: OutboxAdminSource;
  /** Alerts, silences, alert rules, receivers and the notification log. */
  alerting?: AlertingService;
  /** Payments and their reconciliation (/admin/v1/payments), when the payment platform is configured. */
  payments?: PaymentsAdminSource;
}

const contract = (name: string) => `https://lgsp.gov.vn/contracts/admin/v1/${name}.json`;
const readOnly = ['createdAt', 'updatedAt'] as const;

/**
 * /admin/v1: consumers, grants and the purpose catalog. lgsp-admin changes,
 * lgsp-operator and lgsp-auditor read; every change is committed with its
 * admin audit entry and becomes visible to every replica within one refresh.
 */
export function createAdminRouter(options: AdminRouterOptions): Router {
  const { repository, contracts } = options;
  const router = express.Router();
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const writers = requireRole(options.tokenVerifier, [Roles.admin]);
  const auditors = requireRole(options.tokenVerifier, [Roles.admin, Roles.auditor]);

  router.use(express.json({ limit: options.bodyLimitBytes }));

  const validated = <T>(name: string, req: Request): T => {
    const body = stripReadOnly(req.body);
    const validate = contracts.validator(contract(name));
    if (!validate(body)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: describeViolations(validate.errors) });
    return body as T;
  };
  // This replica sees its own change at once; the others within one refresh interval.
  const announce = () => options.access.refresh();
  const found = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new ProblemError('LGSP_NOT_FOUND', { detail: `no such ${what}` });
    return value;
  };
  const mustMatch = (pathValue: string | undefined, bodyValue: string, field: string) => {
    if (pathValue !== bodyValue) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field, message: 'must equal the identifier in the path' }] });
  };
  const checkConsumer = (consumer: Consumer) => {
    const violations = ratePolicyViolations(consumer.rateLimit, 'rateLimit');
    if (violations.length > 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: violations });
  };
  const checkGrant = async (grant: Grant) => {
    if (!(await repository.getConsumer(grant.consumerId))) {
      throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'consumerId', message: 'is not a registered consumer' }] });
    }
    const purposeCodes = new Set((await repository.listPurposes()).map((purpose) => purpose.code));
    const violations = grantViolations(grant, { contracts, operations: options.operations, personalDataOperations: options.personalDataOperations, purposeCodes });
    if (violations.length > 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: violations });
  };

  // --- consumers ---------------------------------------------------------
  router.get('/consumers', readers, async (_req, res) => {
    res.json({ items: await repository.listConsumers() });
  });
  router.post('/consumers', writers, async (req, res) => {
    const consumer = validated<Consumer>('consumer', req);
    checkConsumer(consumer);
    if (await repository.getConsumer(consumer.id)) throw new ProblemError('LGSP_CONFLICT', { detail: `consumer ${consumer.id} exists: use PUT to change it` });
    const saved = await uniqueOrConflict(() => repository.saveConsumer(consumer, adminActorOf(res)), 'another consumer uses this clientId');
    await announce();
    res.status(201).location(`/admin/v1/consumers/${consumer.id}`).json(saved.consumer);
  });
  router.get('/consumers/:id', readers, async (req, res) => {
    res.json(found(await repository.getConsumer(String(req.params.id)), 'consumer'));
  });
  router.put('/consumers/:id', writers, async (req, res) => {
    const consumer = validated<Consumer>('consumer', req);
    mustMatch(String(req.params.id), consumer.id, 'id');
    checkConsumer(consumer);
    const saved = await uniqueOrConflict(() => repository.saveConsumer(consumer, adminActorOf(res)), 'another consumer uses this clientId');
    await announce();
    res.status(saved.created ? 201 : 200).json(saved.consumer);
  });
  router.delete('/consumers/:id', writers, async (req, res) => {
    found((await repository.deleteConsumer(String(req.params.id), adminActorOf(res))) || undefined, 'consumer');
    await announce();
    res.status(204).end();
  });
  router.get('/consumers/:id/grants', readers, async (req, res) => {
    found(await repository.getConsumer(String(req.params.id)), 'consumer');
    res.json({ items: await repository.listGrants({ consumerId: String(req.params.id) }) });
  });

  // --- grants ------------------------------------------------------------
  router.get('/grants', readers, async (req, res) => {
    const consumerId = typeof req.query.consumerId === 'string' ? req.query.consumerId : undefined;
    res.json({ items: await repository.listGrants({ consumerId }) });
  });
  router.post('/grants', writers, async (req, res) => {
    const grant = validated<Grant>('grant', req);
    if (grant.id !== undefined) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'id', message: 'is assigned by the gateway' }] });
    await checkGrant(grant);
    const existing = (await repository.listGrants({ consumerId: grant.consumerId })).find((other) => other.operation === grant.operation);
    if (existing) throw new ProblemError('LGSP_CONFLICT', { detail: `grant ${existing.id} already covers this consumer and operation: use PUT to change it` });
    const saved = await repository.saveGrant(grant, adminActorOf(res));
    await announce();
    res.status(201).location(`/admin/v1/grants/${saved.grant.id}`).json(saved.grant);
  });
  router.get('/grants/:grantId', readers, async (req, res) => {
    res.json(found(await repository.getGrant(uuidParam(req.params.grantId)), 'grant'));
  });
  router.put('/grants/:grantId', writers, async (req, res) => {
    const id = uuidParam(req.params.grantId);
    const grant = validated<Grant>('grant', req);
    if (grant.id !== undefined) mustMatch(id, grant.id, 'id');
    found(await repository.getGrant(id), 'grant');
    await checkGrant(grant);
    const saved = await uniqueOrConflict(() => repository.replaceGrant(id, grant, adminActorOf(res)), 'another grant already covers this consumer and operation');
    await announce();
    res.json(saved.grant);
  });
  router.delete('/grants/:grantId', writers, async (req, res) => {
    found((await repository.deleteGrant(uuidParam(req.params.grantId), adminActorOf(res))) || undefined, 'grant');
    await announce();
    res.status(204).end();
  });

  // --- purposes ----------------------------------------------------------
  router.get('/purposes', readers, async (_req, res) => {
    res.json({ items: await repository.listPurposes() });
  });
  router.post('/purposes', writers, async (req, res) => {
    const purpose = validated<Purpose>('purpose', req);
    if (await repository.getPurpose(purpose.code)) throw new ProblemError('LGSP_CONFLICT', { detail: `purpose ${purpose.code} exists: use PUT to change it` });
    const saved = await repository.savePurpose(purpose, adminActorOf(res));
    await announce();
    res.status(201).location(`/admin/v1/purposes/${purpose.code}`).json(saved.purpose);
  });
  router.get('/purposes/:code', readers, async (req, res) => {
    res.json(found(await repository.getPurpose(String(req.params.code)), 'purpose'));
  });
  router.put('/purposes/:code', writers, async (req, res) => {
    const purpose = validated<Purpose>('purpose', req);
    mustMatch(String(req.params.code), purpose.code, 'code');
    const saved = await repository.savePurpose(purpose, adminActorOf(res));
    await announce();
    res.status(saved.created ? 201 : 200).json(saved.purpose);
  });
  router.delete('/purposes/:code', writers, async (req, res) => {
    const code = String(req.params.code);
    const users = (await repository.listGrants()).filter((grant) => (grant.purposes ?? ([] as string[])).includes(code));
    if (users.length > 0) throw new ProblemError('LGSP_CONFLICT', { detail: `purpose ${code} is used by ${users.length} grant(s); change them first` });
    found((await repository.deletePurpose(code, adminActorOf(res))) || undefined, 'purpose');
    await announce();
    res.status(204).end();
  });

  router.use(createOperationsRouter({ tokenVerifier: options.tokenVerifier, contracts, operations: options.operations, personalDataOperations: options.personalDataOperations, connectors: options.connectors }));
  router.use(createConnectorHealthRouter({ tokenVerifier: options.tokenVerifier, health: options.connectorHealth }));
  if (options.connectorAdmin) {
    router.use(createConnectorSettingsRouter({ tokenVerifier: options.tokenVerifier, admin: options.connectorAdmin.settings }));
    const credentials = options.connectorAdmin.credentials;
    if (credentials) router.use(createConnectorCredentialsRouter({ tokenVerifier: options.tokenVerifier, admin: credentials }));
    else {
      // Without a vault section the routes still answer, with the reason: nothing is stored in clear instead.
      const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
      router.all(['/connectors/:id/credentials', '/connectors/:id/credentials/*rest', '/credentials/expiring'], readers, () => {
        throw new ProblemError('LGSP_VAULT_UNAVAILABLE', { detail: 'no vault section in the configuration: credentials come from the configuration only' });
      });
    }
  }
  if (options.outbox) router.use(createOutboxRouter({ tokenVerifier: options.tokenVerifier, outbox: options.outbox }));
  if (options.alerting) router.use(createAlertsRouter({ tokenVerifier: options.tokenVerifier, alerting: options.alerting, bodyLimitBytes: options.bodyLimitBytes }));
  if (options.payments) router.use(createPaymentsAdminRouter({ tokenVerifier: options.tokenVerifier, payments: options.payments }));

  // --- data-access audit trail: query API and citizen report (audit-router.ts)
  router.use(createAuditRouter({ store: options.store, contracts, tokenVerifier: options.tokenVerifier, subjectKey: options.auditSubjectKey, chainVerification: options.auditChainVerification }));

  // --- admin audit log ---------------------------------------------------
  router.get('/admin-audit', auditors, async (req, res) => {
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const limit = Number(req.query.limit ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'query:limit', message: 'must be an integer from 1 to 1000' }] });
    }
    res.json({ items: await listAdminAudit(options.store, { resourceType: text(req.query.resourceType), resourceId: text(req.query.resourceId), limit }) });
  });

  return router;
}

function stripReadOnly(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of readOnly) delete copy[field];
  return copy;
}


function uuidParam(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such grant' });
  return value;
}

/** A unique constraint hit by a concurrent or conflicting change is the caller's conflict, not a server error. */
async function uniqueOrConflict<T>(change: () => Promise<T>, detail: string): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new ProblemError('LGSP_CONFLICT', { detail });
    throw error;
  }
}
