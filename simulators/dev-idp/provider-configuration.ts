import {
  errors,
  type Account,
  type Client,
  type ClientMetadata,
  type Configuration,
  type IssuedToken,
  type KoaContextWithOIDC,
  type Provider,
  type UnknownObject,
} from 'oidc-provider';
import { escapeHtml } from '../../src/util/html.js';
import {
  keycloakRedirectUriMatches,
  postLogoutRedirectPatterns,
  userId,
  type KeycloakClientRepresentation,
  type KeycloakUserRepresentation,
  type RealmSeed,
} from './realm-export.js';
import type { PrivateSigningJwk } from './signing-keys.js';

/** Keycloak's endpoint paths, relative to the realm URL (`{origin}/realms/{realm}`). */
export const keycloakRoutes = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  jwks: '/protocol/openid-connect/certs',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  introspection: '/protocol/openid-connect/token/introspect',
  revocation: '/protocol/openid-connect/revoke',
} as const;

/** Where the login form lives, relative to the realm URL (Keycloak serves its forms under login-actions too). */
export const loginActionsPath = '/login-actions/authenticate';

/**
 * Keycloak ignores RFC 8707 `resource`; oidc-provider issues JWT access tokens
 * only for a resource indicator, which must be an absolute URI. Each audience
 * client gets one, and it is the default resource for every client whose
 * audience mapper names it, so a plain Keycloak-style request gets a JWT.
 */
const audienceResourcePrefix = 'urn:lgsp:audience:';

export function resourceIndicatorFor(audienceClientId: string): string {
  return `${audienceResourcePrefix}${audienceClientId}`;
}

/** Scopes Keycloak's built-in default client scopes answer to. */
const supportedScopes = ['openid', 'profile', 'email'];

export interface ProviderConfigurationInput {
  realm: RealmSeed;
  signingKeys: PrivateSigningJwk[];
  cookieKeys: string[];
  accessTokenTtlSeconds: number;
  /** Path of the realm URL, e.g. `/realms/lgsp`. */
  realmPath: string;
}

export function buildProviderConfiguration(input: ProviderConfigurationInput): Configuration {
  const { realm, accessTokenTtlSeconds } = input;

  return {
    clients: realm.tokenClients().flatMap((client) => toClientMetadata(client)),
    jwks: { keys: input.signingKeys.map((key) => ({ ...key })) },
    cookies: { keys: input.cookieKeys },
    routes: { ...keycloakRoutes },
    scopes: [...supportedScopes],
    // `typ` and `azp` ride on the openid scope so ID tokens carry them, as Keycloak's do.
    claims: {
      openid: ['sub', 'typ', 'azp'],
      profile: ['preferred_username', 'name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Keycloak lets any confidential client of the realm introspect.
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: { clientAuthMethod: string }) => client.clientAuthMethod !== 'none',
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx: KoaContextWithOIDC, client: { clientId: string }, oneOf?: string[]) => {
          if (oneOf) return oneOf;
          const [audience] = realm.accessTokenAudiences(client.clientId);
          return audience === undefined ? undefined : resourceIndicatorFor(audience);
        },
        // Keycloak puts the audience in the user's access token even when openid is requested.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string, client: { clientId: string }) => {
          const audience = indicator.startsWith(audienceResourcePrefix) ? indicator.slice(audienceResourcePrefix.length) : undefined;
          if (audience === undefined || !realm.accessTokenAudiences(client.clientId).includes(audience)) {
            throw new errors.InvalidTarget('the client has no audience mapper for this resource');
          }
          return {
            scope: supportedScopes.join(' '),
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTokenTtlSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      IdToken: accessTokenTtlSeconds,
      AuthorizationCode: realm.accessCodeLifespanSeconds,
      Interaction: 30 * 60,
      Grant: realm.ssoSessionMaxSeconds,
      Session: realm.ssoSessionMaxSeconds,
      RefreshToken: realm.ssoSessionIdleSeconds,
    },
    findAccount: async (ctx, id) => {
      const user = realm.userById(id);
      return user === undefined || user.enabled === false ? undefined : accountFor(user, ctx);
    },
    extraTokenClaims: async (_ctx, token) => keycloakAccessTokenClaims(realm, token),
    formats: {
      customizers: {
        jwt: (_ctx, token, jwt) => {
          const clientId = token.clientId;
          if (clientId === undefined) return;
          const audiences = realm.accessTokenAudiences(clientId);
          if (audiences.length > 1) jwt.payload.aud = audiences;
          // Keycloak's service-account tokens name the service-account user, not the client.
          if (token.kind === 'ClientCredentials') {
            const serviceAccount = realm.serviceAccountFor(clientId);
            if (serviceAccount !== undefined) jwt.payload.sub = userId(serviceAccount);
          }
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `${input.realmPath}${loginActionsPath}/${interaction.uid}`,
    },
    // Keycloak issues a refresh token with every code exchange, not only for offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Server-side consumers only; browsers never call the dev IdP's APIs cross-origin.
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>${escapeHtml(out.error ?? 'error')}</h1><p>${escapeHtml(out.error_description ?? '')}</p></body></html>`;
    },
  };
}

/** Keycloak client representation → oidc-provider client metadata (none for clients that cannot get tokens). */
export function toClientMetadata(client: KeycloakClientRepresentation): ClientMetadata[] {
  const standardFlow = client.standardFlowEnabled !== false; // Keycloak's default is on
  const grantTypes = [
    ...(standardFlow ? ['authorization_code', 'refresh_token'] : []),
    ...(client.serviceAccountsEnabled === true ? ['client_credentials'] : []),
  ];
  if (grantTypes.length === 0) return [];
  if (client.publicClient !== true && !client.secret) {
    throw new Error(`Realm client ${client.clientId} is confidential but has no secret in the export`);
  }
  return [
    {
      client_id: client.clientId,
      ...(client.name ? { client_name: client.name } : {}),
      ...(client.publicClient === true
        ? { token_endpoint_auth_method: 'none' }
        : { token_endpoint_auth_method: 'client_secret_basic', client_secret: client.secret }),
      grant_types: grantTypes,
      response_types: standardFlow ? ['code'] : [],
      redirect_uris: standardFlow ? (client.redirectUris ?? []) : [],
      post_logout_redirect_uris: standardFlow ? postLogoutRedirectPatterns(client) : [],
      id_token_signed_response_alg: 'RS256',
    },
  ];
}

/**
 * oidc-provider compares redirect URIs exactly; Keycloak also honours trailing
 * `*` wildcards (the console registers `/console/*`). The exact comparison
 * still runs first, so only the wildcard rule is added.
 */
export function applyKeycloakRedirectRules(provider: Provider, realm: RealmSeed): void {
  const prototype = provider.Client.prototype;
  const exactRedirect = prototype.redirectUriAllowed;
  const exactPostLogout = prototype.postLogoutRedirectUriAllowed;
  prototype.redirectUriAllowed = function redirectUriAllowed(this: Client, value: string): boolean {
    return exactRedirect.call(this, value) || keycloakRedirectUriMatches(realm.client(this.clientId)?.redirectUris ?? [], value);
  };
  prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(this: Client, value: string): boolean {
    const client = realm.client(this.clientId);
    return exactPostLogout.call(this, value) || (client !== undefined && keycloakRedirectUriMatches(postLogoutRedirectPatterns(client), value));
  };
}

/** The claims Keycloak's default mappers put into every access token. */
export function keycloakAccessTokenClaims(realm: RealmSeed, token: IssuedToken): UnknownObject {
  const clientId = token.clientId;
  const subjectUser =
    token.kind === 'ClientCredentials' && clientId !== undefined
      ? realm.serviceAccountFor(clientId)
      : token.accountId !== undefined
        ? realm.userById(token.accountId)
        : undefined;
  return {
    typ: 'Bearer',
    ...(clientId !== undefined ? { azp: clientId } : {}),
    realm_access: { roles: subjectUser === undefined ? [] : realm.effectiveRealmRoles(subjectUser) },
    ...(subjectUser !== undefined ? { preferred_username: subjectUser.username } : {}),
  };
}

function accountFor(user: KeycloakUserRepresentation, ctx: KoaContextWithOIDC): Account {
  const accountId = userId(user);
  const clientId = ctx.oidc.client?.clientId;
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return {
    accountId,
    claims: (use) =>
      withoutUndefined({
        sub: accountId,
        typ: use === 'id_token' ? 'ID' : undefined,
        azp: use === 'id_token' ? clientId : undefined,
        preferred_username: user.username,
        name: name || undefined,
        given_name: user.firstName,
        family_name: user.lastName,
        email: user.email,
        email_verified: user.email === undefined ? undefined : (user.emailVerified ?? false),
      }),
  };
}

function withoutUndefined(claims: UnknownObject): UnknownObject {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
