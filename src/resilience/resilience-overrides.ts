import type { Logger } from '../observability/logger.js';
import { VersionPoller } from '../store/version-poller.js';
import { resolvePolicies, type ResiliencePolicyOverride } from './policy.js';
import type { ResilienceOverrideStore, StoredResilienceOverride } from './resilience-override-store.js';
import type { UpstreamCaller } from './upstream-caller.js';

/** A mounted connector and the layers under an admin override (descriptor, config). */
export interface OverrideTarget {
  connectorId: string;
  operationIds: readonly string[];
  baseLayers: ReadonlyArray<ResiliencePolicyOverride | undefined>;
}

/**
 * Applies the admins' resilience overrides on every replica without a
 * restart: polls the override version (a VersionPoller, as AccessPolicy does)
 * and, when it moved, re-resolves each connector's policies
 * (descriptor < config < admin override) and hands them to the UpstreamCaller.
 */
export class ResilienceOverrides {
  private readonly targets: Map<string, OverrideTarget>;
  private overrides = new Map<string, StoredResilienceOverride>();
  private readonly poller: VersionPoller;

  constructor(
    private readonly deps: {
      store: ResilienceOverrideStore;
      upstreams: UpstreamCaller;
      targets: readonly OverrideTarget[];
      logger: Logger;
      refreshIntervalMs: number;
    },
  ) {
    this.targets = new Map(deps.targets.map((target) => [target.connectorId, target]));
    this.poller = new VersionPoller({
      readVersion: () => deps.store.version(),
      reload: () => this.reload(),
      logger: deps.logger,
      refreshIntervalMs: deps.refreshIntervalMs,
      failureMessage: 'resilience override refresh failed; keeping the current policies',
    });
  }

  start(): Promise<void> {
    return this.poller.start();
  }

  stop(): void {
    this.poller.stop();
  }

  /** Resolves once everything committed before the call is loaded (see VersionPoller.refresh). */
  refresh(): Promise<void> {
    return this.poller.refresh();
  }

  hasConnector(connectorId: string): boolean {
    return this.targets.has(connectorId);
  }

  operationIds(connectorId: string): readonly string[] {
    return this.target(connectorId).operationIds;
  }

  private async reload(): Promise<void> {
    const stored = new Map((await this.deps.store.list()).map((entry) => [entry.connectorId, entry]));
    for (const target of this.targets.values()) {
      const before = this.overrides.get(target.connectorId);
      const after = stored.get(target.connectorId);
      if (JSON.stringify(before?.override) === JSON.stringify(after?.override)) continue; // the gateway configured the base policies at start
      this.deps.upstreams.configure(target.connectorId, resolvePolicies(target.operationIds, [...target.baseLayers, after?.override]));
      if (before || after) this.deps.logger.info({ connector: target.connectorId, override: after?.override ?? null }, 'resilience override applied');
    }
    this.overrides = stored;
  }

  private target(connectorId: string): OverrideTarget {
    const target = this.targets.get(connectorId);
    if (!target) throw new Error(`connector ${connectorId} is not mounted`);
    return target;
  }
}
