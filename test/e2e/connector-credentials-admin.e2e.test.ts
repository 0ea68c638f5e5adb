import { selfSignedCertificate } from '../../src/connector-kit/test-support/test-pki.js';
import { randomBytes, X509Certificate } from 'node:crypto';
import { createServer } from 'node:net';
import request from 'supertest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { encodingsOf, everyTableAsText } from '../support/secret-scan.js';

/**
 * The credential vault's admin API on the real PostgreSQL (issue 13,
 * acceptance): test connection against every sandbox's real login (four
 * auth schemes) with good, wrong and unreachable targets; who may read and
 * who may write; expiry read from an uploaded client certificate, in the
 * expiring view and the alerting metric.
 */
let harness: Harness;
let tokens: { admin: string; operator: string; auditor: string; consumer: string };
const devCredentials = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  harness = await startHarness({ store: 'pg', overrides: { health: { probeIntervalMs: 3_600_000 } } });
  tokens = { ...(await harness.staffTokens()), consumer: await harness.token() };
  for (const descriptor of connectorDescriptors) devCredentials.set(descriptor.id, { ...(await descriptor.sandbox!.load()).devConfig!.credentials });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

/** Secret values this file sent (wrong secrets, the client key): scanned for at the end. */
const planted: string[] = [];
/** Every admin response body this file received. */
const received: string[] = [];
const call = async (method: 'get' | 'post' | 'patch' | 'delete', path: string, token: string, body?: unknown) => {
  const pending = request(harness.url)[method](`/admin/v1${path}`).set('authorization', `Bearer ${token}`);
  const response = body === undefined ? await pending : await pending.send(body as object);
  received.push(response.text ?? '');
  return response;
};
const stage = async (connector: string, credentials: Record<string, unknown>) => {
  const response = await call('post', `/connectors/${connector}/credentials`, tokens.admin, { credentials });
  expect(response.status).toBe(201);
  return response.body.version as number;
};
const testVersion = async (connector: string, version: number) => {
  const response = await call('post', `/connectors/${connector}/credentials/${version}/test`, tokens.admin, {});
  expect(response.status).toBe(200);
  return response.body as { outcome: string; detail?: string };
};
/** A port on 127.0.0.1 nothing listens on (taken, then released). */
const closedPort = async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};
/** The secret the upstream checks: the account's password, the OAuth client's secret, or the message checksum's secret. */
const wrongOf = (credentials: Record<string, unknown>) => {
  const wrong = `planted-wrong-${randomBytes(8).toString('hex')}`;
  planted.push(wrong);
  if ('password' in credentials) return { ...credentials, password: wrong };
  return 'clientSecret' in credentials ? { ...credentials, clientSecret: wrong } : { ...credentials, secretKey: wrong };
};

describe('test connection against each sandbox login', () => {
  const schemes = new Map(connectorDescriptors.map((descriptor) => [descriptor.id, descriptor.authScheme]));

  it('covers the four auth schemes (a message checksum has no login: a sealed probe is its test)', () => {
    expect(new Set(schemes.values())).toEqual(new Set(['session-login+dstcode', 'oauth2-password', 'oauth2-client-credentials+lgspaccesstoken', 'message-checksum']));
    // One scheme per connector id: no id registered twice.
    expect(schemes.size).toBe(connectorDescriptors.length);
  });

  it.each(connectorDescriptors.map((descriptor) => descriptor.id))('%s: the dev credentials → ok, a wrong secret → refused, a closed port → unreachable', async (connector) => {
    const good = await stage(connector, devCredentials.get(connector)!);
    expect(await testVersion(connector, good)).toMatchObject({ outcome: 'ok' });

    const wrong = await stage(connector, wrongOf(devCredentials.get(connector)!));
    const refused = await testVersion(connector, wrong);
    expect(refused.outcome).toBe('refused');
    // A short code (HTTP status, OAuth error, the portal's login result code), never the upstream's words.
    expect(refused.detail).toMatch(/^[A-Za-z0-9_ .:-]{1,80}$/);
    // The staged good version was replaced by the wrong one (one staged version at a time).
    expect((await call('get', `/connectors/${connector}/credentials`, tokens.operator)).body.versions.map((item: { version: number; state: string }) => [item.version, item.state])).toEqual([
      [wrong, 'staged'],
      [good, 'destroyed'],
    ]);

    const moved = await call('patch', `/connectors/${connector}`, tokens.admin, { baseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(moved.status).toBe(200);
    expect(moved.body.baseUrl.source).toBe('admin');
    const unreachable = await testVersion(connector, wrong);
    expect(unreachable).toEqual(expect.objectContaining({ outcome: 'unreachable', detail: 'ECONNREFUSED' }));

    const restored = await call('patch', `/connectors/${connector}`, tokens.admin, { baseUrl: null });
    expect(restored.status).toBe(200);
    expect(restored.body.baseUrl).toEqual({ value: harness.stack.sandboxes[connector]!.baseUrl, source: 'config' });
    const view = await call('get', `/connectors/${connector}/credentials`, tokens.auditor);
    expect(view.body.versions[0]).toMatchObject({ version: wrong, state: 'staged', lastTest: { outcome: 'unreachable', by: 'admin' } });
    // A staged version is given up by an admin; nothing was ever activated, so the configuration's credentials are in use.
    expect((await call('delete', `/connectors/${connector}/credentials/${wrong}`, tokens.admin)).status).toBe(204);
    expect(view.body.inUse).toMatchObject({ source: 'config' });
  });
});

describe('roles', () => {
  it('operators and auditors read the connector, its credential metadata and the expiring list, and change nothing', async () => {
    const staged = await stage('population', devCredentials.get('population')!);
    const before = (await call('get', '/connectors/population/credentials', tokens.admin)).body;
    for (const [role, token] of [
      ['operator', tokens.operator],
      ['auditor', tokens.auditor],
    ] as const) {
      expect((await call('get', '/connectors/population', token)).status).toBe(200);
      const credentials = await call('get', '/connectors/population/credentials', token);
      expect(credentials.status).toBe(200);
      expect(credentials.body.versions[0]).toMatchObject({ version: staged, state: 'staged' });
      expect((await call('get', '/credentials/expiring', token)).status).toBe(200);

      const writes = [
        call('patch', '/connectors/population', token, { enabled: false }),
        call('post', '/connectors/population/credentials', token, { credentials: devCredentials.get('population') }),
        call('post', `/connectors/population/credentials/${staged}/test`, token, {}),
        call('post', `/connectors/population/credentials/${staged}/activate`, token, { force: true }),
        call('post', '/connectors/population/credentials/rollback', token, {}),
        call('delete', `/connectors/population/credentials/${staged}`, token),
      ];
      for (const response of await Promise.all(writes)) {
        expect([role, response.status, response.body.code]).toEqual([role, 403, 'LGSP_ROLE_REQUIRED']);
      }
    }
    const consumerCalls = [
      call('get', '/connectors/population', tokens.consumer),
      call('get', '/connectors/population/credentials', tokens.consumer),
      call('get', '/credentials/expiring', tokens.consumer),
      call('patch', '/connectors/population', tokens.consumer, { enabled: false }),
      call('post', '/connectors/population/credentials', tokens.consumer, { credentials: devCredentials.get('population') }),
      call('post', `/connectors/population/credentials/${staged}/test`, tokens.consumer, {}),
      call('post', `/connectors/population/credentials/${staged}/activate`, tokens.consumer, { force: true }),
      call('post', '/connectors/population/credentials/rollback', tokens.consumer, {}),
      call('delete', `/connectors/population/credentials/${staged}`, tokens.consumer),
    ];
    for (const response of await Promise.all(consumerCalls)) expect([response.status, response.body.code]).toEqual([403, 'LGSP_ROLE_REQUIRED']);

    // Nothing changed: the version is still staged and untested, the connector enabled.
    const after = await call('get', '/connectors/population/credentials', tokens.admin);
    expect(after.body).toEqual(before);
    expect(after.body.versions[0]).toMatchObject({ version: staged, state: 'staged' });
    expect(after.body.versions[0]).not.toHaveProperty('lastTest');
    expect((await call('get', '/connectors/population', tokens.admin)).body.enabled).toEqual({ value: true, source: 'config' });
    expect((await call('delete', `/connectors/population/credentials/${staged}`, tokens.admin)).status).toBe(204);
  });
});

describe('expiry from an uploaded client certificate', () => {
  let certificate: { cert: string; key: string };

  beforeAll(() => {
    certificate = selfSignedCertificate(5);
    // The private key's body (its base64 lines) is the secret to look for.
    planted.push(certificate.key.split('\n').filter((line) => line && !line.startsWith('-----')).join(''));
  });

  it("the version expires when the certificate does; it is listed as expiring within 7 days, and once active the metric says so", async () => {
    const validTo = new Date(new X509Certificate(certificate.cert).validTo);
    const staged = await call('post', '/connectors/land/credentials', tokens.admin, { credentials: { ...devCredentials.get('land'), clientCertificate: certificate.cert, clientKey: certificate.key } });
    expect(staged.status).toBe(201);
    expect(staged.body.expiresAt).toBe(validTo.toISOString());
    expect(staged.body.fieldsSet).toEqual(['clientCertificate', 'clientId', 'clientKey', 'clientSecret', 'password', 'username']);
    // An explicit later expiry does not outlive the certificate.
    const later = await call('post', '/connectors/land/credentials', tokens.admin, {
      credentials: { ...devCredentials.get('land'), clientCertificate: certificate.cert, clientKey: certificate.key },
      expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    expect(later.body.expiresAt).toBe(validTo.toISOString());
    const version = later.body.version as number;

    const expiring = await call('get', '/credentials/expiring?withinDays=30', tokens.operator);
    expect(expiring.status).toBe(200);
    expect(expiring.body).toEqual({ withinDays: 30, items: [expect.objectContaining({ connectorId: 'land', version, state: 'staged', expiresAt: validTo.toISOString(), signal: '7d' })] });
    expect((await call('get', '/credentials/expiring?withinDays=4', tokens.operator)).body.items).toEqual([]);
    expect((await call('get', '/credentials/expiring?withinDays=-1', tokens.operator)).status).toBe(400);

    const metricsText = async () => (await request(harness.opsUrl).get('/metrics')).text;
    expect(await metricsText()).toContain('lgsp_credential_expiring{connector="land",within="7d"} 0');
    const activated = await call('post', `/connectors/land/credentials/${version}/activate`, tokens.admin, { force: true });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ version, state: 'active', expiresAt: validTo.toISOString() });

    const metrics = await eventually(metricsText, (text) => text.includes('lgsp_credential_expiring{connector="land",within="7d"} 1'));
    expect(metrics).toContain('lgsp_credential_expiring{connector="land",within="30d"} 1');
    expect(metrics).toContain('lgsp_credential_expiring{connector="land",within="1d"} 0');
    expect(metrics).toContain(`lgsp_credential_expiry_timestamp_seconds{connector="land"} ${Math.floor(validTo.getTime() / 1000)}`);
    expect(metrics).toContain('lgsp_credential_expiring{connector="population",within="7d"} 0');
    expect(metrics).not.toContain('BEGIN');

    // The certificate travels with the credentials (the land sandbox speaks plain HTTP, so it is not used): calls go on.
    const lookup = await request(harness.url).get('/api/v1/land/parcels').query({ communeCode: '00004', mapSheet: '12', parcelNumber: '345' }).set(personalDataHeaders(tokens.consumer));
    expect(lookup.status).toBe(200);
    const view = await call('get', '/connectors/land/credentials', tokens.auditor);
    expect(view.body.inUse).toMatchObject({ source: 'vault', activeVersion: version, fieldsSet: ['clientCertificate', 'clientId', 'clientKey', 'clientSecret', 'password', 'username'] });
    expect(JSON.stringify(view.body)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(view.body)).not.toContain('BEGIN CERTIFICATE');
  });
});

describe('after all of it', () => {
  it('no wrong secret or client key sent in this file appears in a response, log line, metric or table (plain, base64, hex)', async () => {
    // One wrong secret per connector, and the client key.
    expect(planted).toHaveLength(connectorDescriptors.length + 1);
    const places: Record<string, string> = {
      responses: received.join('\n'),
      logs: harness.logs.join(''),
      metrics: (await request(harness.opsUrl).get('/metrics')).text,
      ...(await everyTableAsText(harness.stack.gateway.store)),
    };
    expect(places.connector_credentials).toContain('land');
    const found: string[] = [];
    for (const secret of planted) {
      for (const [encoding, needle] of encodingsOf(secret)) for (const [place, text] of Object.entries(places)) if (text.includes(needle)) found.push(`${secret.slice(0, 20)}… (${encoding}) in ${place}`);
    }
    expect(found).toEqual([]);
  });
});
