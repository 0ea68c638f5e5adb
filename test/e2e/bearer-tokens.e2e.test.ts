import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import request from 'supertest';
import { personalDataHeaders, startHarness, type Harness } from '../support/embedded-harness.js';

const citizenPath = '/api/v1/population/citizens/001090012345';
let harness: Harness;
let keyStorePath: string;

beforeAll(async () => {
  keyStorePath = join(mkdtempSync(join(tmpdir(), 'lgsp-idp-')), 'keys.json');
  harness = await startHarness({ store: 'pglite', idpKeyStorePath: keyStorePath, overrides: { auth: { clockToleranceSeconds: 0 } } });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

/** Signs with the dev IdP's real current key, so only the claim under test is wrong. */
async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const [current] = (JSON.parse(readFileSync(keyStorePath, 'utf8')) as { keys: Array<JWK & { kid: string }> }).keys;
  const key = await importJWK(current!, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: harness.stack.idp.issuer,
    aud: 'lgsp-gateway',
    sub: 'service-account-one-stop',
    iat: now - 60,
    exp: now + 300,
    typ: 'Bearer',
    azp: 'one-stop',
    realm_access: { roles: [] },
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: current!.kid, ...header }).sign(key);
}

async function call(authorization?: string) {
  const { authorization: _ignored, ...headers } = personalDataHeaders('unused');
  const pending = request(harness.url).get(citizenPath).set(headers);
  return authorization === undefined ? pending : pending.set('authorization', authorization);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('bearer tokens on the API', () => {
  it('accepts a token from the realm token endpoint', async () => {
    expect((await call(`Bearer ${await harness.token()}`)).status).toBe(200);
  });

  it('accepts a forged-for-test token signed with the realm key (control for the cases below)', async () => {
    expect((await call(`Bearer ${await forge({})}`)).status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined, 'LGSP_TOKEN_MISSING'],
    ['a non-Bearer scheme', 'Basic b25lLXN0b3A6eA==', 'LGSP_TOKEN_MISSING'],
    ['garbage', 'Bearer not-a-jwt', 'LGSP_TOKEN_INVALID'],
  ])('rejects %s with 401', async (_case, authorization, code) => {
    const response = await call(authorization);
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe(code);
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await call(`Bearer ${await forge({ exp: now - 10, iat: now - 400 })}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('LGSP_TOKEN_EXPIRED');
  });

  it('rejects a token for another audience', async () => {
    const response = await call(`Bearer ${await forge({ aud: 'some-other-api' })}`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'LGSP_TOKEN_INVALID', detail: expect.stringContaining('audience') });
  });

  it('rejects a token from another issuer', async () => {
    const response = await call(`Bearer ${await forge({ iss: 'http://127.0.0.1:1/realms/other' })}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('LGSP_TOKEN_INVALID');
  });

  it('rejects an ID token presented as an access token', async () => {
    const response = await call(`Bearer ${await forge({ typ: 'ID' })}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('LGSP_TOKEN_INVALID');
  });

  it('rejects alg: none', async () => {
    const valid = await forge({});
    const [, payload] = valid.split('.');
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const response = await call(`Bearer ${unsigned}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('LGSP_TOKEN_INVALID');
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = (await forge({})).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${base64url({ ...claims, realm_access: { roles: ['lgsp-admin'] } })}.${signature}`;
    const response = await call(`Bearer ${tampered}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('LGSP_TOKEN_INVALID');
  });

  it('rejects a token signed by a key the realm does not publish', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ typ: 'Bearer', azp: 'one-stop' })
      .setProtectedHeader({ alg: 'RS256', kid: 'attacker-key' })
      .setIssuer(harness.stack.idp.issuer)
      .setAudience('lgsp-gateway')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const response = await call(`Bearer ${foreign}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('LGSP_TOKEN_INVALID');
  });

  it('never echoes the token in the problem', async () => {
    const token = await forge({ aud: 'some-other-api' });
    const response = await call(`Bearer ${token}`);
    expect(response.text).not.toContain(token);
    expect(response.text).not.toContain(token.split('.')[1]);
  });
});
