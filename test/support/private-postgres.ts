import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/rate-limit/test-support/throwaway-redis.js';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own, so it can be stopped and started
 * mid-test without touching the machine's shared one. Needs the server
 * binaries (Debian: /usr/lib/postgresql/<version>/bin); as root, it runs
 * them as the `postgres` OS user (initdb refuses root).
 */
export interface PrivatePostgres {
  url: string;
  /** `pg_ctl stop -m immediate`: every backend killed at once, like a crash or a cut. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it if running and deletes its data directory. */
  destroy(): Promise<void>;
}

/** The newest installed server's bin directory (Debian's /usr/lib/postgresql/<version>/bin first, then PATH), or undefined. */
export async function findPostgresBin(): Promise<string | undefined> {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? (await readdir(root)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  // Debian keeps the server binaries off PATH; other systems (and containers with symlinks) put them on it.
  const candidates = [...versions.map((version) => join(root, version, 'bin')), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  return candidates.find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
}

export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(os.tmpdir(), 'lgsp-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const as = async (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    await run(file, argv, { timeout: 120_000 });
  };
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(uid.trim()), Number(gid.trim()));
  }
  const pgCtl = (...args: string[]) => as('pg_ctl', ['-D', data, ...args]);
  const start = () =>
    pgCtl('-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`, 'start');
  let running = false;

  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  await start();
  running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pgCtl('-m', 'immediate', '-w', 'stop');
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
