import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createLogger } from '../../src/observability/logger.js';
import { fromProjectRoot } from '../../src/paths.js';
import { startDevIdp, type DevIdp } from './index.js';
import { consoleAuthorizationUrl, consoleRedirectUri, loginThroughForm, ScriptedBrowser } from './scripted-login.js';
import { postTokenRequest, requestClientCredentialsToken } from '../../src/auth/test-support/token-client.js';

const realmExportPath = fromProjectRoot('config/keycloak/lgsp-realm.json');
const oneStop = { clientId: 'one-stop', clientSecret: 'one-stop-dev-secret' };
const console_ = { clientId: 'lgsp-console', clientSecret: 'lgsp-console-dev-secret' };
const logger = createLogger({ level: 'silent' });

interface RealmExportForTest {
  users: Array<{ id: string; username: string; serviceAccountClientId?: string }>;
}

let idp: DevIdp;
let workDir: string;
let realmExport: RealmExportForTest;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'lgsp-dev-idp-'));
  realmExport = JSON.parse(await readFile(realmExportPath, 'utf8')) as RealmExportForTest;
  idp = await startDevIdp({ realmExportPath, port: 0, keyStorePath: join(workDir, 'keys', 'jwks.json'), logger });
});

afterAll(async () => {
  await idp?.close();
  await rm(workDir, { recursive: true, force: true });
});

function serviceAccountId(): string {
  const user = realmExport.users.find((u) => u.serviceAccountClientId === 'one-stop');
  if (!user) throw new Error('realm export has no service account for one-stop');
  return user.id;
}

describe('Keycloak-shaped URLs', () => {
  it('reports the real port and a Keycloak realm issuer', () => {
    expect(idp.port).toBeGreaterThan(0);
    expect(idp.issuer).toBe(`http://127.0.0.1:${idp.port}/realms/lgsp`);
    expect(idp.tokenUrl).toBe(`${idp.issuer}/protocol/openid-connect/token`);
    expect(idp.jwksUri).toBe(`${idp.issuer}/protocol/openid-connect/certs`);
    expect(idp.discoveryUrl).toBe(`${idp.issuer}/.well-known/openid-configuration`);
  });

  it('serves a discovery document whose endpoints are Keycloak paths', async () => {
    const response = await fetch(idp.discoveryUrl);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    const base = `${idp.issuer}/protocol/openid-connect`;
    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/certs`,
      userinfo_endpoint: `${base}/userinfo`,
      end_session_endpoint: `${base}/logout`,
      introspection_endpoint: `${base}/token/introspect`,
      revocation_endpoint: `${base}/revoke`,
    });
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']));
    expect(discovery.id_token_signing_alg_values_supported).toContain('RS256');
  });

  it('uses the public origin behind a proxy and honours an access-token lifetime override', async () => {
    const proxied = await startDevIdp({ realmExportPath, publicOrigin: 'https://sso.example.test/', accessTokenTtlSeconds: 60, logger });
    try {
      expect(proxied.issuer).toBe('https://sso.example.test/realms/lgsp');
      const local = `http://127.0.0.1:${proxied.port}/realms/lgsp`;
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'sso.example.test' };
      const discovery = (await (await fetch(`${local}/.well-known/openid-configuration`, { headers: forwarded })).json()) as Record<string, unknown>;
      expect(discovery.issuer).toBe(proxied.issuer);
      expect(discovery.token_endpoint).toBe(`${proxied.issuer}/protocol/openid-connect/token`);

      const tokens = await requestClientCredentialsToken(`${local}/protocol/openid-connect/token`, oneStop);
      expect(tokens.expires_in).toBe(60);
      const claims = decodeJwt(tokens.access_token);
      expect(claims.iss).toBe(proxied.issuer);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
    } finally {
      await proxied.close();
    }
  });

  it('answers 404 outside the realm, like Keycloak for an unknown realm', async () => {
    const response = await fetch(`http://127.0.0.1:${idp.port}/realms/other/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
  });
});

describe('client_credentials for the one-stop system', () => {
  it('issues a Keycloak-shaped JWT access token for the gateway audience', async () => {
    const tokens = await requestClientCredentialsToken(idp.tokenUrl, oneStop);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(300); // the realm's accessTokenLifespan

    const header = decodeProtectedHeader(tokens.access_token);
    expect(header.alg).toBe('RS256');
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      typ: 'Bearer',
      azp: 'one-stop',
      aud: 'lgsp-gateway',
      sub: serviceAccountId(),
      preferred_username: 'service-account-one-stop',
    });
    expect((claims.realm_access as { roles: string[] }).roles).toEqual(
      expect.arrayContaining(['default-roles-lgsp', 'offline_access', 'uma_authorization']),
    );
    expect((claims.realm_access as { roles: string[] }).roles).not.toContain('lgsp-admin');
    expect(typeof claims.jti).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);

    // The signature verifies against the published JWKS.
    await expect(
      jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(idp.jwksUri)), { issuer: idp.issuer, audience: 'lgsp-gateway' }),
    ).resolves.toBeDefined();
  });

  it('accepts client_secret_post as well as client_secret_basic', async () => {
    const tokens = await requestClientCredentialsToken(idp.tokenUrl, { ...oneStop, method: 'client_secret_post' });
    expect(decodeJwt(tokens.access_token).azp).toBe('one-stop');
  });

  it('carries the requested scope', async () => {
    const tokens = await requestClientCredentialsToken(idp.tokenUrl, { ...oneStop, scope: 'profile' });
    expect(decodeJwt(tokens.access_token).scope).toBe('profile');
  });

  it('rejects a wrong client secret with invalid_client', async () => {
    for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
      const response = await postTokenRequest(idp.tokenUrl, { clientId: 'one-stop', clientSecret: 'not-the-secret', method }, { grant_type: 'client_credentials' });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
      expect(response.body.access_token).toBeUndefined();
    }
  });

  it('rejects an unknown client and a client the realm does not allow client_credentials', async () => {
    const unknown = await postTokenRequest(idp.tokenUrl, { clientId: 'nobody', clientSecret: 'x' }, { grant_type: 'client_credentials' });
    expect(unknown.status).toBe(401);
    // lgsp-console has serviceAccountsEnabled: false in the export.
    const consoleClient = await postTokenRequest(idp.tokenUrl, console_, { grant_type: 'client_credentials' });
    // Keycloak says unauthorized_client here; oidc-provider says invalid_request. Both refuse.
    expect(consoleClient.status).toBe(400);
    expect(consoleClient.body.access_token).toBeUndefined();
  });

  it('does not let the bearer-only gateway client obtain tokens', async () => {
    const response = await postTokenRequest(idp.tokenUrl, { clientId: 'lgsp-gateway', clientSecret: 'anything' }, { grant_type: 'client_credentials' });
    expect(response.status).toBe(401);
  });
});

describe('signing keys', () => {
  async function publishedKids(target: DevIdp): Promise<string[]> {
    const jwks = (await (await fetch(target.jwksUri)).json()) as { keys: Array<{ kid: string; d?: string; use?: string; alg?: string }> };
    for (const key of jwks.keys) {
      expect(key.d).toBeUndefined(); // never publish private parts
      expect(key).toMatchObject({ use: 'sig', alg: 'RS256' });
    }
    return jwks.keys.map((key) => key.kid);
  }

  it('persists keys to the key store (owner-only) and reloads them after a restart', async () => {
    const keyStorePath = join(workDir, 'restart', 'jwks.json');
    const first = await startDevIdp({ realmExportPath, keyStorePath, logger });
    const kidsBefore = await publishedKids(first);
    await first.close();
    expect((await stat(keyStorePath)).mode & 0o077).toBe(0);

    const second = await startDevIdp({ realmExportPath, keyStorePath, logger });
    try {
      expect(await publishedKids(second)).toEqual(kidsBefore);
    } finally {
      await second.close();
    }
  });

  it('rotates: the new key signs, the old key stays published', async () => {
    const before = await requestClientCredentialsToken(idp.tokenUrl, oneStop);
    const oldKid = decodeProtectedHeader(before.access_token).kid;
    await idp.rotateSigningKey();

    const after = await requestClientCredentialsToken(idp.tokenUrl, oneStop);
    const newKid = decodeProtectedHeader(after.access_token).kid;
    expect(newKid).toBeDefined();
    expect(newKid).not.toBe(oldKid);
    const kids = await publishedKids(idp);
    expect(kids[0]).toBe(newKid);
    expect(kids).toContain(oldKid);
  });
});

describe('authorization code login to the console', () => {
  const Browser = ScriptedBrowser;
  type Browser = ScriptedBrowser;
  const redirectUri = consoleRedirectUri;
  const authorizationUrl = (overrides: Record<string, string> = {}) => consoleAuthorizationUrl(idp.issuer, overrides);
  const login = (browser: Browser, username: string, password: string) => loginThroughForm(browser, idp.issuer, username, password);

  it('rejects a wrong password with the login form again', async () => {
    const browser = new Browser();
    const start = await browser.get(authorizationUrl());
    const loginUrl = new URL(start.headers.get('location') ?? '', idp.issuer).href;
    const response = await browser.postForm(loginUrl, { username: 'admin', password: 'wrong-password' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Invalid username or password.');
  });

  it('refuses a redirect URI outside the registered console wildcard', async () => {
    const browser = new Browser();
    for (const uri of ['http://localhost:8080/admin/', 'http://evil.example/console/x', 'http://localhost:8080/console/../admin']) {
      const response = await browser.get(authorizationUrl({ redirect_uri: uri }));
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('logs a realm user in and issues Keycloak-shaped access, ID and refresh tokens', async () => {
    const browser = new Browser();
    const callback = await login(browser, 'admin', 'admin-dev-password');
    expect(`${callback.origin}${callback.pathname}`).toBe('http://localhost:8080/console/alerts');
    expect(callback.searchParams.get('auth_callback')).toBe('1');
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const exchange = await postTokenRequest(idp.tokenUrl, console_, { grant_type: 'authorization_code', code: code ?? '', redirect_uri: redirectUri });
    expect(exchange.status).toBe(200);
    const adminId = realmExport.users.find((u) => u.username === 'admin')?.id;

    const access = decodeJwt(String(exchange.body.access_token));
    expect(access).toMatchObject({ typ: 'Bearer', azp: 'lgsp-console', aud: 'lgsp-gateway', sub: adminId, preferred_username: 'admin', iss: idp.issuer });
    expect((access.realm_access as { roles: string[] }).roles).toEqual(expect.arrayContaining(['lgsp-admin', 'default-roles-lgsp']));

    const idToken = decodeJwt(String(exchange.body.id_token));
    expect(idToken).toMatchObject({ typ: 'ID', azp: 'lgsp-console', aud: 'lgsp-console', sub: adminId, iss: idp.issuer });
    expect(typeof exchange.body.refresh_token).toBe('string');

    const refreshed = await postTokenRequest(idp.tokenUrl, console_, { grant_type: 'refresh_token', refresh_token: String(exchange.body.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(String(refreshed.body.access_token))).toMatchObject({ typ: 'Bearer', aud: 'lgsp-gateway', preferred_username: 'admin' });
  });

  it('keeps the login session and refresh tokens across a signing-key rotation', async () => {
    const browser = new Browser();
    const callback = await login(browser, 'operator', 'operator-dev-password');
    const exchange = await postTokenRequest(idp.tokenUrl, console_, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
    });
    expect(exchange.status).toBe(200);

    await idp.rotateSigningKey();

    const refreshed = await postTokenRequest(idp.tokenUrl, console_, { grant_type: 'refresh_token', refresh_token: String(exchange.body.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(decodeProtectedHeader(String(refreshed.body.access_token)).kid).not.toBe(decodeProtectedHeader(String(exchange.body.access_token)).kid);
    // The browser's SSO session is still known: a new authorization needs no password.
    const again = await browser.get(authorizationUrl());
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(/^http:\/\/localhost:8080\/console\/alerts\?/);
  });

  it('gives each user the realm roles of the export', async () => {
    const browser = new Browser();
    const callback = await login(browser, 'auditor', 'auditor-dev-password');
    const exchange = await postTokenRequest(idp.tokenUrl, console_, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
    });
    const roles = (decodeJwt(String(exchange.body.access_token)).realm_access as { roles: string[] }).roles;
    expect(roles).toContain('lgsp-auditor');
    expect(roles).not.toContain('lgsp-admin');
  });
});
