/**
 * A client in front of several gateway replicas, as a round-robin load
 * balancer is: each request goes to the next replica in turn, and a replica
 * that refuses the connection (stopped, killed) is skipped for the next one
 * (the request never reached it, so sending it elsewhere is always safe).
 * A request cut off after it was sent (the replica died while serving it)
 * is not retried here: only the caller knows whether it may be repeated
 * (a write with an Idempotency-Key may); it gets an UnansweredError.
 *
 * Every attempt carries an X-Request-Id of its own (the gateway echoes it and
 * writes it into the audit record) and is kept in `exchanges`, so a test can
 * match what it was answered with what the replicas recorded.
 */

export type ExchangeOutcome = number | 'refused' | 'unanswered';

export interface Exchange {
  requestId: string;
  /** Index of the replica the attempt went to. */
  replica: number;
  method: string;
  path: string;
  /** The HTTP status, or what happened instead of an answer. */
  outcome: ExchangeOutcome;
}

export interface ReplicaAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON when it is JSON, else undefined (`text` has it). */
  body: any;
  text: string;
  requestId: string;
  replica: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
}

/** The request reached a replica, which gave no (complete) answer: it may or may not have been served. */
export class UnansweredError extends Error {
  constructor(
    readonly requestId: string,
    readonly replica: number,
    cause: unknown,
  ) {
    super(`request ${requestId} to replica ${replica} got no answer`, { cause });
    this.name = 'UnansweredError';
  }
}

export interface RoundRobinClient {
  /** To the next replica in turn, moving on while replicas refuse the connection. */
  send(path: string, options?: RequestOptions): Promise<ReplicaAnswer>;
  /** To this replica only (no failover): for checks that every replica sees something. */
  sendTo(replica: number, path: string, options?: RequestOptions): Promise<ReplicaAnswer>;
  /** Every attempt so far, in the order they ended. */
  readonly exchanges: readonly Exchange[];
}

export function roundRobinClient(urls: readonly string[], options: { requestIdPrefix?: string } = {}): RoundRobinClient {
  const prefix = options.requestIdPrefix ?? 'rr';
  const exchanges: Exchange[] = [];
  let turn = 0;
  let serial = 0;

  async function attempt(replica: number, path: string, request: RequestOptions): Promise<ReplicaAnswer | 'refused'> {
    serial += 1;
    const requestId = `${prefix}-${serial}`;
    const method = request.method ?? (request.json === undefined ? 'GET' : 'POST');
    const record = (outcome: ExchangeOutcome) => exchanges.push({ requestId, replica, method, path, outcome });
    let response: Response;
    try {
      response = await fetch(`${urls[replica]}${path}`, {
        method,
        headers: { ...request.headers, 'x-request-id': requestId, ...(request.json !== undefined && { 'content-type': 'application/json' }) },
        ...(request.json !== undefined && { body: JSON.stringify(request.json) }),
      });
    } catch (error) {
      if (connectionRefused(error)) {
        record('refused');
        return 'refused';
      }
      record('unanswered');
      throw new UnansweredError(requestId, replica, error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The status line came, the body did not: the caller has no complete answer.
      record('unanswered');
      throw new UnansweredError(requestId, replica, error);
    }
    record(response.status);
    return { status: response.status, headers: response.headers, body: parseJson(text), text, requestId, replica };
  }

  return {
    exchanges,
    async send(path, request = {}) {
      const first = turn++ % urls.length;
      for (let offset = 0; offset < urls.length; offset += 1) {
        const answer = await attempt((first + offset) % urls.length, path, request);
        if (answer !== 'refused') return answer;
      }
      throw new Error(`every replica refused the connection for ${path}`);
    },
    async sendTo(replica, path, request = {}) {
      const answer = await attempt(replica, path, request);
      if (answer === 'refused') throw new Error(`replica ${replica} refused the connection for ${path}`);
      return answer;
    },
  };
}

/** Nothing listens there any more: undici's "fetch failed" caused by ECONNREFUSED. */
function connectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
  return cause?.code === 'ECONNREFUSED' || (cause?.errors?.length !== undefined && cause.errors.every((inner) => inner.code === 'ECONNREFUSED'));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
