import { request, type Dispatcher } from 'undici';
import type { JsonSchema } from '../json-schema.js';
import { loginAnswerMaxBytes, readBoundedBody } from '../bounded-body.js';
import { UpstreamError } from '../upstream-errors.js';
import { redirectRefused } from '../upstream-redirect.js';
import { noAnswerFailure } from '../upstream-transport.js';
import { SharedLogin } from './shared-login.js';
import type { UpstreamAuth } from './upstream-auth.js';

/**
 * The provincial bus's session scheme (REFERENCE.md, "How provinces reach
 * national systems"): `POST {adapter}/login` with JSON `{username, password}`
 * and a `dstcode` header (the destination system's code on the bus), answered
 * `{session, error_code: 0}`; every later call carries the session and
 * `dstcode` again.
 *
 * headers() gives `{ session, dstcode }`: REST connectors send both as headers
 * (the business-registry proxy); connectors whose upstream wants the session
 * inside a JSON body (the national public-service portal's `{session,
 * madonvi, service, ...}`) lift `session` from the same headers into the body.
 *
 * The login reply says nothing about the session's lifetime: the session is
 * kept until the upstream refuses it (401 → invalidate() → one new login), or
 * until `maxSessionAgeMs`, whichever comes first, so an idle gateway does not
 * hit a session the adapter dropped silently.
 */
export interface SessionDstcodeCredentials {
  username: string;
  password: string;
  /** The destination system's code on the bus. */
  dstcode: string;
}

export const sessionDstcodeCredentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password', 'dstcode'],
  properties: {
    username: { type: 'string', minLength: 1, description: 'Account of the province on the bus adapter.' },
    password: { type: 'string', minLength: 1, 'x-secret': true, writeOnly: true },
    dstcode: { type: 'string', minLength: 1, description: 'dstcode: the destination system on the bus, sent on the login and on every call.' },
  },
} as const satisfies JsonSchema;

/** Where the adapter's session login is; createUpstreamAuth reads these settings for the session-dstcode scheme. */
export interface SessionLoginSettings {
  loginPath?: string;
  loginUrl?: string;
}

/** The settings-schema properties of SessionLoginSettings, for a session-dstcode connector's settingsSchema. */
export const sessionLoginSettingsProperties = {
  loginPath: { type: 'string', pattern: '^/', default: '/login', description: "The adapter's session login, relative to baseUrl." },
  loginUrl: { type: 'string', format: 'uri', description: 'The session login as an absolute URL, when it is not under baseUrl.' },
} as const satisfies Record<string, JsonSchema>;

export const defaultMaxSessionAgeMs = 20 * 60_000;

interface Session {
  value: string;
  renewAt: number;
}

/** `error_code` arrives as 0 or "0" depending on the adapter's version. */
function succeeded(errorCode: unknown): boolean {
  return errorCode === 0 || errorCode === '0';
}

export function createSessionDstcodeAuth(options: {
  loginUrl: string;
  credentials: SessionDstcodeCredentials;
  maxSessionAgeMs?: number;
  timeoutMs?: number;
  /** Opens the connection like the upstream's own calls (address guard, client certificate): createUpstreamDispatcher. Absent: undici's global one. */
  dispatcher?: Dispatcher;
  now?: () => number;
}): UpstreamAuth {
  const { loginUrl, credentials } = options;
  const now = options.now ?? Date.now;
  const maxAge = options.maxSessionAgeMs ?? defaultMaxSessionAgeMs;
  let current: Session | undefined;

  // Shared by every waiting call (SharedLogin), so no single caller's abort may cancel it: it has its own timeout.
  async function logIn(): Promise<Session> {
    const deadline = AbortSignal.timeout(options.timeoutMs ?? 5000);
    const reply = await request(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', dstcode: credentials.dstcode },
      body: JSON.stringify({ username: credentials.username, password: credentials.password }),
      signal: deadline,
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    }).catch((error: unknown) => {
      throw noAnswerFailure(error, { timedOut: deadline.aborted, what: 'session login' });
    });
    const text = (await readBoundedBody(reply.body, loginAnswerMaxBytes, reply.headers['content-length'])).toString('utf8');
    const redirect = redirectRefused({ status: reply.statusCode, location: reply.headers.location, requestUrl: loginUrl }, 'settings.loginUrl');
    if (redirect) throw redirect;
    if (reply.statusCode === 401 || reply.statusCode === 403) throw new UpstreamError('auth', `session login refused (HTTP ${reply.statusCode})`, { httpStatus: reply.statusCode });
    if (reply.statusCode !== 200) throw new UpstreamError('http', `session login answered HTTP ${reply.statusCode}`, { upstreamCode: String(reply.statusCode) });
    let answer: { session?: unknown; error_code?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch (error) {
      throw new UpstreamError('garbage', 'session login answer is not JSON', { cause: error });
    }
    // Wrong account or dstcode: the adapter answers 200 with a non-zero error_code.
    if (!succeeded(answer.error_code)) throw new UpstreamError('auth', 'session login refused by the adapter', { upstreamCode: String(answer.error_code) });
    if (typeof answer.session !== 'string' || answer.session === '') throw new UpstreamError('garbage', 'session login answered without a session');
    return { value: answer.session, renewAt: now() + maxAge };
  }
  const shared = new SharedLogin(logIn, (session) => {
    current = session;
  });

  return {
    scheme: 'session-login+dstcode',
    async headers(signal) {
      const session = current && now() < current.renewAt ? current : await shared.join(signal);
      return { session: session.value, dstcode: credentials.dstcode };
    },
    invalidate() {
      current = undefined;
    },
  };
}
