import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHttpFault, FaultController, handleFaultControlRequest } from './fault-injection.js';
import { sendJson } from './http-helpers.js';
import { startSandboxHttpServer } from './sandbox-http-server.js';

/**
 * A REST/JSON upstream behind whatever login it uses, with the fault switches
 * every sandbox shares. A connector's sandbox brings only what is its own:
 * the login routes, how a data call is authorized, its data routes and its
 * error envelopes. (The SOAP counterpart is soap-sandbox.ts.)
 */

export interface RestAnswer {
  status: number;
  body: unknown;
}

export interface RestSandboxRoute {
  /** Name used by fault scopes (`{ operation: 'chiTietDoanhNghiep' }`). */
  operation: string;
  method: 'GET' | 'POST';
  answer(url: URL, request: IncomingMessage): RestAnswer | Promise<RestAnswer>;
}

export interface RestSandboxDefinition {
  /** Login/token routes (path → handler); faults scoped to `token` hit them. */
  authRoutes: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>;
  /** Checks a data call's credentials; answers the refusal itself and returns false when refused. */
  authorize(request: IncomingMessage, response: ServerResponse): boolean;
  /** What the `expired-token` fault answers (the upstream's "session/token expired"). */
  rejectExpired(response: ServerResponse): void;
  /** What the `soap-fault` switch answers on a REST upstream: its own "system error" envelope. */
  systemError(): RestAnswer;
  /** Data routes: path → route. */
  routes: Record<string, RestSandboxRoute>;
  /** The sandbox's own controls beside the fault switches (path → handler), e.g. moving a record on: no credentials, no faults. */
  controlRoutes?: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>;
}

export interface RestSandbox {
  baseUrl: string;
  faults: FaultController;
  close(): Promise<void>;
}

export async function startRestSandbox(definition: RestSandboxDefinition, options: { host?: string; port?: number }): Promise<RestSandbox> {
  const faults = new FaultController();

  async function authCall(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const outcome = await applyHttpFault(faults.next('token'), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'continue') return handle(request, response);
    definition.rejectExpired(response);
  }

  async function dataCall(route: RestSandboxRoute, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method !== route.method) return sendJson(response, 405, { error: 'method_not_allowed' }, { allow: route.method });
    if (!definition.authorize(request, response)) return;
    const outcome = await applyHttpFault(faults.next(route.operation), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') return definition.rejectExpired(response);
    const answer = outcome === 'soap-fault' ? definition.systemError() : await route.answer(url, request);
    sendJson(response, answer.status, answer.body);
  }

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (await handleFaultControlRequest(faults, request, response)) return;
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const pathname = url.pathname.replace(/\/$/, '');
    const control = definition.controlRoutes?.[pathname];
    if (control) return control(request, response);
    const login = definition.authRoutes[pathname];
    if (login) return authCall(login, request, response);
    const route = definition.routes[pathname];
    if (route) return dataCall(route, request, response, url);
    sendJson(response, 404, { error: 'not_found' });
  }

  const { baseUrl, close } = await startSandboxHttpServer(dispatch, options);
  return { baseUrl, faults, close };
}
