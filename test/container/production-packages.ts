import { readFileSync } from 'node:fs';
import { fromProjectRoot } from '../../src/paths.js';

interface LockPackage {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  hasInstallScript?: boolean;
}

/**
 * What `npm ci --omit=dev --omit=optional` installs, read from package.json
 * and package-lock.json: the lock paths (`node_modules/a/node_modules/b`)
 * reached from "dependencies" through each package's dependencies and
 * required peers, resolved the way Node does (nearest node_modules up the
 * tree). Computed from the graph rather than the lock's dev flags, which a
 * dependency moved between the two lists leaves stale until the next install.
 */
export function productionClosure(): Map<string, LockPackage> {
  const manifest = JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(fromProjectRoot('package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  const found = new Map<string, LockPackage>();
  const pending: Array<{ from: string; name: string }> = Object.keys(manifest.dependencies ?? {}).map((name) => ({ from: '', name }));
  while (pending.length > 0) {
    const { from, name } = pending.pop()!;
    const path = resolveInLock(lock.packages, from, name);
    if (!path) throw new Error(`package-lock.json has no ${name} for ${from || 'the project'}`);
    if (found.has(path)) continue;
    const entry = lock.packages[path]!;
    found.set(path, entry);
    const requiredPeers = Object.keys(entry.peerDependencies ?? {}).filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional);
    for (const next of [...Object.keys(entry.dependencies ?? {}), ...requiredPeers]) pending.push({ from: path, name: next });
  }
  return found;
}

function resolveInLock(packages: Record<string, LockPackage>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** The package name of a lock path (`node_modules/a/node_modules/@s/b` → `@s/b`). */
export function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}
