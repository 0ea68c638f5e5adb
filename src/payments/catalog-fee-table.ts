import type { ConnectorDescriptor, OperationDescriptor } from '../connector-kit/descriptor.js';
import type { ConnectorHandle } from '../connector-runtime/connector-slot.js';
import type { Logger } from '../observability/logger.js';
import { createCachedInvoke, type ConfiguredResponseCache } from '../pipeline/cached-invoke.js';
import type { PipelineDependencies } from '../pipeline/pipeline-dependencies.js';
import { createResponseContractCheck } from '../pipeline/stages/response-contract.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';
import type { ProcedureFeeTable } from './fee-table.js';

export type { FeeTableCall, FeeTableLookup, ProcedureFeeTable } from './fee-table.js';

/** The operation of the national catalog whose answer carries the fee tables (contracts/public-service-portal/v1/procedure.json). */
export const catalogProcedureOperationId = 'public-service-portal.procedure.get';

/** What the catalog answers, as far as fees go (the rest of the procedure is not read). */
interface ProcedureFees {
  channels?: Array<{ processingTimes?: Array<{ fees?: Array<{ code?: string; amount: number }> }> }>;
}

/**
 * The fee tables of the national procedure catalog, asked exactly as a
 * consumer's read of the procedure is: the response cache first (reference
 * data, shared with `GET /public-service-portal/procedures/{code}`), then the
 * portal connector's bulkhead, breaker and timeout, with the response
 * contract checked in every attempt. Nothing here throws: a catalog that
 * cannot answer makes the check `unavailable`, and the payment proceeds
 * unchecked rather than a citizen being unable to pay.
 */
export function createCatalogFeeTable(options: {
  connector: ConnectorDescriptor<any>;
  operation: OperationDescriptor<any>;
  handle: Pick<ConnectorHandle, 'acquire' | 'availability'>;
  upstreams: Pick<UpstreamCaller, 'call'>;
  responseCache: ConfiguredResponseCache | undefined;
  contracts: PipelineDependencies['contracts'];
  metrics: PipelineDependencies['metrics'];
  logger: Logger;
  /** Deadline of a cache load shared by several callers (the gateway's maximum request time). */
  sharedCallTimeoutMs: number;
}): ProcedureFeeTable {
  const { connector, operation, handle, upstreams, logger } = options;
  const invoke = operation.invoke;
  if (!invoke) throw new Error(`${operation.id} has no invoke: it cannot serve fee tables`);
  const cachedInvoke = createCachedInvoke({ responseCache: options.responseCache, connectorId: connector.id, operation, sharedCallTimeoutMs: options.sharedCallTimeoutMs });
  const checkResponseContract = createResponseContractCheck(options, connector.id, operation);
  // The payment's answer is not this read's answer: its Age / Warning headers go nowhere.
  const noHeaders = { setHeader: () => noHeaders } as never;
  // Reference data: the grant of the paying consumer does not matter (no personal data is cached here).
  const noGrant = { allowCachedResponses: false };

  return {
    async lookUp(procedureCode, call) {
      if (handle.availability().kind !== 'available') return { kind: 'unavailable' };
      const input = { params: { procedureCode }, query: {}, body: undefined };
      try {
        const result = await cachedInvoke({ input, grant: noGrant, res: noHeaders, deadline: call.deadline }, async (callDeadline) => {
          const lease = handle.acquire();
          try {
            return await upstreams.call({ connectorId: connector.id, operationId: operation.id, idempotent: operation.idempotent, requestId: call.requestId, deadline: callDeadline }, async (signal, attemptDeadline) => {
              const answer = await invoke(lease.client, input, { signal, requestId: call.requestId, traceparent: call.traceparent, deadline: attemptDeadline });
              checkResponseContract(answer, call.requestId);
              return answer;
            });
          } finally {
            lease.release();
          }
        });
        if (result.kind === 'not_found') return { kind: 'not_found' };
        return { kind: 'listed', fees: feesOf(result.data as ProcedureFees) };
      } catch (error) {
        logger.warn({ connector: connector.id, operation: operation.id, requestId: call.requestId, err: { name: (error as Error)?.name, kind: (error as { kind?: unknown })?.kind } }, 'fee check: the procedure catalog could not be asked; the amounts go unchecked');
        return { kind: 'unavailable' };
      }
    },
  };
}

function feesOf(procedure: ProcedureFees): Map<string, number[]> {
  const fees = new Map<string, number[]>();
  for (const channel of procedure.channels ?? []) {
    for (const time of channel.processingTimes ?? []) {
      for (const fee of time.fees ?? []) {
        if (fee.code === undefined || fee.code === '') continue;
        const amounts = fees.get(fee.code) ?? [];
        if (!amounts.includes(fee.amount)) amounts.push(fee.amount);
        fees.set(fee.code, amounts);
      }
    }
  }
  for (const amounts of fees.values()) amounts.sort((a, b) => a - b);
  return fees;
}
