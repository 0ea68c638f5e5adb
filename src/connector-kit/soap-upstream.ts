import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import soap from 'soap';
import type { InvocationContext } from './descriptor.js';
import { UpstreamError } from './upstream-errors.js';
import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';

/**
 * A SOAP upstream reached with the `soap` package: the client is built once
 * from the connector's own copy of the WSDL (so start-up needs no upstream),
 * authentication headers come from UpstreamAuth, and every failure leaves as
 * a classified UpstreamError.
 */
export interface SoapUpstream {
  call<Result>(operation: string, args: Record<string, unknown>, context: Pick<InvocationContext, 'signal' | 'requestId' | 'traceparent'>): Promise<Result>;
  close(): void;
}

interface SoapClientError extends Error {
  code?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; faultstring?: string; detail?: unknown } } } };
}

export async function createSoapUpstream(options: {
  wsdlPath: string;
  endpoint: string;
  auth: UpstreamAuth;
  /** Decides whether a SOAP fault is the caller's fault (rejected) or the upstream's. */
  classifyFault?: (fault: { faultcode?: string; faultstring?: string; detail?: unknown }) => 'rejected' | 'fault';
  maxSockets?: number;
}): Promise<SoapUpstream> {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const transport = axios.create({ httpAgent, httpsAgent, maxRedirects: 0, proxy: false });
  const client = await soap.createClientAsync(options.wsdlPath, {
    endpoint: options.endpoint,
    // soap types axios through its CommonJS entry; the instance is the same at run time.
    request: transport as never,
  });
  const classifyFault = options.classifyFault ?? (() => 'fault');

  function classify(error: SoapClientError, signal: AbortSignal): UpstreamError {
    if (signal.aborted || error.code === 'ERR_CANCELED') {
      return new UpstreamError('timeout', 'upstream call aborted at its deadline', { cause: error });
    }
    const fault = error.root?.Envelope?.Body?.Fault;
    if (fault) {
      return new UpstreamError(classifyFault(fault), `SOAP fault ${fault.faultcode ?? ''}`.trim(), {
        upstreamCode: fault.faultcode,
        cause: error,
      });
    }
    const status = error.response?.status;
    if (status === 401) return new UpstreamError('auth', 'upstream refused the gateway token (HTTP 401)', { cause: error });
    if (status === 403) return new UpstreamError('auth', 'upstream refused the gateway access keys (HTTP 403)', { cause: error });
    if (status !== undefined && status >= 300) {
      return new UpstreamError('http', `upstream answered HTTP ${status}`, { upstreamCode: String(status), cause: error });
    }
    if (status !== undefined) return new UpstreamError('garbage', 'upstream answer is not a SOAP envelope', { cause: error });
    return new UpstreamError('connection', `upstream connection failed (${error.code ?? 'unknown'})`, { cause: error });
  }

  async function attempt<Result>(operation: string, args: Record<string, unknown>, context: Pick<InvocationContext, 'signal' | 'requestId' | 'traceparent'>): Promise<Result> {
    const method = (client as unknown as Record<string, (a: unknown, o: unknown, h: unknown) => Promise<[Result]>>)[`${operation}Async`];
    if (typeof method !== 'function') throw new Error(`WSDL has no operation ${operation}`);
    const headers = { ...(await options.auth.headers()), traceparent: context.traceparent, 'x-request-id': context.requestId };
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
        // An expired session: log in once more, then give up with a clear auth error.
        if (error instanceof UpstreamError && error.kind === 'auth' && !context.signal.aborted) {
          options.auth.invalidate();
          return attempt(operation, args, context);
        }
        throw error;
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
