import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Store as SessionStore } from 'express-session';
import { decodeJwt } from 'jose';
import Keycloak from 'keycloak-connect';
import { allRoles, type LgspRole } from '../auth/roles.js';
import { ProblemError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';

/** What express-session keeps for a console user (server-side only; the browser holds the session id). */
declare module 'express-session' {
  interface SessionData {
    /** The `state` of the sign-in under way, checked on the callback (keycloak-connect sends one but never checks it). */
    signInState: string;
    /** Where to go once signed in: a console path. */
    returnTo: string;
    /** keycloak-connect's grant (access, refresh and ID tokens), under its own key. */
    'keycloak-token': string;
  }
}

/** The signed-in user as the console shows them; the tokens never leave the server. */
export interface ConsoleUser {
  username: string;
  name?: string;
  roles: LgspRole[];
}

export interface SignedIn {
  user: ConsoleUser;
  /** The realm access token the admin API is called with (refreshed when expired). */
  accessToken: string;
}

export interface ConsoleAuthOptions {
  /** The realm URL, e.g. https://sso.example.gov.vn/realms/lgsp. */
  realmUrl: string;
  clientId: string;
  clientSecret: string;
  sessionStore: SessionStore;
  logger: Logger;
}

/** Path the identity provider returns to; keycloak-connect recognises it by `auth_callback=1`. */
export const callbackPath = '/console/callback';
export const signedOutPath = '/console/signed-out';
/** Refresh this long before the access token expires, so a request does not reach the admin API with a token about to lapse. */
const refreshMarginMs = 5_000;

interface KeycloakGrant {
  access_token?: { token: string; content: Record<string, any> };
  id_token?: { token: string };
}

/**
 * Sign-in to the console through the realm with keycloak-connect
 * (authorization-code flow, confidential client): it exchanges the code,
 * validates and stores the grant in the session, and refreshes it. Around it,
 * what it leaves to its users: the `state` check on the callback, a fresh
 * session id after sign-in (no fixation), one refresh at a time per session,
 * and denial pages that are not bare text.
 */
export function createConsoleAuth(options: ConsoleAuthOptions) {
  const marker = '/realms/';
  const at = options.realmUrl.lastIndexOf(marker);
  if (at < 0) throw new Error(`console: ${options.realmUrl} is not a realm URL (…/realms/<name>)`);
  const keycloak = new Keycloak(
    { store: options.sessionStore },
    {
      'auth-server-url': options.realmUrl.slice(0, at),
      realm: options.realmUrl.slice(at + marker.length).replace(/\/+$/, ''),
      resource: options.clientId,
      credentials: { secret: options.clientSecret },
      'ssl-required': 'external',
      'confidential-port': 0,
    } as Keycloak.KeycloakConfig,
  );
  // keycloak-connect answers a refused sign-in (an error from the realm, a code it could not exchange) with a bare "Access denied".
  (keycloak as unknown as { accessDenied: (req: Request, res: Response, next: NextFunction) => void }).accessDenied = (_req, _res, next) => {
    next(new ProblemError('LGSP_CONSOLE_SIGN_IN_FAILED', { detail: 'the realm refused the sign-in or its code could not be exchanged' }));
  };
  const tokenUrl = `${options.realmUrl.replace(/\/+$/, '')}/protocol/openid-connect/token`;
  /**
   * Refreshes by the refresh token they spend, kept a minute: parallel
   * requests of one session (which each loaded the session before the first
   * refresh was saved) reuse the first answer instead of spending the same
   * refresh token again, which a realm that rotates refresh tokens would
   * take for a replay. Within one replica; see README (Web console).
   */
  const refreshes = new Map<string, { fresh: Promise<string>; until: number }>();

  const askRealm = async (refreshToken: string): Promise<string> => {
    let response: globalThis.Response;
    try {
      response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new RealmUnavailable(`the realm could not be reached (${error instanceof Error ? error.name : 'error'})`);
    }
    if (response.status >= 500) throw new RealmUnavailable(`the realm answered ${response.status}`);
    if (!response.ok) {
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      throw new Error(`the realm refused the refresh (${response.status} ${answer.error ?? ''})`.trim());
    }
    return response.text();
  };

  /**
   * keycloak-connect refreshes only refresh tokens it can read as JWTs (as
   * Keycloak issues them) and takes any other for expired; refresh tokens
   * are opaque to clients (RFC 6749 §1.5), so the console refreshes itself,
   * a little early, and hands keycloak-connect the fresh grant to validate.
   */
  const refreshWhenExpiring = async (raw: string): Promise<string> => {
    const grant = JSON.parse(raw) as { access_token?: string; refresh_token?: string };
    const expiresAt = grant.access_token ? (decodeJwt(grant.access_token).exp ?? 0) * 1000 : 0;
    if (expiresAt - refreshMarginMs > Date.now() || !grant.refresh_token) return raw;
    const key = createHash('sha256').update(grant.refresh_token).digest('base64url');
    const now = Date.now();
    for (const [spent, entry] of refreshes) if (entry.until < now) refreshes.delete(spent);
    let entry = refreshes.get(key);
    if (!entry) {
      entry = { fresh: askRealm(grant.refresh_token), until: now + 60_000 };
      refreshes.set(key, entry);
      // A failed refresh is not remembered: the next request may try again (the realm may be back).
      entry.fresh.catch(() => refreshes.delete(key));
    }
    // A realm may leave out what did not change (RFC 6749 §6: the refresh token, the ID token): keep the ones held.
    return JSON.stringify({ ...grant, ...(JSON.parse(await entry.fresh) as object) });
  };

  const manager = (keycloak as unknown as { grantManager: { createGrant(raw: string): Promise<KeycloakGrant> } }).grantManager;
  const storeGrant = (grant: KeycloakGrant, req: Request, res: Response) => (keycloak as unknown as { storeGrant(grant: KeycloakGrant, req: Request, res: Response): void }).storeGrant(grant, req, res);

  /** The session's grant, refreshed when about to expire; undefined once it cannot be (the user signs in again). */
  const grantOf = async (req: Request, res: Response): Promise<KeycloakGrant | undefined> => {
    const raw = req.session?.['keycloak-token'];
    if (!raw) return undefined;
    try {
      // keycloak.getGrant() does this too, but hides why a grant failed behind one message.
      const grant = await manager.createGrant(await refreshWhenExpiring(raw));
      storeGrant(grant, req, res);
      return grant;
    } catch (error) {
      // The realm down is no reason to sign anyone out: the request fails, the session stays.
      if (error instanceof RealmUnavailable) throw new ProblemError('LGSP_CONSOLE_UNAVAILABLE', { detail: 'the sign-in service cannot be reached to renew the session: try again shortly' });
      // Expired beyond refresh, or the realm revoked it: the user signs in again.
      options.logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'console session ended: its tokens could not be refreshed');
      delete req.session['keycloak-token'];
      return undefined;
    }
  };

  return {
    /** keycloak-connect's own middleware (code exchange on `auth_callback`), behind the state check. */
    callbackHandlers(): RequestHandler[] {
      const [setup, postAuth] = keycloak.middleware({ logout: '/console/__keycloak-logout-unused', admin: '/console/__keycloak-admin-unused' }) as RequestHandler[];
      const stateCheck: RequestHandler = (req, res, next) => {
        if (req.query.auth_callback === undefined) return next();
        const expected = req.session?.signInState;
        const given = typeof req.query.state === 'string' ? req.query.state : '';
        delete req.session.signInState;
        if (!expected || !sameText(expected, given)) {
          next(new ProblemError('LGSP_CONSOLE_SIGN_IN_FAILED', { detail: 'this sign-in was not started by this browser (expired, replayed or forged)' }));
          return;
        }
        next();
      };
      return [stateCheck, setup!, postAuth!];
    },

    /** Sends the browser to the realm's login page; `returnTo` must be a console path. */
    startSignIn(req: Request, res: Response, next: NextFunction, returnTo: string): void {
      const state = randomBytes(24).toString('base64url');
      const redirectUri = `${req.protocol}://${req.get('host')}${callbackPath}?auth_callback=1`;
      req.session.signInState = state;
      req.session.returnTo = returnTo;
      // keycloak-connect sends this redirect_uri again when it exchanges the code.
      (req.session as unknown as Record<string, unknown>).auth_redirect_uri = redirectUri;
      req.session.save((error) => {
        if (error) {
          options.logger.error({ err: error }, 'console session could not be saved');
          next(new ProblemError('LGSP_CONSOLE_UNAVAILABLE', { detail: 'sessions cannot be stored right now' }));
          return;
        }
        res.redirect(keycloak.loginUrl(state, redirectUri));
      });
    },

    /** After the callback: a new session id for the signed-in user, keeping the grant and the destination. */
    completeSignIn(req: Request, res: Response, next: NextFunction): void {
      const grant = req.session['keycloak-token'];
      const returnTo = req.session.returnTo ?? '/console/';
      if (!grant) {
        res.redirect('/console/login');
        return;
      }
      req.session.regenerate((error) => {
        if (error) return next(error);
        req.session['keycloak-token'] = grant;
        res.redirect(returnTo);
      });
    },

    /** The user and a fresh access token, or undefined when not signed in (or no longer). */
    async signedIn(req: Request, res: Response): Promise<SignedIn | undefined> {
      const grant = await grantOf(req, res);
      const access = grant?.access_token;
      if (!access) return undefined;
      const content = access.content;
      const roles = ((content.realm_access?.roles ?? []) as string[]).filter((role): role is LgspRole => (allRoles as readonly string[]).includes(role));
      return {
        user: { username: String(content.preferred_username ?? content.sub ?? ''), ...(typeof content.name === 'string' && { name: content.name }), roles },
        accessToken: access.token,
      };
    },

    /** The ID token the session holds, as it is (expired or not): the realm's sign-out only needs it as a hint. */
    heldIdToken(req: Request): string | undefined {
      try {
        const held = JSON.parse(req.session?.['keycloak-token'] ?? '{}') as { id_token?: unknown };
        return typeof held.id_token === 'string' ? held.id_token : undefined;
      } catch {
        return undefined;
      }
    },

    /** The realm's end-session URL: signs the user out of the realm too, then back to the console's signed-out page. */
    signOutUrl(req: Request, idToken: string | undefined): string {
      // keycloak-connect drops post_logout_redirect_uri without an ID token; Keycloak accepts client_id in its place.
      const url = new URL(keycloak.logoutUrl(`${req.protocol}://${req.get('host')}${signedOutPath}`, idToken as string));
      if (!idToken) {
        url.searchParams.set('client_id', options.clientId);
        url.searchParams.set('post_logout_redirect_uri', `${req.protocol}://${req.get('host')}${signedOutPath}`);
      }
      return url.toString();
    },
  };
}

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>;

/** The realm could not be asked (network, timeout, 5xx): not a reason to end a session. */
class RealmUnavailable extends Error {}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
