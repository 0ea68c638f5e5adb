import type { UpstreamAuth } from '../connector-kit/upstream-auth/upstream-auth.js';
import { isUpstreamError } from '../connector-kit/upstream-errors.js';

/**
 * Authenticates with the active credential version and, while the previous
 * one is inside its overlap window, falls back to it when the upstream
 * refuses the active one: an administrator may activate the new password
 * before the upstream's own change has gone through (or after, for the
 * window's length), and calls keep working either way. Once the upstream has
 * accepted the active version, the previous one is no longer tried.
 */
export function overlapAuth(options: { active: UpstreamAuth; previous: UpstreamAuth; usableUntil: Date; now?: () => number; onFallback?: () => void }): UpstreamAuth {
  const now = options.now ?? Date.now;
  let activeAccepted = false;
  let usePrevious = false;
  return {
    scheme: options.active.scheme,
    // A message checksum is computed here, not negotiated: the upstream's verdict comes with the call's answer, too late to pick
    // a version per message. Messages are sealed with the active version (the one the upstream is switching to); the core
    // accepts callbacks under both inside the window (src/payments/payments-wiring.ts).
    ...(options.active.seal && { seal: options.active.seal }),
    ...(options.active.account !== undefined && { account: options.active.account }),
    async headers(signal) {
      const previousUsable = now() < options.usableUntil.getTime();
      if (usePrevious && previousUsable) return options.previous.headers(signal);
      try {
        const headers = await options.active.headers(signal);
        activeAccepted = true;
        usePrevious = false;
        return headers;
      } catch (error) {
        if (activeAccepted || !previousUsable || !isUpstreamError(error) || error.kind !== 'auth') throw error;
        const headers = await options.previous.headers(signal);
        usePrevious = true;
        options.onFallback?.();
        return headers;
      }
    },
    invalidate() {
      // A 401 on a call: both sessions are dropped and the active version is tried first again.
      usePrevious = false;
      options.active.invalidate();
      options.previous.invalidate();
    },
  };
}
