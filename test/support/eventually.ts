/** Polls `read` until `accept` says yes or the time is up (for state that other processes change). */
export async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean = Boolean, timeoutMs = 5000, pollMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${describe(value)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function describe(value: unknown): string {
  const body = (value as { body?: unknown } | null)?.body;
  try {
    return JSON.stringify(body ?? value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
