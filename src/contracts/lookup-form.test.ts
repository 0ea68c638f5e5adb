import type { OperationDescriptor } from '../connector-kit/descriptor.js';
import { fromProjectRoot } from '../paths.js';
import { ContractRegistry } from './contract-registry.js';
import { lookupFormOf, lookupInput, refuseRouteClashes, registerLookupForm } from './lookup-form.js';

const personalId = { $ref: 'https://lgsp.gov.vn/contracts/common/v1/definitions.json#/$defs/personalId' };

function operation(overrides: Partial<OperationDescriptor>): OperationDescriptor {
  return {
    id: 'test.record.get',
    method: 'GET',
    path: '/test/records/{personalId}',
    lookup: { path: '/test/records/lookup' },
    summary: 'A record',
    description: 'A record by personal id.',
    personalData: true,
    idempotent: true,
    request: { params: { personalId } },
    response: 'https://lgsp.gov.vn/contracts/population/v1/citizen.json',
    subjectIdOf: (input) => input.params.personalId,
    releasedFields: () => [],
    invoke: async () => ({ kind: 'not_found' }),
    ...overrides,
  };
}

describe('lookup forms (the POST form of a GET lookup)', () => {
  it('derives the body contract from the path and query parameters: same schemas, required as the GET form requires them, nothing else', () => {
    const registry = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
    const find = operation({
      path: '/test/records/{personalId}/entries',
      request: { params: { personalId }, query: { properties: { year: { type: 'string', pattern: '^[0-9]{4}$' }, kind: { type: 'string' } }, required: ['year'] } },
    });
    const form = registerLookupForm(registry, find)!;
    const schema = registry.get(form.contractId);
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false, properties: { personalId, year: { pattern: '^[0-9]{4}$' }, kind: { type: 'string' } }, required: ['personalId', 'year'] });

    const validate = registry.validator(form.contractId);
    expect(validate({ personalId: '001090012345', year: '2025' })).toBe(true);
    expect(validate({ personalId: '001090012345', year: '2025', extra: '1' })).toBe(false);
    expect(validate({ personalId: '001090012345' })).toBe(false);
    expect(validate({ personalId: 1090012345, year: '2025' })).toBe(false);

    // The GET form's input: path parameters apart from query parameters, absent optional ones absent.
    expect(lookupInput(form, { personalId: '001090012345', year: '2025' })).toEqual({ params: { personalId: '001090012345' }, query: { year: '2025' }, body: undefined });
    // Registering again (app and OpenAPI both do) is harmless.
    expect(registerLookupForm(registry, find)).toEqual(form);
  });

  it('gives an example body when every parameter has one', () => {
    const registry = ContractRegistry.fromDirectory(fromProjectRoot('contracts'));
    const form = registerLookupForm(registry, operation({}))!;
    expect(registry.get(form.contractId).examples).toEqual([{ personalId: '001090012345' }]);
  });

  it('refuses a lookup form on a POST operation, with a parameterized path, or with nothing to carry', () => {
    expect(() => lookupFormOf(operation({ method: 'POST' }))).toThrow(/for GET operations/);
    expect(() => lookupFormOf(operation({ lookup: { path: '/test/records/{personalId}/lookup' } }))).toThrow(/literal path/);
    expect(() => lookupFormOf(operation({ path: '/test/records', request: {} }))).toThrow(/nothing to carry/);
    expect(lookupFormOf(operation({ lookup: undefined }))).toBeUndefined();
  });

  it('refuses routes that would shadow each other, lookup forms included', () => {
    const get = operation({});
    const find = operation({ id: 'test.record.find', path: '/test/records', request: { query: { properties: { personalId }, required: ['personalId'] } } });
    expect(() => refuseRouteClashes([get, find])).toThrow('test.record.find (lookup form) and test.record.get (lookup form) are both routed at POST /test/records/lookup');
    expect(() => refuseRouteClashes([get, operation({ id: 'test.record.other', lookup: undefined, path: '/test/records/{code}' })])).toThrow(/GET \/test\/records\/\{\}/);
    expect(() => refuseRouteClashes([get, { ...find, lookup: { path: '/test/records/lookup-by-personal-id' } }])).not.toThrow();
    expect(() => refuseRouteClashes([get, operation({ id: 'test.verify', method: 'POST', path: '/test/records/lookup', lookup: undefined, request: { body: 'x' } })])).toThrow(/POST \/test\/records\/lookup/);
  });
});
