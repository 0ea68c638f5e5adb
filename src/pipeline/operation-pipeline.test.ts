import { operationStages } from './operation-pipeline.js';
import type { PipelineDependencies } from './pipeline-dependencies.js';
import { runStages, type Stage } from './stage.js';
import { availableHandle, testOperation } from './test-support/stage-context.js';
import { thingContracts } from './test-support/thing-contracts.js';

const deps = { contracts: thingContracts(), maxRequestTimeoutMs: 1000 } as unknown as PipelineDependencies;

describe('operation pipeline', () => {
  it('runs personal-data operations through every stage, in the documented order', () => {
    expect(operationStages(deps, { id: 'test' } as never, testOperation({ personalData: true }), availableHandle('test', {})).map((stage) => stage.name)).toEqual([
      'authenticate',
      'connector-availability',
      'authorize',
      'personal-data-headers',
      'purpose',
      'request-contract',
      'deadline',
      'breaker-gate',
      'quotas',
      'audit-gate',
      'upstream-call',
      'projection',
      'audit-record',
    ]);
  });

  it('leaves the officer, purpose and audit stages out of operations without personal data', () => {
    expect(operationStages(deps, { id: 'test' } as never, testOperation({ personalData: false }), availableHandle('test', {})).map((stage) => stage.name)).toEqual([
      'authenticate',
      'connector-availability',
      'authorize',
      'request-contract',
      'deadline',
      'breaker-gate',
      'quotas',
      'upstream-call',
      'projection',
    ]);
  });

  it('leaves the breaker gate out of cached operations: a stale copy may still answer while the breaker is open', () => {
    const cache = { ttlSeconds: 60, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 600 } as never;
    const names = operationStages(deps, { id: 'test' } as never, testOperation({ personalData: false, cache }), availableHandle('test', {})).map((stage) => stage.name);
    expect(names).not.toContain('breaker-gate');
    expect(names).toContain('upstream-call');
  });

  it('turns a write into stages that accept it into the outbox: no upstream call, no projection', () => {
    const write = { target: 'test.things', keyOf: () => 'K', messageOf: () => ({}), fieldsSent: () => [] };
    const withOutbox = { ...deps, outbox: { enqueue: async () => { throw new Error('unused'); }, messagesOf: async () => [] } } as PipelineDependencies;
    expect(operationStages(withOutbox, { id: 'test' } as never, testOperation({ personalData: true, method: 'PUT', write }), availableHandle('test', {})).map((stage) => stage.name)).toEqual([
      'authenticate',
      'connector-availability',
      'authorize',
      'personal-data-headers',
      'purpose',
      'request-contract',
      'quotas',
      'audit-gate',
      'idempotency-key',
      'outbox-enqueue',
      'audit-record',
    ]);
  });

  it('gives payment operations their own stages: Idempotency-Key required and the fee check on create, audit on personal ones', () => {
    const platform = { connectorId: 'test' };
    const withPayments = { ...deps, payments: { store: {}, platform, feeCheck: 'when-listed' } } as unknown as PipelineDependencies;
    const names = (payment: 'create' | 'status' | 'receipt', personalData: boolean) =>
      operationStages(withPayments, { id: 'test' } as never, testOperation({ personalData, payment, invoke: undefined, method: payment === 'create' ? 'POST' : 'GET' }), availableHandle('test', {})).map((stage) => stage.name);
    expect(names('create', true)).toEqual([
      'authenticate',
      'connector-availability',
      'authorize',
      'personal-data-headers',
      'purpose',
      'request-contract',
      'deadline',
      'quotas',
      'audit-gate',
      'idempotency-key',
      'fee-check',
      'payment-create',
      'audit-record',
    ]);
    // The stored payment stays readable while the connector is off: no availability stage.
    expect(names('status', false)).toEqual(['authenticate', 'authorize', 'request-contract', 'deadline', 'quotas', 'payment-status']);
    expect(names('receipt', true)).toEqual([
      'authenticate',
      'connector-availability',
      'authorize',
      'personal-data-headers',
      'purpose',
      'request-contract',
      'deadline',
      'quotas',
      'audit-gate',
      'payment-receipt',
      'audit-record',
    ]);
  });

  it('finds a payment operation mounted without the payments, or wired to another platform, at start', () => {
    const operation = testOperation({ payment: 'status', invoke: undefined });
    expect(() => operationStages(deps, { id: 'test' } as never, operation, availableHandle('test', {}))).toThrow('payment-status of test.thing.get ran before the payments was set');
    const elsewhere = { ...deps, payments: { store: {}, platform: { connectorId: 'other' }, feeCheck: 'off' } } as unknown as PipelineDependencies;
    expect(() => operationStages(elsewhere, { id: 'test' } as never, operation, availableHandle('test', {}))).toThrow(/wired to the platform of other, not test/);
  });

  it('runStages stops at the first stage that throws and says which one it was', async () => {
    const ran: string[] = [];
    const stage = (name: string, fail = false): Stage<{ stage?: string }> => ({ name, run: () => { ran.push(name); if (fail) throw new Error(name); } });
    const context: { stage?: string } = {};
    await expect(runStages([stage('a'), stage('b', true), stage('c')], context)).rejects.toThrow('b');
    expect(ran).toEqual(['a', 'b']);
    expect(context.stage).toBe('b');
  });
});
