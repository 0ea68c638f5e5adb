/**
 * oidc-provider 9 ships no type declarations (and @types/oidc-provider stops
 * at v8), so this covers only the surface the dev IdP uses. Keep it narrow:
 * anything not listed here is deliberately unused.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type UnknownObject = Record<string, unknown>;

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    grant_types?: string[];
    response_types?: string[];
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    token_endpoint_auth_method?: string;
    id_token_signed_response_alg?: string;
    [key: string]: unknown;
  }

  export interface Client {
    readonly clientId: string;
    readonly clientAuthMethod: string;
    readonly redirectUris: string[];
    readonly postLogoutRedirectUris: string[];
    grantTypeAllowed(grantType: string): boolean;
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
  }

  export interface ClientClass {
    prototype: Client;
    find(clientId: string): Promise<Client | undefined>;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantClass {
    new (properties: { clientId: string; accountId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Session {
    accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface OIDCContext {
    readonly client?: Client;
    readonly session: Session;
    readonly result?: { consent?: { grantId?: string } };
    readonly params?: Record<string, unknown>;
    readonly resourceServers?: Record<string, unknown>;
    readonly provider: Provider;
    readonly route?: string;
  }

  export interface KoaContextWithOIDC {
    readonly oidc: OIDCContext;
    readonly method: string;
    readonly path: string;
  }

  /** AccessToken or ClientCredentials, as handed to extraTokenClaims and the JWT customizer. */
  export interface IssuedToken {
    readonly kind: 'AccessToken' | 'ClientCredentials' | string;
    readonly clientId?: string;
    readonly accountId?: string;
    readonly scope?: string;
    readonly resourceServer?: { audience?: string };
  }

  export interface Account {
    accountId: string;
    claims(use: 'id_token' | 'userinfo' | string, scope: string, claims: unknown, rejected: string[]): UnknownObject | Promise<UnknownObject>;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string; kid?: string } };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons?: string[]; details?: UnknownObject };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; amr?: string[]; acr?: string; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    jwks?: { keys: UnknownObject[] };
    cookies?: { keys?: string[]; [key: string]: unknown };
    routes?: Record<string, string>;
    features?: Record<string, UnknownObject>;
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    ttl?: Record<string, number | ((...args: never[]) => number)>;
    findAccount?: (ctx: KoaContextWithOIDC, id: string, token?: unknown) => Promise<Account | undefined>;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: IssuedToken) => Promise<UnknownObject | undefined>;
    formats?: { customizers?: { jwt?: (ctx: KoaContextWithOIDC, token: IssuedToken, jwt: { header?: UnknownObject; payload: UnknownObject }) => Promise<void> | void } };
    interactions?: { url?: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => string | Promise<string> };
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => Promise<Grant | undefined>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, code: unknown) => Promise<boolean> | boolean;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    renderError?: (ctx: KoaContextWithOIDC & { type: string; body: unknown }, out: Record<string, string>, error: Error) => Promise<void> | void;
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Client: ClientClass;
    readonly Grant: GrantClass;
    callback(): (req: IncomingMessage, res: ServerResponse) => unknown;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    on(event: string, listener: (...args: any[]) => void): this;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    [name: string]: new (description?: string) => Error;
  };

  export default Provider;
}

/**
 * oidc-provider's own in-memory adapter. Since 9.x each Provider instance gets
 * a private store; the dev IdP passes one factory to every Provider it builds
 * (key rotation builds a new one) so sessions and refresh tokens survive.
 */
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown;
}
