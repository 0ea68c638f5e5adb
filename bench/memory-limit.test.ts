import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryCgroup } from './memory-limit.js';
import { forkChild } from './processes.js';

/**
 * The bench measures the gateway under its pod's memory limit: the process
 * must really run inside the cgroup, and Node must size V8's heap from it.
 * Needs root on Linux with a memory cgroup hierarchy (the CI machine has it).
 */
describe('bench memory limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-memory-limit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a node process inside a memory cgroup of the given size, and Node sizes its heap from it', async () => {
    const cgroup = memoryCgroup(1024, `lgsp-bench-test-${process.pid}`);
    if (!cgroup.forkOptions) throw new Error(`the bench's memory limit needs a writable memory cgroup (run as root on Linux): ${cgroup.description}`);
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      "import { getHeapStatistics } from 'node:v8';\nimport { readFileSync } from 'node:fs';\n" +
        "process.send({ type: 'ready', constrained: process.constrainedMemory(), heapLimit: getHeapStatistics().heap_size_limit, cgroups: readFileSync('/proc/self/cgroup', 'utf8') });\n" +
        "process.on('disconnect', () => process.exit(0));\n",
    );
    const child = await forkChild<{ type: 'ready'; constrained: number; heapLimit: number; cgroups: string }>({ modulePath: probe, env: {}, launcher: cgroup.forkOptions, logFile: join(dir, 'probe.log') });
    try {
      expect(child.ready.cgroups).toContain(`lgsp-bench-test-${process.pid}`);
      expect(child.ready.constrained).toBe(1024 * 2 ** 20);
      // On a 24 GB host V8 takes about 4 GB; under 1 GiB about half of it (the pod's case).
      expect(child.ready.heapLimit).toBeLessThan(1024 * 2 ** 20);
      expect(cgroup.description).toMatch(/^1024 MiB \(memory cgroup /);
    } finally {
      await child.stop();
      cgroup.remove();
    }
  });
});
