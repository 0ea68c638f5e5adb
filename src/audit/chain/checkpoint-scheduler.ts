import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import { safeDbError } from '../../store/safe-db-error.js';
import type { CheckpointKeys } from './checkpoint-key.js';
import { writeCheckpoint, type TimestampRequester } from './checkpoints.js';

export interface CheckpointSchedulerOptions {
  store: Store;
  keys: CheckpointKeys;
  streams: readonly string[];
  intervalMs: number;
  logger: Logger;
  timestamp?: TimestampRequester;
  /** Per stream and result ('written', 'failed'), for metrics. */
  onResult?: (stream: string, result: 'written' | 'failed') => void;
}

export interface CheckpointScheduler {
  /** Signs every stream's head that moved; never throws (failures are logged and counted). */
  runOnce(): Promise<void>;
  /** Stops the timer and signs a last time, so a clean shutdown leaves the head checkpointed. */
  stop(): Promise<void>;
}

/**
 * Signs each stream's head about every intervalMs (±20% jitter, so replicas
 * started together do not sign in lockstep; the timer is unref'd and never
 * keeps the process alive). Several replicas signing the same head is
 * harmless: the insert ignores a checkpoint that already exists.
 */
export function startCheckpointScheduler(options: CheckpointSchedulerOptions): CheckpointScheduler {
  const { store, keys, streams, intervalMs, logger, timestamp, onResult } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const signAll = async (): Promise<void> => {
    for (const stream of streams) {
      try {
        const result = await writeCheckpoint(store, stream, keys, {
          ...(timestamp ? { timestamp } : {}),
          onTimestampError: (error) => logger.warn({ err: error, stream }, 'audit checkpoint timestamp request failed; checkpoint stored without a token'),
        });
        if (result.written) {
          onResult?.(stream, 'written');
          logger.debug({ stream, seq: result.checkpoint.seq }, 'audit checkpoint signed');
        }
      } catch (error) {
        onResult?.(stream, 'failed');
        logger.error({ err: safeDbError(error), stream }, 'audit checkpoint could not be written');
      }
    }
  };

  const runOnce = (): Promise<void> => {
    // One round at a time: a slow TSA must not pile rounds up.
    running ??= signAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    const delay = Math.round(intervalMs * (0.8 + Math.random() * 0.4));
    timer = setTimeout(() => void runOnce().finally(schedule), delay);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await runOnce();
    },
  };
}
