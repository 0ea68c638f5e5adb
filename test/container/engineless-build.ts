import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { promisify } from 'node:util';
import { fromProjectRoot, projectRoot } from '../../src/paths.js';
import { readDockerignore, type DockerIgnore } from './docker-context.js';
import { copyArguments, finalStage, readDockerfile, type DockerInstruction, type DockerStage } from './dockerfile-model.js';

const run = promisify(execFile);

/**
 * The image's file set without a container engine (none runs on CI): the
 * Dockerfile's own instructions, stage by stage, each stage's filesystem a
 * directory of its own under `root`. WORKDIR, COPY (from the build context,
 * filtered by .dockerignore, or --from another stage) and RUN (`sh -c`, in
 * the stage's working directory) are carried out as written; ENV applies to
 * the RUNs after it; the rest (LABEL, USER, EXPOSE, CMD...) describes the
 * image and is returned for the caller.
 *
 * One substitution: the build stage's full development install (`npm ci`
 * without --omit=dev) becomes a link to this checkout's node_modules, which
 * is that same install from the same lock; a second copy would cost minutes.
 * The production install (`npm ci --omit=dev`) runs for real, preferring
 * npm's cache (npm_config_prefer_offline) so CI needs no network for it.
 */
export interface EnginelessImage {
  /** The final stage's working directory: /app of the image. */
  appDir: string;
  /** The final stage's filesystem root. */
  rootDir: string;
  stages: DockerStage[];
  final: DockerStage;
  /** ENV of the final stage, in order. */
  env: Record<string, string>;
  /** The final stage's USER as numbers (`1000:1000`). */
  user: { uid: number; gid: number } | undefined;
  /** What each RUN printed, for failure messages. */
  log: string[];
}

export async function buildWithoutEngine(root: string): Promise<EnginelessImage> {
  const { stages } = readDockerfile();
  const ignore = readDockerignore();
  const stageRoots = new Map<string, string>();
  const log: string[] = [];
  let env: Record<string, string> = {};
  let workdir = '/';
  let user: EnginelessImage['user'];

  for (const [index, stage] of stages.entries()) {
    if (stages.some((other) => other.name !== undefined && other.name === stage.image)) throw new Error(`FROM ${stage.image}: a stage built on another stage is not reproduced`);
    const stageRoot = join(root, `stage-${index}-${stage.name ?? 'unnamed'}`);
    mkdirSync(stageRoot, { recursive: true });
    if (stage.name) stageRoots.set(stage.name, stageRoot);
    env = {};
    workdir = '/';
    user = undefined;
    const inStage = (path: string) => join(stageRoot, posix.resolve(workdir, path));

    for (const instruction of stage.instructions) {
      switch (instruction.keyword) {
        case 'WORKDIR':
          workdir = posix.resolve(workdir, instruction.command);
          mkdirSync(inStage('.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(env, parseEnv(instruction));
          break;
        case 'USER': {
          const [uid, gid] = instruction.command.split(':').map(Number);
          user = { uid: uid!, gid: gid ?? uid! };
          break;
        }
        case 'COPY': {
          const from = instruction.flags.from;
          const sourceRoot = from ? stageRoots.get(from) : projectRoot;
          if (!sourceRoot) throw new Error(`COPY --from=${from}: no such stage before this one`);
          copyInstruction(instruction, sourceRoot, from ? undefined : ignore, inStage);
          break;
        }
        case 'RUN':
          log.push(...(await runInstruction(instruction, inStage('.'), env)));
          break;
        case 'ADD':
          throw new Error('ADD is not reproduced (use COPY)');
        default:
          // LABEL, ARG, EXPOSE, VOLUME, HEALTHCHECK, ENTRYPOINT, CMD describe the image.
          break;
      }
    }
  }
  const final = finalStage(stages);
  const rootDir = join(root, `stage-${stages.length - 1}-${final.name ?? 'unnamed'}`);
  return { appDir: join(rootDir, workdir), rootDir, stages, final, env, user, log };
}

function parseEnv(instruction: DockerInstruction): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const match of instruction.command.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) pairs[match[1]!] = match[3] ?? match[2]!;
  return pairs;
}

/** COPY's semantics for what this Dockerfile uses: a directory source copies its contents; files land in a destination ending in `/`. */
function copyInstruction(instruction: DockerInstruction, sourceRoot: string, ignore: DockerIgnore | undefined, inStage: (path: string) => string): void {
  const { sources, destination } = copyArguments(instruction);
  const intoDirectory = destination.endsWith('/') || destination === '.' || sources.length > 1;
  for (const source of sources) {
    const from = join(sourceRoot, source);
    if (!existsSync(from)) throw new Error(`COPY ${instruction.text}: ${source} does not exist`);
    if (ignore && ignore.excludes(relative(sourceRoot, from))) throw new Error(`COPY ${instruction.text}: ${source} is excluded by .dockerignore`);
    if (statSync(from).isDirectory()) {
      const to = inStage(destination);
      mkdirSync(to, { recursive: true });
      cpSync(from, to, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (path) => !ignore || !ignore.excludes(relative(sourceRoot, path)),
      });
    } else {
      const to = intoDirectory ? join(inStage(destination), posix.basename(source)) : inStage(destination);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}

async function runInstruction(instruction: DockerInstruction, cwd: string, env: Record<string, string>): Promise<string[]> {
  if (instruction.exec) throw new Error(`RUN ${instruction.text}: the exec form is not reproduced`);
  const command = instruction.command;
  if (/^npm ci\b/.test(command) && !/--omit=dev\b/.test(command)) {
    symlinkSync(fromProjectRoot('node_modules'), join(cwd, 'node_modules'), 'dir');
    return [`RUN ${command}: linked this checkout's node_modules (the same development install)`];
  }
  try {
    const { stdout, stderr } = await run('sh', ['-c', command], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? cwd, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false', ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
    });
    return [`RUN ${command}`, stdout, stderr].filter(Boolean);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`RUN ${command} failed: ${(error as Error).message}\n${stdout}\n${stderr}`);
  }
}

/** Every file under `dir`, relative and `/`-separated (symbolic links listed, not followed). */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(join(dir, entry.name), path) : [path];
  });
}
