import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { fromProjectRoot } from '../../paths.js';

/**
 * The crash test needs the real dispatcher in a real child process, and
 * this project runs TypeScript only through ts-jest. So the child's entry
 * and every module it reaches are transpiled (TypeScript's own transpiler,
 * no type check) into a temporary directory that mirrors the project and
 * sees its node_modules, then run with plain `node`.
 */
export function transpileClosure(entry: string): { dir: string; entry: string; dispose(): void } {
  const root = fromProjectRoot('.');
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-outbox-child-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  // The contracts beside package.json: the marker pair by which project-root.ts finds the root (the kit's entry loads it).
  symlinkSync(join(root, 'contracts'), join(dir, 'contracts'), 'dir');
  const pending = [resolve(entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const source = pending.pop()!;
    if (done.has(source)) continue;
    done.add(source);
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: source,
    });
    const out = join(dir, relative(root, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    // Only imports that survived transpilation (type-only ones are erased) are followed.
    for (const match of outputText.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      pending.push(resolve(dirname(source), `${match[1]}.ts`));
    }
  }
  return { dir, entry: join(dir, relative(root, entry)).replace(/\.ts$/, '.js'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CrashChild {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the next JSON line the child prints (or 'ready'). */
  nextLine(timeoutMs?: number): Promise<string>;
}

/** `env` is added to the parent's environment (a jest test's process.env is its own copy, not what children inherit). */
export function spawnNode(entry: string, args: string[], env?: NodeJS.ProcessEnv): CrashChild {
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...(env && { env: { ...process.env, ...env } }) });
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  return {
    process: child,
    nextLine(timeoutMs = 15_000) {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`child printed nothing within ${timeoutMs} ms; stderr: ${stderr.slice(0, 2000)}`)), timeoutMs);
        waiters.push((next) => (clearTimeout(timer), resolveLine(next)));
      });
    },
  };
}
