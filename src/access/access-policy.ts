import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import type { Logger } from '../observability/logger.js';
import { VersionPoller } from '../store/version-poller.js';
import { policyChangesKept, type AccessRepository, type PolicyChange } from './access-repository.js';

interface PolicyMaps {
  consumersById: Map<string, Consumer>;
  consumersByClientId: Map<string, Consumer>;
  /** Consumer id → operation → grant: a consumer's grants are replaced, or dropped with it, in one step. */
  grantsByConsumer: Map<string, Map<string, Grant>>;
  purposes: Map<string, Purpose>;
}

const emptyMaps = (): PolicyMaps => ({ consumersById: new Map(), consumersByClientId: new Map(), grantsByConsumer: new Map(), purposes: new Map() });

/**
 * The access policy every request is checked against, held in memory so the
 * hot path never waits on the store. Each replica polls the policy version
 * (one indexed single-row read) and, when an admin change bumped it, re-reads
 * only what the versions in between changed (their rows in
 * access_policy_changes), so one edited grant costs a few rows however large
 * the policy; it reads everything only on the first load or when it cannot
 * know what changed. Changes reach every replica within one interval, without restart.
 */
export class AccessPolicy {
  private maps: PolicyMaps = emptyMaps();
  private readonly poller: VersionPoller;

  constructor(private readonly deps: { repository: AccessRepository; logger: Logger; refreshIntervalMs: number }) {
    this.poller = new VersionPoller({
      readVersion: () => deps.repository.policyVersion(),
      reload: (version) => this.reload(version),
      logger: deps.logger,
      refreshIntervalMs: deps.refreshIntervalMs,
      failureMessage: 'access policy refresh failed; keeping the last one',
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

  consumerByClientId(clientId: string): Consumer | undefined {
    return this.maps.consumersByClientId.get(clientId);
  }

  grantFor(consumerId: string, operation: string): Grant | undefined {
    return this.maps.grantsByConsumer.get(consumerId)?.get(operation);
  }

  get purposes(): ReadonlyMap<string, Purpose> {
    return this.maps.purposes;
  }

  get version(): number {
    return this.poller.version;
  }

  // The poller runs one reload at a time and records `version` only once it resolves,
  // so poller.version is what the maps hold while this runs.
  private async reload(version: number): Promise<void> {
    const changes = await this.changesSince(this.poller.version, version);
    if (typeof changes === 'string') await this.loadEverything(version, changes);
    else await this.applyChanges(version, changes);
  }

  /** What the versions after `loaded` up to `version` changed, or why that cannot be known. */
  private async changesSince(loaded: number, version: number): Promise<PolicyChange[] | string> {
    if (loaded < 0) return 'first load';
    // A store restored from a backup: what was loaded may be newer than what is stored.
    if (version < loaded) return 'version went back';
    if (version - loaded > policyChangesKept) return 'too many changes';
    const changes = await this.deps.repository.policyChanges(loaded, version);
    // Every version in between must have its rows: a missing one was pruned, or written by a release without the change log.
    if (new Set(changes.map((change) => change.version)).size !== version - loaded) return 'change log incomplete';
    if (changes.some((change) => change.resourceType !== 'consumer' && change.resourceType !== 'purpose')) return 'unknown change';
    return changes;
  }

  private async loadEverything(version: number, reason: string): Promise<void> {
    const { repository } = this.deps;
    const [consumers, grants, purposes] = await Promise.all([repository.listConsumers(), repository.listGrants(), repository.listPurposes()]);
    const maps = emptyMaps();
    addConsumers(maps, consumers, grants);
    for (const purpose of purposes) maps.purposes.set(purpose.code, purpose);
    this.maps = maps;
    this.deps.logger.info({ policyVersion: version, reason, consumers: consumers.length, grants: grants.length, purposes: purposes.length }, 'access policy loaded');
  }

  /**
   * Re-reads the changed consumers (with their grants) and purposes; a row
   * that is gone was deleted. Several changes of one resource read it once,
   * as it is now. Rows committed after `version` may be read too: their own
   * versions name them again, so the next poll re-reads them.
   */
  private async applyChanges(version: number, changes: PolicyChange[]): Promise<void> {
    const idsOf = (type: string) => [...new Set(changes.filter((change) => change.resourceType === type).map((change) => change.resourceId))];
    const consumerIds = idsOf('consumer');
    const purposeCodes = idsOf('purpose');
    const { repository } = this.deps;
    const [consumers, grants, purposes] = await Promise.all([
      consumerIds.length > 0 ? repository.listConsumersById(consumerIds) : [],
      consumerIds.length > 0 ? repository.listGrantsOfConsumers(consumerIds) : [],
      purposeCodes.length > 0 ? repository.listPurposesByCode(purposeCodes) : [],
    ]);

    // From here to the end nothing awaits: a request sees the policy before these changes or after all of them.
    const maps = this.maps;
    // Every old entry goes before any new one is added, so client ids swapped or handed on between changed consumers land right.
    for (const id of consumerIds) {
      const old = maps.consumersById.get(id);
      // Unless another consumer has taken this client id meanwhile (read newer than this one).
      if (old && maps.consumersByClientId.get(old.clientId) === old) maps.consumersByClientId.delete(old.clientId);
      maps.consumersById.delete(id);
      maps.grantsByConsumer.delete(id);
    }
    addConsumers(maps, consumers, grants);
    for (const code of purposeCodes) maps.purposes.delete(code);
    for (const purpose of purposes) maps.purposes.set(purpose.code, purpose);
    this.deps.logger.info(
      { policyVersion: version, versions: version - this.poller.version, consumers: consumerIds.length, purposes: purposeCodes.length },
      'access policy updated incrementally',
    );
  }
}

function addConsumers(maps: PolicyMaps, consumers: Consumer[], grants: Grant[]): void {
  for (const consumer of consumers) {
    maps.consumersById.set(consumer.id, consumer);
    maps.consumersByClientId.set(consumer.clientId, consumer);
  }
  for (const grant of grants) {
    // A grant read after its consumer's deletion committed (the store drops it with the consumer) is not held.
    if (!maps.consumersById.has(grant.consumerId)) continue;
    let byOperation = maps.grantsByConsumer.get(grant.consumerId);
    if (!byOperation) maps.grantsByConsumer.set(grant.consumerId, (byOperation = new Map()));
    byOperation.set(grant.operation, grant);
  }
}
