import type { Request } from 'express';
import type { OperationDescriptor, OperationInput } from '../connector-kit/descriptor.js';
import { describeViolations, type ContractRegistry } from '../contracts/contract-registry.js';
import { ProblemError } from '../errors/index.js';

export type RequestValidator = (req: Request) => OperationInput;

/** Compiled once per operation at start; a violation is a 400 naming each field. */
export function createRequestValidator(operation: OperationDescriptor, registry: ContractRegistry): RequestValidator {
  const paramValidators = Object.entries(operation.request.params ?? {}).map(([name, schema]) => ({ name, validate: registry.validator(schema) }));
  const validateBody = operation.request.body ? registry.validator(operation.request.body) : undefined;
  // A malformed personal id gets its own code: it is the most common caller mistake and callers branch on it.
  const personalIdParam = /personalId$/;

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
    return { params, query: { ...req.query }, body };
  };
}
