import type { JsonSchema } from '../contracts/json-schema.js';
import { maxMatcherPatternLength } from './matchers.js';
import { signalNames } from './types.js';

/**
 * The alerting channel's JSON Schemas: the single source of validation for
 * the config file's `alerting` section and the admin API's bodies (rules,
 * silences, receivers). What a schema cannot say (regular expressions that
 * compile, a silence's end after its start) is checked beside it.
 */

const labelName = { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]{0,62}$' } as const;
const labelValue = { type: 'string', maxLength: 200 } as const;
export const labelsSchema = { type: 'object', maxProperties: 20, propertyNames: labelName, additionalProperties: labelValue } as const;

export const matcherSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'op', 'value'],
  properties: {
    name: labelName,
    op: { enum: ['=', '!=', '=~', '!~'] },
    value: { type: 'string', maxLength: maxMatcherPatternLength },
  },
} as const;

export const matchersSchema = { type: 'array', maxItems: 20, items: matcherSchema } as const;


export const ruleIdPattern = '^[a-z0-9][a-z0-9._-]{0,99}$';

const localizedText = {
  type: 'object',
  additionalProperties: false,
  required: ['vi', 'en'],
  properties: { vi: { type: 'string', minLength: 1, maxLength: 500 }, en: { type: 'string', minLength: 1, maxLength: 500 } },
} as const;

export const alertRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'signal', 'op', 'threshold', 'forSeconds', 'severity', 'summary'],
  properties: {
    id: { type: 'string', pattern: ruleIdPattern, description: 'Stable id, also the alert name (alertname label).' },
    signal: { enum: signalNames, description: 'The gateway signal watched (see src/alerting/types.ts for labels and merging).' },
    matchers: { ...labelsSchema, description: 'Label equality the series must have, e.g. { connector: land }; absent: every series of the signal.' },
    op: { enum: ['>', '>=', '<', '<=', '==', '!='] },
    threshold: { type: 'number' },
    windowSeconds: { type: 'integer', minimum: 60, maximum: 86400, description: 'Windowed signals: the window (default 300 s).' },
    minSamples: { type: 'integer', minimum: 1, maximum: 1000000, description: 'Ratios and latency: fewer requests than this in the window is no evidence (default 10).' },
    forSeconds: { type: 'integer', minimum: 0, maximum: 86400, description: 'How long the condition must hold before the alert fires.' },
    severity: { enum: ['critical', 'warning', 'info'] },
    labels: labelsSchema,
    summary: { ...localizedText, description: 'Notice text in Vietnamese and English; {connector} {operation} {target} {reason} {value} are replaced.' },
    runbook: { type: 'string', maxLength: 1000 },
    enabled: { type: 'boolean', default: true },
  },
} as const satisfies JsonSchema;

export const inhibitRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceMatchers', 'targetMatchers', 'equal'],
  properties: {
    sourceMatchers: { ...matchersSchema, minItems: 1 },
    targetMatchers: { ...matchersSchema, minItems: 1 },
    equal: { type: 'array', maxItems: 10, items: labelName },
  },
} as const;

export const receiverRouteSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    severities: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['critical', 'warning', 'info'] } },
    matchers: matchersSchema,
    groupBy: { type: 'array', maxItems: 10, uniqueItems: true, items: labelName },
    groupWaitSeconds: { type: 'integer', minimum: 0, maximum: 3600 },
    groupIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
    repeatIntervalSeconds: { type: 'integer', minimum: 60, maximum: 604800 },
  },
} as const;

export const groupingSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    groupBy: { type: 'array', maxItems: 10, uniqueItems: true, items: labelName, default: ['connector'] },
    groupWaitSeconds: { type: 'integer', minimum: 0, maximum: 3600, default: 30, description: 'Wait before the first notice of a new group, so that alerts of one incident arrive together.' },
    groupIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 300, description: 'Least time between two notices of one group (a flapping upstream sends at most one notice per interval).' },
    repeatIntervalSeconds: { type: 'integer', minimum: 60, maximum: 604800, default: 14400, description: 'A firing alert nobody acknowledged is notified again after this long.' },
  },
} as const;

export const receiverIdPattern = '^[a-z0-9][a-z0-9._-]{0,63}$';

const secretValue = { type: 'string', minLength: 1, maxLength: 4096 } as const;
export const secretReference = {
  oneOf: [
    secretValue,
    { type: 'object', additionalProperties: false, required: ['fromEnv'], properties: { fromEnv: { type: 'string', minLength: 1 } } },
    { type: 'object', additionalProperties: false, required: ['fromFile'], properties: { fromFile: { type: 'string', minLength: 1 } } },
  ],
} as const;

const emailSettings = {
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: { to: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', format: 'email', maxLength: 254 } } },
} as const;
const webhookSettings = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: { url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 } },
} as const;
const telegramSettings = {
  type: 'object',
  additionalProperties: false,
  required: ['chatId'],
  properties: {
    chatId: { type: 'string', pattern: '^-?[0-9]{1,20}$|^@[A-Za-z0-9_]{5,64}$' },
    baseUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'Bot API base URL (default https://api.telegram.org).' },
  },
} as const;

/** Secret fields per receiver kind: kept in the credential vault (admin) or referenced (config). */
export const receiverSecretFields = { email: [], webhook: ['secret'], telegram: ['botToken'] } as const;

/**
 * A receiver as the admin API takes it (PUT /admin/v1/receivers/{id}) and the
 * config file lists it (plus `id` there). `secrets` is write-only: values
 * through the API, values or { fromEnv } / { fromFile } in the config file.
 */
function receiverVariant(kind: 'email' | 'webhook' | 'telegram', settings: object, secretRequired: boolean, withId: boolean, secretsAllowReferences: boolean) {
  const secretFields = receiverSecretFields[kind] as readonly string[];
  const secretProperties = Object.fromEntries(secretFields.map((name) => [name, secretsAllowReferences ? secretReference : secretValue]));
  return {
    type: 'object',
    additionalProperties: false,
    required: [...(withId ? ['id'] : []), 'kind', 'settings', ...(secretRequired && secretFields.length > 0 ? ['secrets'] : [])],
    properties: {
      ...(withId && { id: { type: 'string', pattern: receiverIdPattern } }),
      kind: { const: kind },
      settings,
      route: receiverRouteSchema,
      // No default: ajv ignores defaults inside oneOf; absent means true.
      enabled: { type: 'boolean' },
      secrets: { type: 'object', additionalProperties: false, required: secretRequired ? secretFields : [], properties: secretProperties },
    },
  };
}

/** Body of PUT /admin/v1/receivers/{id}; `secrets` may be left out to keep the stored ones. */
export const receiverInputSchema = {
  oneOf: [
    receiverVariant('email', emailSettings, false, false, false),
    receiverVariant('webhook', webhookSettings, false, false, false),
    receiverVariant('telegram', telegramSettings, false, false, false),
  ],
} as const;

/** A receiver of the config file: secrets required, and given as references in production. */
export const configReceiverSchema = {
  oneOf: [
    receiverVariant('email', emailSettings, true, true, true),
    receiverVariant('webhook', webhookSettings, true, true, true),
    receiverVariant('telegram', telegramSettings, true, true, true),
  ],
} as const;

/** Body of POST /admin/v1/silences. */
export const silenceInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['matchers', 'endsAt', 'reason'],
  properties: {
    matchers: { ...matchersSchema, minItems: 1 },
    startsAt: { type: 'string', format: 'date-time', description: 'Default: now.' },
    endsAt: { type: 'string', format: 'date-time', description: 'Required: a silence always ends.' },
    reason: { type: 'string', minLength: 3, maxLength: 1000 },
  },
} as const;

export const smtpSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'from'],
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 587 },
    secure: { type: 'boolean', default: false, description: 'TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.' },
    requireTLS: { type: 'boolean', default: false, description: 'Refuse to send unless STARTTLS succeeds.' },
    user: { type: 'string', minLength: 1 },
    password: { ...secretReference, 'x-secret': true, description: 'SMTP password: { fromEnv } or { fromFile } in production.' },
    from: { type: 'string', minLength: 3, maxLength: 254, description: 'Sender, e.g. "LGSP cảnh báo <lgsp-alerts@province.gov.vn>".' },
    connectionTimeoutMs: { type: 'integer', minimum: 100, maximum: 120000, default: 10000 },
  },
} as const;
