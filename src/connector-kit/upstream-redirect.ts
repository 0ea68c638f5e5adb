import { UpstreamError } from './upstream-errors.js';

/**
 * Redirects are never followed (undici's `request` does not, and the gateway
 * does not ask it to): a redirect to another host would send the gateway's
 * credentials, or the personal data in a request, to an address nobody
 * allowlisted, and even a same-host redirect means the configured address is
 * wrong. So a 3xx from an upstream or its login endpoint is an `http`
 * failure whose message says how to fix the configuration, with the status
 * as upstreamCode. The Location itself is never put in the message (it may
 * carry a token); only whether it stays on the same host.
 *
 * Returns undefined for a status that is not a redirect (304 Not Modified is
 * not one: the gateway sends no conditional requests, and it names no target).
 */
export function redirectRefused(answer: { status: number; location: string | string[] | undefined; requestUrl: string | URL }, setting = 'baseUrl'): UpstreamError | undefined {
  const { status } = answer;
  if (status < 300 || status > 399 || status === 304) return undefined;
  const location = Array.isArray(answer.location) ? answer.location[0] : answer.location;
  const target = targetOf(location, answer.requestUrl);
  const where = target === undefined ? '' : target.hostname === new URL(answer.requestUrl).hostname ? ' to the same host' : ' to another host';
  return new UpstreamError('http', `upstream answered a redirect (HTTP ${status})${where}; redirects are not followed: set the final address as ${setting}`, {
    upstreamCode: String(status),
  });
}

function targetOf(location: string | undefined, base: string | URL): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
