import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';
import { UpstreamError } from './upstream-errors.js';
import { addressRefusalIn } from './upstream-transport.js';

/**
 * What an administrator's "test connection" found out, in words an operator
 * can act on (issue 13, item 3):
 *   refused          the upstream answered and refused the credentials (wrong secret, locked account)
 *   unreachable      no connection: refused, reset, unknown host
 *   tls_error        a connection, but no TLS session: untrusted or expired certificate, wrong name, client certificate missing
 *   timeout          no answer in time (connect or login)
 *   redirected       the login endpoint answered a redirect (never followed: the address is wrong)
 *   address_refused  the upstream address guard refused the address (allowlist, loopback, metadata...)
 *   error            anything else (the endpoint answered something unusable)
 *
 * `detail` is a short code, never free text from the upstream: an HTTP
 * status, an OAuth error code, a system or TLS error code, a guard reason.
 * Bodies, messages and URLs' paths are left out, so the result can be
 * stored, shown and logged without carrying a secret.
 */
export type ConnectionOutcome = 'refused' | 'unreachable' | 'tls_error' | 'timeout' | 'redirected' | 'address_refused' | 'error';

export interface ClassifiedConnectionOutcome {
  outcome: ConnectionOutcome;
  detail: string;
}

export type UpstreamLoginTestResult = { outcome: 'ok' } | ClassifiedConnectionOutcome;

/**
 * Logs in afresh with `auth` (a cached session would prove nothing about the
 * credentials being tested) and says how it went. `signal` bounds how long
 * the caller waits; the login itself keeps its own timeout.
 */
export async function testUpstreamLogin(auth: UpstreamAuth, signal: AbortSignal): Promise<UpstreamLoginTestResult> {
  auth.invalidate();
  try {
    await auth.headers(signal);
    return { outcome: 'ok' };
  } catch (error) {
    return classifyConnectionOutcome(error);
  }
}

export function classifyConnectionOutcome(error: unknown): ClassifiedConnectionOutcome {
  const refusal = addressRefusalIn(error);
  if (refusal) return { outcome: 'address_refused', detail: refusal.host ? `${refusal.reason}: ${safeCode(refusal.host) ?? 'host'}` : refusal.reason };
  const code = systemCodeIn(error);
  if (error instanceof UpstreamError) {
    switch (error.kind) {
      case 'auth':
        return { outcome: 'refused', detail: [error.httpStatus !== undefined ? `HTTP ${error.httpStatus}` : undefined, safeCode(error.upstreamCode)].filter(Boolean).join(' ') || 'credentials refused' };
      case 'timeout':
        return { outcome: 'timeout', detail: code ?? 'no answer in time' };
      case 'connection':
        return fromSystemCode(code);
      case 'http': {
        const status = Number(error.upstreamCode);
        if (status >= 300 && status <= 399) return { outcome: 'redirected', detail: `HTTP ${status}` };
        return { outcome: 'error', detail: Number.isInteger(status) && status > 0 ? `HTTP ${status}` : 'http' };
      }
      default:
        // garbage, contract, too_large, fault, rejected: the endpoint answered, with something unusable.
        return { outcome: 'error', detail: error.kind };
    }
  }
  if (code) return fromSystemCode(code);
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { outcome: 'timeout', detail: 'no answer in time' };
  return { outcome: 'error', detail: 'unexpected failure' };
}

function fromSystemCode(code: string | undefined): ClassifiedConnectionOutcome {
  if (code === undefined) return { outcome: 'unreachable', detail: 'connection failed' };
  if (isTlsCode(code)) return { outcome: 'tls_error', detail: code };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { outcome: 'timeout', detail: code };
  return { outcome: 'unreachable', detail: code };
}

/** OpenSSL verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT...) and Node's TLS/SSL codes (ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_...). */
function isTlsCode(code: string): boolean {
  return /^ERR_(TLS|SSL)_/.test(code) || /CERT|SELF_SIGNED|^UNABLE_TO_|^EPROTO$/.test(code);
}

/** The first error code along the cause chain (undici and our UpstreamError wrap the socket's error). */
function systemCodeIn(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = safeCode((current as { code?: unknown }).code);
    if (code) return code;
  }
  return undefined;
}

/** Only short code-like text passes: never a message, a body or anything that could carry a secret. */
function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(value) ? value : undefined;
}
