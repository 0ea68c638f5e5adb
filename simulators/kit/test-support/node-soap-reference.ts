import soap from 'soap';
import type { SoapCallContext } from '../../../src/connector-kit/soap-upstream.js';
import { retryAfterMs, UpstreamError } from '../../../src/connector-kit/upstream-errors.js';
import type { UpstreamAuth } from '../../../src/connector-kit/upstream-auth/upstream-auth.js';

/**
 * node-soap's own client (its axios transport, its reader), with the failure
 * classification the gateway used before every SOAP call moved to the
 * compiled path (soap-upstream.ts). Tests only: the reference the compiled
 * reader is held to, answer by answer, so the switch changes no mapped output.
 * Where node-soap is wrong (an empty 200 read as an empty result) the tests
 * say so explicitly.
 */
export interface NodeSoapReference {
  call<Result>(operation: string, args: Record<string, unknown>, context: SoapCallContext): Promise<Result>;
}

interface SoapClientError extends Error {
  code?: string;
  response?: { status?: number; headers?: Record<string, string | string[] | undefined> };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; faultstring?: string; detail?: unknown } } } };
}

export async function nodeSoapReference(options: {
  wsdlPath: string;
  endpoint: string;
  auth: UpstreamAuth;
  classifyFault?: (fault: { faultcode?: string; faultstring?: string; detail?: unknown }) => 'rejected' | 'fault';
}): Promise<NodeSoapReference> {
  const client = await soap.createClientAsync(options.wsdlPath, { endpoint: options.endpoint });
  const classifyFault = options.classifyFault ?? (() => 'fault');

  function classify(error: SoapClientError, signal: AbortSignal): UpstreamError {
    if (signal.aborted || error.code === 'ERR_CANCELED') return new UpstreamError('timeout', 'upstream call aborted at its deadline', { cause: error });
    const fault = error.root?.Envelope?.Body?.Fault;
    if (fault) return new UpstreamError(classifyFault(fault), `SOAP fault ${fault.faultcode ?? ''}`.trim(), { upstreamCode: fault.faultcode, cause: error });
    const status = error.response?.status;
    if (status === 401) return new UpstreamError('auth', 'upstream refused the gateway token (HTTP 401)', { upstreamCode: '401', cause: error });
    if (status === 403) return new UpstreamError('auth', 'upstream refused the gateway access keys (HTTP 403)', { upstreamCode: '403', cause: error });
    if (status !== undefined && status >= 300) {
      return new UpstreamError('http', `upstream answered HTTP ${status}`, { upstreamCode: String(status), retryAfterMs: retryAfterMs(error.response?.headers?.['retry-after']), cause: error });
    }
    if (status !== undefined) return new UpstreamError('contract', 'upstream answer is not a SOAP envelope', { upstreamCode: String(status), cause: error });
    return new UpstreamError('connection', `upstream connection failed (${error.code ?? 'unknown'})`, { cause: error });
  }

  async function attempt<Result>(operation: string, args: Record<string, unknown>, context: SoapCallContext): Promise<Result> {
    const method = (client as unknown as Record<string, (a: unknown, o: unknown, h: unknown) => Promise<[Result]>>)[`${operation}Async`];
    if (typeof method !== 'function') throw new Error(`WSDL has no operation ${operation}`);
    const headers = { ...(await options.auth.headers(context.signal)), traceparent: context.traceparent, 'x-request-id': context.requestId };
    try {
      const [result] = await method.call(client, args, { signal: context.signal }, headers);
      return result;
    } catch (error) {
      throw classify(error as SoapClientError, context.signal);
    }
  }

  return {
    async call(operation, args, context) {
      try {
        return await attempt(operation, args, context);
      } catch (error) {
        if (error instanceof UpstreamError && error.upstreamCode === '401' && !context.signal.aborted) {
          options.auth.invalidate();
          return attempt(operation, args, context);
        }
        throw error;
      }
    },
  };
}
