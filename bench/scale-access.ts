import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Consumer, Grant } from '../contracts/types.generated.js';
import type { AccessSeed } from '../src/access/access-seed.js';
import type { ConnectorDescriptor } from '../src/connector-kit/descriptor.js';
import type { Queryable } from '../src/store/store.js';
import { fromProjectRoot } from '../src/paths.js';
import { benchConnectors, connectorCopyId } from './bench-connectors.js';

/**
 * The access data of the "cost as the work grows" gateways (bench/run.ts):
 * the bench's seed extended to every mounted copy of population, and, for the
 * many-consumers gateway, thousands of consumers written straight into the
 * store's own tables (the seed file goes through the admin repository one
 * transaction per object: minutes for 200,000 grants).
 */

const benchSeedFile = fromProjectRoot('bench/access-seed.yaml');
const benchClientId = 'one-stop';

function benchSeed(): AccessSeed & { consumers: Consumer[]; grants: Grant[] } {
  const seed = parseYaml(readFileSync(benchSeedFile, 'utf8')) as AccessSeed;
  return { ...seed, consumers: seed.consumers ?? [], grants: seed.grants ?? [] };
}

/** The seed's grant of the real `population` lookup: the model of every copy's grant. */
function lookupGrant(seed: { grants: Grant[] }): Grant {
  const grant = seed.grants.find((candidate) => candidate.consumerId === benchClientId && candidate.operation === 'population.citizen.get');
  if (!grant) throw new Error(`${benchSeedFile} has no grant of population.citizen.get for ${benchClientId}`);
  return grant;
}

/**
 * bench/access-seed.yaml plus a grant of each copy's lookup (`<copy>.citizen.get`)
 * to the bench's client, like its grant of `population.citizen.get`; written to `file`.
 */
export function writeScaleSeed(file: string, connectors: ReadonlyArray<ConnectorDescriptor<any>>): void {
  const seed = benchSeed();
  const model = lookupGrant(seed);
  const copies = connectors.slice(benchConnectors.length).map((connector): Grant => ({ ...model, operation: `${connector.id}.citizen.get` }));
  writeFileSync(file, stringifyYaml({ ...seed, grants: [...seed.grants, ...copies] }));
}

/**
 * `consumers` consumers with `grantsPerConsumer` grants each, the bench's
 * client among them (its consumer row as in the seed), in one INSERT per
 * table. Each holds a grant of every mounted operation, then of copies'
 * lookups this gateway does not mount (`population-copy-NN.citizen.get`,
 * from the first id past the mounted ones) until it has `grantsPerConsumer`;
 * purposes on personal-data operations only, fields and quota as the seed's
 * lookup grant. Runs on a migrated schema before the gateway starts (the seed
 * file, applied at start, then finds all of it and adds only the purposes).
 */
export async function insertManyConsumers(db: Queryable, options: { consumers: number; grantsPerConsumer: number; connectors: ReadonlyArray<ConnectorDescriptor<any>> }): Promise<{ consumers: number; grants: number }> {
  const seed = benchSeed();
  const model = lookupGrant(seed);
  const client = seed.consumers.find((consumer) => consumer.id === benchClientId);
  if (!client) throw new Error(`${benchSeedFile} has no consumer ${benchClientId}`);
  const purpose = model.purposes?.[0] ?? null;

  const mounted = options.connectors.flatMap((connector) => connector.operations.map((operation) => ({ operation: operation.id, purpose: operation.personalData ? purpose : null })));
  const unmounted = Array.from({ length: Math.max(0, options.grantsPerConsumer - mounted.length) }, (_, index) => ({
    operation: `${connectorCopyId(options.connectors.length + 1 + index)}.citizen.get`,
    purpose,
  }));
  const operations = [...mounted, ...unmounted].slice(0, options.grantsPerConsumer);

  await db.query(
    `INSERT INTO consumers (id, client_id, name, agency, contact, status, rate_limit) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [client.id, client.clientId, client.name, client.agency, JSON.stringify(client.contact ?? {}), client.status, JSON.stringify(client.rateLimit ?? null)],
  );
  await db.query(
    `INSERT INTO consumers (id, client_id, name, agency, contact, status, rate_limit)
     SELECT 'bench-consumer-' || lpad(n::text, 5, '0'), 'bench-client-' || lpad(n::text, 5, '0'), 'Benchmark consumer ' || n, 'Benchmark', $1::jsonb, 'active', $2::jsonb
       FROM generate_series(1, $3::int) AS n`,
    [JSON.stringify(client.contact ?? {}), JSON.stringify(client.rateLimit ?? null), options.consumers - 1],
  );
  const { rowCount } = await db.query(
    `INSERT INTO grants (id, consumer_id, operation, purposes, fields, quota)
     SELECT gen_random_uuid(), c.id, g.operation, CASE WHEN g.purpose IS NULL THEN '{}'::text[] ELSE ARRAY[g.purpose] END, $3::text[], $4::jsonb
       FROM consumers c CROSS JOIN unnest($1::text[], $2::text[]) AS g (operation, purpose)`,
    [operations.map((entry) => entry.operation), operations.map((entry) => entry.purpose), model.fields, JSON.stringify(model.quota ?? null)],
  );
  await db.exec('ANALYZE consumers; ANALYZE grants');
  return { consumers: options.consumers, grants: rowCount };
}
