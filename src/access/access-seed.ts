import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import { ConfigError } from '../config/load-config.js';
import { describeViolations } from '../contracts/contract-registry.js';
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
  const { contracts } = context;
  const seed = readSeed(file);
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
  let added = 0;
  for (const purpose of check('purpose', seed.purposes)) {
    if (await repository.getPurpose(purpose.code)) continue;
    added += await unlessRaced(() => repository.savePurpose(purpose, seedActor));
  }
  for (const [index, consumer] of check('consumer', seed.consumers).entries()) {
    const violations = ratePolicyViolations(consumer.rateLimit, 'rateLimit');
    if (violations.length > 0) throw new ConfigError(`access seed ${file}: consumers[${index}]: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
    if (await repository.getConsumer(consumer.id)) continue;
    added += await unlessRaced(() => repository.saveConsumer(consumer, seedActor));
  }
  const purposeCodes = new Set((await repository.listPurposes()).map((purpose) => purpose.code));
  const existing = new Set((await repository.listGrants()).map((grant) => `${grant.consumerId} ${grant.operation}`));
  for (const [index, grant] of check('grant', seed.grants).entries()) {
    // A grant for a connector that is switched off in this deployment waits until it is switched on.
    if (!context.operations.has(grant.operation)) continue;
    if (existing.has(`${grant.consumerId} ${grant.operation}`) || !(await repository.getConsumer(grant.consumerId))) continue;
    const violations = grantViolations(grant, { ...context, purposeCodes });
    if (violations.length > 0) {
      throw new ConfigError(`access seed ${file}: grants[${index}]: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
    }
    added += await unlessRaced(() => repository.saveGrant(grant, seedActor));
  }
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
