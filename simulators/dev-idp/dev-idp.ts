import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createLoginHandler } from './login-form.js';
import { applyKeycloakRedirectRules, buildProviderConfiguration, keycloakRoutes, loginActionsPath } from './provider-configuration.js';
import { loadRealmExport, RealmSeed } from './realm-export.js';
import { SigningKeyRing } from './signing-keys.js';
import { httpOrigin } from '../../src/util/http-url.js';

/** oidc-provider's default `clockTolerance`; its own adapter keeps entries this much past expiry. */
const oidcProviderClockToleranceSeconds = 15;

export interface DevIdpOptions {
  /** The Keycloak realm export (`config/keycloak/lgsp-realm.json`): the only seed. */
  realmExportPath: string;
  /** Interface to listen on; defaults to 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port; the real one is reported in `port`. */
  port?: number;
  /** Origin clients reach the IdP at when it is behind a proxy, e.g. `https://sso.example.gov.vn`. */
  publicOrigin?: string;
  /** Overrides the realm's `accessTokenLifespan`. */
  accessTokenTtlSeconds?: number;
  /** Persist signing keys as a JWKS file here, so tokens survive restarts. */
  keyStorePath?: string;
  logger?: Logger;
}

export interface DevIdp {
  issuer: string;
  tokenUrl: string;
  jwksUri: string;
  discoveryUrl: string;
  port: number;
  /** Adds a new current signing key; old keys stay in the JWKS. */
  rotateSigningKey(): Promise<void>;
  /** Lets a client redirect to this loopback origin's path prefix (e.g. the embedded console at its real port). */
  allowLoopbackRedirects(clientId: string, origin: string, pathPrefix: string): void;
  close(): Promise<void>;
}

/**
 * A local OIDC provider (oidc-provider) that looks like Keycloak to its
 * clients: same URLs, same token claims, seeded from the realm export that
 * production imports into Keycloak. For embedded mode and tests only.
 */
export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const logger = options.logger ?? createLogger({ name: 'dev-idp' });
  const realm = new RealmSeed(await loadRealmExport(options.realmExportPath));
  const keyRing = await SigningKeyRing.open(options.keyStorePath);
  const host = options.host ?? '127.0.0.1';
  const realmPath = `/realms/${realm.name}`;
  // Sessions live in oidc-provider's in-memory adapter; cookie keys need only outlive the process.
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const adapter = createMemoryAdapter(oidcProviderClockToleranceSeconds);
  const accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? realm.accessTokenLifespanSeconds;

  let closing: Promise<void> | undefined;
  let provider: Provider | undefined;
  let handleProvider: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;
  const handleLogin = createLoginHandler(realm, () => {
    if (provider === undefined) throw new Error('dev IdP is not started');
    return provider;
  });

  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (handleProvider === undefined || (pathname !== realmPath && !pathname.startsWith(`${realmPath}/`))) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Realm does not exist' }));
      return;
    }
    if (pathname.startsWith(`${realmPath}${loginActionsPath}/`)) {
      handleLogin(req, res).catch((error: unknown) => failRequest(logger, res, error));
      return;
    }
    // Mounted like express would: oidc-provider derives the mount path from originalUrl minus url.
    Object.assign(req, { originalUrl: req.url });
    req.url = (req.url ?? '/').slice(realmPath.length) || '/';
    Promise.resolve(handleProvider(req, res)).catch((error: unknown) => failRequest(logger, res, error));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = (options.publicOrigin ?? httpOrigin(host, port)).replace(/\/+$/, '');
  const issuer = `${origin}${realmPath}`;

  // oidc-provider fixes its key set at construction, so a rotation builds a
  // new provider over the same adapter store and cookie keys: sessions, codes
  // and refresh tokens survive it.
  const buildProvider = (): void => {
    const next = new Provider(issuer, {
      ...buildProviderConfiguration({ realm, signingKeys: keyRing.all(), cookieKeys, accessTokenTtlSeconds, realmPath }),
      adapter,
    });
    next.proxy = options.publicOrigin !== undefined;
    applyKeycloakRedirectRules(next, realm);
    next.on('server_error', (_ctx: unknown, error: Error) => logger.error({ err: error }, 'dev IdP request failed'));
    provider = next;
    handleProvider = next.callback();
  };
  try {
    buildProvider();
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  logger.info({ issuer }, 'dev IdP listening (development only: never use it in production)');

  return {
    issuer,
    tokenUrl: `${issuer}${keycloakRoutes.token}`,
    jwksUri: `${issuer}${keycloakRoutes.jwks}`,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    port,
    async rotateSigningKey() {
      await keyRing.rotate();
      buildProvider();
    },
    allowLoopbackRedirects(clientId, redirectOrigin, pathPrefix) {
      const url = new URL(redirectOrigin);
      // Development only, and only where the developer's own browser is: never an address others could serve.
      if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`dev IdP: ${redirectOrigin} is not a loopback http origin`);
      realm.addRedirectUri(clientId, `${url.origin}${pathPrefix}*`);
    },
    close: () => (closing ??= closeServer(server)),
  };
}


function failRequest(logger: Logger, res: ServerResponse, error: unknown): void {
  logger.error({ err: error }, 'dev IdP request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'server_error' }));
}

async function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
