import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import session, { type Store as SessionStore } from 'express-session';
import { ProblemError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { consoleAssetsRouter, sendConsoleShell } from './console-assets.js';
import { callbackPath, createConsoleAuth, signedOutPath } from './console-auth.js';
import { consoleSecurityHeaders, csrfTokenOf, requireCsrfToken } from './console-security.js';

export interface ConsoleRouterOptions {
  realmUrl: string;
  clientId: string;
  clientSecret: string;
  sessionSecret: string;
  sessionIdleMs: number;
  secureCookies: 'auto' | 'always';
  sessionStore: SessionStore;
  /** The admin API (/admin/v1): the console's only back end, called with the signed-in user's own token. */
  adminRouter: Router;
  logger: Logger;
}

/**
 * /console: sign-in (authorization-code flow through the realm), a session
 * per user kept in the store, and the admin API relayed under /console/api
 * with the user's access token — so every page goes through the same routes,
 * roles and audit as a curl with a bearer token. Tokens stay on the server;
 * the browser holds an HttpOnly session cookie and a CSRF token.
 */
export function createConsoleRouter(options: ConsoleRouterOptions): Router {
  if (options.sessionSecret.length < 32) throw new Error('console.sessionSecret must be at least 32 characters');
  const auth = createConsoleAuth({ realmUrl: options.realmUrl, clientId: options.clientId, clientSecret: options.clientSecret, sessionStore: options.sessionStore, logger: options.logger });
  const router = express.Router();

  router.use('/console', consoleSecurityHeaders(), (req: Request, res: Response, next: NextFunction) => {
    // The console authenticates with its session only: a bearer header from the browser is not a console user.
    delete req.headers.authorization;
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use('/console/assets', consoleAssetsRouter());
  router.use(
    '/console',
    session({
      store: options.sessionStore,
      secret: options.sessionSecret,
      name: 'lgsp_console',
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies === 'always' ? true : 'auto', path: '/console', maxAge: options.sessionIdleMs },
    }),
  );

  router.get('/console/login', async (req, res, next) => {
    const returnTo = consoleReturnPath(req.query.next);
    if (await auth.signedIn(req, res)) {
      res.redirect(returnTo);
      return;
    }
    auth.startSignIn(req, res, next, returnTo);
  });
  router.get(callbackPath, ...auth.callbackHandlers(), (req, res, next) => auth.completeSignIn(req, res, next));

  router.get('/console/session', async (req, res) => {
    const signedIn = await auth.signedIn(req, res);
    if (!signedIn) throw new ProblemError('LGSP_CONSOLE_SIGN_IN_REQUIRED');
    res.json({ user: signedIn.user, csrfToken: csrfTokenOf(req) });
  });

  router.post('/console/logout', requireCsrfToken(), async (req, res, next) => {
    // Not through signedIn(): a session whose tokens can no longer be refreshed must still be able to sign out at the realm.
    const redirect = auth.signOutUrl(req, auth.heldIdToken(req));
    req.session.destroy((error) => {
      if (error) return next(error);
      res.clearCookie('lgsp_console', { path: '/console' });
      res.json({ redirect });
    });
  });

  router.use(
    '/console/api',
    async (req: Request, res: Response, next: NextFunction) => {
      // A read can carry personal data and leaves an audit record (a citizen report): another site must not make a
      // user's browser ask for one (SameSite=Lax still sends the cookie on a top-level navigation). Browsers say where a
      // request comes from; 'none' is the user typing the address.
      const site = req.get('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new ProblemError('LGSP_CSRF_TOKEN_INVALID', { detail: 'the request came from another site' });
      const signedIn = await auth.signedIn(req, res);
      if (!signedIn) throw new ProblemError('LGSP_CONSOLE_SIGN_IN_REQUIRED');
      req.headers.authorization = `Bearer ${signedIn.accessToken}`;
      next();
    },
    requireCsrfToken(),
    options.adminRouter,
  );

  // Every other console path is the application shell; its script renders the page named by the path.
  router.get(/^\/console(\/.*)?$/, async (req, res, next) => {
    // The access log names routes, never URLs: a console path is no one's business there.
    res.locals.route = '/console/*';
    if (req.path !== signedOutPath && !(await auth.signedIn(req, res))) {
      res.redirect(`/console/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    sendConsoleShell(res, next);
  });
  return router;
}

/** Only a path of this console: never another origin (`//evil`, `/\evil`) or a scheme. */
export function consoleReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !/^\/console(\/[^\\]*)?$/.test(value) || value.startsWith('//')) return '/console/';
  if (value.startsWith('/console/login') || value.startsWith(callbackPath) || value.startsWith(signedOutPath)) return '/console/';
  return value;
}
