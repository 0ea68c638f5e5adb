import { copyFileSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { fromProjectRoot } from '../../src/paths.js';
import { spawnNode, transpileClosure, type CrashChild } from '../../src/outbox/test-support/spawn-crash-child.js';

/**
 * A real gateway process a test can SIGKILL (test/support/gateway-child.ts),
 * transpiled like the outbox crash child, plus what the gateway reads from
 * disk beside its code: contracts, config, the connectors' WSDLs, code lists
 * and fixtures (every non-TypeScript file), so the project root is found in
 * the mirror and everything resolves as in the repository.
 */
export interface GatewayChild {
  child: CrashChild;
  url: string;
  /** The child's ops listener: /metrics (this process's counters), /readyz. */
  opsUrl: string;
}

export function prepareGatewayChild(): { start(config: GatewayConfig, env?: NodeJS.ProcessEnv): Promise<GatewayChild>; dispose(): void } {
  const closure = transpileClosure(fromProjectRoot('test/support/gateway-child.ts'));
  // contracts/ is linked by transpileClosure already.
  symlinkSync(fromProjectRoot('config'), join(closure.dir, 'config'), 'dir');
  for (const dir of ['src', 'connectors', 'simulators']) copyAssets(fromProjectRoot(dir), join(closure.dir, dir));
  let serial = 0;
  return {
    async start(config, env) {
      serial += 1;
      const configFile = join(closure.dir, `config-${serial}.json`);
      writeFileSync(configFile, JSON.stringify(config));
      const child = spawnNode(closure.entry, [configFile], env);
      const line = await child.nextLine(60_000);
      if (!line.startsWith('ready ')) throw new Error(`gateway child: ${line}`);
      const [url, opsUrl] = line.slice('ready '.length).split(' ');
      return { child, url: url!, opsUrl: opsUrl! };
    },
    dispose: closure.dispose,
  };
}

function copyAssets(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    if (statSync(source).isDirectory()) copyAssets(source, join(to, name));
    else if (!name.endsWith('.ts')) {
      mkdirSync(to, { recursive: true });
      copyFileSync(source, join(to, name));
    }
  }
}
