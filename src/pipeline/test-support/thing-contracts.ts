import { ContractRegistry } from '../../contracts/contract-registry.js';
import type { JsonSchema } from '../../contracts/json-schema.js';

/** A tiny contract set for stage tests: a code parameter and a response with a required name. */
export const thingResponseId = 'https://lgsp.gov.vn/contracts/test/thing.json';
export const thingCode: JsonSchema = { type: 'string', pattern: '^[0-9]{10}$' };

export function thingContracts(): ContractRegistry {
  const response: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: thingResponseId,
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { type: 'string' }, address: { type: 'string' } },
  };
  return new ContractRegistry(new Map([[thingResponseId, response]]));
}
