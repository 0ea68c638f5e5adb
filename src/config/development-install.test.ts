import { importEmbeddedModule } from './development-install.js';
import { ConfigError } from './load-config.js';

// A name kept in a variable: what a production install lacks is only known at run time.
const absentPackage = 'lgsp-development-only-package-that-is-not-installed';

describe('importEmbeddedModule (embedded mode on a production install)', () => {
  it('turns a missing module into one configuration line naming it and what to do', async () => {
    const failure = importEmbeddedModule(() => import(absentPackage));
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toMatch(/^embedded mode needs the development install \(npm install, then npm run build\): .*lgsp-development-only-package-that-is-not-installed.* is missing\. A production install \(the container image\) runs mode: production only\.$/);
    expect(message).not.toContain('\n');
  });

  it('passes any other failure through unchanged', async () => {
    const broken = new Error('the launcher threw');
    await expect(importEmbeddedModule(() => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('returns the module when it is there', async () => {
    await expect(importEmbeddedModule(() => import('./load-config.js'))).resolves.toHaveProperty('loadConfig');
  });
});
