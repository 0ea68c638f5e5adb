import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session, { type SessionData } from 'express-session';
import request from 'supertest';
import { ConsoleSessionStore } from '../../src/console/session-store.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import type { Store } from '../../src/store/store.js';
import { captureLogger } from '../../src/store/test-support/capture-logger.js';
import type { StoreTarget } from '../../src/store/test-support/store-targets.js';
import { eventually } from '../support/eventually.js';

const minute = 60_000;
const accessToken = 'eyJ-console-access-token-must-never-leak';

/** What express-session hands a store: its fields and a cookie (here a plain one, as after a JSON round trip). */
const sessionData = (cookie: Record<string, unknown>, fields: Record<string, unknown> = {}): SessionData =>
  ({ cookie: { path: '/', httpOnly: true, originalMaxAge: null, ...cookie }, ...fields }) as unknown as SessionData;

/** The store's callback API as promises; a callback error rejects, and a throw out of the method fails the test differently. */
const call = {
  get: (store: ConsoleSessionStore, sid: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) => store.get(sid, (error, data) => (error ? reject(error) : resolve(data)))),
  set: (store: ConsoleSessionStore, sid: string, data: SessionData) =>
    new Promise<void>((resolve, reject) => store.set(sid, data, (error) => (error ? reject(error) : resolve()))),
  touch: (store: ConsoleSessionStore, sid: string, data: SessionData) =>
    new Promise<void>((resolve, reject) => store.touch(sid, data, (error) => (error ? reject(error) : resolve()))),
  destroy: (store: ConsoleSessionStore, sid: string) =>
    new Promise<void>((resolve, reject) => store.destroy(sid, (error) => (error ? reject(error) : resolve()))),
};

/** The console's session store on one store driver: the methods, expiry, pruning, and two replicas over one database. */
export function describeConsoleSessionStoreContract(target: StoreTarget): void {
  let db: Store;
  let another: Store;
  let unmigrated: Store;
  let clock: Date;
  let sessions: ConsoleSessionStore;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const expiresAt = async (sid: string) =>
    (await db.query<{ expires_at: Date }>('SELECT expires_at FROM console_sessions WHERE sid = $1', [sid])).rows[0]?.expires_at;
  const rowCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM console_sessions')).rows[0]!.n;

  beforeAll(async () => {
    const isolated = await target.openIsolated();
    await migrate(isolated.store, migrations);
    db = isolated.store;
    another = await isolated.openAnother();
    unmigrated = (await target.openIsolated()).store;
  }, 60_000);
  afterAll(async () => {
    await target.dispose();
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM console_sessions');
    clock = new Date('2030-01-01T08:00:00Z');
    sessions = new ConsoleSessionStore({ store: db, now: () => clock, defaultTtlMs: 30 * minute });
  });

  describe(`${target.driver} console session store`, () => {
    it('gives back what was set, and nothing for an unknown sid', async () => {
      const expires = new Date(clock.getTime() + 10 * minute);
      await call.set(sessions, 'sid-1', sessionData({ expires, originalMaxAge: 10 * minute }, { user: { name: 'admin', roles: ['lgsp-admin'] }, tokens: { access: accessToken } }));
      expect(await call.get(sessions, 'sid-1')).toEqual({
        cookie: { path: '/', httpOnly: true, originalMaxAge: 10 * minute, expires: expires.toISOString() },
        user: { name: 'admin', roles: ['lgsp-admin'] },
        tokens: { access: accessToken },
      });
      expect(await expiresAt('sid-1')).toEqual(expires);
      expect(await call.get(sessions, 'sid-unknown')).toBeNull();
    });

    it('takes the expiry from cookie.expires, else cookie.maxAge, else the default TTL', async () => {
      await call.set(sessions, 'absolute', sessionData({ expires: new Date(clock.getTime() + 3 * minute).toISOString(), maxAge: 99 * minute }));
      await call.set(sessions, 'relative', sessionData({ maxAge: 5 * minute }));
      await call.set(sessions, 'browser-session', sessionData({ expires: null }));
      expect(await expiresAt('absolute')).toEqual(new Date(clock.getTime() + 3 * minute));
      expect(await expiresAt('relative')).toEqual(new Date(clock.getTime() + 5 * minute));
      expect(await expiresAt('browser-session')).toEqual(new Date(clock.getTime() + 30 * minute));
    });

    it('set again replaces the data and the expiry (one row per sid)', async () => {
      await call.set(sessions, 'sid-1', sessionData({ maxAge: minute }, { step: 1 }));
      await call.set(sessions, 'sid-1', sessionData({ maxAge: 20 * minute }, { step: 2 }));
      expect(await call.get(sessions, 'sid-1')).toMatchObject({ step: 2 });
      expect(await expiresAt('sid-1')).toEqual(new Date(clock.getTime() + 20 * minute));
      expect(await rowCount()).toBe(1);
    });

    it('never serves an expired session; the prune deletes exactly the expired ones', async () => {
      await call.set(sessions, 'short', sessionData({ maxAge: minute }));
      await call.set(sessions, 'long', sessionData({ maxAge: 60 * minute }));
      advance(minute - 1);
      expect(await call.get(sessions, 'short')).not.toBeNull();
      advance(1);
      expect(await call.get(sessions, 'short')).toBeNull();
      expect(await rowCount()).toBe(2);

      expect(await sessions.pruneExpired()).toBe(1);
      expect(await expiresAt('short')).toBeUndefined();
      expect(await call.get(sessions, 'long')).not.toBeNull();
      expect(await sessions.pruneExpired()).toBe(0);
    });

    it('touch extends a live session without rewriting its data, and does not bring an expired one back', async () => {
      await call.set(sessions, 'live', sessionData({ maxAge: minute }, { step: 'original' }));
      await call.set(sessions, 'dead', sessionData({ maxAge: minute }));
      advance(30_000);
      await call.touch(sessions, 'live', sessionData({ maxAge: 10 * minute }, { step: 'not saved by touch' }));
      expect(await expiresAt('live')).toEqual(new Date(clock.getTime() + 10 * minute));
      advance(5 * minute);
      expect(await call.get(sessions, 'live')).toMatchObject({ step: 'original' });

      await call.touch(sessions, 'dead', sessionData({ maxAge: 10 * minute }));
      expect(await call.get(sessions, 'dead')).toBeNull();
      await call.touch(sessions, 'never-existed', sessionData({ maxAge: minute }));
      expect(await expiresAt('never-existed')).toBeUndefined();
    });

    it('destroy removes the session; destroying an unknown sid is no error', async () => {
      await call.set(sessions, 'sid-1', sessionData({ maxAge: minute }));
      await call.destroy(sessions, 'sid-1');
      expect(await call.get(sessions, 'sid-1')).toBeNull();
      expect(await rowCount()).toBe(0);
      await expect(call.destroy(sessions, 'sid-1')).resolves.toBeUndefined();
    });

    it('two stores over the same database see each other’s sessions (any replica serves any user)', async () => {
      const replica = new ConsoleSessionStore({ store: another, now: () => clock });
      await call.set(sessions, 'sid-1', sessionData({ maxAge: 10 * minute }, { user: 'auditor' }));
      expect(await call.get(replica, 'sid-1')).toMatchObject({ user: 'auditor' });
      await call.touch(replica, 'sid-1', sessionData({ maxAge: 60 * minute }));
      advance(30 * minute);
      expect(await call.get(sessions, 'sid-1')).toMatchObject({ user: 'auditor' });
      await call.destroy(replica, 'sid-1');
      expect(await call.get(sessions, 'sid-1')).toBeNull();
    });

    it('errors go to the callback, never thrown, with no session content in them', async () => {
      const broken = new ConsoleSessionStore({ store: unmigrated });
      const failures = await Promise.all([
        new Promise((resolve) => broken.get('sid-1', resolve)),
        new Promise((resolve) => broken.set('sid-1', sessionData({ maxAge: minute }, { tokens: { access: accessToken } }), resolve)),
        new Promise((resolve) => broken.touch('sid-1', sessionData({ maxAge: minute }), resolve)),
        new Promise((resolve) => broken.destroy('sid-1', resolve)),
      ]);
      for (const failure of failures) expect(failure).toMatchObject({ code: '42P01' });
      await expect(broken.pruneExpired()).rejects.toMatchObject({ code: '42P01' });

      // jsonb refuses \u0000, and PostgreSQL quotes the offending JSON in the error: the callback gets none of it.
      const refused = await new Promise<unknown>((resolve) => sessions.set('sid-2', sessionData({ maxAge: minute }, { tokens: { access: `${accessToken}\u0000` } }), resolve));
      expect(refused).toBeInstanceOf(Error);
      expect((refused as { code?: string }).code).toMatch(/^22/);
      expect(JSON.stringify(refused) + String((refused as Error).message) + String((refused as Error).stack)).not.toContain(accessToken);
    });

    it('startPruning prunes on its interval until stopped, and reports a failure without the session content', async () => {
      await call.set(sessions, 'short', sessionData({ maxAge: minute }));
      advance(2 * minute);
      const stop = sessions.startPruning(20);
      await eventually(rowCount, (n) => n === 0);
      await stop();
      await call.set(sessions, 'short', sessionData({ maxAge: minute }));
      advance(2 * minute);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await rowCount()).toBe(1);

      const log = captureLogger();
      const stopBroken = new ConsoleSessionStore({ store: unmigrated, logger: log.logger }).startPruning(20);
      await eventually(() => log.messages(), (messages) => messages.includes('console session prune failed'));
      await stopBroken();
    });

    it('serves express-session: signed in through one replica, known to the other, signed out through either', async () => {
      const replicas = [db, another].map((store) => {
        const app = express();
        app.use(session({ store: new ConsoleSessionStore({ store }), secret: 'test-secret', resave: false, saveUninitialized: false, rolling: true, cookie: { maxAge: 10 * minute } }));
        app.post('/login', (req, res) => {
          (req.session as unknown as { user: string }).user = 'operator';
          res.status(204).end();
        });
        app.get('/me', (req, res) => {
          res.json({ user: (req.session as unknown as { user?: string }).user ?? null });
        });
        app.post('/logout', (req, res, next) => req.session.destroy((error) => (error ? next(error) : res.status(204).end())));
        return app;
      });
      const servers: Server[] = [];
      try {
        const urls = await Promise.all(
          replicas.map(async (app) => {
            const server = createServer(app);
            servers.push(server);
            await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
            return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          }),
        );
        const login = await request(urls[0]!).post('/login');
        expect(login.status).toBe(204);
        const cookie = login.headers['set-cookie'] as unknown as string[];
        expect(cookie).toBeDefined();

        expect((await request(urls[1]!).get('/me').set('Cookie', cookie)).body).toEqual({ user: 'operator' });
        expect(await rowCount()).toBe(1);
        expect((await request(urls[1]!).post('/logout').set('Cookie', cookie)).status).toBe(204);
        expect((await request(urls[0]!).get('/me').set('Cookie', cookie)).body).toEqual({ user: null });
        expect(await rowCount()).toBe(0);
      } finally {
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      }
    });

    it('seals session data under its key: the table holds no token, another key or another row opens nothing', async () => {
      const sealed = new ConsoleSessionStore({ store: db, now: () => clock, encryptionSecret: 's'.repeat(40) });
      await call.set(sealed, 'sid-sealed', sessionData({ maxAge: 10 * minute }, { 'keycloak-token': JSON.stringify({ access_token: accessToken }) }));
      const row = (await db.query<{ data: unknown }>('SELECT data FROM console_sessions WHERE sid = $1', ['sid-sealed'])).rows[0]!;
      expect(JSON.stringify(row.data)).not.toContain('console-access-token');
      expect(JSON.stringify(await call.get(sealed, 'sid-sealed'))).toContain(accessToken);
      // Another replica with the same secret reads it; a changed secret reads nothing (the user signs in again).
      expect(JSON.stringify(await call.get(new ConsoleSessionStore({ store: another, now: () => clock, encryptionSecret: 's'.repeat(40) }), 'sid-sealed'))).toContain(accessToken);
      expect(await call.get(new ConsoleSessionStore({ store: db, now: () => clock, encryptionSecret: 't'.repeat(40) }), 'sid-sealed')).toBeNull();
      // A sealed row copied under another session id does not open (the id is bound into the seal).
      await db.query('INSERT INTO console_sessions (sid, data, expires_at) SELECT $2, data, expires_at FROM console_sessions WHERE sid = $1', ['sid-sealed', 'sid-copied']);
      expect(await call.get(sealed, 'sid-copied')).toBeNull();
      // And a row that was never sealed is not taken as a session once sealing is on.
      await call.set(sessions, 'sid-plain', sessionData({ maxAge: 10 * minute }, { user: 'admin' }));
      expect(await call.get(sealed, 'sid-plain')).toBeNull();
    });
  });
}
