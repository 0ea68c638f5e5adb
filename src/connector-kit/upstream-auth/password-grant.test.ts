import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { PasswordGrantAuthority, type PasswordGrantAccount } from '../../../simulators/kit/password-grant-authority.js';
import { UpstreamError } from '../upstream-errors.js';
import { createPasswordGrantAuth, passwordGrantCredentialSchema } from './password-grant.js';
import { expectAbandonedLoginKept, expectCallerLeavesWhileLoginGoesOn, loginDeadlineTiming } from './test-support/login-deadline.js';

const account: PasswordGrantAccount = { clientId: 'lgsp-gateway', clientSecret: 'client secret+/=', username: 'lgsp.tinh', password: 'pass word' };

let clock = 1_750_000_000_000;
let authority: PasswordGrantAuthority;
let server: http.Server;
let tokenUrl: string;
const seenForms: URLSearchParams[] = [];
let tokenDelayMs = 0;

async function startTokenServer(withAccount: PasswordGrantAccount): Promise<void> {
  authority = new PasswordGrantAuthority({ account: withAccount, accessTokenTtlSeconds: 1800, refreshTokenTtlSeconds: 7200, now: () => clock });
  server = http.createServer((request, response) => {
    if (tokenDelayMs === 0) return void authority.handleTokenRequest(request, response);
    // A slow endpoint: the body waits (paused) for the authority, so the recorder below still sees it too.
    request.pause();
    setTimeout(() => {
      void authority.handleTokenRequest(request, response);
      request.resume();
    }, tokenDelayMs);
  });
  // Record what the client sends, without consuming the body the authority reads.
  server.prependListener('request', (request: http.IncomingMessage) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => seenForms.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/connect/token`;
}

async function stopTokenServer(): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}

const auth = (credentials = account) => createPasswordGrantAuth({ tokenUrl, credentials, now: () => clock });

describe('OAuth2 password grant upstream auth', () => {
  beforeAll(() => startTokenServer(account));
  afterAll(() => stopTokenServer());
  beforeEach(() => {
    seenForms.length = 0;
  });

  it('marks the secret credentials x-secret', () => {
    expect(passwordGrantCredentialSchema.properties.password['x-secret']).toBe(true);
    expect(passwordGrantCredentialSchema.properties.clientSecret['x-secret']).toBe(true);
    expect(passwordGrantCredentialSchema.properties.username).not.toHaveProperty('x-secret');
  });

  it('logs in once with the password and caches the token, even for a burst of calls', async () => {
    const upstream = auth();
    const before = authority.issued.password;
    const burst = await Promise.all(Array.from({ length: 5 }, () => upstream.headers()));
    expect(new Set(burst.map((headers) => headers.authorization)).size).toBe(1);
    expect(burst[0]!.authorization).toMatch(/^Bearer \S+$/);
    await upstream.headers();
    expect(authority.issued.password - before).toBe(1);
    expect(seenForms[0]!.get('grant_type')).toBe('password');
    expect(seenForms[0]!.get('username')).toBe('lgsp.tinh');
    expect(seenForms[0]!.get('password')).toBe('pass word');
  });

  it('renews with the refresh token five minutes before expiry, not with the password', async () => {
    const upstream = auth();
    const first = await upstream.headers();
    const logins = authority.issued.password;
    clock += (1800 - 299) * 1000;
    const second = await upstream.headers();
    expect(second.authorization).not.toBe(first.authorization);
    expect(authority.issued.password).toBe(logins);
    expect(seenForms.at(-1)!.get('grant_type')).toBe('refresh_token');
  });

  it('logs in with the password again when the refresh token is refused', async () => {
    const upstream = auth();
    await upstream.headers();
    const logins = authority.issued.password;
    authority.revokeAll();
    clock += 1800 * 1000;
    await upstream.headers();
    expect(authority.issued.password).toBe(logins + 1);
    expect(seenForms.slice(-2).map((form) => form.get('grant_type'))).toEqual(['refresh_token', 'password']);
  });

  it('does not try a refresh token it knows is dead', async () => {
    const upstream = auth();
    await upstream.headers();
    clock += 7200 * 1000;
    await upstream.headers();
    expect(seenForms.at(-1)!.get('grant_type')).toBe('password');
    expect(seenForms.filter((form) => form.get('grant_type') === 'refresh_token')).toHaveLength(0);
  });

  it('after invalidate() (the upstream said 401) logs in with the password, not the refresh token', async () => {
    const upstream = auth();
    const first = await upstream.headers();
    upstream.invalidate();
    const second = await upstream.headers();
    expect(second.authorization).not.toBe(first.authorization);
    expect(seenForms.map((form) => form.get('grant_type'))).toEqual(['password', 'password']);
  });

  it('reports refused credentials as an auth failure', async () => {
    const error = await auth({ ...account, password: 'wrong' }).headers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'auth', upstreamCode: 'invalid_grant' });
    const wrongClient = await auth({ ...account, clientSecret: 'wrong' }).headers().catch((caught: unknown) => caught);
    expect(wrongClient).toMatchObject({ kind: 'auth', upstreamCode: 'invalid_client' });
  });

  describe('with a slow token endpoint', () => {
    beforeEach(() => {
      tokenDelayMs = loginDeadlineTiming.loginDelayMs;
    });
    afterEach(() => {
      tokenDelayMs = 0;
    });

    it('lets a caller leave at its own deadline (timeout) while the one shared login goes on for the others', async () => {
      await expectCallerLeavesWhileLoginGoesOn(auth(), () => authority.issued.password);
    });

    it('keeps a login every caller gave up on, for the next call', async () => {
      await expectAbandonedLoginKept(auth(), () => authority.issued.password);
    });
  });
});

describe('OAuth2 password grant with a public client', () => {
  const publicAccount = { clientId: 'lgsp-public', username: 'lgsp.tinh', password: 'secret' };
  beforeAll(() => startTokenServer(publicAccount));
  afterAll(() => stopTokenServer());

  it('sends client_id in the form and no Basic header', async () => {
    seenForms.length = 0;
    await expect(auth(publicAccount).headers()).resolves.toHaveProperty('authorization');
    expect(seenForms[0]!.get('client_id')).toBe('lgsp-public');
  });

  it('reports an unreachable token endpoint as a connection failure', async () => {
    await stopTokenServer();
    const error = await auth(publicAccount).headers().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'connection' });
    await startTokenServer(publicAccount);
  });
});
