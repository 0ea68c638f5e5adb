import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs the gateway under the memory limit its pod has (the chart's
 * `resources.limits.memory`, 1 GiB), the way the container runtime does:
 * in a memory cgroup of its own. Node sizes V8's heap from that limit
 * (`process.constrainedMemory()`: about 512 MB of old space under 1 GiB,
 * against 4 GB on a 24 GB bench host), and the heap's size decides how much
 * garbage stands between full collections, so the peak RSS measured without
 * the limit is not the one a deployment sees.
 *
 * Needs a writable cgroup hierarchy with the memory controller (root on the
 * bench machine: cgroup v2 at /sys/fs/cgroup, or v1 at /sys/fs/cgroup/memory).
 * Without it the gateway runs unconstrained and the report says so.
 */
export interface MemoryCgroup {
  /** What the bench reports: the limit applied, or why none was. */
  readonly description: string;
  /** fork() options that start the process inside the cgroup (a shell that moves itself in, then execs node). */
  readonly forkOptions: { execPath: string; execArgv: string[] } | undefined;
  remove(): void;
}

export function memoryCgroup(limitMiB: number, name: string): MemoryCgroup {
  const bytes = String(limitMiB * 2 ** 20);
  const candidates = [
    // cgroup v2 (unified), memory controller available at the root
    { base: '/sys/fs/cgroup', ready: () => readOr('/sys/fs/cgroup/cgroup.controllers').split(/\s+/).includes('memory'), limitFile: 'memory.max' },
    // cgroup v1
    { base: '/sys/fs/cgroup/memory', ready: () => existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes'), limitFile: 'memory.limit_in_bytes' },
  ];
  const reasons: string[] = [];
  for (const candidate of candidates) {
    if (!candidate.ready()) continue;
    const dir = join(candidate.base, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, candidate.limitFile), bytes);
      const procs = join(dir, 'cgroup.procs');
      return {
        description: `${limitMiB} MiB (memory cgroup ${dir})`,
        // $0 is the cgroup's procs file, "$@" the node command line fork() builds: the shell moves itself in, then becomes node.
        forkOptions: { execPath: '/bin/sh', execArgv: ['-c', 'echo $$ > "$0" && exec "$@"', procs, process.execPath] },
        remove: () => {
          try {
            rmdirSync(dir);
          } catch {
            // still has a process (being killed): the kernel removes nothing, and a later run makes its own
          }
        },
      };
    } catch (error) {
      reasons.push(`${dir}: ${(error as Error).message}`);
    }
  }
  return {
    description: `not applied (no writable memory cgroup${reasons.length ? `: ${reasons.join('; ')}` : ''}); run as root on Linux to measure as deployed`,
    forkOptions: undefined,
    remove: () => undefined,
  };
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
