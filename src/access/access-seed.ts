import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import { ConfigError } from '../config/load-config.js';
import { describeViolations, type ContractViolation } from '../contracts/contract-registry.js';
import type { AccessRepository, AdminActor } from './access-repository.js';
import { grantViolations, type GrantContext } from './grant-rules.js';
import { ratePolicyViolations } from './rate-policy-rules.js';

export interface AccessSeed {
  purposes?: Purpose[];
  consumers?: Consumer[];
  grants?: Grant[];
}

const seedActor: AdminActor = { actor: 'seed', actorClient: 'lgsp-gateway', requestId: 'access-seed' };
const contract = 'https://lgsp.gov.vn/contracts/admin/v1';

/**
 * Adds what the seed holds and the store lacks — purposes by code, consumers
 * by id, grants by consumer and operation — through the same repository as
 * the admin API, so seeded objects are validated and audited like any admin
 * change. Existing objects are never modified: an administrator's change
 * wins, and a store started with an older seed still gains the grants of
 * connectors added since. Returns how many objects were added.
 */
export async function applyAccessSeed(
  file: string,
  repository: AccessRepository,
  context: Omit<GrantContext, 'purposeCodes'>,
): Promise<number> {
  return applyAccessSeedEntries(readSeed(file), file, repository, context);
}

/** The same for a seed built in code (embedded mode's derived dev grants); `file` names it in errors. */
export async function applyAccessSeedEntries(
  seed: AccessSeed,
  file: string,
  repository: AccessRepository,
  context: Omit<GrantContext, 'purposeCodes'>,
): Promise<number> {
  const { contracts } = context;
  const check = <T>(kind: string, items: T[] | undefined): T[] => {
    const validate = contracts.validator(`${contract}/${kind}.json`);
    return (items ?? []).map((item, index) => {
      if (!validate(item)) {
        const problems = describeViolations(validate.errors).map((v) => `${v.field} ${v.message}`).join('; ');
        throw new ConfigError(`access seed ${file}: ${kind}s[${index}]: ${problems}`);
      }
      return item;
    });
  };
  const entryError = (kind: string, index: number, violations: ContractViolation[]) =>
    new ConfigError(`access seed ${file}: ${kind}[${index}]: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);

  // Everything is checked before anything is written: a bad entry leaves the store as it was.
  const purposes = check('purpose', seed.purposes);
  const consumers = check('consumer', seed.consumers);
  const grants = check('grant', seed.grants);
  consumers.forEach((consumer, index) => {
    const violations = ratePolicyViolations(consumer.rateLimit, 'rateLimit');
    if (violations.length > 0) throw entryError('consumers', index, violations);
  });
  const purposeCodes = new Set([...(await repository.listPurposes()).map((purpose) => purpose.code), ...purposes.map((purpose) => purpose.code)]);
  const consumerIds = new Set([...(await repository.listConsumers()).map((consumer) => consumer.id), ...consumers.map((consumer) => consumer.id)]);
  const existing = new Set((await repository.listGrants()).map((grant) => `${grant.consumerId} ${grant.operation}`));
  const newGrants = grants.flatMap((grant, index) => {
    // A grant for a connector that is switched off in this deployment waits until it is switched on;
    // one the store already has (perhaps changed by an admin since) is left alone.
    if (!context.operations.has(grant.operation) || existing.has(`${grant.consumerId} ${grant.operation}`) || !consumerIds.has(grant.consumerId)) return [];
    const violations = grantViolations(grant, { ...context, purposeCodes });
    if (violations.length > 0) throw entryError('grants', index, violations);
    return [grant];
  });

  let added = 0;
  for (const purpose of purposes) {
    if (await repository.getPurpose(purpose.code)) continue;
    added += await unlessRaced(() => repository.savePurpose(purpose, seedActor));
  }
  for (const consumer of consumers) {
    if (await repository.getConsumer(consumer.id)) continue;
    added += await unlessRaced(() => repository.saveConsumer(consumer, seedActor));
  }
  for (const grant of newGrants) added += await unlessRaced(() => repository.saveGrant(grant, seedActor));
  return added;
}

/** Replicas starting together may seed the same object: the one that loses the race has nothing to add. */
async function unlessRaced(save: () => Promise<unknown>): Promise<number> {
  try {
    await save();
    return 1;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return 0;
    throw error;
  }
}

function readSeed(file: string): AccessSeed {
  try {
    return (parseYaml(readFileSync(file, 'utf8')) ?? {}) as AccessSeed;
  } catch (error) {
    throw new ConfigError(`cannot read access seed ${file}: ${(error as Error).message}`);
  }
}
