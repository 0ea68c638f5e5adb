import { ProblemError } from '../../errors/index.js';
import type { OperationContext } from '../operation-context.js';
import type { Stage } from '../stage.js';

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Writes only: the caller's `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header).
 * Optional for outbox writes: a retried request with the same key is the same accepted
 * message; without one, a body equal to the latest accepted for the same key is (see
 * src/outbox/enqueue.ts). Required where a retry without it would cost money twice
 * (a payment's create): there is no content rule that could stand in for it.
 */
export function idempotencyKeyStage(options: { required?: boolean } = {}): Stage<OperationContext> {
  return {
    name: 'idempotency-key',
    run(context) {
      const key = context.req.header('idempotency-key')?.trim();
      if (key === undefined || key === '') {
        if (options.required) {
          throw new ProblemError('LGSP_VALIDATION_FAILED', {
            detail: 'this operation needs an Idempotency-Key: a retried request with the same key is the same payment',
            errors: [{ field: 'header:Idempotency-Key', message: 'is required: 1-128 letters, digits or ._:-, unique per request you mean' }],
          });
        }
        return;
      }
      if (!idempotencyKeyPattern.test(key)) {
        throw new ProblemError('LGSP_VALIDATION_FAILED', { errors: [{ field: 'header:Idempotency-Key', message: 'must be 1-128 letters, digits or ._:-' }] });
      }
      context.idempotencyKey = key;
    },
  };
}
