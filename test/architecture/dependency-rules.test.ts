import { createRequire } from 'node:module';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { fromProjectRoot } from '../../src/paths.js';

// DESIGN.md "The arrows point one way", as rules (.dependency-cruiser.cjs) checked on every `npm test`.
const config = createRequire(import.meta.url)(fromProjectRoot('.dependency-cruiser.cjs')) as IConfiguration;

describe('architecture rules (dependency-cruiser)', () => {
  it('src, connectors and simulators break none of .dependency-cruiser.cjs', async () => {
    const previous = process.cwd();
    process.chdir(fromProjectRoot());
    let output: ICruiseResult;
    try {
      const result = await cruise(['src', 'connectors', 'simulators'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
      output = result.output as ICruiseResult;
    } finally {
      process.chdir(previous);
    }
    const violations = output.summary.violations.map((violation) =>
      violation.cycle?.length
        ? `${violation.rule.name}: ${[violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')}`
        : `${violation.rule.name}: ${violation.from} → ${violation.to}`,
    );
    expect(violations).toEqual([]);
    // The rules ran over the real tree (a wrong path would pass vacuously).
    expect(output.summary.totalCruised).toBeGreaterThan(200);
  }, 120_000);
});
