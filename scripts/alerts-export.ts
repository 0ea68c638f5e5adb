import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from './support/load-gateway-config.js';
import { configuredRules } from '../src/alerting/rules/configured-rules.js';
import { toPrometheusRules } from '../src/alerting/rules/prometheus-export.js';
import { AlertRuleStore } from '../src/alerting/rules/rule-store.js';
import type { AlertRule } from '../src/alerting/types.js';
import type { GatewayConfig } from '../src/config/gateway-config.js';
import { createLogger } from '../src/observability/logger.js';
import { connectStore } from '../src/store/open-store.js';

/**
 * npm run alerts:export [-- --out <file>] [--with-store]
 *
 * The gateway's alert rules as a Prometheus rules file, with the gateway's
 * own configuration (LGSP_CONFIG + LGSP__* environment, read as `npm start`
 * reads it): the defaults for every configured connector (unless
 * alerting.defaultRules is false), the config file's rules over them and,
 * with --with-store, the rules administrators added at run time (read from
 * the store; embedded mode: stop the gateway first, PGlite's data directory
 * is locked while it runs). Disabled rules are left out. Check the result
 * with `promtool check rules <file>`.
 * Exit 0: written; 2: usage, configuration or store error.
 */
const usage = 'usage: npm run alerts:export [-- --out <file>] [--with-store]';

function fail(message: string): never {
  process.stderr.write(`alerts:export: ${message}\n${usage}\n`);
  process.exit(2);
}


async function storedRules(config: GatewayConfig): Promise<AlertRule[]> {
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const store = await connectStore(config.store, logger, { max: 1, applicationName: 'lgsp-alerts-export' });
  try {
    return (await new AlertRuleStore(store).list()).map((stored) => stored.rule);
  } catch (error) {
    // A store the gateway never started on has no alerting tables, hence no administrators' rules.
    if ((error as { code?: string }).code !== '42P01') throw error;
    process.stderr.write('alerts:export: the store has no alert_rules table yet (the gateway never ran on it): no stored rules\n');
    return [];
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { out: { type: 'string' }, 'with-store': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    const config = await loadGatewayConfig({ productionGuard: false });
    const stored = args['with-store'] ? await storedRules(config) : [];
    const rules = configuredRules(config, stored).map((effective) => effective.rule);
    const file = toPrometheusRules(rules);
    if (args.out) {
      writeFileSync(args.out, file);
      process.stderr.write(`alerts:export: ${rules.filter((rule) => rule.enabled !== false).length} rules written to ${args.out}\n`);
    } else {
      process.stdout.write(file);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`alerts:export: nothing written: ${(error as Error).message}\n`);
    return 2;
  }
}

main().then((code) => process.exit(code));
