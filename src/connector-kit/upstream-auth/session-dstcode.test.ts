import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionAuthority, sendSessionRejection } from '../../../simulators/kit/session-authority.js';
import { UpstreamError } from '../upstream-errors.js';
import { createSessionDstcodeAuth } from './session-dstcode.js';
import { expectAbandonedLoginKept, expectCallerLeavesWhileLoginGoesOn, loginDeadlineTiming } from './test-support/login-deadline.js';

const account = { username: 'province', password: 'secret', dstcode: 'VN:GOV:G06:DKKD' };

describe('session login + dstcode', () => {
  let server: http.Server;
  let baseUrl: string;
  let logins = 0;
  let loginReply: ((response: http.ServerResponse) => void) | undefined;
  let loginDelayMs = 0;
  let clock = 1_000_000;
  const authority = new SessionAuthority(account, { sessionTtlSeconds: 60, now: () => clock });

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/login') {
        logins += 1;
        if (loginReply) return loginReply(response);
        setTimeout(() => void authority.handleLogin(request, response), loginDelayMs);
        return;
      }
      const check = authority.checkCall(request);
      if (!check.ok) return sendSessionRejection(response, check.reason);
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    logins = 0;
    loginReply = undefined;
    loginDelayMs = 0;
  });

  const auth = (overrides: Partial<typeof account> = {}, maxSessionAgeMs?: number) =>
    createSessionDstcodeAuth({ loginUrl: `${baseUrl}/login`, credentials: { ...account, ...overrides }, now: () => clock, ...(maxSessionAgeMs && { maxSessionAgeMs }) });

  const callWith = async (headers: Record<string, string>) => (await fetch(`${baseUrl}/data`, { headers })).status;

  it('logs in once, then reuses the session with dstcode on every call', async () => {
    const scheme = auth();
    const [first, second] = await Promise.all([scheme.headers(), scheme.headers()]);
    expect(first).toEqual({ session: expect.stringMatching(/^[0-9a-f]{36}$/), dstcode: account.dstcode });
    expect(second).toEqual(first);
    expect(await scheme.headers()).toEqual(first);
    expect(logins).toBe(1);
    expect(await callWith(first)).toBe(200);
    expect(scheme.scheme).toBe('session-login+dstcode');
  });

  it('logs in again after invalidate() (the upstream said 401) and after the maximum session age', async () => {
    const scheme = auth({}, 30_000);
    const first = await scheme.headers();
    scheme.invalidate();
    const second = await scheme.headers();
    expect(second.session).not.toBe(first.session);
    clock += 31_000;
    const third = await scheme.headers();
    expect(third.session).not.toBe(second.session);
    expect(logins).toBe(3);
  });

  it('turns a refused account or dstcode (HTTP 200, error_code ≠ 0) into an auth failure', async () => {
    await expect(auth({ password: 'wrong' }).headers()).rejects.toMatchObject({ kind: 'auth', upstreamCode: '1' });
    await expect(auth({ dstcode: 'VN:GOV:OTHER' }).headers()).rejects.toMatchObject({ kind: 'auth', upstreamCode: '2' });
  });

  it('classifies a broken login endpoint as the upstream’s failure', async () => {
    loginReply = (response) => response.writeHead(502).end('bad gateway');
    await expect(auth().headers()).rejects.toMatchObject({ kind: 'http' });
    loginReply = (response) => response.writeHead(200).end('<html>');
    await expect(auth().headers()).rejects.toMatchObject({ kind: 'garbage' });
    loginReply = (response) => response.writeHead(200).end('{"error_code":0}');
    await expect(auth().headers()).rejects.toBeInstanceOf(UpstreamError);
  });

  describe('with a slow login', () => {
    beforeEach(() => {
      loginDelayMs = loginDeadlineTiming.loginDelayMs;
    });

    it('lets a caller leave at its own deadline (timeout) while the one shared login goes on for the others', async () => {
      await expectCallerLeavesWhileLoginGoesOn(auth(), () => logins);
    });

    it('keeps a login every caller gave up on, for the next call', async () => {
      await expectAbandonedLoginKept(auth(), () => logins);
    });
  });

  it('is refused by the adapter once the session expired', async () => {
    const headers = await auth().headers();
    clock += 61_000;
    expect(await callWith(headers)).toBe(401);
  });
});
