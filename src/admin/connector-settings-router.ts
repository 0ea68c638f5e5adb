import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import express, { type Router } from 'express';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { JsonSchema } from '../connector-kit/json-schema.js';
import { UpstreamAddressRefusedError } from '../connector-kit/upstream-address-guard.js';
import type { ConnectorRuntime } from '../connector-runtime/connector-runtime.js';
import type { ConnectorSettingsPatch, ConnectorSettingsStore } from '../connector-runtime/connector-settings-store.js';
import { describeViolations } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';
import { probeableOperations, probeSettingSchemaFor, validateProbeSetting } from '../resilience/probe-plan.js';
import { adminActorOf, requireRole } from './require-role.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export interface ConnectorSettingsAdmin {
  runtime: ConnectorRuntime;
  store: Pick<ConnectorSettingsStore, 'patch'>;
  /** The upstream address guard's check (throws UpstreamAddressRefusedError for an address the deployment does not allow). */
  checkUpstreamUrl(url: string): Promise<void>;
}

const patchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    baseUrl: { type: ['string', 'null'], format: 'uri', pattern: '^https?://' },
    settings: { type: ['object', 'null'] },
    enabled: { type: ['boolean', 'null'] },
    maintenance: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['message', 'retryAfterSeconds'],
          properties: { message: { type: 'string', minLength: 1, maxLength: 500 }, retryAfterSeconds: { type: 'integer', minimum: 1, maximum: 86400 } },
        },
      ],
    },
    probe: { type: ['object', 'null'] },
  },
} as const satisfies JsonSchema;

/**
 * /admin/v1/connectors/{id}: one connector as it runs (every value with
 * whether the configuration file or an administrator set it) for every
 * admin role; PATCH (lgsp-admin) changes base URL, non-secret settings,
 * enabled, maintenance and the health probe, validated against the
 * descriptor's schemas, recorded with before/after in the admin audit
 * stream, and applied by every replica within one refresh interval.
 * A member set to null goes back to the configuration's value.
 * GET /admin/v1/connectors/{id}/settings/schema gives the schemas a PATCH is
 * validated against (settings, probe), for forms that edit them.
 */
export function createConnectorSettingsRouter(options: { tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>; admin: ConnectorSettingsAdmin }): Router {
  const { runtime, store } = options.admin;
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const writers = requireRole(options.tokenVerifier, [Roles.admin]);
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-secret' });
  const validatePatch = ajv.compile<ConnectorSettingsPatch>(patchSchema);
  const settingsValidators = new Map<string, ValidateFunction>();
  const settingsValidator = (descriptor: ConnectorDescriptor<any>): ValidateFunction => {
    let validate = settingsValidators.get(descriptor.id);
    if (!validate) {
      validate = ajv.compile(descriptor.settingsSchema);
      settingsValidators.set(descriptor.id, validate);
    }
    return validate;
  };
  const descriptorOf = (id: string): ConnectorDescriptor<any> => {
    const descriptor = runtime.descriptor(id);
    if (!descriptor) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such connector (or it has no configuration section)' });
    return descriptor;
  };
  const view = (descriptor: ConnectorDescriptor<any>) => {
    const { connectorId: _sameAsConnector, ...effective } = runtime.effective(descriptor.id) ?? { connectorId: descriptor.id };
    return { connector: descriptor.id, title: descriptor.title, upstream: descriptor.upstream, protocol: descriptor.protocol, authScheme: descriptor.authScheme, ...effective };
  };

  const router = express.Router();
  router.get('/connectors/:id', readers, (req, res) => {
    res.json(view(descriptorOf(String(req.params.id))));
  });

  // What the forms that edit this connector are built from (the console's settings form): the schemas PATCH validates against.
  router.get('/connectors/:id/settings/schema', readers, (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    res.json({
      connector: descriptor.id,
      settings: descriptor.settingsSchema,
      probe: probeSettingSchemaFor(descriptor),
      probeableOperations: probeableOperations(descriptor).map((operation) => operation.id),
    });
  });

  router.patch('/connectors/:id', writers, async (req, res) => {
    const descriptor = descriptorOf(String(req.params.id));
    const patch = structuredClone(req.body as unknown);
    if (!validatePatch(patch)) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: describeViolations(validatePatch.errors) });
    const errors: Array<{ field: string; message: string }> = [];
    if (patch.settings) {
      const validateSettings = settingsValidator(descriptor);
      if (!validateSettings(patch.settings)) errors.push(...describeViolations(validateSettings.errors, 'settings'));
    }
    if (patch.probe) errors.push(...validateProbeSetting(descriptor, patch.probe).map((message) => ({ field: 'probe', message })));
    if (errors.length > 0) throw new ProblemError('LGSP_VALIDATION_FAILED', { errors });
    // Checked last and on its own: it resolves the host, and its problem says which rule refused it.
    if (typeof patch.baseUrl === 'string') {
      await options.admin.checkUpstreamUrl(patch.baseUrl).catch((error: unknown) => {
        if (!(error instanceof UpstreamAddressRefusedError)) throw error;
        throw new ProblemError('LGSP_UPSTREAM_URL_REFUSED', { errors: [{ field: 'baseUrl', message: error.message }], extensions: { reason: error.reason } });
      });
    }
    await store.patch(descriptor.id, patch, adminActorOf(res));
    // This replica applies it at once; the others within one refresh interval.
    await runtime.refresh();
    res.json(view(descriptor));
  });

  return router;
}
