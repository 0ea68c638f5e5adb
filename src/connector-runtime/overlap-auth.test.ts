import { UpstreamError } from '../connector-kit/upstream-errors.js';
import type { UpstreamAuth } from '../connector-kit/upstream-auth/upstream-auth.js';
import { createMessageChecksumAuth } from '../connector-kit/upstream-auth/message-checksum.js';
import { overlapAuth } from './overlap-auth.js';

function fakeLogin(name: string, accepted: () => boolean) {
  const state = { logins: 0, invalidated: 0 };
  const auth: UpstreamAuth = {
    scheme: 'oauth2-password',
    async headers() {
      state.logins += 1;
      if (!accepted()) throw new UpstreamError('auth', `${name} refused`);
      return { authorization: `Bearer ${name}` };
    },
    invalidate: () => void (state.invalidated += 1),
  };
  return { auth, state };
}

describe('overlapAuth', () => {
  let now = 0;
  beforeEach(() => {
    now = 1_000;
  });

  it('uses the previous version while the upstream still refuses the active one, inside the window only', async () => {
    let upstreamChanged = false;
    const active = fakeLogin('new', () => upstreamChanged);
    const previous = fakeLogin('old', () => !upstreamChanged);
    let fallbacks = 0;
    const auth = overlapAuth({ active: active.auth, previous: previous.auth, usableUntil: new Date(5_000), now: () => now, onFallback: () => void (fallbacks += 1) });

    expect(await auth.headers()).toEqual({ authorization: 'Bearer old' });
    expect(fallbacks).toBe(1);
    // The upstream's own change went through: a 401 on a call makes the next one try the active version first again.
    upstreamChanged = true;
    auth.invalidate();
    expect(await auth.headers()).toEqual({ authorization: 'Bearer new' });
    expect(active.state.invalidated).toBe(1);
    expect(previous.state.invalidated).toBe(1);
  });

  it('refuses the previous version once its window has passed', async () => {
    const active = fakeLogin('new', () => false);
    const previous = fakeLogin('old', () => true);
    const auth = overlapAuth({ active: active.auth, previous: previous.auth, usableUntil: new Date(5_000), now: () => now });
    now = 5_000;
    await expect(auth.headers()).rejects.toMatchObject({ kind: 'auth', message: 'new refused' });
    expect(previous.state.logins).toBe(0);
  });

  it('does not fall back on failures other than a refusal, nor once the active version was accepted', async () => {
    let activeUp = true;
    const active: UpstreamAuth = {
      scheme: 'oauth2-password',
      headers: async () => {
        if (!activeUp) throw new UpstreamError('auth', 'new refused');
        return { authorization: 'Bearer new' };
      },
      invalidate: () => undefined,
    };
    const unreachable: UpstreamAuth = { ...active, headers: async () => Promise.reject(new UpstreamError('connection', 'down')) };
    const previous = fakeLogin('old', () => true);
    await expect(overlapAuth({ active: unreachable, previous: previous.auth, usableUntil: new Date(5_000), now: () => now }).headers()).rejects.toMatchObject({ kind: 'connection' });

    const auth = overlapAuth({ active, previous: previous.auth, usableUntil: new Date(5_000), now: () => now });
    await auth.headers();
    activeUp = false;
    await expect(auth.headers()).rejects.toMatchObject({ kind: 'auth' });
    expect(previous.state.logins).toBe(0);
  });

  it('seals messages with the active version for an upstream authenticated by a message checksum (no login to fall back on)', () => {
    const active = createMessageChecksumAuth({ partnerCode: 'LGSP-DEV', secretKey: 'new-secret-0123456789' });
    const previous = createMessageChecksumAuth({ partnerCode: 'LGSP-DEV', secretKey: 'old-secret-0123456789' });
    const auth = overlapAuth({ active, previous, usableUntil: new Date(5_000), now: () => now });
    expect(auth.account).toBe('LGSP-DEV');
    expect(auth.seal!(['INIT', 'PG1'])).toBe(active.seal!(['INIT', 'PG1']));
    expect(auth.seal!(['INIT', 'PG1'])).not.toBe(previous.seal!(['INIT', 'PG1']));
  });
});
