import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHttpFault } from '../../../simulators/kit/fault-injection.js';
import { readRequestBody, sendJson } from '../../../simulators/kit/http-helpers.js';
import { createSeededRandom, type SeededRandom } from '../../../simulators/kit/seeded-random.js';

/**
 * The portal's misbehaviour beyond the shared fault switches, for delivery
 * tests:
 *
 *   accept-then-time-out  the call is processed (a dossier or step stored),
 *                         then the answer is lost: the exchange hangs until
 *                         the client gives up (`hang`) or the connection is
 *                         dropped (`reset`). The client saw a failure; the
 *                         portal holds the write.
 *   random failures       each data call fails before it is processed with
 *                         probability `rate`, as HTTP 500, a reset connection
 *                         or a garbage answer, picked by a seeded RNG: the
 *                         same seed gives the same failures for the same
 *                         sequence of calls.
 *
 * Both may be on at once, beside a shared fault.
 */

export type RandomFailureKind = 'http-500' | 'reset' | 'garbage';

export interface AcceptThenTimeOut {
  /** Only calls of this service (e.g. `DongBoHoSoMC`); every data service when absent. */
  service?: string;
  /** Only the next `times` matching calls; until cleared when absent. */
  times?: number;
  /** How the answer is lost: the exchange hangs (default) or the connection drops. */
  how?: 'hang' | 'reset';
}

export interface RandomFailures {
  /** Probability in [0, 1] that a data call fails. */
  rate: number;
  seed: number;
  /** Default: all three. */
  kinds?: RandomFailureKind[];
  /** Only these services; every data service when absent. */
  services?: string[];
}

export interface ChaosSettings {
  acceptThenTimeOut?: AcceptThenTimeOut;
  randomFailures?: RandomFailures;
}

const allKinds: readonly RandomFailureKind[] = ['http-500', 'reset', 'garbage'];

export class PortalChaos {
  private lost: (AcceptThenTimeOut & { remaining?: number }) | undefined;
  private failures: { settings: RandomFailures; random: SeededRandom } | undefined;
  private failedCount = 0;
  private lostCount = 0;

  acceptThenTimeOut(settings: AcceptThenTimeOut = {}): void {
    if (settings.times !== undefined && (!Number.isInteger(settings.times) || settings.times < 1)) throw new TypeError('times must be a positive integer');
    if (settings.how !== undefined && settings.how !== 'hang' && settings.how !== 'reset') throw new TypeError('how must be hang or reset');
    this.lost = { ...settings, ...(settings.times !== undefined && { remaining: settings.times }) };
  }

  randomFailures(settings: RandomFailures): void {
    if (typeof settings.rate !== 'number' || !(settings.rate >= 0 && settings.rate <= 1)) throw new TypeError('rate must be a number in [0, 1]');
    if (!Number.isInteger(settings.seed)) throw new TypeError('seed must be an integer');
    const kinds = settings.kinds ?? allKinds;
    if (kinds.length === 0 || !kinds.every((kind) => allKinds.includes(kind))) throw new TypeError(`kinds must be among ${allKinds.join(', ')}`);
    this.failures = { settings: { ...settings, kinds: [...kinds] }, random: createSeededRandom(settings.seed) };
  }

  clear(): void {
    this.lost = undefined;
    this.failures = undefined;
  }

  /** Calls failed at random and answers lost since start (or the last resetCounts()). */
  counts(): { failedAtRandom: number; answersLost: number } {
    return { failedAtRandom: this.failedCount, answersLost: this.lostCount };
  }

  resetCounts(): void {
    this.failedCount = 0;
    this.lostCount = 0;
  }

  /** Before the call is processed: fails it at random (answering it here) or lets it through. */
  async failAtRandom(service: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const failures = this.failures;
    if (!failures || (failures.settings.services && !failures.settings.services.includes(service))) return false;
    // One draw per matching call, and a second only when it fails: the sequence depends on the calls alone.
    if (!failures.random.chance(failures.settings.rate)) return false;
    const kind = failures.random.pick(failures.settings.kinds!);
    this.failedCount += 1;
    await applyHttpFault({ kind }, request, response);
    return true;
  }

  /** After the call was processed: whether its answer is to be lost (and loses it). */
  async loseAnswer(service: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const lost = this.lost;
    if (!lost || (lost.service !== undefined && lost.service !== service)) return false;
    if (lost.remaining !== undefined) {
      lost.remaining -= 1;
      if (lost.remaining <= 0) this.lost = undefined;
    }
    this.lostCount += 1;
    await applyHttpFault({ kind: lost.how === 'reset' ? 'reset' : 'hang' }, request, response);
    return true;
  }
}

export const chaosControlPath = '/__sandbox/chaos';

/**
 * The HTTP control route, for benchmarks in another process: POST sets
 * (`{acceptThenTimeOut?, randomFailures?}`; what is absent is switched off),
 * DELETE clears. Returns false when the request is not for this route.
 */
export async function handleChaosControlRequest(chaos: PortalChaos, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const pathname = new URL(request.url ?? '/', 'http://sandbox').pathname.replace(/\/$/, '');
  if (pathname !== chaosControlPath) return false;
  if (request.method === 'DELETE') {
    chaos.clear();
    response.writeHead(204).end();
    return true;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'use POST or DELETE' }, { allow: 'POST, DELETE' });
    return true;
  }
  try {
    const settings = JSON.parse((await readRequestBody(request, 10_000)).toString('utf8')) as ChaosSettings;
    chaos.clear();
    if (settings.acceptThenTimeOut) chaos.acceptThenTimeOut(settings.acceptThenTimeOut);
    if (settings.randomFailures) chaos.randomFailures(settings.randomFailures);
    sendJson(response, 200, { ok: true });
  } catch (error) {
    chaos.clear();
    sendJson(response, 400, { error: error instanceof Error ? error.message : 'invalid settings' });
  }
  return true;
}
