import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { isProblemError, type ProblemError } from '../errors/index.js';
import { createLogger } from '../observability/logger.js';
import { fromProjectRoot } from '../paths.js';
import { startDevIdp, type DevIdp } from '../../simulators/dev-idp/index.js';
import { requestClientCredentialsToken } from './test-support/token-client.js';
import { hasRole, Roles } from './roles.js';
import { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './token-verifier.js';

const realmExportPath = fromProjectRoot('config/keycloak/lgsp-realm.json');
const oneStop = { clientId: 'one-stop', clientSecret: 'one-stop-dev-secret' };
const logger = createLogger({ level: 'silent' });

let idp: DevIdp;
let otherIdp: DevIdp;
let workDir: string;
let keyStorePath: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'lgsp-verifier-'));
  keyStorePath = join(workDir, 'jwks.json');
  idp = await startDevIdp({ realmExportPath, keyStorePath, logger });
  otherIdp = await startDevIdp({ realmExportPath, logger });
});

afterAll(async () => {
  await idp?.close();
  await otherIdp?.close();
  await rm(workDir, { recursive: true, force: true });
});

function verifierFor(target: DevIdp, overrides: Partial<TokenVerifierOptions> = {}): TokenVerifier {
  // Cooldown 0: a key rotation is seen on the very next token (production keeps jose's 30 s).
  return createTokenVerifier({ issuer: target.issuer, jwksUri: target.jwksUri, audience: 'lgsp-gateway', jwksCooldownMs: 0, ...overrides });
}

async function oneStopToken(target: DevIdp = idp): Promise<string> {
  return (await requestClientCredentialsToken(target.tokenUrl, oneStop)).access_token;
}

/** Signs arbitrary claims with the dev IdP's current private key (read from its key store): a key that IS in the JWKS. */
async function signWithRealmKey(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { keys } = JSON.parse(await readFile(keyStorePath, 'utf8')) as { keys: Array<JWK & { kid: string }> };
  const current = keys[0];
  if (!current) throw new Error('key store is empty');
  const key = await importJWK(current, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  const defaults: JWTPayload = {
    iss: idp.issuer,
    aud: 'lgsp-gateway',
    sub: 'test-subject',
    iat: now,
    exp: now + 300,
    jti: 'test-jti',
    typ: 'Bearer',
    azp: 'one-stop',
    realm_access: { roles: [] },
  };
  const payload = Object.fromEntries(Object.entries({ ...defaults, ...claims }).filter(([, value]) => value !== undefined));
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: current.kid, ...header }).sign(key);
}

/** Runs the verifier and returns the ProblemError it throws, checking the token never leaks into it. */
async function rejection(verifier: TokenVerifier, header: string | undefined): Promise<ProblemError> {
  try {
    await verifier.verifyAuthorizationHeader(header);
  } catch (error) {
    if (!isProblemError(error)) throw error;
    const token = header?.replace(/^Bearer\s+/i, '');
    // Only real-looking tokens: a 1-letter "token" would match any text.
    if (token && token.length > 20) {
      const rendered = JSON.stringify(error.toProblem()) + error.message + JSON.stringify(error.options.headers ?? {});
      expect(rendered).not.toContain(token);
      expect(rendered).not.toContain(token.split('.')[1] ?? token);
    }
    return error;
  }
  throw new Error('expected the verifier to reject');
}

describe('accepting', () => {
  it('turns a one-stop client_credentials token into a principal', async () => {
    const token = await oneStopToken();
    const principal = await verifierFor(idp).verifyAuthorizationHeader(`Bearer ${token}`);
    const realm = JSON.parse(await readFile(realmExportPath, 'utf8')) as { users: Array<{ id: string; serviceAccountClientId?: string }> };
    expect(principal).toMatchObject({
      clientId: 'one-stop',
      subject: realm.users.find((u) => u.serviceAccountClientId === 'one-stop')?.id,
      username: 'service-account-one-stop',
    });
    expect(principal.roles).toContain('default-roles-lgsp');
    expect(typeof principal.tokenId).toBe('string');
    expect(principal.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(hasRole(principal, Roles.admin)).toBe(false);
  });

  it('accepts the scheme case-insensitively and reads roles for hasRole', async () => {
    const token = await signWithRealmKey({ realm_access: { roles: ['lgsp-auditor'] }, preferred_username: 'auditor' });
    const principal = await verifierFor(idp).verifyAuthorizationHeader(`bearer ${token}`);
    expect(principal.username).toBe('auditor');
    expect(hasRole(principal, Roles.auditor)).toBe(true);
    expect(hasRole(principal, Roles.operator)).toBe(false);
  });

  it('falls back to client_id when azp is absent', async () => {
    const token = await signWithRealmKey({ azp: undefined, client_id: 'one-stop' });
    expect((await verifierFor(idp).verifyAuthorizationHeader(`Bearer ${token}`)).clientId).toBe('one-stop');
  });
});

describe('rejecting', () => {
  it('answers LGSP_TOKEN_MISSING without a usable Bearer header', async () => {
    const verifier = verifierFor(idp);
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic b25lLXN0b3A6c2VjcmV0', 'Token abc.def.ghi', 'Bearer a b']) {
      const problem = await rejection(verifier, header);
      expect(problem.code).toBe('LGSP_TOKEN_MISSING');
      expect(problem.status).toBe(401);
      expect(problem.options.headers?.['WWW-Authenticate']).toMatch(/^Bearer /);
    }
  });

  it('answers LGSP_TOKEN_EXPIRED for a correctly signed token past its exp', async () => {
    const longAgo = Math.floor(Date.now() / 1000) - 3600;
    const token = await signWithRealmKey({ iat: longAgo - 300, exp: longAgo });
    const problem = await rejection(verifierFor(idp), `Bearer ${token}`);
    expect(problem.code).toBe('LGSP_TOKEN_EXPIRED');
  });

  it('answers LGSP_TOKEN_EXPIRED for a real IdP token once the clock passes its exp', async () => {
    const token = await oneStopToken();
    const later = verifierFor(idp, { now: () => new Date(Date.now() + 301_000 + 5_000) });
    expect((await rejection(later, `Bearer ${token}`)).code).toBe('LGSP_TOKEN_EXPIRED');
    // ...and the same token is fine now.
    await expect(verifierFor(idp).verifyAuthorizationHeader(`Bearer ${token}`)).resolves.toBeDefined();
  });

  it('remembers a verified token only until it expires', async () => {
    const token = await oneStopToken();
    let clock = Date.now();
    const verifier = verifierFor(idp, { now: () => new Date(clock) });
    const first = await verifier.verifyAuthorizationHeader(`Bearer ${token}`);
    expect(await verifier.verifyAuthorizationHeader(`Bearer ${token}`)).toBe(first);
    clock = first.expiresAt * 1000 + 60_000;
    expect((await rejection(verifier, `Bearer ${token}`)).code).toBe('LGSP_TOKEN_EXPIRED');
  });

  it('answers LGSP_TOKEN_INVALID for a token meant for another audience', async () => {
    const token = await oneStopToken();
    const problem = await rejection(verifierFor(idp, { audience: 'some-other-api' }), `Bearer ${token}`);
    expect(problem.code).toBe('LGSP_TOKEN_INVALID');
    expect(problem.options.detail).toContain('audience mismatch');

    const consoleAudience = await signWithRealmKey({ aud: 'lgsp-console' });
    expect((await rejection(verifierFor(idp), `Bearer ${consoleAudience}`)).options.detail).toContain('audience mismatch');
  });

  it('rejects an unsigned alg:none token', async () => {
    const real = await oneStopToken();
    const [, payload] = real.split('.');
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    const problem = await rejection(verifierFor(idp), `Bearer ${unsigned}`);
    expect(problem.code).toBe('LGSP_TOKEN_INVALID');
  });

  it('rejects a token whose payload was tampered with', async () => {
    const real = await oneStopToken();
    const [header, payload, signature] = real.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? ''))) as Record<string, unknown>;
    claims.realm_access = { roles: ['lgsp-admin'] };
    const tampered = `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
    const problem = await rejection(verifierFor(idp), `Bearer ${tampered}`);
    expect(problem.code).toBe('LGSP_TOKEN_INVALID');
    expect(problem.options.detail).toContain('signature');
  });

  it('rejects a token from another issuer, even one with the same realm name', async () => {
    const foreign = await oneStopToken(otherIdp);
    expect((await rejection(verifierFor(idp), `Bearer ${foreign}`)).code).toBe('LGSP_TOKEN_INVALID');

    // Signed by the right key but claiming another issuer.
    const wrongIssuer = await signWithRealmKey({ iss: otherIdp.issuer });
    expect((await rejection(verifierFor(idp), `Bearer ${wrongIssuer}`)).options.detail).toContain('issuer mismatch');
  });

  it('rejects a token signed by an unknown key that borrows a published kid', async () => {
    const realKid = decodeProtectedHeader(await oneStopToken()).kid;
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ typ: 'Bearer', azp: 'one-stop', realm_access: { roles: ['lgsp-admin'] } })
      .setProtectedHeader({ alg: 'RS256', kid: realKid ?? '' })
      .setIssuer(idp.issuer)
      .setAudience('lgsp-gateway')
      .setSubject('intruder')
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const problem = await rejection(verifierFor(idp), `Bearer ${forged}`);
    expect(problem.code).toBe('LGSP_TOKEN_INVALID');
    expect(problem.options.detail).toContain('signature');
  });

  it('rejects an HMAC token and an algorithm outside the allowed list', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hmac = await new SignJWT({ typ: 'Bearer', azp: 'one-stop' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(idp.issuer)
      .setAudience('lgsp-gateway')
      .setSubject('x')
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode('one-stop-dev-secret-padded-to-32-bytes!'));
    expect((await rejection(verifierFor(idp), `Bearer ${hmac}`)).code).toBe('LGSP_TOKEN_INVALID');

    const rs256 = await oneStopToken();
    const problem = await rejection(verifierFor(idp, { algorithms: ['ES256'] }), `Bearer ${rs256}`);
    expect(problem.options.detail).toContain('algorithm not allowed');
  });

  it('rejects an ID token or any token whose typ is not Bearer', async () => {
    const idToken = await signWithRealmKey({ typ: 'ID' });
    const problem = await rejection(verifierFor(idp), `Bearer ${idToken}`);
    expect(problem.code).toBe('LGSP_TOKEN_INVALID');
    expect(problem.options.detail).toContain('not Bearer');

    const untyped = await signWithRealmKey({ typ: undefined });
    expect((await rejection(verifierFor(idp), `Bearer ${untyped}`)).code).toBe('LGSP_TOKEN_INVALID');
  });

  it('rejects garbage', async () => {
    expect((await rejection(verifierFor(idp), 'Bearer not-a-jwt')).code).toBe('LGSP_TOKEN_INVALID');
    expect((await rejection(verifierFor(idp), 'Bearer a.b.c')).code).toBe('LGSP_TOKEN_INVALID');
  });
});

describe('key rotation', () => {
  it('verifies new tokens after a rotation with the same verifier, and old ones while their key is published', async () => {
    const verifier = verifierFor(idp);
    const before = await oneStopToken();
    await expect(verifier.verifyAuthorizationHeader(`Bearer ${before}`)).resolves.toBeDefined();

    await idp.rotateSigningKey();
    const after = await oneStopToken();
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);

    await expect(verifier.verifyAuthorizationHeader(`Bearer ${after}`)).resolves.toMatchObject({ clientId: 'one-stop' });
    await expect(verifier.verifyAuthorizationHeader(`Bearer ${before}`)).resolves.toMatchObject({ clientId: 'one-stop' });
  });
});

describe('readiness and an unreachable IdP', () => {
  it('is ready when the JWKS can be fetched', async () => {
    await expect(verifierFor(idp).ready()).resolves.toBe(true);
  });

  it('is not ready, and answers LGSP_AUTH_UNAVAILABLE (not a 401), when the JWKS cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const verifier = createTokenVerifier({
      issuer: idp.issuer,
      jwksUri: `http://127.0.0.1:${port}/realms/lgsp/protocol/openid-connect/certs`,
      audience: 'lgsp-gateway',
    });
    await expect(verifier.ready()).resolves.toBe(false);
    const problem = await rejection(verifier, `Bearer ${await oneStopToken()}`);
    expect(problem.code).toBe('LGSP_AUTH_UNAVAILABLE');
    expect(problem.status).toBe(503);
  });
});
