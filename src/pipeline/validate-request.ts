import type { ApiRequest } from './api-request.js';
import type { OperationDescriptor, OperationInput } from '../connector-kit/descriptor.js';
import { describeViolations, type ContractRegistry } from '../contracts/contract-registry.js';
import { lookupInput, registerLookupForm } from '../contracts/lookup-form.js';
import { ProblemError } from '../errors/index.js';

export type RequestValidator = (req: ApiRequest) => OperationInput;

/**
 * Compiled once per operation at start; a violation is a 400 naming each field.
 * A GET operation with a lookup form is also routed as POST (src/app.ts): a
 * POST to it is that form, and gives the same input the GET form gives.
 */
export function createRequestValidator(operation: OperationDescriptor, registry: ContractRegistry): RequestValidator {
  const validateDeclaredForm = createDeclaredFormValidator(operation, registry);
  const validateLookupForm = operation.method === 'GET' ? createLookupFormValidator(operation, registry) : undefined;
  if (!validateLookupForm) return validateDeclaredForm;
  return (req) => (req.method === 'POST' ? validateLookupForm(req) : validateDeclaredForm(req));
}

// A malformed personal id gets its own code: it is the most common caller mistake and callers branch on it.
const personalIdParam = /personalId$/;

/** The lookup form's body: one JSON object with the GET form's parameters, checked against the derived contract. */
function createLookupFormValidator(operation: OperationDescriptor, registry: ContractRegistry): RequestValidator | undefined {
  const form = registerLookupForm(registry, operation);
  if (!form) return undefined;
  const validateBody = registry.validator(form.contractId);
  return (req) => {
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'a JSON object body is required', errors: [{ field: '(body)', message: 'is required' }] });
    }
    if (!validateBody(body)) {
      // Field names and rules only, never the values: they are the ids this form keeps out of logs.
      const errors = describeViolations(validateBody.errors);
      const code = errors.some((error) => personalIdParam.test(error.field)) ? 'LGSP_INVALID_PERSONAL_ID' : 'LGSP_VALIDATION_FAILED';
      throw new ProblemError(code, { detail: 'request body does not satisfy the contract', errors });
    }
    return lookupInput(form, body as Record<string, unknown>);
  };
}

function createDeclaredFormValidator(operation: OperationDescriptor, registry: ContractRegistry): RequestValidator {
  const paramValidators = Object.entries(operation.request.params ?? {}).map(([name, schema]) => ({ name, validate: registry.validator(schema) }));
  const validateBody = operation.request.body ? registry.validator(operation.request.body) : undefined;
  const querySpec = operation.request.query;
  const validateQuery = querySpec
    ? registry.validator({ type: 'object', additionalProperties: false, properties: querySpec.properties, required: querySpec.required ?? [] })
    : undefined;
  return (req) => {
    const params: Record<string, string> = {};
    for (const { name, validate } of paramValidators) {
      const value = String(req.params[name] ?? '');
      if (!validate(value)) {
        const errors = describeViolations(validate.errors, name);
        throw new ProblemError(personalIdParam.test(name) ? 'LGSP_INVALID_PERSONAL_ID' : 'LGSP_VALIDATION_FAILED', {
          detail: `${name} is not valid`,
          errors,
        });
      }
      params[name] = value;
    }
    const query: Record<string, string> = {};
    if (validateQuery) {
      for (const [name, value] of Object.entries(req.query)) {
        // A repeated parameter (?a=1&a=2) is ambiguous: refuse it rather than pick one.
        if (typeof value !== 'string') throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: `query:${name}`, message: 'must be given once' }] });
        query[name] = value;
      }
    }
    if (validateQuery && !validateQuery(query)) {
      const errors = describeViolations(validateQuery.errors).map((error) => ({ ...error, field: `query:${error.field}` }));
      throw new ProblemError(errors.some((error) => personalIdParam.test(error.field)) ? 'LGSP_INVALID_PERSONAL_ID' : 'LGSP_VALIDATION_FAILED', { errors });
    }
    let body: unknown = undefined;
    if (validateBody) {
      body = req.body;
      if (body === undefined || body === null || typeof body !== 'object') {
        throw new ProblemError('LGSP_VALIDATION_FAILED', { detail: 'a JSON object body is required', errors: [{ field: '(body)', message: 'is required' }] });
      }
      if (!validateBody(body)) {
        const errors = describeViolations(validateBody.errors);
        const code = errors.some((error) => personalIdParam.test(error.field)) ? 'LGSP_INVALID_PERSONAL_ID' : 'LGSP_VALIDATION_FAILED';
        throw new ProblemError(code, { detail: 'request body does not satisfy the contract', errors });
      }
    }
    return { params, query: validateQuery ? query : {}, body };
  };
}
