import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import axios from 'axios';
import soap from 'soap';
import { Pool } from 'undici';
import { deadlineHeaders } from './deadline-header.js';
import type { InvocationContext, UpstreamTransport } from './descriptor.js';
import { compileSoapOperation, type CompiledSoapOperation } from './soap-fast-path.js';
import { retryAfterMs, UpstreamError } from './upstream-errors.js';
import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';
import { defaultResiliencePolicy } from './resilience-policy.js';

/**
 * A SOAP upstream reached with the `soap` package: the client is built once
 * from the connector's own copy of the WSDL (so start-up needs no upstream),
 * authentication headers come from UpstreamAuth, and every failure leaves as
 * a classified UpstreamError.
 *
 * Hot operations can be compiled (`compiledOperations`): a prebuilt envelope
 * around node-soap's own request serializer, sent over an undici keep-alive
 * pool and read with fast-xml-parser (soap-fast-path.ts). Measured with
 * `npm run bench`, node-soap's generic client (axios + sax + schema walk per
 * call) was the largest cost of a lookup. Both paths classify failures the
 * same way, abort at the deadline and log in again once on a 401.
 */
export type SoapCallContext = Pick<InvocationContext, 'signal' | 'requestId' | 'traceparent' | 'deadline'>;

export interface SoapUpstream {
  call<Result>(operation: string, args: Record<string, unknown>, context: SoapCallContext): Promise<Result>;
  close(): void;
}

interface SoapClientError extends Error {
  code?: string;
  response?: { status?: number; headers?: Record<string, string | string[] | undefined> };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; faultstring?: string; detail?: unknown } } } };
}

export async function createSoapUpstream(options: {
  wsdlPath: string;
  endpoint: string;
  auth: UpstreamAuth;
  /** Decides whether a SOAP fault is the caller's fault (rejected) or the upstream's. */
  classifyFault?: (fault: { faultcode?: string; faultstring?: string; detail?: unknown }) => 'rejected' | 'fault';
  maxSockets?: number;
  /** Operations sent through the compiled fast path; the others go through node-soap's client. */
  compiledOperations?: readonly string[];
  /** Largest answer the fast path reads, in bytes; a larger one is garbage (protects the gateway's memory). */
  maxResponseBytes?: number;
  /** From the connector's resilience policy (ConnectorClientContext.transport). */
  transport?: UpstreamTransport;
}): Promise<SoapUpstream> {
  const connectTimeoutMs = options.transport?.connectTimeoutMs ?? defaultResiliencePolicy.connectTimeoutMs;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const httpAgent = withConnectTimeout(new http.Agent(agentOptions), connectTimeoutMs);
  const httpsAgent = withConnectTimeout(new https.Agent(agentOptions), connectTimeoutMs);
  const transport = axios.create({ httpAgent, httpsAgent, maxRedirects: 0, proxy: false });
  const client = await soap.createClientAsync(options.wsdlPath, {
    endpoint: options.endpoint,
    // soap types axios through its CommonJS entry; the instance is the same at run time.
    request: transport as never,
  });
  const classifyFault = options.classifyFault ?? (() => 'fault');
  const compiled = new Map<string, CompiledSoapOperation>((options.compiledOperations ?? []).map((operation) => [operation, compileSoapOperation(client, operation)]));
  const endpoint = new URL(options.endpoint);
  const endpointPath = `${endpoint.pathname}${endpoint.search}`;
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  // Created on first use: a client with no compiled operation never opens it.
  let pool: Pool | undefined;

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
      return new UpstreamError('http', `upstream answered HTTP ${status}`, { upstreamCode: String(status), retryAfterMs: retryAfterMs(error.response?.headers?.['retry-after']), cause: error });
    }
    if (status !== undefined) return new UpstreamError('garbage', 'upstream answer is not a SOAP envelope', { cause: error });
    return new UpstreamError('connection', `upstream connection failed (${error.code ?? 'unknown'})`, { cause: error });
  }

  /** The same verdicts as classify() above, from the raw exchange instead of node-soap's error object. */
  async function attemptCompiled<Result>(operation: CompiledSoapOperation, args: Record<string, unknown>, context: SoapCallContext): Promise<Result> {
    const { signal } = context;
    const headers = {
      'content-type': 'text/xml; charset=utf-8',
      accept: 'text/xml',
      soapaction: `"${operation.soapAction}"`,
      ...(await options.auth.headers(signal)),
      traceparent: context.traceparent,
      'x-request-id': context.requestId,
      ...deadlineHeaders(context.deadline),
    };
    let status: number;
    let retryAfter: string | string[] | undefined;
    let text: string;
    try {
      pool ??= new Pool(endpoint.origin, { connections: options.maxSockets ?? 256, keepAliveTimeout: 10_000, connect: { timeout: connectTimeoutMs } });
      // undici destroys the socket of an aborted exchange, so a hung upstream keeps nothing of ours.
      const response = await pool.request({ method: 'POST', path: endpointPath, headers, body: operation.envelope(args), signal });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      if (Number(response.headers['content-length'] ?? 0) > maxResponseBytes) {
        response.body.destroy();
        throw new UpstreamError('garbage', `upstream answer larger than ${maxResponseBytes} bytes`, { upstreamCode: String(status) });
      }
      text = await response.body.text();
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      if (signal.aborted) throw new UpstreamError('timeout', 'upstream call aborted at its deadline', { cause: error });
      const code = (error as { code?: string }).code;
      throw new UpstreamError('connection', `upstream connection failed (${code ?? 'unknown'})`, { cause: error });
    }
    if (text.length > maxResponseBytes) throw new UpstreamError('garbage', `upstream answer larger than ${maxResponseBytes} bytes`, { upstreamCode: String(status) });
    const answer = operation.read(text);
    if (answer.kind === 'fault') {
      const { fault } = answer;
      throw new UpstreamError(classifyFault(fault), `SOAP fault ${fault.faultcode ?? ''}`.trim(), { upstreamCode: fault.faultcode });
    }
    // Like node-soap: an envelope with a Body is the answer, whatever the status says.
    if (answer.kind === 'result') return answer.result as Result;
    if (status === 401) throw new UpstreamError('auth', 'upstream refused the gateway token (HTTP 401)');
    if (status === 403) throw new UpstreamError('auth', 'upstream refused the gateway access keys (HTTP 403)');
    if (status >= 300) throw new UpstreamError('http', `upstream answered HTTP ${status}`, { upstreamCode: String(status), retryAfterMs: retryAfterMs(retryAfter) });
    throw new UpstreamError('garbage', 'upstream answer is not a SOAP envelope');
  }

  async function attempt<Result>(operation: string, args: Record<string, unknown>, context: SoapCallContext): Promise<Result> {
    const fast = compiled.get(operation);
    if (fast) return attemptCompiled<Result>(fast, args, context);
    const method = (client as unknown as Record<string, (a: unknown, o: unknown, h: unknown) => Promise<[Result]>>)[`${operation}Async`];
    if (typeof method !== 'function') throw new Error(`WSDL has no operation ${operation}`);
    const headers = { ...(await options.auth.headers()), traceparent: context.traceparent, 'x-request-id': context.requestId, ...deadlineHeaders(context.deadline) };
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
      void pool?.destroy();
    },
  };
}

/** undici's own default is 10 s and Node's sockets have none; the kit's policy default is shorter (src/resilience/policy.ts). */

/**
 * node-soap's axios transport has no connect timeout (axios' `timeout` is the
 * whole exchange, and an agent's `timeout` is an idle timeout that would also
 * cut a slow but healthy answer): the agent's sockets get a timer that only
 * runs until the connection is established.
 */
export function withConnectTimeout<A extends http.Agent>(agent: A, timeoutMs: number): A {
  const create = (agent as unknown as { createConnection: (options: object, callback?: (error: Error | null, socket?: Duplex) => void) => Duplex }).createConnection.bind(agent);
  (agent as unknown as { createConnection: typeof create }).createConnection = (connectOptions, callback) => {
    const socket = create(connectOptions, callback);
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connect timeout after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    timer.unref();
    const settled = () => clearTimeout(timer);
    // 'secureConnect' for TLS sockets; 'connect' fires first for those too, but the handshake is part of connecting.
    socket.once(agent instanceof https.Agent ? 'secureConnect' : 'connect', settled);
    socket.once('close', settled);
    return socket;
  };
  return agent;
}
