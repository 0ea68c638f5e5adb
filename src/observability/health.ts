export interface DependencyCheck {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, DependencyCheck>;
  /** Shown for operators, never part of the verdict (e.g. each upstream's breaker state). */
  detail?: Record<string, unknown>;
}

export interface HealthChecks {
  readiness(): Promise<ReadinessReport>;
}

/**
 * Readiness = the dependencies without which no request can be served
 * (store, IdP keys). One upstream being down does not make the gateway
 * unready: its breaker answers for it.
 */
export function createHealthChecks(
  checks: Record<string, () => Promise<unknown>>,
  options: { timeoutMs?: number; detail?: () => Record<string, unknown> } = {},
): HealthChecks {
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    async readiness() {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]): Promise<[string, DependencyCheck]> => {
          const started = performance.now();
          try {
            const result = await Promise.race([
              check(),
              new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref()),
            ]);
            if (result === false) throw new Error('not reachable');
            return [name, { ok: true, latencyMs: Math.round(performance.now() - started) }];
          } catch (error) {
            return [name, { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message }];
          }
        }),
      );
      return {
        ready: entries.every(([, check]) => check.ok),
        checks: Object.fromEntries(entries),
        ...(options.detail ? { detail: options.detail() } : {}),
      };
    },
  };
}
