import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorConfig } from '../config/gateway-config.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import { createLogger } from '../observability/logger.js';
import type { UsableCredentials } from '../vault/types.js';
import { ConnectorRuntime, type GenerationInput } from './connector-runtime.js';
import type { ConnectorSettingsOverride, StoredConnectorSettings } from './connector-settings-store.js';

const descriptor = { id: 'land', credentialSchema: {}, operations: [] } as unknown as ConnectorDescriptor<any>;
const baseConfig: ConnectorConfig = { enabled: true, sandbox: true, baseUrl: 'http://land.example:1', credentials: { username: 'u', password: 'config-password' }, settings: { apiPath: '/v1' } };

/** The stores as the runtime reads them: a version, the admins' overrides and the vault's usable versions. */
function fakeState() {
  let version = 1;
  const overrides = new Map<string, ConnectorSettingsOverride>();
  let usable = new Map<string, UsableCredentials>();
  return {
    settingsStore: {
      version: async () => version,
      list: async (): Promise<StoredConnectorSettings[]> => [...overrides].map(([connectorId, override]) => ({ connectorId, override, updatedAt: '', updatedBy: 'admin' })),
    },
    vault: { usableAll: async () => usable },
    change(connectorId: string, override: ConnectorSettingsOverride) {
      overrides.set(connectorId, override);
      version += 1;
    },
    setUsable(next: Map<string, UsableCredentials>) {
      usable = next;
      version += 1;
    },
  };
}

function setUp(config: ConnectorConfig = baseConfig, options: { env?: NodeJS.ProcessEnv; failBuild?: () => boolean } = {}) {
  const state = fakeState();
  const built: GenerationInput[] = [];
  const closed: number[] = [];
  const probes: Array<[string, boolean]> = [];
  const runtime = new ConnectorRuntime({
    connectors: [{ descriptor, config }],
    settingsStore: state.settingsStore,
    vault: state.vault,
    env: options.env ?? {},
    buildGeneration: async (input) => {
      if (options.failBuild?.()) throw new Error('connectors.land: cannot build');
      const index = built.push(input) - 1;
      return { client: { index }, probe: async () => undefined, close: () => closed.push(index) };
    },
    setProbe: (id, probe) => probes.push([id, probe !== undefined]),
    logger: createLogger({ level: 'silent' }),
    refreshIntervalMs: 60_000,
    fileRecheckIntervalMs: 50,
  });
  return { runtime, state, built, closed, probes };
}

describe('ConnectorRuntime', () => {
  it('builds an enabled connector from its configuration at start, and rebuilds only when an input changes', async () => {
    const { runtime, state, built, closed } = setUp();
    await runtime.start();
    expect(built).toHaveLength(1);
    expect(built[0]).toMatchObject({ baseUrl: 'http://land.example:1', credentials: { password: 'config-password' }, settings: { apiPath: '/v1' } });
    expect(runtime.handle('land').availability()).toEqual({ kind: 'available' });
    expect(runtime.effective('land')).toMatchObject({ baseUrl: { value: 'http://land.example:1', source: 'config' }, credentials: { source: 'config', readOnly: false } });

    state.change('land', { baseUrl: 'http://land.example:2' });
    await runtime.refresh();
    expect(built.map((input) => input.baseUrl)).toEqual(['http://land.example:1', 'http://land.example:2']);
    expect(closed).toEqual([0]);
    expect(runtime.effective('land')!.baseUrl).toEqual({ value: 'http://land.example:2', source: 'admin' });

    // Maintenance changes availability, not the client.
    state.change('land', { baseUrl: 'http://land.example:2', maintenance: { message: 'later', retryAfterSeconds: 60 } });
    await runtime.refresh();
    expect(built).toHaveLength(2);
    expect(runtime.handle('land').availability()).toEqual({ kind: 'maintenance', message: 'later', retryAfterSeconds: 60 });
    runtime.closeAll();
  });

  it('switches a connector off and on: no client, probe paused, then a fresh client', async () => {
    const { runtime, state, built, closed, probes } = setUp({ ...baseConfig, enabled: false });
    await runtime.start();
    expect(built).toHaveLength(0);
    expect(runtime.handle('land').availability()).toEqual({ kind: 'disabled' });
    expect(probes.at(-1)).toEqual(['land', false]);

    state.change('land', { enabled: true });
    await runtime.refresh();
    expect(built).toHaveLength(1);
    expect(probes.at(-1)).toEqual(['land', true]);
    expect(runtime.effective('land')!.enabled).toEqual({ value: true, source: 'admin' });

    state.change('land', { enabled: false });
    await runtime.refresh();
    expect(closed).toEqual([0]);
    expect(probes.at(-1)).toEqual(['land', false]);
    runtime.closeAll();
  });

  it("uses the vault's active version over the configuration, with the previous one inside its window", async () => {
    const { runtime, state, built } = setUp();
    await runtime.start();
    const usableUntil = new Date(Date.now() + 60_000);
    state.setUsable(new Map([['land', { active: { version: 3, fields: { username: 'u', password: 'vault-v3' } }, previous: { version: 2, fields: { username: 'u', password: 'vault-v2' }, usableUntil } }]]));
    await runtime.refresh();
    expect(built.at(-1)).toMatchObject({ credentials: { password: 'vault-v3' }, previousCredentials: { fields: { password: 'vault-v2' }, usableUntil } });
    expect(runtime.effective('land')!.credentials).toEqual({ source: 'vault', activeVersion: 3, previousVersion: 2, previousUsableUntil: usableUntil.toISOString(), fieldsSet: ['password', 'username'], readOnly: false });
    runtime.closeAll();
  });

  it('tells the core the credentials in use (config, then the vault with the previous version inside its window), switched on or off', async () => {
    const { runtime, state } = setUp();
    await runtime.start();
    expect(runtime.usableCredentials('land')).toEqual({ source: 'config', active: { username: 'u', password: 'config-password' } });
    expect(runtime.usableCredentials('unknown')).toBeUndefined();

    const usableUntil = new Date(Date.now() + 60_000);
    state.setUsable(new Map([['land', { active: { version: 3, fields: { username: 'u', password: 'vault-v3' } }, previous: { version: 2, fields: { username: 'u', password: 'vault-v2' }, usableUntil } }]]));
    await runtime.refresh();
    expect(runtime.usableCredentials('land')).toEqual({ source: 'vault', active: { username: 'u', password: 'vault-v3' }, previous: { fields: { username: 'u', password: 'vault-v2' }, usableUntil } });
    // Past the window the previous version is gone at once, before any reload.
    expect(runtime.usableCredentials('land', new Date(usableUntil.getTime() + 1))).toEqual({ source: 'vault', active: { username: 'u', password: 'vault-v3' } });

    // Switched off: no client, but the credentials are still known (a callback may still have to be checked).
    state.change('land', { enabled: false });
    await runtime.refresh();
    expect(runtime.usableCredentials('land')?.active).toEqual({ username: 'u', password: 'vault-v3' });
    runtime.closeAll();
  });

  it('keeps credentials that come from the environment over the vault, as read-only', async () => {
    const { runtime, state, built } = setUp({ ...baseConfig, credentials: { username: 'u', password: { fromEnv: 'LAND_PASSWORD' } } }, { env: { LAND_PASSWORD: 'from-env' } });
    await runtime.start();
    state.setUsable(new Map([['land', { active: { version: 1, fields: { username: 'u', password: 'vault' } } }]]));
    await runtime.refresh();
    expect(built.at(-1)!.credentials).toEqual({ username: 'u', password: 'from-env' });
    expect(runtime.effective('land')!.credentials).toMatchObject({ source: 'env', readOnly: true });
    runtime.closeAll();
  });

  it('keeps the client in use when a change cannot be applied, and says why', async () => {
    let failing = false;
    const { runtime, state, built } = setUp(baseConfig, { failBuild: () => failing });
    await runtime.start();
    failing = true;
    state.change('land', { baseUrl: 'http://land.example:3' });
    await runtime.refresh();
    expect(built).toHaveLength(1);
    expect(runtime.handle('land').acquire().client).toEqual({ index: 0 });
    expect(runtime.effective('land')!.lastApplyError).toMatchObject({ message: 'connectors.land: cannot build' });
    runtime.closeAll();
  });

  it('fails the start when the configuration cannot be built', async () => {
    const { runtime } = setUp(baseConfig, { failBuild: () => true });
    await expect(runtime.start()).rejects.toThrow('connectors.land: cannot build');
    runtime.closeAll();
  });

  it('reads a mounted secret file again and rebuilds when it was rewritten in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-runtime-'));
    const file = join(dir, 'land-password');
    writeFileSync(file, 'first\n');
    const { runtime, built } = setUp({ ...baseConfig, credentials: { username: 'u', password: { fromFile: file } } });
    await runtime.start();
    expect(built[0]!.credentials).toEqual({ username: 'u', password: 'first' });
    writeFileSync(file, 'rotated\n');
    const deadline = Date.now() + 3_000;
    while (built.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(built[1]!.credentials).toEqual({ username: 'u', password: 'rotated' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Unchanged since: no more rebuilds.
    expect(built).toHaveLength(2);
    runtime.closeAll();
  });
});
