import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Consumer, Grant, Purpose } from '../../contracts/types.generated.js';
import { ConfigError } from '../config/load-config.js';
import { describeViolations } from '../contracts/contract-registry.js';
import type { AccessRepository, AdminActor } from './access-repository.js';
import { grantViolations, type GrantContext } from './grant-rules.js';

export interface AccessSeed {
  purposes?: Purpose[];
  consumers?: Consumer[];
  grants?: Grant[];
}

const seedActor: AdminActor = { actor: 'seed', actorClient: 'lgsp-gateway', requestId: 'access-seed' };
const contract = 'https://lgsp.gov.vn/contracts/admin/v1';

/**
 * Applies a seed (purposes, then consumers, then grants) when the store holds
 * no consumer yet, through the same repository as the admin API, so seeded
 * objects are validated and audited like any admin change.
 */
export async function applyAccessSeed(
  file: string,
  repository: AccessRepository,
  context: Omit<GrantContext, 'purposeCodes'>,
): Promise<boolean> {
  const { contracts } = context;
  if (!(await repository.isEmpty())) return false;
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
  for (const purpose of check('purpose', seed.purposes)) await repository.savePurpose(purpose, seedActor);
  for (const consumer of check('consumer', seed.consumers)) await repository.saveConsumer(consumer, seedActor);
  const purposeCodes = new Set((await repository.listPurposes()).map((purpose) => purpose.code));
  for (const [index, grant] of check('grant', seed.grants).entries()) {
    const violations = grantViolations(grant, { ...context, purposeCodes });
    if (violations.length > 0) {
      throw new ConfigError(`access seed ${file}: grants[${index}]: ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`);
    }
    await repository.saveGrant(grant, seedActor);
  }
  return true;
}

function readSeed(file: string): AccessSeed {
  try {
    return (parseYaml(readFileSync(file, 'utf8')) ?? {}) as AccessSeed;
  } catch (error) {
    throw new ConfigError(`cannot read access seed ${file}: ${(error as Error).message}`);
  }
}
