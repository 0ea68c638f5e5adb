/**
 * The caller's remaining budget, forwarded upstream in the same words the
 * gateway accepts it (`Request-Timeout: <seconds>`, see
 * src/resilience/deadline.ts): an upstream that reads it can stop working on
 * an answer nobody will wait for; one that does not ignores an unknown header.
 */
export function deadlineHeaders(deadline: number | undefined, now = performance.now()): Record<string, string> {
  if (deadline === undefined) return {};
  return { 'request-timeout': (Math.max(0, deadline - now) / 1000).toFixed(3) };
}
