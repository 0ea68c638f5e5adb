import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { UpstreamError } from '../../../src/connector-kit/upstream-errors.js';

/** A SOAP upstream that answers whatever the test scripts next, and records the request targets it saw. */
export interface ScriptedSoapUpstream {
  origin: string;
  answer: { status: number; body: string };
  targets: string[];
  close(): Promise<void>;
}

export async function startScriptedSoapUpstream(): Promise<ScriptedSoapUpstream> {
  const scripted: ScriptedSoapUpstream = { origin: '', answer: { status: 200, body: '' }, targets: [], close: async () => undefined };
  const server = http.createServer((request, response) => {
    scripted.targets.push(request.url ?? '');
    request.resume();
    request.on('end', () => response.writeHead(scripted.answer.status, { 'content-type': 'text/xml; charset=utf-8' }).end(scripted.answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  scripted.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  scripted.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return scripted;
}

export type CallOutcome = { ok: true; result: unknown } | { ok: false; kind: string; upstreamCode?: string; message: string };

/** A call's result or classified failure, through JSON so Dates and undefined compare as a response body carries them. */
export async function callOutcome(call: Promise<unknown>): Promise<CallOutcome> {
  try {
    return { ok: true, result: JSON.parse(JSON.stringify((await call) ?? null)) };
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return { ok: false, kind: error.kind, upstreamCode: error.upstreamCode, message: error.message };
  }
}
