import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { applyHttpFault, FaultController, handleFaultControlRequest } from '../../../simulators/kit/fault-injection.js';
import { readRequestBody, sendJson, sendText } from '../../../simulators/kit/http-helpers.js';
import type { RestAnswer } from '../../../simulators/kit/rest-sandbox.js';
import { startSandboxHttpServer } from '../../../simulators/kit/sandbox-http-server.js';
import { ipnChecksum } from '../checksum.js';
import { defaultPaths, type PaygovCredentials } from '../client.js';
import { ipnResultCodes, platformReplyCodes, type IpnMessage } from '../upstream-types.js';
import { alterIpn, HostileIpnSwitch, hostileIpnModes, IpnSender, type HostileIpnMode, type IpnDelivery } from './ipn-sender.js';
import { notFoundPage, payerPage, payerPageSecurityHeaders, sandboxBanks } from './payer-page.js';
import { platformError, resultCodeOf, SandboxPlatform, type SandboxPayment } from './platform.js';

/**
 * Simulator of the national portal's payment platform as the gateway meets
 * it: INIT / QUERY / GET_BILL over JSON POST, sealed with MaXacThuc; a payer
 * page at the payment URL (pay, bank refusal, cancel); IPNs POSTed to the
 * province's callback with retries; an expire action; the kit's fault
 * switches on the three API calls, and hostile IPN modes (ipn-sender.ts).
 * In-process only; embedded mode starts it, tests on port 0.
 */

export const paygovSandboxDevCredentials: Readonly<PaygovCredentials> = Object.freeze({
  partnerCode: 'LGSP-DEV',
  secretKey: 'dev-only-paygov-checksum-secret',
});

/** Operation names for fault scopes (`{ operation: 'QUERY' }`). */
export const paygovOperations = { init: 'INIT', query: 'QUERY', getBill: 'GET_BILL' } as const;
export const payerPagePath = '/thanh-toan';
/** The gateway's IPN route: where IPNs go once the gateway says where it listens, unless a callback URL is configured. */
export const gatewayIpnPath = '/callbacks/paygov/ipn';
export const sandboxControlPaths = { hostile: '/__sandbox/hostile-ipn', ipnUrl: '/__sandbox/ipn-url', deliveries: '/__sandbox/ipn-deliveries', payments: '/__sandbox/payments' } as const;

/** The payer page's buttons: pay, the bank refuses, the payer cancels, the time to pay runs out (no IPN for that, assumed). */
const payerActions = { pay: 'paid', fail: 'failed', cancel: 'cancelled', expire: 'expired' } as const;
/** How long a button waits for the IPN's answer before showing the page (the IPN carries on after). */
const payerPageIpnWaitMs = 3000;

const apiBodyLimitBytes = 64 * 1024;
const formBodyLimitBytes = 4 * 1024;

export interface PaygovSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Merged over the development credentials. */
  credentials?: Partial<PaygovCredentials>;
  /**
   * Where IPNs go (the connector's `callbackUrl` setting); settable later with
   * setIpnUrl or the control API. Absent: nowhere until gatewayListening.
   */
  ipnUrl?: string;
  /** The connector's initPath / queryPath / billPath settings, so a section that moves them still reaches this sandbox. */
  paths?: Partial<Record<keyof typeof defaultPaths, string>>;
  ipnAttempts?: number;
  ipnRetryDelayMs?: number;
  ipnTimeoutMs?: number;
  now?: () => number;
}

export interface PaygovSandbox {
  baseUrl: string;
  faults: FaultController;
  hostile: HostileIpnSwitch;
  /** Every IPN sent, with each attempt and the answer that ended it. */
  readonly deliveries: readonly IpnDelivery[];
  setIpnUrl(url: string | undefined): void;
  /** The current IPN destination (undefined: IPNs are recorded as undeliverable). */
  readonly ipnUrl: string | undefined;
  /** The gateway listens at `gatewayUrl`: IPNs go to its /callbacks/paygov/ipn, unless a callback URL was configured (ipnUrl option). */
  gatewayListening(gatewayUrl: string): void;
  /** A copy of the payment as the platform holds it. */
  payment(reference: string): SandboxPayment | undefined;
  /** What the payer page's buttons do, for tests without HTML; false when the payment is unknown or no longer pending. */
  pay(reference: string, bankCode?: string): boolean;
  fail(reference: string): boolean;
  cancel(reference: string): boolean;
  /** Marks a pending payment expired; the platform sends no IPN for it (assumed), QUERY then says failed. */
  expire(reference: string): boolean;
  /** The platform starts sealing with (and expecting) another secret. */
  rotateSecret(secretKey: string): void;
  /** Waits until every IPN triggered so far has finished its attempts. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startPaygovSandbox(options: PaygovSandboxOptions = {}): Promise<PaygovSandbox> {
  const account = { ...paygovSandboxDevCredentials, ...definedOnly(options.credentials ?? {}) };
  const now = options.now ?? Date.now;
  const platform = new SandboxPlatform(account, now);
  const faults = new FaultController();
  const hostile = new HostileIpnSwitch();
  let ipnUrl = options.ipnUrl;
  const paths = { ...defaultPaths, ...definedOnly(options.paths ?? {}) };
  const sender = new IpnSender(() => ipnUrl, { attempts: options.ipnAttempts ?? 3, retryDelayMs: options.ipnRetryDelayMs ?? 200, timeoutMs: options.ipnTimeoutMs ?? 5000 });

  const sealed = (message: IpnMessage): IpnMessage => ({ ...message, MaXacThuc: ipnChecksum(message as never, platform.secretKey) });

  /**
   * One IPN, shaped by the message-altering hostile modes and sent twice under
   * `duplicate`. The modes are taken when the IPN is decided (synchronously),
   * not when it is sent, so concurrent payments cannot steal each other's.
   */
  function ipnTask(message: IpnMessage, forcedMode?: HostileIpnMode): () => Promise<void> {
    const altering = (['wrong-checksum', 'amount-changed', 'currency-changed', 'unknown-reference'] as const).find((mode) => hostile.take(mode));
    const duplicate = hostile.take('duplicate');
    const mode = altering ?? forcedMode;
    return async () => {
      const outgoing = altering ? alterIpn(sealed(message), altering, platform.secretKey) : sealed(message);
      await sender.send(outgoing, mode);
      if (duplicate) await sender.send(outgoing, 'duplicate');
    };
  }

  /** The payer's choice and every IPN it causes, in order. */
  function settle(payment: SandboxPayment, outcome: 'paid' | 'failed' | 'cancelled' | 'expired', bankCode?: string): { settled: boolean; notified: Promise<void> } {
    if (!platform.settle(payment, outcome, bankCode)) return { settled: false, notified: Promise.resolve() };
    const tasks: Array<() => Promise<void>> = [];
    if (outcome !== 'expired') tasks.push(ipnTask(platform.ipnFor(payment, resultCodeOf(outcome))));
    if (outcome === 'paid' && hostile.take('late-failed-after-paid')) tasks.push(ipnTask(platform.ipnFor(payment, ipnResultCodes.failed), 'late-failed-after-paid'));
    if ((outcome === 'cancelled' || outcome === 'expired') && hostile.take('ipn-for-closed-payment')) tasks.push(ipnTask(platform.ipnFor(payment, ipnResultCodes.paid), 'ipn-for-closed-payment'));
    // In order, one after the other: a late "failed" really arrives after the "paid".
    const notified = sender.track(
      (async () => {
        for (const task of tasks) await task();
      })(),
    );
    return { settled: true, notified };
  }

  const settleByReference = (reference: string, outcome: 'paid' | 'failed' | 'cancelled' | 'expired', bankCode?: string): boolean => {
    const payment = platform.payment(reference);
    return payment ? settle(payment, outcome, bankCode).settled : false;
  };

  async function apiCall(operation: string, request: IncomingMessage, response: ServerResponse, answer: (body: unknown) => RestAnswer | Promise<RestAnswer>): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
    const outcome = await applyHttpFault(faults.next(operation), request, response);
    if (outcome === 'handled') return;
    if (outcome === 'expired-token') return sendJson(response, 401, { error: 'unauthorized' });
    if (outcome === 'soap-fault') {
      const failure = platformError(platformReplyCodes.systemError, 500);
      return sendJson(response, failure.status, failure.body);
    }
    let body: unknown;
    try {
      body = JSON.parse((await readRequestBody(request, apiBodyLimitBytes)).toString('utf8'));
    } catch (error) {
      const tooLarge = error instanceof Error && error.message.includes('over');
      const failure = platformError(platformReplyCodes.invalidMessage, tooLarge ? 413 : 400);
      return sendJson(response, failure.status, failure.body, tooLarge ? { connection: 'close' } : {});
    }
    const result = await answer(body);
    sendJson(response, result.status, result.body);
  }

  async function init(body: unknown): Promise<RestAnswer> {
    const { answer, payment, created } = platform.init(body);
    if (!payment) return answer;
    const reply = { ...(answer.body as object), UrlThanhToan: `${baseUrlOf()}${payerPagePath}/${payment.token}` };
    // The race a real platform can produce: the payer pays (and the IPN arrives) before the INIT answer reaches the province.
    if (created && hostile.take('before-init-answer')) await settle(payment, 'paid', 'VCB').notified;
    return { status: answer.status, body: reply };
  }

  async function payerRoute(request: IncomingMessage, response: ServerResponse, token: string, action: string | undefined): Promise<void> {
    const payment = platform.paymentByToken(token);
    if (!payment) return sendText(response, 404, 'text/html; charset=utf-8', notFoundPage(), payerPageSecurityHeaders);
    const pagePath = `${payerPagePath}/${payment.token}`;
    const page = () => payerPage(payment, pagePath, sender.deliveries.filter((delivery) => delivery.message.MaThamChieu === payment.reference));
    if (action === undefined) {
      if (request.method !== 'GET') return sendText(response, 405, 'text/plain', 'method not allowed', { allow: 'GET' });
      return sendText(response, 200, 'text/html; charset=utf-8', page(), payerPageSecurityHeaders);
    }
    if (!Object.hasOwn(payerActions, action)) return sendText(response, 404, 'text/html; charset=utf-8', notFoundPage(), payerPageSecurityHeaders);
    if (request.method !== 'POST') return sendText(response, 405, 'text/plain', 'method not allowed', { allow: 'POST' });
    const form = new URLSearchParams((await readRequestBody(request, formBodyLimitBytes)).toString('utf8'));
    const bank = sandboxBanks.find((candidate) => candidate.code === form.get('MaNganHang'))?.code ?? 'VCB';
    const outcome = payerActions[action as keyof typeof payerActions];
    const { settled, notified } = settle(payment, outcome, outcome === 'paid' || outcome === 'failed' ? bank : undefined);
    if (!settled) return sendText(response, 409, 'text/html; charset=utf-8', page(), payerPageSecurityHeaders);
    // The page shows what the gateway answered the IPN: wait for it a little (it goes on in the background if slower), then post/redirect/get.
    const waited = new AbortController();
    await Promise.race([notified, delay(payerPageIpnWaitMs, undefined, { signal: waited.signal }).catch(() => undefined)]);
    waited.abort();
    response.writeHead(303, { location: pagePath, 'content-length': 0, ...payerPageSecurityHeaders }).end();
  }

  async function control(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (pathname === sandboxControlPaths.hostile) {
      if (request.method === 'DELETE') {
        hostile.clear();
        response.writeHead(204).end();
      } else if (request.method === 'POST') {
        const body = await jsonBody(request);
        try {
          hostile.set(body?.mode as HostileIpnMode, body?.times === undefined ? {} : { times: body.times as number });
          sendJson(response, 200, { active: hostile.active });
        } catch (error) {
          sendJson(response, 400, { error: (error as Error).message, modes: hostileIpnModes });
        }
      } else sendJson(response, 200, { active: hostile.active ?? null, modes: hostileIpnModes });
      return true;
    }
    if (pathname === sandboxControlPaths.ipnUrl && request.method === 'POST') {
      const url = (await jsonBody(request))?.url;
      if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url))) sendJson(response, 400, { error: 'url must be an http(s) URL, or null' });
      else {
        ipnUrl = url ?? undefined;
        sendJson(response, 200, { url: ipnUrl ?? null });
      }
      return true;
    }
    if (pathname === sandboxControlPaths.deliveries && request.method === 'GET') {
      sendJson(response, 200, { deliveries: sender.deliveries });
      return true;
    }
    const expire = new RegExp(`^${sandboxControlPaths.payments}/([A-Za-z0-9]{1,20})/expire$`).exec(pathname);
    if (expire && request.method === 'POST') {
      const payment = platform.payment(expire[1]!);
      if (!payment) sendJson(response, 404, { error: 'no such payment' });
      else if (!settle(payment, 'expired').settled) sendJson(response, 409, { error: 'payment is not pending', state: payment.state });
      else sendJson(response, 200, { reference: payment.reference, state: payment.state });
      return true;
    }
    return false;
  }

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (await handleFaultControlRequest(faults, request, response)) return;
    const pathname = new URL(request.url ?? '/', 'http://sandbox').pathname.replace(/\/$/, '');
    if (await control(request, response, pathname)) return;
    if (pathname === paths.init) return apiCall(paygovOperations.init, request, response, init);
    if (pathname === paths.query) return apiCall(paygovOperations.query, request, response, (body) => platform.query(body));
    if (pathname === paths.getBill) return apiCall(paygovOperations.getBill, request, response, (body) => platform.getBill(body));
    const page = new RegExp(`^${payerPagePath}/([0-9a-f]{32})(?:/([a-z]+))?$`).exec(pathname);
    if (page) return payerRoute(request, response, page[1]!, page[2]);
    sendJson(response, 404, { error: 'not_found' });
  }

  const server = await startSandboxHttpServer(dispatch, { ...(options.host !== undefined && { host: options.host }), ...(options.port !== undefined && { port: options.port }) });
  const baseUrlOf = () => server.baseUrl;

  return {
    baseUrl: server.baseUrl,
    faults,
    hostile,
    deliveries: sender.deliveries,
    setIpnUrl: (url) => {
      ipnUrl = url;
    },
    get ipnUrl() {
      return ipnUrl;
    },
    gatewayListening: (gatewayUrl) => {
      if (options.ipnUrl === undefined) ipnUrl = `${gatewayUrl.replace(/\/+$/, '')}${gatewayIpnPath}`;
    },
    payment: (reference) => {
      const payment = platform.payment(reference);
      return payment && structuredClone(payment);
    },
    pay: (reference, bankCode = 'VCB') => settleByReference(reference, 'paid', bankCode),
    fail: (reference) => settleByReference(reference, 'failed', 'VCB'),
    cancel: (reference) => settleByReference(reference, 'cancelled'),
    expire: (reference) => settleByReference(reference, 'expired'),
    rotateSecret: (secretKey) => platform.rotateSecret(secretKey),
    idle: () => sender.idle(),
    async close() {
      await server.close();
      await sender.idle();
    },
  };
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse((await readRequestBody(request, 10_000)).toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
