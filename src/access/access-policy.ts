import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import type { Logger } from '../observability/logger.js';
import { VersionPoller } from '../store/version-poller.js';
import type { AccessRepository } from './access-repository.js';

interface PolicySnapshot {
  consumersByClientId: ReadonlyMap<string, Consumer>;
  grants: ReadonlyMap<string, Grant>;
  purposes: ReadonlyMap<string, Purpose>;
}

const grantKey = (consumerId: string, operation: string) => `${consumerId}\u0000${operation}`;

/**
 * The access policy every request is checked against, held in memory so the
 * hot path never waits on the store. Each replica polls the policy version
 * (one indexed single-row read) and reloads only when an admin change bumped
 * it, so changes reach every replica within one interval, without restart.
 */
export class AccessPolicy {
  private snapshot: PolicySnapshot = { consumersByClientId: new Map(), grants: new Map(), purposes: new Map() };
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
    return this.snapshot.consumersByClientId.get(clientId);
  }

  grantFor(consumerId: string, operation: string): Grant | undefined {
    return this.snapshot.grants.get(grantKey(consumerId, operation));
  }

  get purposes(): ReadonlyMap<string, Purpose> {
    return this.snapshot.purposes;
  }

  get version(): number {
    return this.poller.version;
  }

  private async reload(version: number): Promise<void> {
    const { repository } = this.deps;
    const [consumers, grants, purposes] = await Promise.all([repository.listConsumers(), repository.listGrants(), repository.listPurposes()]);
    const consumerIds = new Map(consumers.map((consumer) => [consumer.id, consumer]));
    this.snapshot = {
      consumersByClientId: new Map(consumers.map((consumer) => [consumer.clientId, consumer])),
      grants: new Map(grants.filter((grant) => consumerIds.has(grant.consumerId)).map((grant) => [grantKey(grant.consumerId, grant.operation), grant])),
      purposes: new Map(purposes.map((purpose) => [purpose.code, purpose])),
    };
    this.deps.logger.info({ policyVersion: version, consumers: consumers.length, grants: grants.length, purposes: purposes.length }, 'access policy loaded');
  }
}
