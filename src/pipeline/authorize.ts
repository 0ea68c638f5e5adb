import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import type { AccessPolicy } from '../access/access-policy.js';
import { bindPurpose, parsePurpose } from '../access/purpose-binding.js';
import type { Principal } from '../auth/principal.js';
import { ProblemError } from '../errors/index.js';

export interface Authorization {
  consumer: Consumer;
  grant: Grant;
}

/**
 * Deny by default: the token's client must be a registered, active consumer
 * holding a grant for this very operation, valid now. (Object- and
 * function-level authorization both reduce to this one lookup: there is no
 * way to name an operation the grant table does not list.)
 */
export function authorize(policy: AccessPolicy, principal: Principal, operation: string, now = Date.now()): Authorization {
  const consumer = policy.consumerByClientId(principal.clientId);
  if (!consumer) throw new ProblemError('LGSP_CONSUMER_UNKNOWN', { detail: 'this client is not registered as a consumer of the gateway' });
  if (consumer.status !== 'active') throw new ProblemError('LGSP_CONSUMER_SUSPENDED');
  const grant = policy.grantFor(consumer.id, operation);
  if (!grant) throw new ProblemError('LGSP_OPERATION_NOT_GRANTED', { detail: `no grant for ${operation}` });
  if ((grant.validFrom && now < Date.parse(grant.validFrom)) || (grant.validUntil && now >= Date.parse(grant.validUntil))) {
    throw new ProblemError('LGSP_GRANT_NOT_VALID_NOW', {
      detail: `the grant is valid ${grant.validFrom ? `from ${grant.validFrom} ` : ''}${grant.validUntil ? `until ${grant.validUntil}` : ''}`.trim(),
    });
  }
  return { consumer, grant };
}

/** X-Purpose against the grant's purposes: malformed → 400, not covered → 403. */
export function bindRequestPurpose(policy: AccessPolicy, grant: Grant, purposeHeader: string, procedureHeader: string | undefined): Purpose {
  return bindPurpose(grant, parsePurpose(purposeHeader), policy.purposes, procedureHeader);
}
