import { migrate } from '../store/migrate.js';
import { migrations } from '../store/migrations/index.js';
import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { ConnectorSettingsStore } from './connector-settings-store.js';

const target = pgStoreTarget(captureLogger().logger);
afterAll(() => target.dispose());

const actor = (name: string) => ({ actor: name, actorClient: 'lgsp-console', requestId: `req-${name}` });

describe('connector settings store (real PostgreSQL)', () => {
  it('keeps both of two concurrent changes to one connector, even when its row does not exist yet, each audited and versioned', async () => {
    const isolated = await target.openIsolated();
    await migrate(isolated.store, migrations);
    const replica = await isolated.openAnother();
    const before = await new ConnectorSettingsStore(isolated.store).version();

    await Promise.all([
      new ConnectorSettingsStore(isolated.store).patch('land', { enabled: false }, actor('an')),
      new ConnectorSettingsStore(replica).patch('land', { maintenance: { message: 'bảo trì', retryAfterSeconds: 60 } }, actor('binh')),
    ]);

    const stored = await new ConnectorSettingsStore(isolated.store).get('land');
    expect(stored?.override).toEqual({ enabled: false, maintenance: { message: 'bảo trì', retryAfterSeconds: 60 } });
    expect(await new ConnectorSettingsStore(isolated.store).version()).toBe(before + 2);
    const { rows } = await isolated.store.query<{ actor: string }>("SELECT actor FROM admin_audit_log WHERE resource_type = 'connector_settings' ORDER BY id");
    expect(rows.map((row) => row.actor).sort()).toEqual(['an', 'binh']);

    // Everything back to the configuration: the row goes, and that too is an audited change.
    await new ConnectorSettingsStore(isolated.store).patch('land', { enabled: null, maintenance: null }, actor('an'));
    expect(await new ConnectorSettingsStore(isolated.store).get('land')).toBeUndefined();
    await replica.close();
  });
});
