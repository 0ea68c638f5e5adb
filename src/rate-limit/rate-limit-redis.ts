import { Redis } from 'ioredis';

export interface RateLimitRedisOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`; never logged (it may carry a password). */
  url: string;
  /** Prefix of every key the limiter writes; replicas sharing a limit must use the same one. Default `lgsp:rl`. */
  keyPrefix?: string;
  /** Give up a connection attempt after this long (default 1000 ms). */
  connectTimeoutMs?: number;
  /** Give up on one Redis command after this long and let the local fallback decide (default 250 ms). */
  commandTimeoutMs?: number;
}

export const defaultRedisTimeouts = { connectTimeoutMs: 1000, commandTimeoutMs: 250 } as const;

/**
 * An ioredis client tuned for a request hot path: a rate-limit check must
 * never wait for Redis to come back. ioredis's defaults do the opposite —
 * they queue commands while disconnected and retry each one up to 20 times —
 * so a Redis outage would stall every request for seconds.
 */
export function createRateLimitRedisClient(options: RateLimitRedisOptions): Redis {
  return createHotPathRedisClient({ ...options, connectionName: 'lgsp-rate-limit' });
}

/** The same tuning for any Redis use on the request path (rate limits, the shared response cache). */
export function createHotPathRedisClient(options: Pick<RateLimitRedisOptions, 'url' | 'connectTimeoutMs' | 'commandTimeoutMs'> & { connectionName: string }): Redis {
  return new Redis(options.url, {
    // While disconnected, fail the command at once (the limiter's fallback decides) instead of queueing it.
    enableOfflineQueue: false,
    // A command in flight when the connection drops is failed, not replayed after reconnecting:
    // by then the request it belonged to has long been decided.
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs ?? defaultRedisTimeouts.connectTimeoutMs,
    // Bounds a command on a connection that is up but silent (a blackholed host, a stalled server).
    commandTimeout: options.commandTimeoutMs ?? defaultRedisTimeouts.commandTimeoutMs,
    // Keep trying to reconnect forever, at most every 2 s, so the shared limit comes back on its own.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // On close, how long to wait for the socket to finish before destroying it. ioredis arms this
    // timer even for a socket that is already gone (Redis down), where it would hold shutdown for 2 s.
    disconnectTimeout: 200,
    connectionName: options.connectionName,
  });
}
