import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { populationEndpointPath, soapOperationOf, startPopulationSandbox, type PopulationSandbox } from '../connectors/population/sandbox/server.js';
import { createClientCredentialsLgspAuth } from '../src/connector-kit/upstream-auth/client-credentials-lgsp.js';
import { applyHttpFault, FaultController, handleFaultControlRequest } from '../simulators/kit/fault-injection.js';
import { readRequestBody, sendJson } from '../simulators/kit/http-helpers.js';
import { PlatformAuthority, sendPlatformRejection, type PlatformCredentials } from '../simulators/kit/platform-auth.js';

/**
 * The benchmark's upstreams, in a process of their own so that neither the
 * load generator nor the gateway shares their event loop.
 *
 *   node dist/bench/upstream-process.js     (forked by bench/run.ts; settings in LGSP_BENCH_UPSTREAMS)
 *
 * Each upstream is a real population sandbox. In `replay` mode (the default)
 * a thin server stands in front of it: same platform auth (token endpoint,
 * bearer + lgspaccesstoken), same fault switches (`/__sandbox/faults`), and
 * lookups answered with the very bytes the sandbox produced for the same
 * envelope (recorded on first sight; the lookup answer does not echo the
 * request id). Everything else goes through to the sandbox. The node-soap
 * server behind the sandbox costs more CPU per call than the gateway does,
 * which on two cores would measure the simulator instead of the gateway.
 */
export interface UpstreamSettings {
  count: number;
  mode: 'replay' | 'sandbox';
  credentials: PlatformCredentials;
}

export interface UpstreamsReady {
  type: 'ready';
  baseUrls: string[];
}

export const lastLookupPath = '/__bench/last-lookup';

interface Recorded {
  status: number;
  contentType: string;
  body: Buffer;
}

async function startReplayUpstream(sandbox: PopulationSandbox, credentials: PlatformCredentials): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const faults = new FaultController();
  const authority = new PlatformAuthority({ credentials });
  const sandboxAuth = createClientCredentialsLgspAuth({ tokenUrl: sandbox.tokenUrl, credentials });
  const recordings = new Map<string, Recorded>();
  let lastLookup: { body: string; contentType: string; soapAction: string } | undefined;

  async function forward(req: IncomingMessage, body: Buffer): Promise<Recorded> {
    const headers: Record<string, string> = { ...(await sandboxAuth.headers()) };
    for (const name of ['content-type', 'soapaction', 'x-request-id', 'traceparent']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await request(new URL(req.url ?? '/', sandbox.baseUrl), { method: (req.method ?? 'GET') as 'GET', headers, ...(body.length > 0 && { body }) });
    return { status: answer.statusCode, contentType: String(answer.headers['content-type'] ?? 'text/xml'), body: Buffer.from(await answer.body.arrayBuffer()) };
  }

  function send(res: ServerResponse, answer: Recorded): void {
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    res.end(answer.body);
  }

  async function handleSoapCall(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readRequestBody(req);
    const text = body.toString('utf8');
    const operation = soapOperationOf(req.headers.soapaction, text);
    const check = authority.checkCall(req);
    if (!check.ok) return sendPlatformRejection(res, check);
    const outcome = await applyHttpFault(faults.next(operation), req, res);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') return sendPlatformRejection(res, { ok: false, status: 401, reason: 'expired' });
    if (outcome === 'soap-fault') {
      // Rare in the benchmark: let the sandbox render it.
      sandbox.faults.set({ kind: 'soap-fault' }, { times: 1 });
      return send(res, await forward(req, body));
    }
    if (operation !== 'TraCuuThongTinCongDan') return send(res, await forward(req, body));
    lastLookup = { body: text, contentType: String(req.headers['content-type'] ?? ''), soapAction: String(req.headers.soapaction ?? '') };
    const key = text.replace(/<((?:[\w.-]+:)?MaYeuCau)>[^<]*<\/\1>/, '');
    let answer = recordings.get(key);
    if (!answer) {
      answer = await forward(req, body);
      if (answer.status === 200) recordings.set(key, answer);
    }
    send(res, answer);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await handleFaultControlRequest(faults, req, res)) return;
    const pathname = (req.url ?? '/').split('?')[0]!.replace(/\/$/, '');
    if (pathname === '/token') {
      const outcome = await applyHttpFault(faults.next('token'), req, res);
      if (outcome === 'handled') return;
      if (outcome !== 'continue') return sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      return authority.handleTokenRequest(req, res);
    }
    if (pathname === lastLookupPath) return lastLookup ? sendJson(res, 200, lastLookup) : sendJson(res, 404, { error: 'no lookup seen yet' });
    if (pathname === populationEndpointPath && req.method === 'POST') return handleSoapCall(req, res);
    send(res, await forward(req, await readRequestBody(req)));
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'bench_upstream_error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.LGSP_BENCH_UPSTREAMS ?? '{}') as UpstreamSettings;
  const closers: Array<() => Promise<void>> = [];
  const baseUrls: string[] = [];
  for (let index = 0; index < settings.count; index += 1) {
    const sandbox = await startPopulationSandbox({ credentials: settings.credentials });
    closers.push(() => sandbox.close());
    if (settings.mode === 'sandbox') {
      baseUrls.push(sandbox.baseUrl);
      continue;
    }
    const replay = await startReplayUpstream(sandbox, settings.credentials);
    closers.push(() => replay.close());
    baseUrls.push(replay.baseUrl);
  }
  const stop = () => {
    Promise.allSettled(closers.map((close) => close())).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // The benchmark owns this process: when it goes away (even killed), so do we.
  process.once('disconnect', stop);
  process.send?.({ type: 'ready', baseUrls } satisfies UpstreamsReady);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench upstream failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
