import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialReferenceError, resolveConfigCredentials } from './config-credentials.js';

describe('resolveConfigCredentials', () => {
  it('reads env and file references and says where each field came from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-credentials-'));
    writeFileSync(join(dir, 'password'), 'from-a-mounted-secret\n');
    const resolved = resolveConfigCredentials(
      'land',
      { clientId: 'lgsp', username: 'province', password: { fromFile: join(dir, 'password') }, clientSecret: { fromEnv: 'LAND_CLIENT_SECRET' } },
      { LAND_CLIENT_SECRET: 'from-the-environment' },
    );
    expect(resolved.fields).toEqual({ clientId: 'lgsp', username: 'province', password: 'from-a-mounted-secret', clientSecret: 'from-the-environment' });
    expect(resolved.fieldSources).toEqual({ clientId: 'config', username: 'config', password: 'file', clientSecret: 'env' });
    expect(resolved.source).toBe('file');
  });

  it("tells a value set through the loader's own environment variables from one written in the file", () => {
    const resolved = resolveConfigCredentials('public-service-portal', { username: 'u', password: 'p', dstcode: 'd' }, { LGSP__CONNECTORS__PUBLIC_SERVICE_PORTAL__CREDENTIALS__PASSWORD: 'p' });
    expect(resolved.fieldSources).toEqual({ username: 'config', password: 'env', dstcode: 'config' });
    expect(resolved.source).toBe('env');
    expect(resolveConfigCredentials('public-service-portal', { username: 'u', password: 'p', dstcode: 'd' }, {}).source).toBe('config');
  });

  it('names the field and the reference, never a value, when a reference cannot be resolved', () => {
    expect(() => resolveConfigCredentials('land', { password: { fromEnv: 'NOT_SET_ANYWHERE' } }, {})).toThrow(new CredentialReferenceError('connectors.land.credentials.password: environment variable NOT_SET_ANYWHERE is not set'));
    expect(() => resolveConfigCredentials('land', { password: { fromFile: '/nonexistent/secret' } }, {})).toThrow(/connectors\.land\.credentials\.password: cannot read \/nonexistent\/secret \(ENOENT\)/);
  });
});
