import type { ConnectorDescriptor, OperationDescriptor } from '../connector-kit/descriptor.js';
import { healthProbeContext } from '../connector-kit/platform-soap.js';
import type { UpstreamAuth } from '../connector-kit/upstream-auth/upstream-auth.js';
import type { JsonSchema } from '../contracts/json-schema.js';
import type { ProbeFunction } from './health-prober.js';

export type { ProbeFunction } from './health-prober.js';

/**
 * Which call a connector's health probe makes, per deployment
 * (`connectors.<id>.probe`). The descriptor's own probe is the default; a
 * deployment whose upstream does not offer that call (an adapter in front of
 * the national portal may not) would otherwise see the probe fail forever
 * while real calls succeed — a false alarm the alerting channel pages on.
 */
export type ProbeCall = 'default' | 'login' | 'operation' | 'none';

export interface ProbeSetting {
  /** Absent = 'default'. */
  readonly call?: ProbeCall;
  /** With `call: 'operation'`: an operation id of this connector (a read without personal data). */
  readonly operation?: string;
  /** With `call: 'operation'`: the operation's input, as the pipeline would hand it over after validation. */
  readonly input?: {
    readonly params?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, string>>;
    readonly body?: unknown;
  };
}

const callDescriptions: Record<ProbeCall, string> = {
  default: "the connector's own probe call (its descriptor's `probe`)",
  login: "only the upstream login/handshake: proves the gateway's credentials are accepted whenever the cached session or token is renewed; between renewals it reuses the cached one and reaches nothing",
  operation: 'one read operation of this connector without personal data (`operation`), called with `input`',
  none: "not probed: the health report says `status: 'disabled'` and `lgsp_upstream_probe_up` has no series for the connector",
};

/**
 * The JSON-schema fragment of `connectors.<id>.probe` (and of an admin route
 * that changes it): the shape, with this connector's operation ids. Whether
 * the named operation may be probed is validateProbeSetting's to say, with a
 * clearer message than an enum mismatch would give.
 */
export function probeSettingSchemaFor(descriptor: ConnectorDescriptor<any>): JsonSchema {
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    type: 'object',
    additionalProperties: false,
    description: `Which call the active health probe makes against this upstream. ${Object.entries(callDescriptions)
      .map(([call, meaning]) => `\`${call}\`: ${meaning}`)
      .join('; ')}.`,
    properties: {
      call: { type: 'string', enum: Object.keys(callDescriptions), default: 'default', description: 'default | login | operation | none (see above).' },
      operation: {
        type: 'string',
        // An empty enum is not a schema ajv compiles; without operations validateProbeSetting refuses any id.
        ...(descriptor.operations.length > 0 && { enum: descriptor.operations.map((operation) => operation.id) }),
        description: `With call: operation — the operation to call. Only a read without personal data qualifies${
          probeableOperations(descriptor).length > 0 ? ` (here: ${probeableOperations(descriptor).map((operation) => operation.id).join(', ')})` : ' (this connector has none)'
        }.`,
      },
      input: {
        type: 'object',
        additionalProperties: false,
        description: "With call: operation — the operation's path parameters, query parameters and body.",
        properties: { params: stringMap, query: stringMap, body: {} },
      },
    },
  } as JsonSchema;
}

/** The operations a probe may call: reads that ask the upstream and carry no personal data (no audit record, no subject). */
export function probeableOperations(descriptor: ConnectorDescriptor<any>): Array<OperationDescriptor<any, any>> {
  return descriptor.operations.filter((operation) => !operation.personalData && typeof operation.invoke === 'function' && !operation.write && !operation.deliveryStatus);
}

/**
 * What is wrong with a probe setting of this connector, one line per
 * problem, each starting with its key relative to the setting
 * (`operation: …`, `input.params.x: …`); empty when it can be used.
 */
export function validateProbeSetting(descriptor: ConnectorDescriptor<any>, setting: ProbeSetting | undefined): string[] {
  if (!setting) return [];
  const call = setting.call ?? 'default';
  const problems: string[] = [];
  if (!(call in callDescriptions)) return [`call: must be one of ${Object.keys(callDescriptions).join(', ')}`];
  if (call !== 'operation') {
    if (setting.operation !== undefined) problems.push(`operation: applies only to call: operation (call is ${call})`);
    if (setting.input !== undefined) problems.push(`input: applies only to call: operation (call is ${call})`);
  }
  if (call === 'login' && descriptor.authScheme === 'none') problems.push(`call: ${descriptor.id} has no upstream login to check (auth scheme none)`);
  if (call !== 'operation') return problems;

  const allowed = probeableOperations(descriptor).map((operation) => operation.id);
  const candidates = allowed.length > 0 ? `one of ${allowed.join(', ')}` : `${descriptor.id} has no such operation: use call default, login or none`;
  if (setting.operation === undefined) return [`operation: is required with call: operation (${candidates})`];
  const operation = descriptor.operations.find((candidate) => candidate.id === setting.operation);
  if (!operation) return [`operation: ${setting.operation} is not an operation of ${descriptor.id} (${candidates})`];
  // A probe runs every interval with nobody's purpose: never a personal-data read (it would be an unaudited access), never a write.
  if (operation.personalData) return [`operation: ${operation.id} reads personal data and cannot be a health probe (${candidates})`];
  if (!allowed.includes(operation.id)) return [`operation: ${operation.id} is not a read that asks the upstream and cannot be a health probe (${candidates})`];
  problems.push(...inputProblems(operation, setting.input ?? {}));
  return problems;
}

/** The input's shape against the operation's declaration; the values are the upstream's to judge (a refusal shows in the probe's error). */
function inputProblems(operation: OperationDescriptor<any, any>, input: NonNullable<ProbeSetting['input']>): string[] {
  const problems: string[] = [];
  const declaredParams = Object.keys(operation.request.params ?? {});
  for (const name of declaredParams) if (input.params?.[name] === undefined) problems.push(`input.params.${name}: is required by ${operation.id}`);
  for (const name of Object.keys(input.params ?? {})) if (!declaredParams.includes(name)) problems.push(`input.params.${name}: ${operation.id} has no such path parameter`);
  const declaredQuery = operation.request.query;
  for (const name of declaredQuery?.required ?? []) if (input.query?.[name] === undefined) problems.push(`input.query.${name}: is required by ${operation.id}`);
  for (const name of Object.keys(input.query ?? {})) if (!declaredQuery?.properties[name]) problems.push(`input.query.${name}: ${operation.id} has no such query parameter`);
  if (operation.request.body && input.body === undefined) problems.push(`input.body: is required by ${operation.id}`);
  if (!operation.request.body && input.body !== undefined) problems.push(`input.body: ${operation.id} takes no body`);
  return problems;
}

/**
 * The probe function of one connector for its setting, or undefined when it
 * is not probed (`call: 'none'`). Throws on a setting validateProbeSetting
 * refuses: callers validate first, at config load or in the admin route.
 */
export function probeFor(options: { descriptor: ConnectorDescriptor<any>; setting: ProbeSetting | undefined; client: unknown; auth: UpstreamAuth }): ProbeFunction | undefined {
  const { descriptor, setting, client, auth } = options;
  const problems = validateProbeSetting(descriptor, setting);
  if (problems.length > 0) throw new Error(`connectors.${descriptor.id}.probe: ${problems.join('; ')}`);
  switch (setting?.call ?? 'default') {
    case 'default':
      return (signal) => descriptor.probe(client, signal);
    case 'login':
      // The cached session or token, never a forced re-login: invalidating it every interval would log every live call out with it.
      return async (signal) => {
        await auth.headers(signal);
      };
    case 'operation': {
      const operation = descriptor.operations.find((candidate) => candidate.id === setting!.operation)!;
      const input = { params: { ...setting!.input?.params }, query: { ...setting!.input?.query }, body: structuredClone(setting!.input?.body) };
      // "Not found" is an answer too: the upstream is there.
      return async (signal) => {
        await operation.invoke!(client, input, healthProbeContext(signal));
      };
    }
    case 'none':
      return undefined;
  }
}
