import soap from 'soap';
import { Pool } from 'undici';
import { boundedRequest, defaultMaxResponseBytes } from './bounded-body.js';
import { deadlineHeaders } from './deadline-header.js';
import type { InvocationContext, UpstreamTransport } from './descriptor.js';
import { sessionRefused, withOneRelogin } from './relogin.js';
import { compileSoapOperation, type CompiledSoapOperation } from './soap-fast-path.js';
import { retryAfterMs, UpstreamError } from './upstream-errors.js';
import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';
import { requestTarget } from './upstream-url.js';
import { redirectRefused } from './upstream-redirect.js';
import { noAnswerFailure, upstreamConnector } from './upstream-transport.js';

/**
 * A SOAP upstream. node-soap parses the connector's own copy of the WSDL once
 * at start (so start-up needs no upstream) and writes each request element;
 * every operation is then compiled (soap-fast-path.ts): a prebuilt envelope
 * sent over an undici keep-alive pool, the answer read up to
 * maxResponseBytes while it arrives (bounded-body.ts) and shaped as
 * node-soap's reader would. node-soap's own client is never used to call:
 * its axios transport read an answer of any size whole and took an empty
 * HTTP 200 for an empty result ("not found" to the caller, a success for the
 * breaker).
 *
 * The rules are REST's (rest-upstream.ts): abort at the deadline, forward the
 * remaining budget, log in again once on a 401 (relogin.ts), refuse a
 * redirect (upstream-redirect.ts), and leave every
 * failure as a classified UpstreamError. A success that is empty or not a
 * SOAP envelope breaks the upstream's contract (`contract`).
 */
export type SoapCallContext = Pick<InvocationContext, 'signal' | 'requestId' | 'traceparent' | 'deadline'>;

export interface SoapUpstream {
  call<Result>(operation: string, args: Record<string, unknown>, context: SoapCallContext): Promise<Result>;
  close(): void;
}

export async function createSoapUpstream(options: {
  wsdlPath: string;
  /** The endpoint's URL, called exactly as given (path and query string); see upstream-url.ts to build it. */
  endpoint: string;
  auth: UpstreamAuth;
  /** Decides whether a SOAP fault is the caller's fault (rejected) or the upstream's. */
  classifyFault?: (fault: { faultcode?: string; faultstring?: string; detail?: unknown }) => 'rejected' | 'fault';
  maxSockets?: number;
  /** Largest answer read, in bytes; a larger one is cut off while streaming, as `too_large` (protects the gateway's memory). */
  maxResponseBytes?: number;
  /** From the connector's resilience policy (ConnectorClientContext.transport). */
  transport?: UpstreamTransport;
}): Promise<SoapUpstream> {
  const client = await soap.createClientAsync(options.wsdlPath, { endpoint: options.endpoint });
  const classifyFault = options.classifyFault ?? (() => 'fault');
  // Every operation of the WSDL, compiled at start: one the fast path cannot carry (RPC style, one-way) fails the start, not a call.
  const compiled = new Map<string, CompiledSoapOperation>(operationNames(client).map((name) => [name, compileSoapOperation(client, name)]));
  const endpoint = new URL(options.endpoint);
  const endpointPath = requestTarget(endpoint);
  const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  // Created on first call: a client that never calls (a disabled connector's) opens nothing.
  let pool: Pool | undefined;

  function operationOf(name: string): CompiledSoapOperation {
    const operation = compiled.get(name);
    if (!operation) throw new Error(`WSDL has no operation ${name}`);
    return operation;
  }

  async function attempt<Result>(operation: CompiledSoapOperation, args: Record<string, unknown>, context: SoapCallContext): Promise<Result> {
    const { signal } = context;
    const headers = {
      'content-type': 'text/xml; charset=utf-8',
      accept: 'text/xml',
      soapaction: operation.soapActionHeader,
      ...(await options.auth.headers(signal)),
      traceparent: context.traceparent,
      'x-request-id': context.requestId,
      ...deadlineHeaders(context.deadline),
    };
    let status: number;
    let retryAfter: string | string[] | undefined;
    let location: string | string[] | undefined;
    let text: string;
    try {
      // Connect timeout, address guard and client certificate as every upstream connection (upstream-transport.ts).
      pool ??= new Pool(endpoint.origin, { connections: options.maxSockets ?? 256, keepAliveTimeout: 10_000, connect: upstreamConnector(options.transport) });
      // undici destroys the socket of an aborted exchange, so a hung upstream keeps nothing of ours.
      const response = await boundedRequest(pool, { method: 'POST', path: endpointPath, headers, body: operation.envelope(args) }, { maxBytes: maxResponseBytes, signal });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      location = response.headers.location;
      text = response.body.toString('utf8');
    } catch (error) {
      throw noAnswerFailure(error, { timedOut: signal.aborted });
    }
    const redirect = redirectRefused({ status, location, requestUrl: endpoint });
    if (redirect) throw redirect;
    if (status === 401) throw sessionRefused();
    if (status === 403) throw new UpstreamError('auth', 'upstream refused the gateway access keys (HTTP 403)', { upstreamCode: '403' });
    const answer = operation.read(text);
    if (answer.kind === 'fault') {
      const { fault } = answer;
      throw new UpstreamError(classifyFault(fault), `SOAP fault ${fault.faultcode ?? ''}`.trim(), { upstreamCode: fault.faultcode });
    }
    // An envelope with a Body is the answer, whatever the status says (as node-soap reads it).
    if (answer.kind === 'result') return answer.result as Result;
    if (status >= 300) throw new UpstreamError('http', `upstream answered HTTP ${status}`, { upstreamCode: String(status), retryAfterMs: retryAfterMs(retryAfter) });
    throw new UpstreamError('contract', text.trim() === '' ? 'upstream answered an empty body' : 'upstream answer is not a SOAP envelope', { upstreamCode: String(status) });
  }

  return {
    call(name, args, context) {
      const operation = operationOf(name);
      return withOneRelogin(options.auth, context.signal, () => attempt(operation, args, context));
    },
    close() {
      void pool?.destroy();
    },
  };
}

/** The operations of every port of every service the WSDL describes. */
function operationNames(client: soap.Client): string[] {
  const names = new Set<string>();
  for (const service of Object.values(client.describe() as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const port of Object.values(service)) for (const name of Object.keys(port)) names.add(name);
  }
  return [...names];
}
