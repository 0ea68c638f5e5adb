import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody, sendJson } from './http-helpers.js';

/**
 * The provincial bus adapter's session login as a sandbox plays it
 * (REFERENCE.md): `POST /login` with JSON `{username, password}` and a
 * `dstcode` header → `{session, error_code: 0}`; later calls carry `session`
 * and `dstcode`. A wrong account or dstcode is answered HTTP 200 with a
 * non-zero `error_code`, as adapters do; an unknown or expired session on a
 * data call gets HTTP 401. ASSUMPTIONS: the error codes and messages, the
 * session lifetime, and the session riding in a `session` header on GET calls.
 */
export interface SessionAccount {
  username: string;
  password: string;
  dstcode: string;
}

export const sessionErrorCodes = {
  badAccount: { error_code: 1, message: 'Tên đăng nhập hoặc mật khẩu không đúng' },
  badDstcode: { error_code: 2, message: 'Mã hệ thống đích (dstcode) không hợp lệ' },
  malformed: { error_code: 3, message: 'Yêu cầu đăng nhập không hợp lệ' },
} as const;

export type SessionCheck = { ok: true } | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'dstcode' };

export class SessionAuthority {
  private readonly sessions = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly account: SessionAccount,
    options: { sessionTtlSeconds?: number; now?: () => number } = {},
  ) {
    this.ttlMs = (options.sessionTtlSeconds ?? 1800) * 1000;
    this.now = options.now ?? Date.now;
  }

  async handleLogin(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, { error_code: 405, message: 'Chỉ hỗ trợ POST' }, { allow: 'POST' });
    let body: { username?: unknown; password?: unknown };
    try {
      body = JSON.parse((await readRequestBody(request, 10_000)).toString('utf8')) as typeof body;
    } catch {
      return sendJson(response, 200, sessionErrorCodes.malformed);
    }
    if (!sameText(request.headers.dstcode, this.account.dstcode)) return sendJson(response, 200, sessionErrorCodes.badDstcode);
    if (!sameText(body.username, this.account.username) || !sameText(body.password, this.account.password)) {
      return sendJson(response, 200, sessionErrorCodes.badAccount);
    }
    this.prune();
    const session = randomBytes(18).toString('hex');
    this.sessions.set(session, this.now() + this.ttlMs);
    sendJson(response, 200, { session, error_code: 0, message: 'Đăng nhập thành công' });
  }

  checkCall(request: IncomingMessage): SessionCheck {
    return this.checkSession(request.headers.session, request.headers.dstcode);
  }

  /** For adapters that carry the session in the JSON body (the national public-service portal) rather than a header. */
  checkSession(session: unknown, dstcode: unknown): SessionCheck {
    if (typeof session !== 'string' || session === '') return { ok: false, reason: 'missing' };
    const expiresAt = this.sessions.get(session);
    if (expiresAt === undefined) return { ok: false, reason: 'unknown' };
    if (this.now() >= expiresAt) return { ok: false, reason: 'expired' };
    return sameText(dstcode, this.account.dstcode) ? { ok: true } : { ok: false, reason: 'dstcode' };
  }

  private prune(): void {
    const now = this.now();
    for (const [session, expiresAt] of this.sessions) if (now >= expiresAt) this.sessions.delete(session);
  }
}

/** The adapter's answer to a data call without a valid session (also the `expired-token` fault). */
export function sendSessionRejection(response: ServerResponse, reason: Exclude<SessionCheck, { ok: true }>['reason']): void {
  const message = reason === 'dstcode' ? sessionErrorCodes.badDstcode.message : reason === 'expired' ? 'Phiên làm việc đã hết hạn' : 'Phiên làm việc không hợp lệ';
  sendJson(response, 401, { error_code: 401, message });
}

function sameText(actual: unknown, expected: string): boolean {
  if (typeof actual !== 'string') return false;
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
