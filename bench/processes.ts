import { fork, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A port nobody listens on right now (the OS picks it; a tiny race with other programs is accepted). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something accepts TCP connections on the port; `failed` aborts early with its reason. */
export async function waitForPort(port: number, timeoutMs: number, failed: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await delay(50);
  }
}

export interface Child<Ready> {
  process: ChildProcess;
  ready: Ready;
  stop(): Promise<void>;
}

/**
 * Forks one of the benchmark's node processes and waits for its `ready`
 * message. Its stdout/stderr go to `logFile`, so a failed start can say why.
 */
export async function forkChild<Ready extends { type: 'ready' }>(options: {
  modulePath: string;
  env: Record<string, string>;
  execArgv?: string[];
  /** Started through another program that ends by exec'ing node (bench/memory-limit.ts): its path, and its arguments up to node's. */
  launcher?: { execPath: string; execArgv: string[] };
  logFile: string;
  startTimeoutMs?: number;
}): Promise<Child<Ready>> {
  const log = openSync(options.logFile, 'a');
  const child = fork(options.modulePath, [], {
    env: { ...process.env, ...options.env },
    ...(options.launcher && { execPath: options.launcher.execPath }),
    execArgv: [...(options.launcher?.execArgv ?? []), ...(options.execArgv ?? [])],
    stdio: ['ignore', log, log, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.modulePath} did not start in time; see ${options.logFile}`)), options.startTimeoutMs ?? 30_000);
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message as Ready);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.modulePath} exited with ${code} before it was ready:\n${tail(options.logFile)}`));
    });
  });
  return {
    process: child,
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resident set size of a process in bytes (Linux /proc); undefined elsewhere. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen. */
export function sampleResident(pid: number, everyMs = 50): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const rss = residentBytes(pid);
    if (rss !== undefined && (peak === undefined || rss > peak)) peak = rss;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
