import { UpstreamError } from '../../connector-kit/upstream-errors.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { thingContracts, thingResponseId } from '../test-support/thing-contracts.js';
import { createResponseContractCheck } from './response-contract.js';

describe('response contract check', () => {
  const metrics = createMetrics();
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } as never });
  const check = createResponseContractCheck({ contracts: thingContracts(), metrics, logger }, 'test', { id: 'test.thing.get', response: thingResponseId });

  it('passes a valid answer and a not-found', () => {
    expect(() => check({ kind: 'found', data: { name: 'Công ty A' } }, 'r1')).not.toThrow();
    expect(() => check({ kind: 'not_found' }, 'r1')).not.toThrow();
  });

  it("turns a broken answer into a 'contract' upstream failure, counted, logged with field names and no values", async () => {
    let thrown: unknown;
    try {
      check({ kind: 'found', data: { name: 42, secretField: 'NGUYEN VAN AN' } }, 'r2');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect((thrown as UpstreamError).kind).toBe('contract');
    expect((await metrics.contractViolations.get()).values.find((value) => value.labels.operation === 'test.thing.get')?.value).toBe(1);
    expect(lines.join('')).toContain('upstream answer violates its contract');
    expect(lines.join('')).not.toContain('NGUYEN VAN AN');
  });
});
