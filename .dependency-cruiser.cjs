// The architecture rules of DESIGN.md ("The arrows point one way"), checked by
// test/architecture/dependency-rules.test.ts inside `npm test`, and by hand with
// `npx depcruise --config .dependency-cruiser.cjs src connectors simulators scripts`.
// Type-only imports count (tsPreCompilationDeps): a type is a dependency too.

/** Files of a connector that run in production: not its sandbox, not tests. */
const connectorProduct = { path: '^connectors/', pathNot: ['/sandbox/', '/fixtures/', '\\.test\\.ts$', '/test-support/'] };
const tests = ['\\.test\\.ts$', '/test-support/'];
/** Development tools among scripts/ (the Dockerfile leaves them out of the image); every other script is an operator's tool and ships. */
const developmentScripts = ['^scripts/dev-token\\.ts$', '^scripts/contract-types\\.ts$', '^scripts/helm-generate\\.ts$', '^scripts/support/helm-chart-generated\\.ts$'];
/** What the container image runs (the Dockerfile's pruned dist/): the core, the connectors but their simulators, the operators' scripts. */
const productionCode = { path: ['^src/', '^connectors/', '^scripts/'], pathNot: [...tests, '/sandbox/', '/fixtures/', ...developmentScripts] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make start-up order and module boundaries accidental.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'connector-imports-only-the-kit-entry',
      severity: 'error',
      comment: 'A connector reaches src/ through src/connector-kit/index.ts only (the sealed kit).',
      from: connectorProduct,
      to: { path: '^src/', pathNot: '^src/connector-kit/index\\.ts$' },
    },
    {
      name: 'connector-imports-no-simulator',
      severity: 'error',
      comment: 'Simulators are for embedded mode and tests; a descriptor may only declare its own sandbox with a dynamic import().',
      from: { ...connectorProduct, path: '^connectors/([^/]+)/' },
      to: { path: ['^simulators/', '^connectors/[^/]+/sandbox/'], pathNot: '^connectors/$1/sandbox/embedded\\.ts$' },
    },
    {
      name: 'connector-sandbox-only-by-dynamic-import',
      severity: 'error',
      comment: "A descriptor's sandbox declaration is a lazy import(), so production never loads it.",
      from: connectorProduct,
      to: { path: '^connectors/[^/]+/sandbox/', dynamic: false },
    },
    {
      name: 'connectors-do-not-import-each-other',
      severity: 'error',
      comment: 'Each connector is its own folder; only connectors/registry.ts knows them all.',
      from: { path: '^connectors/([^/]+)/', pathNot: tests },
      to: { path: '^connectors/', pathNot: '^connectors/$1/' },
    },
    {
      name: 'registry-imports-descriptors-and-the-kit-entry',
      severity: 'error',
      from: { path: '^connectors/registry\\.ts$' },
      to: { path: ['^src/', '^simulators/', '^connectors/[^/]+/(?!descriptor\\.ts$)'], pathNot: '^src/connector-kit/index\\.ts$' },
    },
    {
      name: 'connectors-import-only-kit-contracts-and-themselves',
      severity: 'error',
      comment: 'Besides the kit entry: contracts/, their own folder, and libraries.',
      from: connectorProduct,
      to: { pathNot: ['^src/connector-kit/index\\.ts$', '^contracts/', '^connectors/', 'node_modules', '^node:|^(fs|path|url|http|https|net|crypto|util|events|stream|buffer|zlib|os)$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'kit-imports-nothing-from-the-core',
      severity: 'error',
      comment: 'The kit is sealed: the core imports the kit, never the other way round.',
      from: { path: '^src/connector-kit/', pathNot: tests },
      to: { path: ['^src/', '^simulators/', '^connectors/'], pathNot: '^src/connector-kit/' },
    },
    {
      name: 'product-never-imports-simulators-statically',
      severity: 'error',
      comment: 'src/ is the product: simulators (simulators/, connectors/*/sandbox/) are loaded only in embedded mode and tests.',
      from: { path: '^src/', pathNot: tests },
      to: { path: ['^simulators/', '^connectors/[^/]+/sandbox/'], dynamic: false },
    },
    {
      name: 'product-loads-simulators-only-from-the-embedded-branch-of-main',
      severity: 'error',
      comment: "The one allowed way in: src/main.ts's import() of the embedded launcher, taken in embedded mode.",
      from: { path: '^src/', pathNot: [...tests, '^src/main\\.ts$'] },
      to: { path: ['^simulators/', '^connectors/[^/]+/sandbox/'], dynamic: true },
    },
    {
      name: 'production-imports-no-dev-dependency',
      severity: 'error',
      comment: 'The image installs `npm ci --omit=dev`: a devDependency imported by production code is missing there (types only are erased by tsc).',
      from: productionCode,
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'production-imports-only-declared-packages',
      severity: 'error',
      comment: 'A package production code imports must be in package.json "dependencies": one that arrives only as a dependency of a dependency may vanish at any update.',
      from: productionCode,
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
    {
      name: 'production-imports-no-test-code',
      severity: 'error',
      comment: 'Tests, test-support helpers and test/ are not in the image.',
      from: productionCode,
      to: { path: [...tests, '^test/', '^bench/'] },
    },
    {
      name: 'scripts-load-simulators-only-through-the-embedded-config',
      severity: 'error',
      comment: "The operators' scripts run in the image: their one way into simulators/ is load-gateway-config's import() of embedded mode's defaults, taken in embedded mode.",
      from: { path: '^scripts/', pathNot: [...tests, ...developmentScripts] },
      to: { path: ['^simulators/', '^connectors/[^/]+/sandbox/'], pathNot: '^simulators/embedded/dev-defaults\\.ts$' },
    },
    {
      name: 'scripts-import-embedded-defaults-only-dynamically-from-the-config-loader',
      severity: 'error',
      from: { path: '^scripts/', pathNot: [...tests, ...developmentScripts, '^scripts/support/load-gateway-config\\.ts$'] },
      to: { path: '^simulators/' },
    },
    {
      name: 'config-loader-imports-embedded-defaults-only-dynamically',
      severity: 'error',
      from: { path: '^scripts/support/load-gateway-config\\.ts$' },
      to: { path: '^simulators/', dynamic: false },
    },
    {
      name: 'main-loads-only-the-embedded-launcher',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: ['^simulators/', '^connectors/[^/]+/sandbox/'], pathNot: '^simulators/embedded/start-embedded\\.ts$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/'] },
    enhancedResolveOptions: { extensions: ['.ts', '.d.ts', '.js', '.mjs', '.json'] },
  },
};
