import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import express, { type Router } from 'express';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { describeViolations } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import { resiliencePolicySchemaFor, type ResiliencePolicyOverride } from '../resilience/policy.js';
import type { ResilienceOverrideStore } from '../resilience/resilience-override-store.js';
import type { ResilienceOverrides } from '../resilience/resilience-overrides.js';
import { effectivePolicy, type PolicySource } from './effective-policy.js';
import { adminActorOf, requireRole } from './require-role.js';

export interface ResilienceAdmin {
  store: ResilienceOverrideStore;
  overrides: ResilienceOverrides;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });

/**
 * /admin/v1/connectors/{id}/resilience: the run-time override of one
 * connector's resilience policy, over its descriptor defaults and the
 * deployment config. GET for every admin role (override, effective policy);
 * PUT (replace the override) and DELETE (back to config) for lgsp-admin,
 * each recorded in the admin audit log and applied by every replica within
 * one refresh interval, without a restart.
 */
export function createConnectorResilienceRouter(options: {
  tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>;
  health: PolicySource;
  admin: ResilienceAdmin;
}): Router {
  const { store, overrides } = options.admin;
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const writers = requireRole(options.tokenVerifier, [Roles.admin]);
  const router = express.Router();
  // The fragment config uses for `connectors.<id>.resilience` (it knows the connector's operation ids), compiled once per connector.
  const validators = new Map<string, ValidateFunction<ResiliencePolicyOverride>>();
  const validatorFor = (id: string): ValidateFunction<ResiliencePolicyOverride> => {
    let validate = validators.get(id);
    if (!validate) {
      validate = ajv.compile<ResiliencePolicyOverride>(resiliencePolicySchemaFor(overrides.operationIds(id)));
      validators.set(id, validate);
    }
    return validate;
  };

  const mounted = (id: string): string => {
    if (!overrides.hasConnector(id)) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such connector' });
    return id;
  };
  const view = async (id: string) => {
    const stored = await store.get(id);
    return {
      connector: id,
      override: stored?.override ?? null,
      ...(stored && { updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }),
      effective: effectivePolicy(options.health, id),
    };
  };

  router.get('/connectors/:id/resilience', readers, async (req, res) => {
    res.json(await view(mounted(String(req.params.id))));
  });

  router.put('/connectors/:id/resilience', writers, async (req, res) => {
    const id = mounted(String(req.params.id));
    const override = validated(req.body, validatorFor(id));
    const { created } = await store.save(id, override, adminActorOf(res));
    // This replica applies it at once; the others within one refresh interval.
    await overrides.refresh();
    res.status(created ? 201 : 200).json(await view(id));
  });

  router.delete('/connectors/:id/resilience', writers, async (req, res) => {
    const id = mounted(String(req.params.id));
    if (!(await store.remove(id, adminActorOf(res)))) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'this connector has no resilience override' });
    await overrides.refresh();
    res.status(204).end();
  });

  return router;
}

function validated(body: unknown, validateOverride: ValidateFunction<ResiliencePolicyOverride>): ResiliencePolicyOverride {
  const valid = validateOverride(body);
  const errors = valid ? [] : describeViolations(validateOverride.errors);
  // The connection pools are built at start: a connect timeout changes with the config and a restart, not here.
  if ((body as ResiliencePolicyOverride | null)?.connectTimeoutMs !== undefined) {
    errors.push({ field: 'connectTimeoutMs', message: 'is a transport setting: change it in the configuration (applies at the next start)' });
  }
  if (!valid || errors.length > 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors });
  return body;
}
