import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { fromProjectRoot } from '../../paths.js';
import type { ReplicaWorkerConfig, ReplicaWorkerResult } from './replica-worker.js';

export interface ReplicaProcess {
  /** Whether the replica reached Redis before it was told to go. */
  connected: boolean;
  /** Tells the replica to fire its requests; resolves with its tally once it has exited. */
  go(): Promise<ReplicaWorkerResult>;
  kill(): Promise<void>;
}

const workerPath = fromProjectRoot('src/rate-limit/test-support/replica-worker.ts');
const hooksUrl = pathToFileURL(fromProjectRoot('src/rate-limit/test-support/ts-hooks.mjs')).href;
const registerHooks = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(hooksUrl)});`;

/**
 * Starts replica-worker.ts in a new Node process (running the TypeScript
 * sources through ts-hooks.mjs) and resolves once it is connected and
 * waiting for "go".
 */
export async function startReplicaProcess(config: ReplicaWorkerConfig): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ['--import', registerHooks, workerPath, JSON.stringify(config)], {
    cwd: fromProjectRoot(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const messages = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const next = async (type: string): Promise<Record<string, unknown>> => {
    const line = await Promise.race([messages.next(), exited.then(() => undefined)]);
    if (!line || line.done) throw new Error(`replica process ended before "${type}" (exit ${child.exitCode}):\n${stderr}`);
    const message = JSON.parse(line.value) as Record<string, unknown>;
    if (message.type !== type) throw new Error(`replica process said ${line.value}, expected "${type}"`);
    return message;
  };

  try {
    const ready = await next('ready');
    return {
      connected: ready.connected === true,
      async go() {
        child.stdin?.write('go\n');
        const result = (await next('result')) as unknown as ReplicaWorkerResult;
        const [code] = await exited;
        if (code !== 0) throw new Error(`replica process exited with ${code}:\n${stderr}`);
        return { allowed: result.allowed, refused: result.refused, degraded: result.degraded };
      },
      kill: () => killChild(child, exited),
    };
  } catch (error) {
    await killChild(child, exited);
    throw error;
  }
}

async function killChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await exited;
}
