import type { Grant } from '../../contracts/types.generated.js';
import { ContractRegistry } from '../contracts/contract-registry.js';
import { fromProjectRoot } from '../paths.js';
import { grantViolations, type GrantContext } from './grant-rules.js';

const context: GrantContext = {
  contracts: ContractRegistry.fromDirectory(fromProjectRoot('contracts')),
  operations: new Map([
    ['population.citizen.get', 'https://lgsp.gov.vn/contracts/population/v1/citizen.json'],
    ['public-service-portal.procedure.get', 'https://lgsp.gov.vn/contracts/public-service-portal/v1/procedure.json'],
  ]),
  personalDataOperations: new Set(['population.citizen.get']),
  purposeCodes: new Set(['DOSSIER-PROCESSING']),
};
const grant = (overrides: Partial<Grant>): Grant => ({ consumerId: 'one-stop', operation: 'population.citizen.get', fields: ['*'], ...overrides });

describe('grant rules: purposes apply to personal-data operations only', () => {
  it('a catalog grant needs no purpose, and naming one is refused rather than silently ignored', () => {
    expect(grantViolations(grant({ operation: 'public-service-portal.procedure.get' }), context)).toEqual([]);
    expect(grantViolations(grant({ operation: 'public-service-portal.procedure.get', purposes: ['DOSSIER-PROCESSING'] }), context)).toEqual([
      { field: 'purposes', message: expect.stringContaining('personal-data operations only') },
    ]);
  });

  it('a personal-data grant must name purposes from the catalog', () => {
    expect(grantViolations(grant({ purposes: ['DOSSIER-PROCESSING'] }), context)).toEqual([]);
    expect(grantViolations(grant({}), context)).toEqual([{ field: 'purposes', message: expect.stringContaining('is required') }]);
    expect(grantViolations(grant({ purposes: ['INVENTED'] }), context)).toEqual([{ field: 'purposes.0', message: 'INVENTED is not in the purpose catalog' }]);
  });
});

describe('grant rules: fields', () => {
  it('a field must be a property of the response contract, through $refs; a name every object inherits is not one', () => {
    const fields: Grant['fields'] = ['fullName', 'nameParts.givenName', 'constructor', 'toString', 'fullName.length', 'nameParts.hasOwnProperty'];
    expect(grantViolations(grant({ purposes: ['DOSSIER-PROCESSING'], fields }), context)).toEqual([2, 3, 4, 5].map((index) => ({ field: `fields.${index}`, message: `${fields[index]} is not a field of the population.citizen.get response` })));
  });
});
