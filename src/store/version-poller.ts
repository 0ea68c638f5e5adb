import type { Logger } from '../observability/logger.js';

export interface VersionPollerDeps {
  /** Reads the stored version: one cheap query, run on every poll. */
  readVersion: () => Promise<number>;
  /**
   * Loads the state belonging to `version`; called only when the version
   * moved. The poller remembers the version only once this resolves, so a
   * failed load is retried on the next poll.
   */
  reload: (version: number) => Promise<void>;
  logger: Logger;
  refreshIntervalMs: number;
  /** Logged (as a warning) when a background poll fails; says what is kept instead. */
  failureMessage: string;
}

/**
 * Keeps an in-memory copy of stored state current on every replica without
 * a restart: polls a version that each admin change bumps and reloads only
 * when it moved, so the hot path never waits on the store and an idle
 * replica costs one indexed read per interval.
 */
export class VersionPoller {
  private loadedVersion = -1;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly deps: VersionPollerDeps) {}

  /** Loads once (a failure here fails the start), then polls in the background. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      // A store outage must not take the replica down: it serves the last loaded state until a poll succeeds.
      this.refresh().catch((error: unknown) => this.deps.logger.warn({ err: error }, this.deps.failureMessage));
    }, this.deps.refreshIntervalMs);
    // Polling alone must not keep the process alive on shutdown.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Resolves once everything committed before this call is loaded (an admin
   * change calls it right after its own commit). A poll already under way
   * may have read the version before that commit, so joining it is not
   * enough: one more poll is queued after it, shared by every caller who
   * asks meanwhile — at most one running and one waiting.
   */
  refresh(): Promise<void> {
    if (!this.refreshing) return this.startPoll();
    this.queued ??= this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        // A poll started after the running one ended began after our callers asked: it is as good as ours.
        return this.refreshing ?? this.startPoll();
      });
    return this.queued;
  }

  private startPoll(): Promise<void> {
    const poll = this.reloadIfChanged().finally(() => {
      if (this.refreshing === poll) this.refreshing = undefined;
    });
    this.refreshing = poll;
    return poll;
  }

  /** The version last loaded successfully; -1 before the first load. */
  get version(): number {
    return this.loadedVersion;
  }

  private async reloadIfChanged(): Promise<void> {
    const version = await this.deps.readVersion();
    if (version === this.loadedVersion) return;
    await this.deps.reload(version);
    this.loadedVersion = version;
  }
}
