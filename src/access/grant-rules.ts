import type { Grant } from '../../contracts/types.generated.js';
import type { ContractRegistry, ContractViolation } from '../contracts/contract-registry.js';
import { contractHasPath } from './grantable-fields.js';
import { ratePolicyViolations } from './rate-policy-rules.js';

export interface GrantContext {
  contracts: ContractRegistry;
  /** Operation id → $id of its response contract, for every mounted operation. */
  operations: ReadonlyMap<string, string>;
  /** The operations that touch personal data: only their grants name purposes. */
  personalDataOperations: ReadonlySet<string>;
  purposeCodes: ReadonlySet<string>;
}

/**
 * What a grant must mean beyond its own schema: a real operation, purposes
 * from the catalog, fields that exist in that operation's response contract
 * (a typo would otherwise silently release nothing), and a coherent quota.
 */
export function grantViolations(grant: Grant, context: GrantContext): ContractViolation[] {
  const violations: ContractViolation[] = [];
  const responseContract = context.operations.get(grant.operation);
  if (!responseContract) violations.push({ field: 'operation', message: `is not an operation of this gateway (${[...context.operations.keys()].join(', ')})` });
  // X-Purpose binds a personal-data call to a lawful purpose; a catalog lookup has none to bind, so its grant names none.
  if (responseContract && context.personalDataOperations.has(grant.operation)) {
    if (!grant.purposes?.length) violations.push({ field: 'purposes', message: `is required: ${grant.operation} processes personal data` });
  } else if (responseContract && grant.purposes?.length) {
    violations.push({ field: 'purposes', message: `must be left out: purposes apply to personal-data operations only, and ${grant.operation} is not one` });
  }
  (grant.purposes ?? []).forEach((code, index) => {
    if (!context.purposeCodes.has(code)) violations.push({ field: `purposes.${index}`, message: `${code} is not in the purpose catalog` });
  });
  if (responseContract) {
    grant.fields.forEach((path, index) => {
      if (path !== '*' && !contractHasPath(context.contracts, responseContract, path.split('.'))) {
        violations.push({ field: `fields.${index}`, message: `${path} is not a field of the ${grant.operation} response` });
      }
    });
  }
  if (grant.validFrom && grant.validUntil && Date.parse(grant.validUntil) <= Date.parse(grant.validFrom)) {
    violations.push({ field: 'validUntil', message: 'must be after validFrom' });
  }
  violations.push(...ratePolicyViolations(grant.quota, 'quota'));
  return violations;
}
