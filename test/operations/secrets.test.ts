import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { checkpointKeyId, loadCheckpointKeys } from '../../src/audit/chain/checkpoint-key.js';
import { consoleSettings } from '../../src/console/console-settings.js';
import { resolvePaymentNoticeSecret } from '../../src/payments/payment-notice.js';
import { MasterKeyring } from '../../src/vault/master-keyring.js';
import { configDocument, containerEnvironment, find, gatewayContainer, loadAsTheGatewayDoes, mountSecretFiles, secretKeysUsed } from '../helm/chart-support.js';
import { docValues, renderDocDeployment } from './doc-deployment.js';

/**
 * docs/operations.md §4 "Secrets", run as written: the generated files, the
 * newline check, the Secret's manifest (`kubectl create secret … --dry-run=client`
 * needs no cluster). Then the chart (helm/lgsp-gateway, rendered by
 * test/support/helm-template.ts) with the values file of §5: the pod's
 * environment from the rendered Deployment's secretKeyRefs into that Secret,
 * its mounted Secret files, its ConfigMap's configuration — loaded by the
 * gateway's own loader and production guard — and every generated secret is
 * one the gateway accepts (vault keyring, checkpoint key, console, payment
 * notices); the migration Job's too.
 * operations-doc.test.ts checks that the block's commands are the strings below.
 */
const execute = promisify(execFile);

const generate = [
  String.raw`umask 077`,
  String.raw`mkdir -p lgsp-secrets`,
  String.raw`openssl rand -hex 24 | tr -d '\n' > db-password`,
  String.raw`printf 'postgresql://%s:%s@%s:5432/%s' "$DB_USER" "$(cat db-password)" "$DB_HOST" "$DB_NAME" > lgsp-secrets/store-url`,
  String.raw`openssl rand -hex 24 | tr -d '\n' > redis-password`,
  String.raw`printf 'redis://:%s@%s:6379/0' "$(cat redis-password)" "$REDIS_HOST" > lgsp-secrets/redis-url`,
  String.raw`openssl rand -base64 48 | tr -d '\n' > lgsp-secrets/audit-subject-hash-key`,
  String.raw`openssl genpkey -algorithm ed25519 -out lgsp-secrets/audit-checkpoint-signing-key`,
  String.raw`openssl pkey -in lgsp-secrets/audit-checkpoint-signing-key -pubout -out audit-checkpoint-public-key.pem`,
  String.raw`openssl rand -base64 32 | tr -d '\n' > vault-master-key-k2026-01`,
  String.raw`printf '[{"id":"k2026-01","key":"%s"}]' "$(cat vault-master-key-k2026-01)" > lgsp-secrets/vault-master-keys`,
  String.raw`openssl rand -base64 48 | tr -d '\n' > lgsp-secrets/cache-key-hash-key`,
  String.raw`openssl rand -base64 48 | tr -d '\n' > lgsp-secrets/cache-entry-encryption-key`,
  String.raw`openssl rand -hex 32 | tr -d '\n' > lgsp-secrets/console-session-secret`,
  String.raw`openssl rand -hex 32 | tr -d '\n' > lgsp-secrets/payment-notice-key`,
];
const newlineCheck = String.raw`wc -l lgsp-secrets/* | grep -v -E ' total$|signing-key$' | grep -v -E '^ *0 ' || echo 'no file ends with a newline'`;
const secretManifest = String.raw`kubectl create secret generic lgsp-gateway-secrets --from-file=lgsp-secrets/ --dry-run=client --output=yaml > lgsp-gateway-secrets.yaml`;

/** The doc's "values" block of §4. */
const siteValues = { DB_HOST: 'db.example.gov.vn', DB_USER: 'lgsp', DB_NAME: 'lgsp', REDIS_HOST: 'redis.example.gov.vn' };

/** What §3 and §4 say comes from elsewhere (Keycloak, the national systems), written as the doc says: the value alone. */
const givenElsewhere: Record<string, string> = {
  'console-client-secret': 'Vq3m9cKeycloakGeneratedSecret0123456789',
  'population-client-secret': 'issued-by-the-national-population-database',
  'population-secret-key': 'also-issued-by-the-national-population-database',
  'public-service-portal-password': 'issued-by-the-national-portal',
};

let work: string;

async function bash(script: string, cwd: string, env: Record<string, string> = {}): Promise<string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(LGSP|PG)/.test(name)));
  const { stdout } = await execute('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env: { ...inherited, ...env }, timeout: 60_000 });
  return stdout;
}

async function requireProgram(program: string, install: string): Promise<void> {
  const found = await execute('bash', ['-c', `command -v ${program}`]).then(() => true, () => false);
  if (!found) throw new Error(`${program} not found: install it (${install}); docs/operations.md's commands use it`);
}

beforeAll(async () => {
  await requireProgram('openssl', 'Debian: apt-get install openssl');
  await requireProgram('kubectl', 'https://kubernetes.io/docs/tasks/tools/; the dry run needs no cluster');
  work = mkdtempSync(join(tmpdir(), 'lgsp-ops-secrets-'));
  // One shell session, as the doc's block is typed: umask applies to every file after it.
  await bash(generate.join('\n'), work, siteValues);
  for (const [key, value] of Object.entries(givenElsewhere)) writeFileSync(join(work, 'lgsp-secrets', key), value, { mode: 0o600 });
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('docs/operations.md §4: the secrets, generated as written', () => {
  it('are readable by their owner only (umask 077), the directory too', () => {
    expect(statSync(join(work, 'lgsp-secrets')).mode & 0o077).toBe(0);
    for (const name of [...readdirSync(join(work, 'lgsp-secrets')).map((file) => join('lgsp-secrets', file)), 'db-password', 'vault-master-key-k2026-01', 'audit-checkpoint-public-key.pem']) {
      expect({ name, groupOrOther: statSync(join(work, name)).mode & 0o077 }).toEqual({ name, groupOrOther: 0 });
    }
  });

  it('the newline check passes on them, and names a file that ends with a newline', async () => {
    expect((await bash(newlineCheck, work)).trim()).toBe('no file ends with a newline');
    const other = mkdtempSync(join(tmpdir(), 'lgsp-ops-newline-'));
    try {
      mkdirSync(join(other, 'lgsp-secrets'));
      writeFileSync(join(other, 'lgsp-secrets', 'smtp-password'), 'typed in an editor\n');
      writeFileSync(join(other, 'lgsp-secrets', 'store-url'), 'postgresql://lgsp@db/lgsp');
      expect((await bash(newlineCheck, other)).trim()).toMatch(/^1 lgsp-secrets\/smtp-password$/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('the Secret manifest holds exactly the directory, one key per file, values unchanged', async () => {
    await bash(secretManifest, work);
    const manifest = parseYaml(readFileSync(join(work, 'lgsp-gateway-secrets.yaml'), 'utf8')) as { kind: string; metadata: { name: string }; data: Record<string, string> };
    expect(manifest).toMatchObject({ kind: 'Secret', metadata: { name: 'lgsp-gateway-secrets' } });
    const files = readdirSync(join(work, 'lgsp-secrets')).sort();
    expect(Object.keys(manifest.data).sort()).toEqual(files);
    for (const file of files) expect(Buffer.from(manifest.data[file]!, 'base64').equals(readFileSync(join(work, 'lgsp-secrets', file)))).toBe(true);
    expect(docValues().secrets.existingSecret).toBe(manifest.metadata.name);
  });

  it("make, with §5's values, pods the chart renders and the gateway accepts (the migration Job too)", async () => {
    const manifest = parseYaml(readFileSync(join(work, 'lgsp-gateway-secrets.yaml'), 'utf8')) as { metadata: { name: string }; data: Record<string, string> };
    const secret = Object.fromEntries(Object.entries(manifest.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
    const secretName = manifest.metadata.name;
    const chart = renderDocDeployment();
    const podSpec = find(chart, 'Deployment').spec.template.spec;
    // Every key the pods reference is in the Secret (containerEnvironment and mountSecretFiles fail otherwise, as the kubelet would), and every key of the Secret is used.
    expect(Object.keys(secret).filter((key) => !secretKeysUsed(podSpec).includes(key))).toEqual([]);
    const container = gatewayContainer(chart);
    const env = containerEnvironment(container, secretName, secret);
    const config = loadAsTheGatewayDoes(configDocument(chart), env);
    expect(config).toMatchObject({ mode: 'production', store: { driver: 'pg', migrateOnStart: false, url: expect.stringMatching(/^postgresql:\/\/lgsp:[0-9a-f]{48}@db\.example\.gov\.vn:5432\/lgsp$/) }, redis: { url: expect.stringMatching(/^redis:\/\/:[0-9a-f]{48}@redis\.example\.gov\.vn:6379\/0$/), replicas: 3 } });
    expect(Object.keys(config.connectors).sort()).toEqual(['population', 'public-service-portal']);

    // The vault keyring, the checkpoint key (and the public key handed to auditors), the console, the payment notices.
    expect(MasterKeyring.fromConfig(config.vault!).activeKeyId).toBe('k2026-01');
    const keys = await loadCheckpointKeys(config.audit.checkpoints);
    expect(checkpointKeyId(createPublicKey(readFileSync(join(work, 'audit-checkpoint-public-key.pem'), 'utf8')))).toBe(keys.signing.keyId);
    expect(consoleSettings(config, env)).toMatchObject({ clientId: 'lgsp-console', clientSecret: givenElsewhere['console-client-secret'], realmUrl: 'https://sso.example.gov.vn/realms/lgsp' });
    // The { fromFile } reference reads the file the Deployment mounts from the Secret.
    const podRoot = join(work, 'pod');
    mountSecretFiles(podSpec, container, secretName, secret, podRoot);
    const notices = config.payments.notifications;
    const reference = notices.secret as { fromFile: string };
    expect(resolvePaymentNoticeSecret({ url: notices.url, secret: { fromFile: join(podRoot, reference.fromFile) } })).toBe(secret['payment-notice-key']);

    // The migration hook Job loads the same store settings from its own copy of the configuration.
    const job = find(chart, 'Job', '-migrations');
    const jobConfig = loadAsTheGatewayDoes(configDocument(chart, '-migrations'), containerEnvironment(job.spec.template.spec.containers[0], secretName, secret));
    expect(jobConfig.store).toEqual(config.store);
  });
});
