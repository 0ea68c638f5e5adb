import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';
import { ProblemError } from '../errors/index.js';

/**
 * Headers of every console response: a strict Content-Security-Policy (no
 * inline script or style, nothing from another origin: the chart library is
 * served from this gateway), no framing, no referrer, no MIME sniffing.
 */
export function consoleSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => req.get('x-csrf-token'),
});

/** This session's CSRF token (made on first use, kept in the server-side session). */
export function csrfTokenOf(req: Request): string {
  return generateToken(req);
}

/**
 * State-changing requests must carry the session's token in X-CSRF-Token
 * (synchronizer token, csrf-sync) and, when the browser names an origin,
 * come from this one. SameSite=Lax cookies already keep most cross-site
 * requests out; this closes the rest (same-site subdomains, old browsers).
 */
export function requireCsrfToken(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    const origin = req.get('origin');
    if (origin !== undefined && origin !== `${req.protocol}://${req.get('host')}`) {
      return next(new ProblemError('LGSP_CSRF_TOKEN_INVALID', { detail: 'the request came from another origin' }));
    }
    csrfSynchronisedProtection(req, res, (error?: unknown) => {
      if (error) return next(new ProblemError('LGSP_CSRF_TOKEN_INVALID', { detail: 'send the token from /console/session in X-CSRF-Token' }));
      next();
    });
  };
}
