import type { ServerResponse } from 'node:http';

/**
 * What the pipeline reads of a request: the method, headers by lower-case
 * name, the route's path parameters, the query and the parsed JSON body.
 * The data plane (src/data-plane) builds it from node's request without
 * express; an express request satisfies it too.
 */
export interface ApiRequest {
  readonly method: string;
  header(name: string): string | undefined;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** What the pipeline does to a response before the answer: headers, and noticing a caller who hung up. */
export type ApiResponse = Pick<ServerResponse, 'setHeader' | 'once' | 'writableFinished'>;
