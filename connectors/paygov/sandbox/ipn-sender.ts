import { setTimeout as delay } from 'node:timers/promises';
import { ipnChecksum } from '../checksum.js';
import type { IpnMessage } from '../upstream-types.js';

/**
 * Sends IPNs the way the platform does (ASSUMED retry rule, not public): a
 * JSON POST to the province's registered callback; an answer carrying a
 * MaLoi (any code) ends the delivery, while no answer, a non-2xx or an
 * unreadable body is retried up to `attempts` times, `retryDelayMs` apart.
 * Every attempt is logged so tests can see what the gateway was sent and
 * what it said.
 */

export interface IpnAttempt {
  status?: number;
  answer?: unknown;
  error?: string;
}

export interface IpnDelivery {
  /** Exactly what was POSTed (hostile modes included). */
  message: IpnMessage;
  /** The hostile mode that shaped it, if any. */
  hostile?: HostileIpnMode;
  attempts: IpnAttempt[];
  /** The answer that ended the delivery; undefined when every attempt failed (or no callback is set). */
  answer?: unknown;
}

/**
 * Hostile IPN behaviours a test switches on (one at a time, like faults):
 *   wrong-checksum          MaXacThuc sealed with a secret that is not the shared one
 *   amount-changed          SoTien differs from the INIT's (correctly sealed: the platform "says" it)
 *   currency-changed        MaTienTe "USD" (correctly sealed)
 *   unknown-reference       MaThamChieu the province never created (correctly sealed)
 *   duplicate               every IPN is sent twice, byte for byte
 *   before-init-answer      INIT settles the payment as paid and delivers its IPN before answering
 *   ipn-for-closed-payment  a cancelled or expired payment still gets a "paid" IPN afterwards
 *   late-failed-after-paid  a "paid" IPN is followed by a "failed" one for the same payment
 */
export const hostileIpnModes = [
  'wrong-checksum',
  'amount-changed',
  'currency-changed',
  'unknown-reference',
  'duplicate',
  'before-init-answer',
  'ipn-for-closed-payment',
  'late-failed-after-paid',
] as const;
export type HostileIpnMode = (typeof hostileIpnModes)[number];

/** One hostile mode at a time; `times` bounds how many payments it touches (until cleared when absent). */
export class HostileIpnSwitch {
  private current: { mode: HostileIpnMode; remaining?: number } | undefined;

  set(mode: HostileIpnMode, options: { times?: number } = {}): void {
    if (!hostileIpnModes.includes(mode)) throw new TypeError(`unknown hostile IPN mode ${JSON.stringify(mode)}; expected one of ${hostileIpnModes.join(', ')}`);
    if (options.times !== undefined && (!Number.isInteger(options.times) || options.times < 1)) throw new TypeError('times must be a positive integer');
    this.current = { mode, ...(options.times !== undefined && { remaining: options.times }) };
  }

  clear(): void {
    this.current = undefined;
  }

  get active(): { mode: HostileIpnMode; remaining?: number } | undefined {
    return this.current && { ...this.current };
  }

  /** Whether `mode` is on; consumes one of its `times` when it is. */
  take(mode: HostileIpnMode): boolean {
    if (this.current?.mode !== mode) return false;
    if (this.current.remaining !== undefined && --this.current.remaining <= 0) this.current = undefined;
    return true;
  }
}

/** Applies a message-altering hostile mode, re-sealing where the platform itself would have sealed the altered message. */
export function alterIpn(message: IpnMessage, mode: HostileIpnMode, secretKey: string): IpnMessage {
  const reseal = (altered: IpnMessage): IpnMessage => ({ ...altered, MaXacThuc: ipnChecksum(altered as never, secretKey) });
  switch (mode) {
    case 'wrong-checksum':
      return { ...message, MaXacThuc: ipnChecksum(message as never, `${secretKey}-not-the-shared-one`) };
    case 'amount-changed': {
      const amount = Number(message.SoTien);
      return reseal({ ...message, SoTien: String(amount > 1000 ? amount - 1000 : amount + 1000) });
    }
    case 'currency-changed':
      return reseal({ ...message, MaTienTe: 'USD' });
    case 'unknown-reference':
      return reseal({ ...message, MaThamChieu: `ZZ${String(message.MaThamChieu ?? '').slice(2) || '0'}`.slice(0, 20) });
    default:
      return message;
  }
}

export interface IpnSenderOptions {
  attempts: number;
  retryDelayMs: number;
  /** Per attempt. */
  timeoutMs: number;
}

export class IpnSender {
  readonly deliveries: IpnDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly callbackUrl: () => string | undefined,
    private readonly options: IpnSenderOptions,
  ) {}

  /** Sends in the background; `idle()` waits for it. */
  send(message: IpnMessage, hostile?: HostileIpnMode): Promise<void> {
    const delivery: IpnDelivery = { message, ...(hostile && { hostile }), attempts: [] };
    this.deliveries.push(delivery);
    const running = this.deliver(delivery).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }

  /** Counts a task that sends IPNs one after another (so `idle()` also waits for the ones it has not started yet). */
  track(task: Promise<void>): Promise<void> {
    const running = task.finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }

  /** Resolves once every IPN sent so far (and any they cause) has finished its attempts. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(delivery: IpnDelivery): Promise<void> {
    const url = this.callbackUrl();
    if (!url) {
      delivery.attempts.push({ error: 'no callback URL configured' });
      return;
    }
    const body = JSON.stringify(delivery.message);
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (attempt > 1) await delay(this.options.retryDelayMs);
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' });
        const text = await response.text();
        let answer: unknown;
        try {
          answer = JSON.parse(text);
        } catch {
          answer = undefined;
        }
        delivery.attempts.push({ status: response.status, ...(answer !== undefined ? { answer } : {}) });
        const code = (answer as { MaLoi?: unknown } | undefined)?.MaLoi;
        if (response.ok && typeof code === 'string') {
          delivery.answer = answer;
          return;
        }
      } catch (error) {
        delivery.attempts.push({ error: error instanceof Error ? error.name : 'error' });
      }
    }
  }
}
