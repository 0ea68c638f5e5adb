import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis every test machine runs; tests only ever add keys under a unique prefix to it. */
export const sharedRedisUrl = process.env.LGSP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes a test's keys (`<prefix>:*`) from the shared Redis, by SCAN: never a blocking KEYS on a server others use. */
export async function removeSharedRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(sharedRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      if (next === '0') break;
      cursor = next;
    }
  } finally {
    redis.disconnect();
  }
}

/**
 * A private redis-server a test may kill, to play a Redis outage without
 * touching the shared server. In memory only (no RDB, no AOF).
 */
export interface ThrowawayRedis {
  port: number;
  url: string;
  /** SIGKILL, as a crash or a network cut looks to the gateway; resolves once the process is gone. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

export async function startThrowawayRedis(port?: number): Promise<ThrowawayRedis> {
  const chosenPort = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(chosenPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitUntilAccepting(child, chosenPort);
  return {
    port: chosenPort,
    url: `redis://127.0.0.1:${chosenPort}`,
    kill: () => killProcess(child),
  };
}

function waitUntilAccepting(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server on port ${port} did not start:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) finish();
    };
    const onExit = (code: number | null) => fail(new Error(`redis-server on port ${port} exited (${code}):\n${output}`));
    const onError = (error: Error) => fail(error);
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep draining its output so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    function finish() {
      cleanup();
      resolve();
    }
    function fail(error: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
