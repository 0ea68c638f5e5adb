// A second "gateway process" for chain-processes.pg.test.ts: the real, compiled
// audit writer (dist/, built by the test) appending `count` concurrent records
// to the shared schema. Prints {records, flushes} as JSON.
import { randomBytes, randomUUID } from 'node:crypto';

const [url, schema, name, countText, startAtText] = process.argv.slice(2);
const { createAuditWriter } = await import('../../dist/src/audit/audit-writer.js');
const { createPgStore } = await import('../../dist/src/store/pg-store.js');
const { createLogger } = await import('../../dist/src/observability/logger.js');

const logger = createLogger({ level: 'warn', destination: process.stderr });
const store = await createPgStore({ connectionString: url, schema, logger, max: 4 });
let flushes = 0;
const writer = createAuditWriter({ store, subjectKey: randomBytes(32), logger, onFlush: (_records, ok) => ok && flushes++ });
const count = Number(countText);
await store.ping();
// Both processes start writing at the same moment, then keep writing in waves, so their batches interleave.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
const waves = 8;
let committed = 0;
for (let wave = 0; wave < waves; wave++) await Promise.all(
  Array.from({ length: count / waves }, (_, j) => wave * (count / waves) + j).map((i) =>
    writer.record({
      requestId: randomUUID(),
      occurredAt: new Date(),
      consumer: name,
      endUser: 'officer01',
      purpose: '000.00.01.H22-261123-0001',
      operation: 'population.citizen.get',
      connector: 'population',
      subjectId: `0010990${String(i).padStart(5, '0')}`,
      fieldsReleased: ['fullName'],
      outcome: 'success',
      httpStatus: 200,
      latencyMs: 1,
    }).then(() => committed++),
  ),
);
await store.close();
// What this process saw committed, counted from the writer's own answers (not what it was asked to write).
process.stdout.write(JSON.stringify({ records: committed, flushes }));
