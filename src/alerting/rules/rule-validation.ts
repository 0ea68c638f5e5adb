import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { alertRuleSchema } from '../schemas.js';
import { observedSignals, signalCatalog, windowedSignals } from '../signals/signal-catalog.js';
import type { AlertRule } from '../types.js';

export interface RuleFieldError {
  /** Dotted path of the offending member (`summary.vi`, `windowSeconds`); empty for the rule itself. */
  field: string;
  message: string;
}

export type RuleValidation = { ok: true; rule: AlertRule } | { ok: false; errors: RuleFieldError[] };

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateSchema = ajv.compile<AlertRule>(alertRuleSchema);

/** Labels the evaluation sets itself: a rule's `labels` cannot override them. */
const reservedLabels = new Set(['alertname', 'severity', 'scope']);
const placeholder = /\{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_]+))?\}/g;
const valueFormats = new Set(['percent', 'duration']);

/**
 * A rule from the config file or the admin API: the JSON Schema first, then
 * what it cannot say: a window or a minimum number of requests only means
 * something for the signals that have them, matchers and placeholders must
 * name labels the signal's series carry (otherwise the rule silently never
 * matches, or its notice shows a raw `{operation}`).
 */
export function validateAlertRule(value: unknown): RuleValidation {
  if (!validateSchema(value)) return { ok: false, errors: (validateSchema.errors ?? []).map(toFieldError) };
  const rule = value;
  const errors: RuleFieldError[] = [];
  const definition = signalCatalog[rule.signal];
  const seriesLabels = new Set(definition.labels);

  if (rule.windowSeconds !== undefined && !windowedSignals.has(rule.signal)) {
    errors.push({ field: 'windowSeconds', message: `${rule.signal} is an instant reading: it has no window` });
  }
  if (rule.minSamples !== undefined && !observedSignals.has(rule.signal)) {
    errors.push({ field: 'minSamples', message: `${rule.signal} is not a ratio or a latency: minSamples does not apply` });
  }
  for (const name of Object.keys(rule.matchers ?? {})) {
    if (!seriesLabels.has(name)) errors.push({ field: `matchers.${name}`, message: `series of ${rule.signal} have no label ${name} (they have: ${[...seriesLabels].join(', ') || 'none'})` });
  }
  for (const name of Object.keys(rule.labels ?? {})) {
    if (reservedLabels.has(name) || seriesLabels.has(name)) errors.push({ field: `labels.${name}`, message: `${name} is set by the evaluation and cannot be overridden` });
  }
  const known = new Set(['value', ...reservedLabels, ...seriesLabels, ...Object.keys(rule.labels ?? {})]);
  const texts: Array<[string, string | undefined]> = [['summary.vi', rule.summary.vi], ['summary.en', rule.summary.en], ['runbook', rule.runbook]];
  for (const [field, text] of texts) {
    for (const [, name, format] of (text ?? '').matchAll(placeholder)) {
      if (!known.has(name!)) errors.push({ field, message: `{${name}} is not a label of ${rule.signal} alerts` });
      else if (format !== undefined && (name !== 'value' || !valueFormats.has(format))) errors.push({ field, message: `unknown format :${format} (only {value:percent} and {value:duration})` });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, rule };
}

function toFieldError(error: ErrorObject): RuleFieldError {
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  if (error.keyword === 'propertyNames' && error.params.propertyName !== undefined) path.push(String(error.params.propertyName));
  return { field: path.join('.'), message: error.message ?? 'invalid' };
}
