import { captureLogger } from '../store/test-support/capture-logger.js';
import { pgStoreTarget } from '../store/test-support/store-targets.js';
import { CredentialVault } from './credential-vault.js';
import { describeVaultContract } from './test-support/vault-contract.js';
import { admin, fingerprintKey, openVault, overlapMs, planted, secretFieldsOf } from './test-support/vault-harness.js';

describeVaultContract(pgStoreTarget(captureLogger().logger));

describe('pg credential vault: two replicas at once', () => {
  const target = pgStoreTarget(captureLogger().logger);
  afterAll(() => target.dispose());

  it('concurrent stages on two connections get distinct versions and leave one staged; concurrent activations one active', async () => {
    const fixture = await openVault(target);
    const replica = new CredentialVault({ store: await fixture.isolated.openAnother(), keyring: fixture.keyring, fingerprintKey, overlapMs, secretFieldsOf });
    const staged = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? replica : fixture.vault).stage('population', { clientSecret: `${planted.clientSecret}-${i}` }, admin)),
    );
    expect(staged.map((view) => view.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const views = await fixture.vault.list('population');
    expect(views.filter((view) => view.state === 'staged')).toHaveLength(1);
    const waiting = views.find((view) => view.state === 'staged')!.version;
    const outcomes = await Promise.allSettled([fixture.vault.activate('population', waiting, admin), replica.activate('population', waiting, admin)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await fixture.vault.list('population')).filter((view) => view.state === 'active').map((view) => view.version)).toEqual([waiting]);
  });
});
