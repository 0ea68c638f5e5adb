import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';

/**
 * The part of Keycloak's RealmRepresentation (the `kc.sh export` format) the
 * dev IdP reads. The realm file is the single seed of clients, secrets,
 * redirect URIs, roles, users and mappers: production imports it into
 * Keycloak, the dev IdP serves it, so nothing here is duplicated in code.
 */
export interface KeycloakRoleRepresentation {
  name: string;
  description?: string;
  composite?: boolean;
  composites?: { realm?: string[] };
}

export interface KeycloakCredentialRepresentation {
  type?: string;
  value?: string;
  temporary?: boolean;
}

export interface KeycloakUserRepresentation {
  id?: string;
  username: string;
  enabled?: boolean;
  firstName?: string;
  lastName?: string;
  email?: string;
  emailVerified?: boolean;
  credentials?: KeycloakCredentialRepresentation[];
  realmRoles?: string[];
  serviceAccountClientId?: string;
}

export interface KeycloakProtocolMapperRepresentation {
  name: string;
  protocol?: string;
  protocolMapper: string;
  config?: Record<string, string>;
}

export interface KeycloakClientRepresentation {
  id?: string;
  clientId: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  bearerOnly?: boolean;
  publicClient?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: KeycloakProtocolMapperRepresentation[];
}

export interface KeycloakRealmExport {
  realm: string;
  enabled?: boolean;
  accessTokenLifespan?: number;
  ssoSessionIdleTimeout?: number;
  ssoSessionMaxLifespan?: number;
  accessCodeLifespan?: number;
  roles?: { realm?: KeycloakRoleRepresentation[] };
  defaultRole?: { name: string };
  users?: KeycloakUserRepresentation[];
  clients?: KeycloakClientRepresentation[];
}

const stringArray = { type: 'array', items: { type: 'string' } } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** Checks only what the dev IdP relies on; Keycloak's own import checks the rest. */
const realmExportSchema = {
  type: 'object',
  required: ['realm'],
  properties: {
    realm: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
    enabled: { type: 'boolean' },
    accessTokenLifespan: { type: 'integer', minimum: 1 },
    ssoSessionIdleTimeout: { type: 'integer', minimum: 1 },
    ssoSessionMaxLifespan: { type: 'integer', minimum: 1 },
    accessCodeLifespan: { type: 'integer', minimum: 1 },
    roles: {
      type: 'object',
      properties: {
        realm: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', minLength: 1 },
              composite: { type: 'boolean' },
              composites: { type: 'object', properties: { realm: stringArray } },
            },
          },
        },
      },
    },
    defaultRole: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['username'],
        properties: {
          id: { type: 'string', minLength: 1 },
          username: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          realmRoles: stringArray,
          serviceAccountClientId: { type: 'string' },
          credentials: {
            type: 'array',
            items: { type: 'object', properties: { type: { type: 'string' }, value: { type: 'string' } } },
          },
        },
      },
    },
    clients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['clientId'],
        properties: {
          clientId: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          bearerOnly: { type: 'boolean' },
          publicClient: { type: 'boolean' },
          secret: { type: 'string' },
          standardFlowEnabled: { type: 'boolean' },
          serviceAccountsEnabled: { type: 'boolean' },
          redirectUris: stringArray,
          attributes: stringMap,
          protocolMappers: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'protocolMapper'],
              properties: { protocolMapper: { type: 'string' }, config: stringMap },
            },
          },
        },
      },
    },
  },
} as const;

const validateRealmExport = new Ajv({ allErrors: true, strict: false }).compile<KeycloakRealmExport>(realmExportSchema);

export async function loadRealmExport(path: string): Promise<KeycloakRealmExport> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!validateRealmExport(parsed)) {
    const problems = (validateRealmExport.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new Error(`Realm export ${path} is not usable: ${problems}`);
  }
  return parsed;
}

/** Keycloak's default for a client that has never had its lifespan overridden. */
const KEYCLOAK_DEFAULT_ACCESS_TOKEN_LIFESPAN = 300;

/** Read-only lookups over a realm export, answering the way Keycloak would. */
export class RealmSeed {
  readonly name: string;
  private readonly realm: KeycloakRealmExport;
  private readonly rolesByName: Map<string, KeycloakRoleRepresentation>;

  constructor(realm: KeycloakRealmExport) {
    this.realm = realm;
    this.name = realm.realm;
    this.rolesByName = new Map((realm.roles?.realm ?? []).map((role) => [role.name, role]));
  }

  get accessTokenLifespanSeconds(): number {
    return this.realm.accessTokenLifespan ?? KEYCLOAK_DEFAULT_ACCESS_TOKEN_LIFESPAN;
  }

  get ssoSessionIdleSeconds(): number {
    return this.realm.ssoSessionIdleTimeout ?? 1800;
  }

  get ssoSessionMaxSeconds(): number {
    return this.realm.ssoSessionMaxLifespan ?? 36000;
  }

  get accessCodeLifespanSeconds(): number {
    return this.realm.accessCodeLifespan ?? 60;
  }

  /** Clients that can obtain tokens: enabled and not bearer-only. */
  tokenClients(): KeycloakClientRepresentation[] {
    return (this.realm.clients ?? []).filter((client) => client.enabled !== false && client.bearerOnly !== true);
  }

  /**
   * Registers one more redirect URI pattern for a client, as an administrator
   * would in Keycloak's admin console: the embedded gateway listens on a port
   * only known at start (tests use ephemeral ones), so the realm export's
   * localhost:8080 entries cannot name it.
   */
  addRedirectUri(clientId: string, pattern: string): void {
    const client = this.client(clientId);
    if (client === undefined) throw new Error(`Realm client ${clientId} does not exist`);
    if (!(client.redirectUris ?? []).includes(pattern)) client.redirectUris = [...(client.redirectUris ?? []), pattern];
  }

  client(clientId: string): KeycloakClientRepresentation | undefined {
    return (this.realm.clients ?? []).find((client) => client.clientId === clientId);
  }

  /** Audiences the client's `oidc-audience-mapper`s add to its access tokens, in mapper order. */
  accessTokenAudiences(clientId: string): string[] {
    const mappers = this.client(clientId)?.protocolMappers ?? [];
    const audiences = mappers
      .filter((mapper) => mapper.protocolMapper === 'oidc-audience-mapper')
      .filter((mapper) => mapper.config?.['access.token.claim'] !== 'false')
      .map((mapper) => mapper.config?.['included.client.audience'])
      .filter((audience): audience is string => typeof audience === 'string' && audience.length > 0)
      .filter((audience) => this.client(audience) !== undefined);
    return [...new Set(audiences)];
  }

  /** Human users only: service-account users cannot log in interactively. */
  userById(id: string): KeycloakUserRepresentation | undefined {
    return this.loginUsers().find((user) => userId(user) === id);
  }

  userByUsername(username: string): KeycloakUserRepresentation | undefined {
    const wanted = username.toLowerCase();
    return this.loginUsers().find((user) => user.username.toLowerCase() === wanted);
  }

  serviceAccountFor(clientId: string): KeycloakUserRepresentation | undefined {
    return (this.realm.users ?? []).find((user) => user.serviceAccountClientId === clientId);
  }

  /** The user's realm roles with composites expanded, as Keycloak puts them in `realm_access.roles`. */
  effectiveRealmRoles(user: KeycloakUserRepresentation): string[] {
    const result = new Set<string>();
    const visit = (name: string): void => {
      if (result.has(name)) return;
      result.add(name);
      for (const child of this.rolesByName.get(name)?.composites?.realm ?? []) visit(child);
    };
    for (const name of user.realmRoles ?? []) visit(name);
    return [...result];
  }

  /**
   * Checks a login against the export's plain `value` password credential.
   * Digest-then-compare keeps the comparison constant-time whatever the lengths.
   */
  verifyPassword(user: KeycloakUserRepresentation, password: string): boolean {
    if (user.enabled === false) return false;
    const stored = user.credentials?.find((credential) => (credential.type ?? 'password') === 'password')?.value;
    if (stored === undefined) return false;
    const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
    return timingSafeEqual(digest(stored), digest(password));
  }

  private loginUsers(): KeycloakUserRepresentation[] {
    return (this.realm.users ?? []).filter((user) => user.serviceAccountClientId === undefined);
  }
}

/** Keycloak's `sub` is the user id; an export without ids falls back to the username. */
export function userId(user: KeycloakUserRepresentation): string {
  return user.id ?? user.username;
}

/**
 * Keycloak's redirect URI rule: exact match, or prefix match when the
 * registered URI ends in `*` (`/console/*` also admits `/console` itself).
 * The query string does not take part in a wildcard match unless the
 * registered URI has one. The candidate is normalized first so that
 * `/console/../admin` cannot slip under a `/console/*` prefix.
 */
export function keycloakRedirectUriMatches(registered: readonly string[], candidate: string): boolean {
  const normalized = URL.parse(candidate)?.href;
  if (normalized === undefined || candidate.includes('#')) return false;
  return registered.some((pattern) => {
    if (!pattern.endsWith('*')) return pattern === candidate;
    const prefix = pattern.slice(0, -1);
    const comparable = pattern.includes('?') ? normalized : normalized.split('?')[0] ?? normalized;
    return comparable.startsWith(prefix) || (prefix.endsWith('/') && comparable === prefix.slice(0, -1));
  });
}

/** `post.logout.redirect.uris` is `##`-separated; `+` means "same as the redirect URIs". */
export function postLogoutRedirectPatterns(client: KeycloakClientRepresentation): string[] {
  const attribute = client.attributes?.['post.logout.redirect.uris'] ?? '+';
  return attribute
    .split('##')
    .filter((entry) => entry.length > 0)
    .flatMap((entry) => (entry === '+' ? (client.redirectUris ?? []) : [entry]));
}
