import { readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { imageEnvironment, imageNodeOptions } from '../../src/node-runtime.js';
import { fromProjectRoot } from '../../src/paths.js';
import { readDockerignore } from './docker-context.js';
import { copyArguments, finalStage, instructionsOf, parseDockerfile, readDockerfile, type DockerInstruction, type DockerStage } from './dockerfile-model.js';
import { packageName, productionClosure } from './production-packages.js';

/**
 * The container image's rules (issue 17, README "Container image"), checked
 * on the Dockerfile as written: no container engine runs on CI, so these
 * checks and test/container/production-start.e2e.test.ts (the image's file
 * set built without an engine, then started) stand in for `docker build`.
 * Every rule is also run on a copy of the Dockerfile broken on purpose, so a
 * rule that could no longer fail is noticed.
 */
const manifest = JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')) as { version: string; license: string };
const productionExample = parseYaml(readFileSync(fromProjectRoot('config/production.example.yaml'), 'utf8')) as { server: { port: number; opsPort: number } };
const dockerfile = readDockerfile();

const shells = /^(\/(usr\/)?bin\/)?(sh|bash|dash|ash|zsh)$/;

interface Rule {
  name: string;
  /** What is wrong with this Dockerfile; empty when it keeps the rule. */
  problems(stages: DockerStage[], text: string): string[];
  /** Edits of the real Dockerfile that break the rule (each must make `problems` non-empty). */
  breakers: Array<(text: string) => string>;
}

/** A text edit that must apply: a breaker that no longer matches the Dockerfile fails loudly instead of testing nothing. */
function replace(from: string | RegExp, to: string): (text: string) => string {
  return (text) => {
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`breaker does not apply any more: ${String(from)}`);
    return changed;
  };
}

function labelsOf(stage: DockerStage): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const label of instructionsOf(stage, 'LABEL')) {
    for (const match of label.command.matchAll(/([\w.-]+)=("([^"]*)"|\S+)/g)) labels[match[1]!] = match[3] ?? match[2]!;
  }
  return labels;
}

function argDefaults(stage: DockerStage): Record<string, string | undefined> {
  return Object.fromEntries(instructionsOf(stage, 'ARG').map((arg) => {
    const [name, value] = arg.command.split('=', 2);
    return [name!, value];
  }));
}

function last(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  return instructionsOf(stage, keyword).at(-1);
}

function stageNamed(stages: DockerStage[], name: string | null | undefined): DockerStage | undefined {
  return stages.find((stage) => stage.name !== undefined && stage.name === name);
}

const rules: Rule[] = [
  {
    name: 'multi-stage: the runtime stage takes its files from earlier stages',
    problems(stages) {
      const final = finalStage(stages);
      const fromStages = instructionsOf(final, 'COPY').filter((copy) => stageNamed(stages.slice(0, -1), copy.flags.from));
      return [
        ...(stages.length < 2 ? [`${stages.length} stage(s)`] : []),
        ...(fromStages.length === 0 ? ['the runtime stage copies nothing from another stage'] : []),
      ];
    },
    breakers: [replace(/--from=\w+ /g, '')],
  },
  {
    name: 'base image: Node 24 LTS (the official node image), slim in the runtime stage',
    problems(stages) {
      const final = finalStage(stages);
      return [
        ...stages.filter((stage) => stage.imageName !== 'node' || !/^24(\D|$)/.test(stage.imageTag ?? '')).map((stage) => `stage ${stage.name ?? '?'} is FROM ${stage.image}`),
        ...(/slim/.test(final.imageTag ?? '') ? [] : [`the runtime stage is FROM ${final.image}, not a slim image`]),
      ];
    },
    breakers: [replace('FROM node:24-bookworm-slim AS runtime', 'FROM node:22-bookworm-slim AS runtime'), replace('FROM node:24-bookworm-slim AS runtime', 'FROM node:24-bookworm AS runtime')],
  },
  {
    name: 'production dependencies: node_modules comes from a stage that runs `npm ci --omit=dev` on the lock, and the image installs nothing else',
    problems(stages) {
      const final = finalStage(stages);
      const copy = instructionsOf(final, 'COPY').find((instruction) => copyArguments(instruction).destination.replace(/\/$/, '').endsWith('node_modules'));
      if (!copy) return ['the runtime stage copies no node_modules'];
      const source = stageNamed(stages, copy.flags.from);
      if (!source) return [`node_modules is copied from ${copy.flags.from ?? 'the build context'}, not from a stage`];
      const installs = instructionsOf(source, 'RUN').filter((run) => /\b(npm|yarn|pnpm)\s+(ci|install|i|add)\b/.test(run.command));
      const copiesLock = instructionsOf(source, 'COPY').some((instruction) => copyArguments(instruction).sources.includes('package-lock.json'));
      return [
        ...(installs.length === 1 && /^npm ci\b/.test(installs[0]!.command) && /\s--omit=dev\b/.test(installs[0]!.command) ? [] : [`stage ${source.name} installs with: ${installs.map((run) => run.command).join(' ; ') || 'nothing'}`]),
        ...(copiesLock ? [] : [`stage ${source.name} does not install from package-lock.json`]),
        ...instructionsOf(final, 'RUN').filter((run) => /\b(npm|yarn|pnpm)\b/.test(run.command)).map((run) => `the runtime stage runs ${run.command}`),
      ];
    },
    breakers: [replace('--omit=dev --omit=optional', '--omit=optional'), replace('RUN npm ci --omit=dev', 'RUN npm install --omit=dev')],
  },
  {
    name: 'user: the runtime stage runs as a numeric non-root uid:gid',
    problems(stages) {
      const user = last(finalStage(stages), 'USER')?.command;
      if (!user) return ['no USER: the image would run as root'];
      const match = /^(\d+)(:(\d+))?$/.exec(user);
      return match && match[1] !== '0' && match[3] !== '0' ? [] : [`USER ${user} (numeric and not 0, so Kubernetes runAsNonRoot can verify it)`];
    },
    breakers: [replace('USER 1000:1000', 'USER node'), replace('USER 1000:1000', 'USER 0:0'), replace(/\nUSER 1000:1000\n/, '\n')],
  },
  {
    name: 'start: exec-form CMD `node dist/src/main.js`, with the base image\'s entrypoint script replaced by no shell',
    problems(stages) {
      const final = finalStage(stages);
      const cmd = last(final, 'CMD');
      const entrypoint = last(final, 'ENTRYPOINT');
      return [
        ...(JSON.stringify(cmd?.exec) === JSON.stringify(['node', 'dist/src/main.js']) ? [] : [`CMD ${cmd?.text ?? '(none)'}`]),
        // node's images start through docker-entrypoint.sh, a shell script: the runtime stage must set its own.
        ...(entrypoint?.exec && (entrypoint.exec.length === 0 || entrypoint.exec[0] === 'node') ? [] : [`ENTRYPOINT ${entrypoint?.text ?? '(inherited docker-entrypoint.sh)'}`]),
      ];
    },
    breakers: [replace('CMD ["node", "dist/src/main.js"]', 'CMD node dist/src/main.js'), replace(/\nENTRYPOINT \[\]\n/, '\n'), replace('ENTRYPOINT []', 'ENTRYPOINT ["docker-entrypoint.sh"]')],
  },
  {
    name: 'HEALTHCHECK: exec form, node running dist/scripts/container-healthcheck.js, with interval, timeout, start period and retries',
    problems(stages) {
      const check = last(finalStage(stages), 'HEALTHCHECK');
      if (!check) return ['no HEALTHCHECK'];
      const missingFlags = ['interval', 'timeout', 'start-period', 'retries'].filter((flag) => !check.flags[flag]);
      return [
        ...(JSON.stringify(check.exec) === JSON.stringify(['node', 'dist/scripts/container-healthcheck.js']) ? [] : [`HEALTHCHECK CMD ${check.command}`]),
        ...(missingFlags.length > 0 ? [`HEALTHCHECK without --${missingFlags.join(', --')}`] : []),
      ];
    },
    breakers: [
      replace('CMD ["node", "dist/scripts/container-healthcheck.js"]', 'CMD node dist/scripts/container-healthcheck.js'),
      replace('CMD ["node", "dist/scripts/container-healthcheck.js"]', 'CMD ["curl", "-f", "http://127.0.0.1:8080/healthz"]'),
      replace('--timeout=5s ', ''),
    ],
  },
  {
    name: 'no shell at run time: the runtime stage has no shell-form RUN and no command of it starts a shell',
    problems(stages) {
      const final = finalStage(stages);
      const commands = final.instructions.filter((instruction) => ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.keyword));
      return commands.flatMap((instruction) => {
        if (!instruction.exec) return [`${instruction.keyword} ${instruction.text} (shell form)`];
        return instruction.exec[0] !== undefined && shells.test(instruction.exec[0]) ? [`${instruction.keyword} ${instruction.text} (a shell)`] : [];
      });
    },
    breakers: [replace('\nUSER 1000:1000', '\nRUN mkdir -p /app/data\nUSER 1000:1000'), replace('CMD ["node", "dist/src/main.js"]', 'CMD ["/bin/sh", "-c", "node dist/src/main.js"]')],
  },
  {
    name: 'read-only root filesystem: the one writable path, /tmp, is declared a volume',
    problems(stages) {
      const volumes = instructionsOf(finalStage(stages), 'VOLUME').flatMap((volume) => volume.exec ?? volume.command.split(/\s+/));
      return volumes.includes('/tmp') ? [] : [`VOLUME ${volumes.join(' ') || '(none)'}`];
    },
    breakers: [replace(/\nVOLUME \["\/tmp"\]\n/, '\n')],
  },
  {
    name: 'labels: OCI title, description, version, revision, created, licenses, base name; version, revision and created from build ARGs',
    problems(stages) {
      const final = finalStage(stages);
      const labels = labelsOf(final);
      const args = argDefaults(final);
      const prefix = 'org.opencontainers.image.';
      const missing = ['title', 'description', 'version', 'revision', 'created', 'licenses', 'base.name'].filter((key) => !labels[prefix + key]);
      const fromArgs = (['version', 'revision', 'created'] as const).filter((key) => {
        const variable = /^\$\{(\w+)\}$/.exec(labels[prefix + key] ?? '')?.[1];
        return !variable || !(variable in args);
      });
      return [
        ...missing.map((key) => `no ${prefix}${key} label`),
        ...fromArgs.map((key) => `${prefix}${key} is not a build ARG of the runtime stage`),
        ...(labels[`${prefix}licenses`] === manifest.license ? [] : [`licenses ${labels[`${prefix}licenses`]} is not package.json's ${manifest.license}`]),
        ...(args.VERSION === manifest.version ? [] : [`ARG VERSION defaults to ${args.VERSION}, package.json says ${manifest.version}`]),
        ...(labels[`${prefix}base.name`]?.endsWith(final.image) ? [] : [`base.name ${labels[`${prefix}base.name`]} is not ${final.image}`]),
      ];
    },
    breakers: [
      replace(/\s+org\.opencontainers\.image\.revision="\$\{REVISION\}" \\/, ''),
      replace('org.opencontainers.image.created="${CREATED}"', 'org.opencontainers.image.created="2026-01-01T00:00:00Z"'),
      replace('ARG VERSION=0.1.0', 'ARG VERSION=0.0.9'),
    ],
  },
  {
    name: "ports: EXPOSE 8080 (API, probes) and 9464 (ops), the production example's server.port and opsPort",
    problems(stages) {
      const exposed = instructionsOf(finalStage(stages), 'EXPOSE').flatMap((expose) => expose.command.split(/\s+/)).map((port) => port.replace(/\/tcp$/, ''));
      return [productionExample.server.port, productionExample.server.opsPort].filter((port) => !exposed.includes(String(port))).map((port) => `port ${port} is not exposed`);
    },
    breakers: [replace('EXPOSE 8080 9464', 'EXPOSE 8080')],
  },
  {
    name: 'environment: WORKDIR /app, NODE_ENV=production, LGSP_CONFIG an absolute path outside /app',
    problems(stages) {
      const final = finalStage(stages);
      const env = Object.fromEntries(instructionsOf(final, 'ENV').flatMap((instruction) => [...instruction.command.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1]!, match[2]!])));
      return [
        ...(last(final, 'WORKDIR')?.command === '/app' ? [] : [`WORKDIR ${last(final, 'WORKDIR')?.command}`]),
        ...(env.NODE_ENV === 'production' ? [] : [`NODE_ENV=${env.NODE_ENV}`]),
        ...(env.LGSP_CONFIG?.startsWith('/') && !env.LGSP_CONFIG.startsWith('/app/') ? [] : [`LGSP_CONFIG=${env.LGSP_CONFIG} (mounted configuration, outside the code)`]),
      ];
    },
    breakers: [replace('NODE_ENV=production', 'NODE_ENV=development'), replace('WORKDIR /app', 'WORKDIR /srv'), replace('LGSP_CONFIG=/etc/lgsp/config.yaml', 'LGSP_CONFIG=config/default.yaml')],
  },
  {
    name: "runtime flags: NODE_OPTIONS is exactly src/node-runtime.ts's imageNodeOptions (the flags the benchmark measures)",
    problems(stages) {
      const values = instructionsOf(finalStage(stages), 'ENV').flatMap((instruction) => [...instruction.command.matchAll(/NODE_OPTIONS=("([^"]*)"|\S+)/g)].map((match) => match[2] ?? match[1]!));
      const wanted = imageNodeOptions.join(' ');
      return values.length === 1 && values[0] === wanted ? [] : [`NODE_OPTIONS ${values.length ? values.map((value) => `"${value}"`).join(', ') : 'not set'}, want "${wanted}"`];
    },
    breakers: [replace('NODE_OPTIONS="--max-semi-space-size=16"', 'NODE_OPTIONS="--max-semi-space-size=8"'), replace(/ \\\n    NODE_OPTIONS="[^"]*"/, '')],
  },
  {
    name: "runtime environment: every variable of src/node-runtime.ts's imageEnvironment is set to its value (the environment the benchmark measures)",
    problems(stages) {
      const env = Object.fromEntries(instructionsOf(finalStage(stages), 'ENV').flatMap((instruction) => [...instruction.command.matchAll(/(\w+)=("([^"]*)"|\S+)/g)].map((match) => [match[1]!, match[3] ?? match[2]!])));
      return Object.entries(imageEnvironment).flatMap(([name, value]) => (env[name] === value ? [] : [`${name}=${env[name] ?? '(not set)'}, want ${value}`]));
    },
    breakers: [replace('MALLOC_ARENA_MAX=2', 'MALLOC_ARENA_MAX=8'), replace(/ \\\n    MALLOC_ARENA_MAX=\S+/, '')],
  },
  {
    name: "content: the runtime stage copies from stages only (never the build context), the build stage's pruned image directory, not its whole tree",
    problems(stages) {
      const final = finalStage(stages);
      return instructionsOf(final, 'COPY').flatMap((copy) => {
        if (!stageNamed(stages, copy.flags.from)) return [`COPY ${copy.text}: from the build context`];
        const { sources } = copyArguments(copy);
        return sources.filter((source) => !/\/(node_modules|image)\/?$/.test(source)).map((source) => `COPY --from=${copy.flags.from} ${source}: not a production-only directory`);
      });
    },
    breakers: [replace('COPY --from=build /build/image/ ./', 'COPY --from=build /build/image/ ./\nCOPY simulators/ simulators/'), replace('COPY --from=build /build/image/ ./', 'COPY --from=build /build/ ./')],
  },
  {
    name: 'build context: no stage copies tests, the benchmark, docs or a whole-context COPY',
    problems(stages) {
      return stages.flatMap((stage) =>
        instructionsOf(stage, 'COPY')
          .filter((copy) => copy.flags.from === undefined)
          .flatMap((copy) => copyArguments(copy).sources.filter((source) => /^(\.\/?|test\/?|bench\/?|docs\/?)$/.test(source)).map((source) => `stage ${stage.name}: COPY ${source}`)),
      );
    },
    breakers: [replace('COPY scripts/ scripts/', 'COPY scripts/ scripts/\nCOPY test/ test/'), replace('COPY src/ src/', 'COPY . .')],
  },
];

describe('Dockerfile (checked as written: no container engine on CI)', () => {
  it('lints clean with dockerfile-utils (no error, no warning)', () => {
    expect(validate(dockerfile.text).map((diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`)).toEqual([]);
    // The linter would notice a broken file (a lower-case instruction is a warning).
    expect(validate(replace('WORKDIR /app', 'workdir /app')(dockerfile.text)).length).toBeGreaterThan(0);
  });

  it('names its stages build, deps and runtime, in that order', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(['build', 'deps', 'runtime']);
  });

  describe.each(rules.map((rule) => [rule.name, rule] as const))('%s', (_name, rule) => {
    it('holds for the Dockerfile', () => {
      expect(rule.problems(dockerfile.stages, dockerfile.text)).toEqual([]);
    });

    it('fails for a Dockerfile broken on purpose', () => {
      for (const breaker of rule.breakers) {
        const broken = breaker(dockerfile.text);
        expect({ breaker: breaker.toString(), problems: rule.problems(parseDockerfile(broken), broken) }).toEqual({ breaker: breaker.toString(), problems: expect.arrayContaining([expect.any(String)]) });
      }
    });
  });
});

describe('npm ci --ignore-scripts in the deps stage', () => {
  it('is safe: the one production package with an install script is reviewed, and optional packages are test tools', () => {
    const closure = productionClosure();
    const withScripts = [...closure].filter(([, entry]) => entry.hasInstallScript).map(([path]) => packageName(path));
    // @scarf/scarf (through swagger-ui-dist): its install script only reports the installation to scarf.sh. Nothing to build.
    expect(withScripts).toEqual(['@scarf/scarf']);
    // The production closure (optional dependencies left out, as --omit=optional does) holds none of the test tools.
    expect([...closure.keys()].map(packageName)).not.toEqual(expect.arrayContaining(['chromedriver']));
    expect(closure.size).toBeGreaterThan(100);
  });
});

describe('.dockerignore', () => {
  const ignore = readDockerignore();

  it('keeps out what the image must never see or need: git, installs, builds, tests, docs and screenshots, local data, logs, environment files', () => {
    const keptOut = [
      '.git/config',
      'node_modules/jest/package.json',
      'dist/src/main.js',
      'test/e2e/population-lookup.e2e.test.ts',
      'bench/run.ts',
      'docs/console/overview-alert-firing.png',
      'coverage/lcov.info',
      '.data/pglite/PG_VERSION',
      'bench/results/latest.json',
      'gateway.log',
      '.env',
      'src/.env.production',
      '.ci/run',
      'README.md',
      'helm/lgsp-gateway/values.yaml',
      'src/access/access-seed.test.ts',
      'connectors/population/client.test.ts',
      'src/node_modules/x/index.js',
    ];
    expect(keptOut.filter((path) => !ignore.excludes(path))).toEqual([]);
  });

  it('lets in every source a COPY of the Dockerfile takes from the build context, and what they hold', () => {
    const contextSources = dockerfile.stages.flatMap((stage) => instructionsOf(stage, 'COPY').filter((copy) => copy.flags.from === undefined).flatMap((copy) => copyArguments(copy).sources));
    expect(contextSources.length).toBeGreaterThan(5);
    expect(contextSources.filter((source) => ignore.excludes(source))).toEqual([]);
    const needed = ['src/main.ts', 'src/console/static/console.css', 'src/auth/test-support/token-client.ts', 'connectors/population/population.wsdl', 'contracts/common/v1/definitions.json', 'contracts/types.generated.ts', 'scripts/store-migrate.ts', 'simulators/embedded/start-embedded.ts'];
    expect(needed.filter((path) => ignore.excludes(path))).toEqual([]);
  });
});
