import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/principal.js';
import type { LgspRole } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { AdminActor } from '../audit/admin-change.js';
import { ProblemError } from '../errors/index.js';
import { requestContextOf } from '../pipeline/request-context.js';

/**
 * Admin routes need a realm role; consumer (machine) tokens carry none, so
 * they can never reach /admin whatever grants their client holds.
 */
export function requireRole(tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>, allowed: readonly LgspRole[]) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const principal = await tokenVerifier.verifyAuthorizationHeader(req.header('authorization'));
    if (!allowed.some((role) => principal.roles.includes(role))) {
      throw new ProblemError('LGSP_ROLE_REQUIRED', { detail: `this route needs one of the roles ${allowed.join(', ')}` });
    }
    res.locals.principal = principal;
    next();
  };
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

/** Who is making an admin change, for its admin audit record. */
export function adminActorOf(res: Response): AdminActor {
  const principal = principalOf(res);
  return { actor: principal.username ?? principal.subject, actorClient: principal.clientId, requestId: requestContextOf(res).requestId };
}
