import { defaultResiliencePolicy, resolvePolicies } from './policy.js';

describe('resolvePolicies', () => {
  const operations = ['c.a.get', 'c.b.find'];

  it('fills what no layer declares from the kit defaults', () => {
    const { connector, operations: calls } = resolvePolicies(operations, [{ timeoutMs: 4000 }]);
    expect(connector).toEqual({ ...defaultResiliencePolicy, timeoutMs: 4000 });
    expect(calls.get('c.a.get')).toEqual({ timeoutMs: 4000, retry: defaultResiliencePolicy.retry });
  });

  it("lets an operation's own entry beat its layer's connector value, and a later layer's connector value beat both", () => {
    const descriptor = { timeoutMs: 3000, retry: { maxAttempts: 3 }, operations: { 'c.b.find': { timeoutMs: 9000, retry: { maxAttempts: 1 } } } };
    const fromDescriptor = resolvePolicies(operations, [descriptor]);
    expect(fromDescriptor.operations.get('c.a.get')).toMatchObject({ timeoutMs: 3000, retry: { maxAttempts: 3 } });
    expect(fromDescriptor.operations.get('c.b.find')).toMatchObject({ timeoutMs: 9000, retry: { maxAttempts: 1, baseDelayMs: defaultResiliencePolicy.retry.baseDelayMs } });

    const withConfig = resolvePolicies(operations, [descriptor, { timeoutMs: 600, bulkhead: { maxQueue: 0 }, operations: { 'c.a.get': { retry: { maxAttempts: 2 } } } }]);
    expect(withConfig.operations.get('c.b.find')).toMatchObject({ timeoutMs: 600, retry: { maxAttempts: 1 } });
    expect(withConfig.operations.get('c.a.get')).toMatchObject({ timeoutMs: 600, retry: { maxAttempts: 2 } });
    expect(withConfig.connector.bulkhead).toEqual({ maxConcurrent: defaultResiliencePolicy.bulkhead.maxConcurrent, maxQueue: 0 });
  });
});
