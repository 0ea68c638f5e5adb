import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import type { CredentialVersionView } from '../vault/types.js';

const day = 86_400_000;
const maxTimeoutMs = 2_147_483_647;
/** The thresholds the alerting channel pages on, tightest last. */
export const expiryThresholds = [
  { label: '30d', ms: 30 * day },
  { label: '7d', ms: 7 * day },
  { label: '1d', ms: day },
] as const;

export interface CredentialExpiryWatchOptions {
  vault: { expiring(withinMs: number): Promise<CredentialVersionView[]>; sweep(): Promise<number>; nextWindowEnd(): Promise<Date | undefined> };
  registry: Registry;
  /** Connectors that may hold vault credentials (every series exists from the start, at 0). */
  connectorIds: readonly string[];
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Expiry signals for the alerting channel, and the end of overlap windows:
 * on an interval, every replica reads which active credential versions
 * expire within 30 days (a certificate's own validTo, or the date an
 * administrator gave) and sets
 *   lgsp_credential_expiring{connector, within="30d"|"7d"|"1d"} 1/0
 *   lgsp_credential_expiry_timestamp_seconds{connector}
 * and destroys previous versions whose window has passed (the vault's
 * sweep: a transaction, so two replicas doing it at once is harmless). The
 * sweep also runs when the next window ends, not up to an interval later: until
 * it runs, the admin view still lists that version as usable and the replicas
 * keep it in their clients (overlap-auth.ts only stops using it).
 */
export function startCredentialExpiryWatch(options: CredentialExpiryWatchOptions) {
  const now = options.now ?? Date.now;
  const expiring = new Gauge({ name: 'lgsp_credential_expiring', help: 'The active credential version of a connector expires within this many days (1) or not (0)', labelNames: ['connector', 'within'], registers: [options.registry] });
  const expiry = new Gauge({ name: 'lgsp_credential_expiry_timestamp_seconds', help: 'When the active credential version of a connector expires (Unix seconds); absent without an expiry within 30 days', labelNames: ['connector'], registers: [options.registry] });
  for (const connector of options.connectorIds) for (const { label } of expiryThresholds) expiring.set({ connector, within: label }, 0);

  let timer: NodeJS.Timeout | undefined;
  let windowTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function check(): Promise<void> {
    await options.vault.sweep();
    await sweepAtNextWindowEnd();
    const soon = (await options.vault.expiring(expiryThresholds[0].ms)).filter((view) => view.state === 'active' && view.expiresAt);
    const byConnector = new Map(soon.map((view) => [view.connectorId, Date.parse(view.expiresAt!)]));
    expiry.reset();
    for (const connector of new Set([...options.connectorIds, ...byConnector.keys()])) {
      const expiresAt = byConnector.get(connector);
      for (const { label, ms } of expiryThresholds) expiring.set({ connector, within: label }, expiresAt !== undefined && expiresAt - now() <= ms ? 1 : 0);
      if (expiresAt !== undefined) expiry.set({ connector }, Math.floor(expiresAt / 1000));
    }
  }

  async function sweepAtNextWindowEnd(): Promise<void> {
    const windowEnd = await options.vault.nextWindowEnd();
    clearTimeout(windowTimer);
    windowTimer = undefined;
    if (!windowEnd || stopped) return;
    // A little after the end: the sweep destroys what is past (usable_until <= now). setTimeout's limit is ~24.8 days; the interval covers longer windows.
    const delayMs = Math.max(0, windowEnd.getTime() - now()) + 50;
    if (delayMs > maxTimeoutMs) return;
    windowTimer = setTimeout(run, delayMs);
    windowTimer.unref();
  }

  const run = () => check().catch((error: unknown) => options.logger.warn({ err: error }, 'credential expiry check failed; the signals keep their last values'));
  return {
    check,
    start(): Promise<void> {
      timer = setInterval(run, options.intervalMs ?? 60_000);
      timer.unref();
      return run();
    },
    stop(): void {
      stopped = true;
      clearInterval(timer);
      clearTimeout(windowTimer);
    },
  };
}
