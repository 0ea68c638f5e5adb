import { UpstreamError } from './upstream-errors.js';
import type { UpstreamAuth } from './upstream-auth/upstream-auth.js';

/**
 * The one re-login rule of every transport: an upstream that answers HTTP 401
 * says the session or token it was shown is not (or no longer) valid, so the
 * session is dropped and the call sent once more with a fresh login; a second
 * 401 is the caller's auth problem.
 *
 * A 403 is not retried: it says these credentials are not allowed this call
 * (access keys, an address allow-list, a grant the platform has not given).
 * A fresh login with the same credentials gets the same answer, and dropping
 * a valid session would make every other call in flight log in again too.
 */
export async function withOneRelogin<T>(auth: UpstreamAuth, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!isSessionRefused(error) || signal.aborted) throw error;
    auth.invalidate();
    return attempt();
  }
}

/** Every transport raises an HTTP 401 as this (see rest-upstream.ts, soap-upstream.ts). */
export function sessionRefused(message = 'upstream refused the gateway token (HTTP 401)'): UpstreamError {
  return new UpstreamError('auth', message, { upstreamCode: '401' });
}

function isSessionRefused(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'auth' && error.upstreamCode === '401';
}
