import type { Socket } from 'node:net';
import vm from 'node:vm';
import request from 'supertest';
import type { FaultController } from '../../simulators/kit/fault-injection.js';
import type { Harness } from '../support/embedded-harness.js';
import { personalDataHeaders } from '../support/embedded-harness.js';

/**
 * Shared by the fault suite (test/faults/*.e2e.test.ts): a crash watch,
 * timing helpers and socket counting, so every file asserts with numbers.
 */

/**
 * The real process object. Jest gives each test file a copy of `process`
 * whose listeners never fire (its own handlers sit on the real one), so the
 * watch reaches the real one through the main V8 context.
 */
const realProcess = vm.runInThisContext('process') as NodeJS.Process;

export interface CrashWatch {
  readonly events: ReadonlyArray<{ event: 'unhandledRejection' | 'uncaughtException'; message: string }>;
}

/**
 * Records every 'unhandledRejection' and 'uncaughtException' of the process
 * while the file runs, and fails the file in afterAll if there was any.
 * Call once at the top of each fault test file.
 */
export function watchForCrashes(): CrashWatch {
  const events: Array<{ event: 'unhandledRejection' | 'uncaughtException'; message: string }> = [];
  const onRejection = (reason: unknown) => events.push({ event: 'unhandledRejection', message: describeError(reason) });
  const onException = (error: unknown) => events.push({ event: 'uncaughtException', message: describeError(error) });
  beforeAll(() => {
    realProcess.on('unhandledRejection', onRejection);
    realProcess.on('uncaughtException', onException);
  });
  afterAll(async () => {
    // A rejection is reported after the microtask queue drains: give stragglers of the last test a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    realProcess.off('unhandledRejection', onRejection);
    realProcess.off('uncaughtException', onException);
    expect(events).toEqual([]);
  });
  return { events };
}

function describeError(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}

/** TCP sockets of this process with one end on `port` (both ends count when client and server live here). */
export function socketsOnPort(port: number): number {
  // process._getActiveHandles is undocumented but present from Node 0.x to 24; it is the only way to see sockets by port.
  const handles = (realProcess as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle): handle is Socket => {
    const socket = handle as Partial<Socket>;
    return typeof socket.remotePort === 'number' && !socket.destroyed && (socket.remotePort === port || socket.localPort === port);
  }).length;
}

export function portOf(baseUrl: string): number {
  return Number(new URL(baseUrl).port);
}

/** The fault switches of one of the harness's sandboxes. */
export function faultsOf(harness: Harness, connectorId: string): FaultController {
  return (harness.stack.sandboxes[connectorId] as unknown as { faults: FaultController }).faults;
}

export interface TimedResponse {
  status: number;
  code?: string;
  retryAfter?: string;
  ms: number;
}

/** One API call with its status, problem code and wall time. */
export async function timed(call: request.Test): Promise<TimedResponse> {
  const started = performance.now();
  const response = await call;
  return {
    status: response.status,
    code: (response.body as { code?: string } | undefined)?.code,
    retryAfter: response.headers['retry-after'],
    ms: performance.now() - started,
  };
}

export function citizenLookup(harness: Harness, token: string, personalId = '001090012345'): request.Test {
  return request(harness.url).get(`/api/v1/population/citizens/${personalId}`).set(personalDataHeaders(token));
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** A metric's value from the ops listener's /metrics text (0 when the series is absent). */
export async function metricValue(harness: Harness, series: string): Promise<number> {
  const text = (await request(harness.opsUrl).get('/metrics')).text;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
