import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectName = 'lgsp-gateway';

/**
 * The repository root, found by walking up to our package.json. Works the same
 * from sources (ts-jest) and from the compiled `dist/` tree, where non-TS files
 * such as WSDLs are not copied and must be read from the source location.
 */
export function findProjectRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let directory = from;
  for (;;) {
    const candidate = path.join(directory, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (manifest.name === projectName) return directory;
    }
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`cannot find the ${projectName} project root above ${from}`);
    directory = parent;
  }
}
