import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import express, { type Router } from 'express';
import type { AdminActor } from '../audit/admin-change.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorRuntime } from '../connector-runtime/connector-runtime.js';
import { fullCredentialSchema, secretFieldsOf } from '../connector-runtime/credential-schema.js';
import { describeViolations } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import type { ConnectionTestOutcome, CredentialVersionView, OpenedCredentials } from '../vault/types.js';
import { adminActorOf, requireRole } from './require-role.js';

/** The vault operations the admin API uses (src/vault/credential-vault.ts). */
export interface VaultAdminPort {
  stage(connectorId: string, fields: Record<string, unknown>, actor: AdminActor, options?: { expiresAt?: Date }): Promise<CredentialVersionView>;
  list(connectorId: string): Promise<CredentialVersionView[]>;
  get(connectorId: string, version: number): Promise<CredentialVersionView | undefined>;
  open(connectorId: string, version: number): Promise<OpenedCredentials>;
  activate(connectorId: string, version: number, actor: AdminActor): Promise<CredentialVersionView>;
  rollback(connectorId: string, actor: AdminActor): Promise<CredentialVersionView>;
  discard(connectorId: string, version: number, actor: AdminActor): Promise<unknown>;
  recordTest(connectorId: string, version: number, test: { outcome: ConnectionTestOutcome; detail?: string }, actor: AdminActor): Promise<unknown>;
  expiring(withinMs: number): Promise<CredentialVersionView[]>;
}

export interface ConnectorCredentialsAdmin {
  runtime: ConnectorRuntime;
  vault: VaultAdminPort;
  /** Logs in to the upstream with these credentials (the connector's current base URL and settings) and says how it went; never throws. */
  testConnection(descriptor: ConnectorDescriptor<any>, target: { baseUrl: string; settings: Readonly<Record<string, unknown>>; credentials: Readonly<Record<string, unknown>> }): Promise<{ outcome: ConnectionTestOutcome; detail?: string }>;
}

const stageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['credentials'],
  properties: { credentials: { type: 'object' }, expiresAt: { type: 'string', format: 'date-time' } },
};

const day = 86_400_000;

/**
 * /admin/v1/connectors/{id}/credentials: the write-only vault. Every admin
 * role reads metadata (fields set, fingerprint, version, who and when,
 * expiry, source, last test); only lgsp-admin stages, tests, activates,
 * rolls back and discards. A staged version is activated after a successful
 * connection test, or with `{"force": true}` (an upstream the gateway cannot
 * reach yet). No response here ever carries a credential value:
 * what goes in comes back as a fingerprint. GET …/credentials/schema gives
 * the credential schema itself (field names, rules, which fields are
 * secret), for the forms a new version is typed into.
 */
export function createConnectorCredentialsRouter(options: { tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>; admin: ConnectorCredentialsAdmin }): Router {
  const { runtime, vault } = options.admin;
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const writers = requireRole(options.tokenVerifier, [Roles.admin]);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)) });
  ajv.addKeyword({ keyword: 'x-secret' });
  const validateStage = ajv.compile<{ credentials: Record<string, unknown>; expiresAt?: string }>(stageSchema);
  const credentialValidators = new Map<string, ValidateFunction>();
  const credentialValidator = (descriptor: ConnectorDescriptor<any>): ValidateFunction => {
    let validate = credentialValidators.get(descriptor.id);
    if (!validate) {
      validate = ajv.compile(fullCredentialSchema(descriptor.credentialSchema));
      credentialValidators.set(descriptor.id, validate);
    }
    return validate;
  };
  const descriptorOf = (id: string): ConnectorDescriptor<any> => {
    const descriptor = runtime.descriptor(id);
    if (!descriptor) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such connector (or it has no configuration section)' });
    return descriptor;
  };
  const versionOf = (raw: unknown): number => {
    const version = Number(raw);
    if (!Number.isSafeInteger(version) || version < 1) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such credential version' });
    return version;
  };
  const writable = (descriptor: ConnectorDescriptor<any>) => {
    const effective = runtime.effective(descriptor.id);
    if (effective?.credentials.readOnly) {
      throw new ProblemError('LGSP_CREDENTIALS_READ_ONLY', { connector: descriptor.id, detail: `${descriptor.id}'s credentials come from ${effective.credentials.source === 'file' ? 'a mounted file' : 'the environment'} (source: ${effective.credentials.source}); change them there` });
    }
  };

  const router = express.Router();
  router.get('/connectors/:id/credentials', readers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    const effective = runtime.effective(descriptor.id);
    res.json({
      connector: descriptor.id,
      inUse: effective?.credentials ?? null,
      versions: await vault.list(descriptor.id),
    });
  });

  // The form a new version is typed into: the schema staging validates against (field names, rules, which are secret), never a value.
  router.get('/connectors/:id/credentials/schema', readers, (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    res.json({
      connector: descriptor.id,
      authScheme: descriptor.authScheme,
      schema: fullCredentialSchema(descriptor.credentialSchema),
      secretFields: secretFieldsOf(descriptor.credentialSchema),
    });
  });

  router.post('/connectors/:id/credentials', writers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    writable(descriptor);
    const body = req.body as unknown;
    if (!validateStage(body)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: describeViolations(validateStage.errors) });
    const validateCredentials = credentialValidator(descriptor);
    // The violations name fields and rules, never the values that broke them.
    if (!validateCredentials(body.credentials)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: describeViolations(validateCredentials.errors, 'credentials') });
    const staged = await vault.stage(descriptor.id, body.credentials, adminActorOf(res), body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {});
    res.status(201).json(staged);
  });

  router.post('/connectors/:id/credentials/:version/test', writers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    const version = versionOf(req.params.version);
    const opened = await vault.open(descriptor.id, version);
    const effective = runtime.effective(descriptor.id);
    const baseUrl = effective?.baseUrl.value ?? runtime.configOf(descriptor.id)!.baseUrl;
    const settings = effective?.settings.value ?? runtime.configOf(descriptor.id)!.settings;
    const result = await options.admin.testConnection(descriptor, { baseUrl, settings, credentials: opened.fields });
    await vault.recordTest(descriptor.id, version, result, adminActorOf(res));
    res.json({ connector: descriptor.id, version, ...result, testedAt: new Date().toISOString() });
  });

  router.post('/connectors/:id/credentials/:version/activate', writers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    writable(descriptor);
    const version = versionOf(req.params.version);
    const view = await vault.get(descriptor.id, version);
    // Stage → test → activate: a version no successful test has seen goes live only when the admin says so explicitly.
    if (view?.state === 'staged' && view.lastTest?.outcome !== 'ok' && (req.body as { force?: unknown } | undefined)?.force !== true) {
      throw new ProblemError('LGSP_CREDENTIAL_STATE', {
        connector: descriptor.id,
        detail: `version ${version} has ${view.lastTest ? `failed its last connection test (${view.lastTest.outcome})` : 'not been tested'}: test it (POST …/credentials/${version}/test) or activate with {"force": true}`,
      });
    }
    const activated = await vault.activate(descriptor.id, version, adminActorOf(res));
    await runtime.refresh();
    res.json(activated);
  });

  router.post('/connectors/:id/credentials/rollback', writers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    writable(descriptor);
    const active = await vault.rollback(descriptor.id, adminActorOf(res));
    await runtime.refresh();
    res.json(active);
  });

  router.delete('/connectors/:id/credentials/:version', writers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    await vault.discard(descriptor.id, versionOf(req.params.version), adminActorOf(res));
    res.status(204).end();
  });

  // The expiry signals the alerting channel watches (also lgsp_credential_expiring).
  router.get('/credentials/expiring', readers, async (req, res) => {
    const withinDays = req.query.withinDays === undefined ? 30 : Number(req.query.withinDays);
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 3650) {
      throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'withinDays', message: 'must be an integer from 0 to 3650' }] });
    }
    const now = Date.now();
    const items = (await vault.expiring(withinDays * day)).map((view) => ({ ...view, signal: expirySignal(view.expiresAt ? Date.parse(view.expiresAt) - now : undefined) }));
    res.json({ withinDays, items });
  });

  return router;
}

/** The alerting thresholds (30, 7 and 1 days before): the tightest one passed. */
export function expirySignal(remainingMs: number | undefined): 'expired' | '1d' | '7d' | '30d' | null {
  if (remainingMs === undefined) return null;
  if (remainingMs <= 0) return 'expired';
  if (remainingMs <= day) return '1d';
  if (remainingMs <= 7 * day) return '7d';
  if (remainingMs <= 30 * day) return '30d';
  return null;
}
