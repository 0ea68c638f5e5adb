import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { LandSandbox } from '../../connectors/land/sandbox/server.js';
import { landSandboxDevCredentials } from '../../connectors/land/sandbox/server.js';
import { wellKnownTaxCodes } from '../../simulators/kit/enterprises.js';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';
import { eventually } from '../support/eventually.js';
import { encodingsOf, everyTableAsText } from '../support/secret-scan.js';

/**
 * The credential vault through the real admin API (issue 13, acceptance):
 * a full rotation of the land connector's password-grant account — a vault
 * copy of the dev account, then a new password and client secret activated
 * before the upstream changed, calls carried by the previous version inside
 * the overlap window, the upstream's own change, rollback and roll forward,
 * the window's end — and then a scan of everything the gateway said or kept
 * for the planted secret values.
 */
const overlapMs = 4000;
const anParcel = { communeCode: '00004', mapSheet: '12', parcelNumber: '345' };
const planted = {
  password: `planted-secret-${randomBytes(8).toString('hex')}`,
  clientSecret: `planted-secret-${randomBytes(8).toString('hex')}`,
  clientKey: `planted-secret-${randomBytes(8).toString('hex')}`,
  unknownField: `planted-secret-${randomBytes(8).toString('hex')}`,
  wrongType: `planted-secret-${randomBytes(8).toString('hex')}`,
  /** tax's secretKey, from the environment (a GitOps deployment): read-only through the API. */
  fromEnv: `planted-secret-${randomBytes(8).toString('hex')}`,
};
const taxSecretKeyVariable = 'LGSP_TEST_TAX_SECRET_KEY';

let harness: Harness;
let land: LandSandbox;
let tokens: { admin: string; auditor: string; consumer: string };
/** Every admin response body this file received: the secret scan reads them all. */
const received: string[] = [];

beforeAll(async () => {
  harness = await startHarness({
    store: 'pglite',
    env: { [taxSecretKeyVariable]: planted.fromEnv },
    overrides: { vault: { overlapMs }, health: { probeIntervalMs: 3_600_000 }, connectors: { tax: { credentials: { secretKey: { fromEnv: taxSecretKeyVariable } } } } },
  });
  land = harness.stack.sandboxes.land as unknown as LandSandbox;
  const staff = await harness.staffTokens();
  tokens = { admin: staff.admin, auditor: staff.auditor, consumer: await harness.token() };
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const admin = async (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown, token = tokens.admin) => {
  const call = request(harness.url)[method](`/admin/v1${path}`).set('authorization', `Bearer ${token}`);
  const response = body === undefined ? await call : await call.send(body as object);
  received.push(response.text ?? '');
  return response;
};
const credentialsView = async () => (await admin('get', '/connectors/land/credentials')).body;
const findParcel = async () => request(harness.url).get('/api/v1/land/parcels').query(anParcel).set(personalDataHeaders(tokens.consumer));
const expectLookupWorks = async () => {
  const response = await findParcel();
  expect(response.status).toBe(200);
  expect(response.body.parcels).toHaveLength(1);
};
const stateOf = (view: { versions: Array<{ version: number; state: string }> }, version: number) => view.versions.find((item) => item.version === version)?.state;

describe('credential rotation on land (password grant) through /admin/v1', () => {
  it('starts on the configuration: source config, no vault versions, writable', async () => {
    const view = await credentialsView();
    expect(view).toEqual({ connector: 'land', inUse: { source: 'config', fieldsSet: ['clientId', 'clientSecret', 'password', 'username'], readOnly: false }, versions: [] });
    await expectLookupWorks();
  });

  it('a vault copy of the dev account: staged → tested ok → activated without force; calls keep working', async () => {
    const staged = await admin('post', '/connectors/land/credentials', { credentials: { ...landSandboxDevCredentials } });
    expect(staged.status).toBe(201);
    expect(staged.body).toMatchObject({ connectorId: 'land', version: 1, state: 'staged', source: 'vault', fieldsSet: ['clientId', 'clientSecret', 'password', 'username'], createdBy: 'admin', fingerprint: expect.any(String) });

    const untested = await admin('post', '/connectors/land/credentials/1/activate', {});
    expect(untested.status).toBe(409);
    expect(untested.body.code).toBe('LGSP_CREDENTIAL_STATE');

    const test = await admin('post', '/connectors/land/credentials/1/test', {});
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ connector: 'land', version: 1, outcome: 'ok' });

    const activated = await admin('post', '/connectors/land/credentials/1/activate', {});
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ version: 1, state: 'active', activatedBy: 'admin', lastTest: { outcome: 'ok', by: 'admin' } });
    expect((await credentialsView()).inUse).toEqual({ source: 'vault', activeVersion: 1, fieldsSet: ['clientId', 'clientSecret', 'password', 'username'], readOnly: false });
    await expectLookupWorks();
  });

  it('a new password before the upstream changed: the test says refused, forced activation, calls carried by the previous version', async () => {
    const staged = await admin('post', '/connectors/land/credentials', { credentials: { ...landSandboxDevCredentials, password: planted.password, clientSecret: planted.clientSecret } });
    expect(staged.status).toBe(201);
    expect(staged.body).toMatchObject({ version: 2, state: 'staged' });
    const v1Fingerprint = (await credentialsView()).versions.find((item: { version: number }) => item.version === 1).fingerprint;
    expect(staged.body.fingerprint).not.toBe(v1Fingerprint);

    const test = await admin('post', '/connectors/land/credentials/2/test', {});
    expect(test.body).toMatchObject({ version: 2, outcome: 'refused', detail: expect.stringMatching(/HTTP 401|invalid_client/) });
    const refusedActivation = await admin('post', '/connectors/land/credentials/2/activate', {});
    expect(refusedActivation.status).toBe(409);
    expect(refusedActivation.body.code).toBe('LGSP_CREDENTIAL_STATE');
    expect(refusedActivation.body.detail).toContain('refused');

    const forced = await admin('post', '/connectors/land/credentials/2/activate', { force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ version: 2, state: 'active' });
    const view = await credentialsView();
    expect(view.inUse).toMatchObject({ source: 'vault', activeVersion: 2, previousVersion: 1, previousUsableUntil: expect.any(String) });
    expect(Date.parse(view.inUse.previousUsableUntil) - Date.now()).toBeLessThanOrEqual(overlapMs);
    expect(stateOf(view, 1)).toBe('previous');

    // The upstream still knows only the dev account: a fresh login with version 2 is refused, version 1 carries the call.
    land.authority.revokeAll();
    await expectLookupWorks();
    expect(harness.logs.some((line) => line.includes('the previous one (inside its overlap window) is used'))).toBe(true);
  });

  it("after the upstream's own change the new version tests ok and carries the calls alone", async () => {
    land.authority.changeAccount({ password: planted.password, clientSecret: planted.clientSecret });
    const test = await admin('post', '/connectors/land/credentials/2/test', {});
    expect(test.body).toMatchObject({ version: 2, outcome: 'ok' });
    // Old tokens gone: only a login with version 2 can serve this call now.
    land.authority.revokeAll();
    await expectLookupWorks();
    // And version 1 is refused by the upstream now.
    const testOld = await admin('post', '/connectors/land/credentials/1/test', {});
    expect(testOld.body).toMatchObject({ version: 1, outcome: 'refused' });
  });

  it('rolls back inside the window (calls still work through the overlap) and forward again', async () => {
    const back = await admin('post', '/connectors/land/credentials/rollback', {});
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ version: 1, state: 'active' });
    expect((await credentialsView()).inUse).toMatchObject({ activeVersion: 1, previousVersion: 2 });
    land.authority.revokeAll();
    await expectLookupWorks();

    const forward = await admin('post', '/connectors/land/credentials/rollback', {});
    expect(forward.status).toBe(200);
    expect(forward.body).toMatchObject({ version: 2, state: 'active' });
    const view = await credentialsView();
    expect(view.inUse).toMatchObject({ activeVersion: 2, previousVersion: 1 });
    expect(view.versions.map((item: { version: number; state: string }) => [item.version, item.state])).toEqual([
      [2, 'active'],
      [1, 'previous'],
    ]);
    await expectLookupWorks();
  });

  it('past the window the previous version is refused, destroyed (ciphertext wiped) and no longer used for calls', async () => {
    const { previousUsableUntil } = (await credentialsView()).inUse;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(previousUsableUntil) - Date.now()) + 100));

    const rollback = await admin('post', '/connectors/land/credentials/rollback', {});
    expect(rollback.status).toBe(409);
    expect(rollback.body.code).toBe('LGSP_CREDENTIAL_STATE');
    const reactivate = await admin('post', '/connectors/land/credentials/1/activate', { force: true });
    expect(reactivate.status).toBe(409);
    expect((await admin('post', '/connectors/land/credentials/1/test', {})).status).toBe(409);

    // The vault's sweep destroys it (no admin action needed), and every replica drops it.
    const view = await eventually(credentialsView, (body) => stateOf(body, 1) === 'destroyed' && body.inUse.previousVersion === undefined, 5000, 100);
    expect(view.versions.find((item: { version: number }) => item.version === 1)).toMatchObject({ state: 'destroyed', destroyedAt: expect.any(String) });
    expect(view.versions.find((item: { version: number }) => item.version === 1)).not.toHaveProperty('usableUntil');
    expect(view.inUse).toEqual({ source: 'vault', activeVersion: 2, fieldsSet: ['clientId', 'clientSecret', 'password', 'username'], readOnly: false });
    const { rows } = await harness.stack.gateway.store.query<{ ciphertext: unknown; wrapped_key: unknown }>("SELECT ciphertext, wrapped_key FROM connector_credentials WHERE connector_id = 'land' AND version = 1");
    expect(rows).toEqual([{ ciphertext: null, wrapped_key: null }]);

    // The upstream goes back to the old account: version 1 would log in, but it is gone, so the calls fail.
    land.authority.changeAccount({ password: landSandboxDevCredentials.password, clientSecret: landSandboxDevCredentials.clientSecret });
    land.authority.revokeAll();
    const refused = await findParcel();
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(harness.logs.some((line) => line.includes(planted.password))).toBe(false);
    land.authority.changeAccount({ password: planted.password, clientSecret: planted.clientSecret });
    land.authority.revokeAll();
    await eventually(findParcel, (response) => response.status === 200, 5000, 200);
  });

  it('refuses a bad stage request naming the field, never echoing the value', async () => {
    const notPem = await admin('post', '/connectors/land/credentials', { credentials: { ...landSandboxDevCredentials, clientCertificate: 'not a certificate', clientKey: planted.clientKey } });
    expect(notPem.status).toBe(400);
    expect(notPem.body.code).toBe('LGSP_VALIDATION_FAILED');
    expect(notPem.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['credentials.clientKey', 'credentials.clientCertificate']));

    const unknown = await admin('post', '/connectors/land/credentials', { credentials: { ...landSandboxDevCredentials, pin: planted.unknownField } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'credentials.pin', message: 'is not a known field' }]);

    const wrongType = await admin('post', '/connectors/land/credentials', { credentials: { ...landSandboxDevCredentials, password: { value: planted.wrongType } } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ field: 'credentials.password' })]);

    const wrongPattern = await admin('post', '/connectors/land/credentials', { credentials: { ...landSandboxDevCredentials, password: '' }, expiresAt: planted.wrongType });
    expect(wrongPattern.status).toBe(400);
    expect(wrongPattern.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['expiresAt']);

    // Broken JSON around a secret: the parser's own message (which may quote the text) stays out of the answer.
    for (const text of [`{"credentials": {"password": "${planted.wrongType}" "x": 1}}`, `{"credentials": {"password": ${planted.wrongType}}}`]) {
      const response = await request(harness.url).post('/admin/v1/connectors/land/credentials').set('authorization', `Bearer ${tokens.admin}`).set('content-type', 'application/json').send(text);
      received.push(response.text);
      expect([response.status, response.body.code]).toEqual([400, 'LGSP_BODY_MALFORMED']);
    }

    // Only a staged version can be discarded; unknown versions are not found.
    const discardActive = await admin('delete', '/connectors/land/credentials/2');
    expect([discardActive.status, discardActive.body.code]).toEqual([409, 'LGSP_CREDENTIAL_STATE']);
    expect((await admin('post', '/connectors/land/credentials/99/test', {})).status).toBe(404);
    expect((await admin('post', '/connectors/land/credentials/abc/activate', {})).status).toBe(404);

    // Nothing was staged by any of them.
    expect((await credentialsView()).versions.map((item: { version: number }) => item.version)).toEqual([2, 1]);
  });

  it('a connector whose secret comes from the environment is read-only: shown as source env, staging and changes refused', async () => {
    const view = await admin('get', '/connectors/tax/credentials', undefined, tokens.auditor);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      connector: 'tax',
      inUse: { source: 'env', fieldsSet: ['accessKey', 'appName', 'clientId', 'clientSecret', 'partnerCode', 'partnerCodeCus', 'secretKey'], readOnly: true },
      versions: [],
    });
    const stage = await admin('post', '/connectors/tax/credentials', { credentials: { clientId: 'x', clientSecret: planted.fromEnv, accessKey: 'a', secretKey: 's', appName: 'n', partnerCode: 'p', partnerCodeCus: 'q' } });
    expect(stage.status).toBe(409);
    expect(stage.body.code).toBe('LGSP_CREDENTIALS_READ_ONLY');
    expect(stage.body.detail).toContain('environment');
    expect((await admin('post', '/connectors/tax/credentials/rollback', {})).body.code).toBe('LGSP_CREDENTIALS_READ_ONLY');
    expect((await admin('post', '/connectors/tax/credentials/1/activate', { force: true })).body.code).toBe('LGSP_CREDENTIALS_READ_ONLY');
    // The gateway uses the environment's value: the tax sandbox accepts only it (lgspaccesstoken carries the secret key).
    const lookup = await request(harness.url).get(`/api/v1/tax/taxpayers/${wellKnownTaxCodes.activeCompany}`).set(personalDataHeaders(tokens.consumer));
    expect(lookup.status).toBe(200);
  });

  it('the admin audit stream holds every step with metadata only', async () => {
    const audit = await admin('get', '/admin-audit?resourceType=connector_credentials&limit=200', undefined, tokens.auditor);
    expect(audit.status).toBe(200);
    const ids = new Set(audit.body.items.map((item: { resourceId: string }) => item.resourceId));
    expect(ids).toEqual(new Set(['land/v1', 'land/v2']));
    const sweep = audit.body.items.find((item: { actor: string; after: { state: string } }) => item.actor === 'system:credential-vault');
    expect(sweep).toMatchObject({ resourceId: 'land/v1', before: { state: 'previous' }, after: { state: 'destroyed' } });
  });

  it('no planted secret anywhere after the whole cycle: admin responses, logs, metrics, every table of the store (plain, base64, hex)', async () => {
    received.push(JSON.stringify((await admin('get', '/connectors/land')).body));
    received.push(JSON.stringify((await admin('get', '/connectors/land/credentials', undefined, tokens.auditor)).body));
    received.push(JSON.stringify((await admin('get', '/credentials/expiring?withinDays=3650')).body));
    received.push(JSON.stringify((await admin('get', '/admin-audit?limit=500', undefined, tokens.auditor)).body));
    const metrics = (await request(harness.opsUrl).get('/metrics')).text;
    const readyz = (await request(harness.opsUrl).get('/readyz')).text;
    const tables = await everyTableAsText(harness.stack.gateway.store);
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(['connector_credentials', 'admin_audit_log', 'connector_settings', 'connector_config_version']));
    expect(tables.connector_credentials).toContain('land');

    const places: Record<string, string> = { responses: received.join('\n'), logs: harness.logs.join(''), metrics, readyz, ...tables };
    const found: string[] = [];
    for (const [name, secret] of Object.entries(planted)) {
      for (const [encoding, needle] of encodingsOf(secret)) {
        for (const [place, text] of Object.entries(places)) if (text.includes(needle)) found.push(`${name} (${encoding}) in ${place}`);
      }
    }
    expect(found).toEqual([]);
    // The scan would see them: every encoding is found inside a longer encoded text, whatever its alignment.
    for (const prefix of ['', 'a', 'ab']) {
      const leak = Buffer.from(`${prefix}${planted.password}z`);
      for (const encoded of [leak.toString('hex'), leak.toString('base64'), leak.toString('base64url')]) {
        expect(encodingsOf(planted.password).some(([, needle]) => encoded.includes(needle))).toBe(true);
      }
    }
    expect(places.responses).toContain('fingerprint');
  });
});
