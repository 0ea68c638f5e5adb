import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { chartDir, generatedChartFiles } from './support/helm-chart-generated.js';

/**
 * npm run helm:generate [-- --check]
 *
 * Writes the Helm chart's parts derived from the gateway (scripts/support/helm-chart-generated.ts):
 * values.schema.json's `config` (the gateway's configuration schema in the chart's form) and the
 * alert-rule files under rules/. Run it after changing the configuration schema, a connector, or the
 * default alert rules. --check writes nothing and exits 1 when a file differs (test/helm checks the same).
 * Exit 0: written (or up to date); 1: out of date (--check); 2: usage.
 */
const usage = 'usage: npm run helm:generate [-- --check]';

function main(): number {
  let args;
  try {
    args = parseArgs({ options: { check: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    process.stderr.write(`helm:generate: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const stale: string[] = [];
  for (const [path, content] of Object.entries(generatedChartFiles())) {
    const file = join(chartDir, path);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    stale.push(path);
    if (!args.check) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  if (args.check) {
    if (stale.length) process.stderr.write(`helm:generate: out of date: ${stale.join(', ')} (run npm run helm:generate)\n`);
    return stale.length ? 1 : 0;
  }
  process.stderr.write(stale.length ? `helm:generate: wrote ${stale.join(', ')}\n` : 'helm:generate: up to date\n');
  return 0;
}

process.exitCode = main();
