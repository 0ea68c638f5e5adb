import type { IncomingMessage } from 'node:http';
import { readRequestBody } from '../../../simulators/kit/http-helpers.js';
import { PlatformAuthority, sendPlatformRejection, type PlatformCredentials } from '../../../simulators/kit/platform-auth.js';
import { seededPeople } from '../../../simulators/kit/people.js';
import { startRestSandbox, type RestAnswer, type RestSandbox } from '../../../simulators/kit/rest-sandbox.js';
import { answerCancelOrder, answerPostOrder, answerTracking, vnpostResults, vnpostSystemError } from './operations.js';
import { OrderBook, sandboxCustomerCode, type OrderBookOptions } from './order-book.js';

/**
 * Simulator of VNPost's order API as a province reaches it: through the
 * data-sharing platform (OAuth2 client credentials + lgspaccesstoken, the
 * kit's PlatformAuthority), REST/JSON under /apiVNPostNGSP/p1.0, seeded
 * shipments of the shared seeded people, orders that move along by the
 * clock or by `advance`, and the same fault switches as every sandbox.
 * In-process only; the gateway starts it in embedded mode, tests on port 0.
 */

/** Development credentials; embedded mode's config for this connector (embedded.ts). */
export const postalSandboxDevCredentials: Readonly<Required<PlatformCredentials>> = Object.freeze({
  clientId: 'lgsp-dev-province',
  clientSecret: 'dev-only-vnpost-client-secret',
  accessKey: 'dev-only-vnpost-access-key',
  secretKey: 'dev-only-vnpost-secret-key',
  appName: 'LGSP-DEV',
  partnerCode: '000.00.00.H00',
  partnerCodeCus: '000.00.01.H00',
});

export const postalApiPath = '/apiVNPostNGSP/p1.0';
export const postalTokenPath = '/token';
/** Operation names for fault scopes; `token` is the token endpoint. */
export const postalOperations = { post: 'apiPostOrder', cancel: 'apiCancelOrder', tracking: 'apiGetOrderTracking' } as const;

export interface PostalSandboxOptions extends OrderBookOptions {
  host?: string;
  port?: number;
  credentials?: Partial<PlatformCredentials>;
  /** The province's customer code the sandbox accepts (default the development one). */
  customerCode?: string;
}

export interface PostalSandbox extends RestSandbox {
  apiUrl: string;
  book: OrderBook;
  authority: PlatformAuthority;
  /**
   * The next `times` apiPostOrder calls book the order and then drop the
   * connection without an answer: VNPost created it, the gateway never heard
   * (what "applied once" must survive).
   */
  loseAnswersAfterCreate(times?: number): void;
}

export async function startPostalSandbox(options: PostalSandboxOptions = {}): Promise<PostalSandbox> {
  seededPeople(); // build the people now, not on the first call
  const book = new OrderBook(options);
  const customerCode = options.customerCode ?? sandboxCustomerCode;
  const defined = Object.fromEntries(Object.entries(options.credentials ?? {}).filter(([, value]) => value !== undefined));
  const authority = new PlatformAuthority({ credentials: { ...postalSandboxDevCredentials, ...defined }, ...(options.now && { now: options.now }) });
  let answersToLose = 0;

  const jsonBody = async (request: IncomingMessage): Promise<unknown> => {
    try {
      return JSON.parse((await readRequestBody(request, 100_000)).toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const postOrder = async (request: IncomingMessage): Promise<RestAnswer> => {
    const answer = answerPostOrder(book, await jsonBody(request), customerCode);
    if (answer.status === 200 && answersToLose > 0) {
      answersToLose -= 1;
      request.socket.destroy();
    }
    return answer;
  };

  const sandbox = await startRestSandbox(
    {
      authRoutes: { [postalTokenPath]: (request, response) => authority.handleTokenRequest(request, response) },
      authorize(request, response) {
        const check = authority.checkCall(request);
        if (!check.ok) sendPlatformRejection(response, check);
        return check.ok;
      },
      rejectExpired: (response) => sendPlatformRejection(response, { ok: false, status: 401, reason: 'token expired' }),
      systemError: vnpostSystemError,
      routes: {
        [`${postalApiPath}/order/post`]: { operation: postalOperations.post, method: 'POST', answer: (_url, request) => postOrder(request) },
        [`${postalApiPath}/order/cancel`]: { operation: postalOperations.cancel, method: 'POST', answer: async (_url, request) => answerCancelOrder(book, await jsonBody(request), customerCode) },
        [`${postalApiPath}/order/tracking`]: { operation: postalOperations.tracking, method: 'GET', answer: (url) => answerTracking(book, url.searchParams) },
      },
    },
    { ...(options.host !== undefined && { host: options.host }), ...(options.port !== undefined && { port: options.port }) },
  );
  return {
    ...sandbox,
    apiUrl: `${sandbox.baseUrl}${postalApiPath}`,
    book,
    authority,
    loseAnswersAfterCreate(times = 1) {
      answersToLose = times;
    },
  };
}

export { vnpostResults };
