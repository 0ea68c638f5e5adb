import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ProblemError } from '../errors/index.js';
import type { Principal } from './principal.js';

export type { Principal } from './principal.js';

export interface TokenVerifierOptions {
  /** The realm URL, e.g. `https://sso.example.gov.vn/realms/lgsp`; must equal the token's `iss`. */
  issuer: string;
  /** The realm's `/protocol/openid-connect/certs`. */
  jwksUri: string;
  /** The client id the access token must name in `aud` (Keycloak's audience mapper), e.g. `lgsp-gateway`. */
  audience: string;
  /** Accepted JWS algorithms; default RS256, PS256, ES256. `none` and HMAC are never accepted. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
  /**
   * After a JWKS fetch, how long a token with an unknown `kid` is rejected
   * without fetching again (protects the IdP from forged-kid floods).
   * Default 30 s; tests set it low to see a key rotation at once.
   */
  jwksCooldownMs?: number;
  /** How long a fetched JWKS is used before it is fetched again. Default 10 min. */
  jwksCacheMaxAgeMs?: number;
  /** Clock for `exp`/`nbf` checks; tests inject a shifted one. */
  now?: () => Date;
  /** How many verified tokens are remembered until they expire (default 10,000). */
  maxCachedTokens?: number;
}

export interface TokenVerifier {
  /** Verifies `Authorization: Bearer <jwt>` offline against the realm JWKS and returns who is calling. */
  verifyAuthorizationHeader(header: string | undefined): Promise<Principal>;
  /** Whether the realm's signing keys are at hand (fetched now if the cache is stale); for /readyz. */
  ready(): Promise<boolean>;
}

const defaultAlgorithms = ['RS256', 'PS256', 'ES256'];
const defaultClockToleranceSeconds = 5;
/** RFC 6750 `b64token`; anything else in the header is not a bearer token. */
const bearerHeader = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = (options.algorithms ?? defaultAlgorithms).filter((alg) => alg !== 'none' && !alg.startsWith('HS'));
  if (algorithms.length === 0) throw new Error('createTokenVerifier: no acceptable asymmetric algorithm configured');
  const jwks = createRemoteJWKSet(new URL(options.jwksUri), {
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
  });
  const clockTolerance = options.clockToleranceSeconds ?? defaultClockToleranceSeconds;
  const now = () => (options.now ? options.now().getTime() : Date.now());
  // Verifying an RSA signature costs ~0.1 ms per request; a token already verified is trusted until it
  // expires (offline verification cannot see revocation either). Bounded, oldest entries evicted first.
  const verified = new Map<string, Principal>();
  const maxCachedTokens = options.maxCachedTokens ?? 10_000;

  return {
    async verifyAuthorizationHeader(header) {
      const token = header === undefined ? undefined : bearerHeader.exec(header)?.[1];
      if (token === undefined) {
        throw new ProblemError('LGSP_TOKEN_MISSING', {
          detail: 'Send an access token as "Authorization: Bearer <token>".',
          headers: { 'WWW-Authenticate': 'Bearer realm="lgsp"' },
        });
      }

      const cached = verified.get(token);
      if (cached) {
        if (cached.expiresAt * 1000 > now()) return cached;
        verified.delete(token);
      }

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms,
          clockTolerance,
          requiredClaims: ['exp', 'sub'],
          ...(options.now ? { currentDate: options.now() } : {}),
        }));
      } catch (error) {
        throw toProblem(error);
      }
      const principal = Object.freeze(toPrincipal(payload));
      if (verified.size >= maxCachedTokens) verified.delete(verified.keys().next().value!);
      verified.set(token, principal);
      return principal;
    },

    async ready() {
      try {
        if (!jwks.fresh) await jwks.reload();
        return (jwks.jwks()?.keys.length ?? 0) > 0;
      } catch {
        return false;
      }
    },
  };
}

/** Keycloak marks access tokens `typ: Bearer`; an ID or refresh token must not open the API. */
function toPrincipal(payload: JWTPayload): Principal {
  if (payload.typ !== 'Bearer') throw invalid('token type is not Bearer (not an access token)');
  const clientId = stringClaim(payload.azp) ?? stringClaim(payload.client_id);
  if (clientId === undefined) throw invalid('token names no client (azp / client_id)');
  const subject = stringClaim(payload.sub);
  if (subject === undefined || typeof payload.exp !== 'number') throw invalid('token lacks sub or exp');

  const realmAccess = payload.realm_access as { roles?: unknown } | undefined;
  const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((role): role is string => typeof role === 'string') : [];
  const username = stringClaim(payload.preferred_username);
  const tokenId = stringClaim(payload.jti);
  const scope = stringClaim(payload.scope);
  return {
    clientId,
    subject,
    roles,
    expiresAt: payload.exp,
    ...(username !== undefined ? { username } : {}),
    ...(tokenId !== undefined ? { tokenId } : {}),
    ...(scope !== undefined ? { scope } : {}),
  };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Maps jose's failures to problem codes. The detail says which check failed
 * but never carries the token or its claims (jose's claim errors hold the
 * whole payload, so they are not attached as the cause either).
 */
function toProblem(error: unknown): ProblemError {
  if (error instanceof joseErrors.JWTExpired) {
    return new ProblemError('LGSP_TOKEN_EXPIRED', {
      detail: 'The access token has expired; obtain a new one.',
      headers: { 'WWW-Authenticate': 'Bearer realm="lgsp", error="invalid_token", error_description="token expired"' },
    });
  }
  if (error instanceof joseErrors.JWKSTimeout || isJwksFetchFailure(error)) {
    return new ProblemError('LGSP_AUTH_UNAVAILABLE', { detail: 'The identity provider\'s signing keys could not be fetched.', headers: { 'Retry-After': '5' } });
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return invalid(claimFailure(error.claim));
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return invalid('signature verification failed');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return invalid('signing key is not in the realm key set');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return invalid('signing algorithm not allowed');
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return invalid('signing key is ambiguous');
  if (error instanceof joseErrors.JOSEError) return invalid('malformed token');
  return invalid('token could not be verified');
}

function claimFailure(claim: string): string {
  switch (claim) {
    case 'aud':
      return 'audience mismatch';
    case 'iss':
      return 'issuer mismatch';
    case 'nbf':
      return 'token not yet valid';
    case 'iat':
      return 'issued-at time is invalid';
    default:
      return `claim ${claim} is missing or invalid`;
  }
}

/** A JWKS that cannot be fetched is the gateway's problem, not the caller's token. */
function isJwksFetchFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JOSEError) {
    return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message);
  }
  // Duck-typed, not instanceof: fetch's TypeError may come from another realm (vm contexts, test runners).
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'TypeError' && typeof message === 'string' && /fetch/i.test(message);
}

function invalid(detail: string): ProblemError {
  return new ProblemError('LGSP_TOKEN_INVALID', {
    detail: `Bearer token is not valid: ${detail}.`,
    headers: { 'WWW-Authenticate': `Bearer realm="lgsp", error="invalid_token", error_description="${detail}"` },
  });
}
