/**
 * One "gateway replica" in its own OS process, for the cross-process quota
 * test: builds a rate limiter on the shared Redis, reports when connected,
 * waits for "go" on stdin (so every replica fires at once), fires its
 * requests concurrently, prints the tally and exits. Run by replica-process.ts.
 */
import { once } from 'node:events';
import { createLogger } from '../../observability/logger.js';
import { createRateLimiter, type RatePolicy } from '../rate-limiter.js';

export interface ReplicaWorkerConfig {
  redisUrl: string;
  keyPrefix: string;
  key: string;
  policy: RatePolicy;
  requests: number;
}

export interface ReplicaWorkerResult {
  allowed: number;
  refused: number;
  degraded: number;
}

const config = JSON.parse(process.argv[2] ?? '') as ReplicaWorkerConfig;
const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

// Logs go to stderr: stdout is the line protocol with the parent.
const limiter = createRateLimiter({
  // Generous timeout: exact counts must not turn into local decisions on a loaded machine.
  redis: { url: config.redisUrl, keyPrefix: config.keyPrefix, commandTimeoutMs: 3000 },
  logger: createLogger({ level: 'warn', destination: process.stderr }),
});
send({ type: 'ready', connected: await limiter.ready(5000) });

await once(process.stdin, 'data');
const decisions = await Promise.all(Array.from({ length: config.requests }, () => limiter.consume(config.key, config.policy)));
const result: ReplicaWorkerResult = {
  allowed: decisions.filter((decision) => decision.allowed).length,
  refused: decisions.filter((decision) => !decision.allowed).length,
  degraded: decisions.filter((decision) => decision.degraded).length,
};
send({ type: 'result', ...result });
await limiter.close();
process.stdin.pause();
