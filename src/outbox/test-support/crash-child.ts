import { createLogger } from '../../observability/logger.js';
import { createPgStore } from '../../store/pg-store.js';
import { OutboxDispatcher } from '../dispatcher.js';

/**
 * A gateway process reduced to its outbox: the real dispatcher on the real
 * PostgreSQL store (argv: database url, schema, target, lease ms). Its
 * handler reports each claim on stdout and never answers, so the test can
 * SIGKILL the process in the middle of a delivery. Run as plain JavaScript
 * (see spawn-crash-child.ts): nothing here may depend on jest.
 */
const [url, schema, target, leaseMs] = process.argv.slice(2);
const store = await createPgStore({ connectionString: url!, schema: schema!, logger: createLogger({ level: 'silent' }), max: 2 });
const dispatcher = new OutboxDispatcher({ store, logger: createLogger({ level: 'silent' }), leaseMs: Number(leaseMs), pollIntervalMs: 50, id: 'child' });
dispatcher.register(target!, {
  handler: (message) => {
    process.stdout.write(`${JSON.stringify({ claimed: message.id, attempt: message.attempt, pid: process.pid })}\n`);
    return new Promise(() => undefined);
  },
});
dispatcher.start();
process.stdout.write('ready\n');
