import { createRequire } from 'node:module';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { fromProjectRoot } from '../../src/paths.js';

// DESIGN.md "The arrows point one way", as rules (.dependency-cruiser.cjs) checked on every `npm test`.
const config = createRequire(import.meta.url)(fromProjectRoot('.dependency-cruiser.cjs')) as IConfiguration;

describe('architecture rules (dependency-cruiser)', () => {
  it('src, connectors, simulators and scripts break none of .dependency-cruiser.cjs', async () => {
    const previous = process.cwd();
    process.chdir(fromProjectRoot());
    let output: ICruiseResult;
    try {
      const result = await cruise(['src', 'connectors', 'simulators', 'scripts'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
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
    // Package imports are in the graph with their kind (excluding node_modules would hide them, and the
    // production rules on devDependencies and undeclared packages would pass vacuously).
    const packageKinds = (source: string) => output.modules.find((module) => module.source === source)?.dependencies.filter((d) => d.dependencyTypes.some((type) => type.startsWith('npm'))).map((d) => [d.module, d.dependencyTypes.filter((type) => type.startsWith('npm'))]);
    expect(packageKinds('src/auth/token-verifier.ts')).toEqual([['jose', ['npm']]]);
    expect(packageKinds('simulators/dev-idp/dev-idp.ts')).toEqual(expect.arrayContaining([['oidc-provider', ['npm-dev']]]));
  }, 120_000);
});
