import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForPort } from './processes.js';

/** Where Debian puts nginx (often not on a non-root PATH). */
const candidates = [...(process.env.PATH ?? '').split(':').filter(Boolean).map((dir) => join(dir, 'nginx')), '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

export function findNginx(): string | undefined {
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

export function nginxVersion(binary: string): string {
  const result = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  return (result.stderr || result.stdout).trim().replace(/^nginx version:\s*/, '');
}

export interface RunningNginx {
  url: string;
  process: ChildProcess;
  errorLog: string;
  stop(): Promise<void>;
}

/**
 * nginx as a plain keep-alive reverse proxy to the upstream: one worker (the
 * gateway is one process too), no access log, upstream connections reused.
 * Everything it writes lives under `dir`; it runs in the foreground as our
 * child and is stopped by its pid.
 */
export async function startNginx(options: { binary: string; dir: string; port: number; upstreamHostPort: string }): Promise<RunningNginx> {
  const { dir } = options;
  mkdirSync(join(dir, 'temp'), { recursive: true });
  // Started as root, nginx's worker runs as `nobody` and needs to reach its temp directories.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'temp'), 0o777);
  const errorLog = join(dir, 'error.log');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'temp', 'client_body')};
  proxy_temp_path ${join(dir, 'temp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'temp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'temp', 'scgi')};
  keepalive_requests 1000000;
  upstream bench_upstream {
    server ${options.upstreamHostPort};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${options.port};
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const child = spawn(options.binary, ['-p', dir, '-c', conf, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(options.port, 10_000, () => (child.exitCode !== null ? `nginx exited: ${stderr.trim() || readLog(errorLog)}` : undefined));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    process: child,
    errorLog,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM'); // fast shutdown; the master takes its worker with it
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join('\n');
  } catch {
    return '';
  }
}
