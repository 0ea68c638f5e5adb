import { readFileSync } from 'node:fs';
import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { fromProjectRoot } from '../../src/paths.js';

/**
 * The repository's Dockerfile as the tests read it: stages in order, each
 * with its instructions (keyword, arguments with line continuations joined,
 * flags, and the JSON array of an exec form), parsed by dockerfile-ast.
 */
export interface DockerInstruction {
  keyword: string;
  /** The arguments as one line: continuations joined, flags left out (what `sh -c` gets for a shell-form RUN). */
  text: string;
  flags: Record<string, string | null>;
  /** The exec form's array (JSON form), undefined for the shell form. */
  exec?: string[];
  /** The arguments; for HEALTHCHECK what follows its `CMD`. */
  command: string;
}

export interface DockerStage {
  name: string | undefined;
  image: string;
  /** The base image's name and tag (`node`, `24-bookworm-slim`). */
  imageName: string;
  imageTag: string | undefined;
  instructions: DockerInstruction[];
}

export const dockerfilePath = fromProjectRoot('Dockerfile');
export const dockerignorePath = fromProjectRoot('.dockerignore');

export function readDockerfile(path = dockerfilePath): { text: string; stages: DockerStage[] } {
  const text = readFileSync(path, 'utf8');
  return { text, stages: parseDockerfile(text) };
}

export function parseDockerfile(text: string): DockerStage[] {
  const parsed = DockerfileParser.parse(text);
  const stages: DockerStage[] = [];
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const from = instruction as From;
      stages.push({
        name: from.getBuildStage() ?? undefined,
        image: from.getImage() ?? '',
        imageName: from.getImageName() ?? '',
        imageTag: from.getImageTag() ?? undefined,
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue; // ARGs before the first FROM
    stage.instructions.push(describe(instruction));
  }
  return stages;
}

function describe(instruction: Instruction): DockerInstruction {
  const keyword = instruction.getKeyword();
  const flagList = 'getFlags' in instruction ? (instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> }).getFlags() : [];
  const flags = Object.fromEntries(flagList.map((flag) => [flag.getName(), flag.getValue()]));
  // dockerfile-ast leaves the flags out of the arguments' content and joins continued lines.
  const text = (instruction.getArgumentsContent() ?? '').trim();
  const command = keyword === 'HEALTHCHECK' ? text.replace(/^CMD\s+/i, '') : text;
  const exec = execForm(command);
  return { keyword, text, flags, command, ...(exec && { exec }) };
}

/** A JSON array of strings, as Docker reads the exec form; anything else is the shell form. */
function execForm(command: string): string[] | undefined {
  if (!command.startsWith('[')) return undefined;
  try {
    const value = JSON.parse(command) as unknown;
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The stage the image is (the last one). */
export function finalStage(stages: DockerStage[]): DockerStage {
  const stage = stages.at(-1);
  if (!stage) throw new Error('the Dockerfile has no FROM');
  return stage;
}

export function instructionsOf(stage: DockerStage, keyword: string): DockerInstruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** COPY's sources and destination (the last argument), flags left out. */
export function copyArguments(copy: DockerInstruction): { sources: string[]; destination: string } {
  const parts = copy.exec ?? copy.command.split(/\s+/);
  const destination = parts.at(-1);
  if (parts.length < 2 || destination === undefined) throw new Error(`COPY ${copy.text}: needs a source and a destination`);
  return { sources: parts.slice(0, -1), destination };
}
