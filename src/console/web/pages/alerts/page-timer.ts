/** Calls `tick` every `intervalMs` while the page is shown and the browser tab visible; never two at once. */
export function every(intervalMs: number, signal: AbortSignal, tick: () => Promise<void>): void {
  let running = false;
  const timer = setInterval(() => {
    if (running || document.hidden || signal.aborted) return;
    running = true;
    // The tick shows its own errors; a rejection here must not become an unhandled one.
    tick()
      .catch(() => undefined)
      .finally(() => (running = false));
  }, intervalMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
