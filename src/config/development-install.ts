import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../paths.js';
import { ConfigError } from './load-config.js';

/**
 * Loads a module of embedded mode (the launcher, the dev IdP, the sandboxes:
 * simulators/ and development dependencies such as oidc-provider). A
 * production install (`npm ci --omit=dev`, the container image) has neither,
 * so starting one in embedded mode fails with one line saying why, not a
 * module-resolution stack trace.
 */
export async function importEmbeddedModule<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
    throw new ConfigError(
      `embedded mode needs the development install (npm install, then npm run build)${missing ? `: ${shown(missing)} is missing` : ''}. ` +
        'A production install (the container image) runs mode: production only.',
    );
  }
}

/** A file inside the project by its path from the root (no machine-specific prefix), a package by its name. */
function shown(missing: string): string {
  const path = missing.startsWith('file:') ? fileURLToPath(missing) : missing;
  return isAbsolute(path) ? relative(projectRoot, path) : path;
}
