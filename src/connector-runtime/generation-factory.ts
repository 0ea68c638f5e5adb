import type { ConnectorDescriptor, UpstreamClientTls, UpstreamTransport } from '../connector-kit/descriptor.js';
import { classifyConnectionOutcome, testUpstreamLogin } from '../connector-kit/connection-outcome.js';
import type { UpstreamAddressGuard } from '../connector-kit/upstream-address-guard.js';
import { createUpstreamAuth } from '../connector-kit/upstream-auth/create-upstream-auth.js';
import type { UpstreamAuth } from '../connector-kit/upstream-auth/upstream-auth.js';
import { createUpstreamDispatcher } from '../connector-kit/upstream-transport.js';
import type { Logger } from '../observability/logger.js';
import { probeFor } from '../resilience/probe-plan.js';
import type { ConnectionTestOutcome } from '../vault/types.js';
import type { BuiltGeneration, GenerationInput } from './connector-runtime.js';
import { overlapAuth } from './overlap-auth.js';

export interface GenerationFactoryDeps {
  addressGuard: UpstreamAddressGuard;
  /** The connector's connect timeout now (its resolved resilience policy). */
  connectTimeoutMsOf(connectorId: string): number;
  logger: Logger;
  /** How long a connection test may take, login included. */
  testTimeoutMs?: number;
}

/**
 * Turns a connector's effective state into a running client: the address
 * guard on the base URL, a transport (guarded lookup, mTLS client
 * certificate from the credentials), logins through that same transport, the
 * connector's own client and its health probe. The only place credentials
 * become an UpstreamAuth or a TLS context.
 */
export function createGenerationFactory(deps: GenerationFactoryDeps) {
  const transportOf = (connectorId: string, credentials: Readonly<Record<string, unknown>>): UpstreamTransport => {
    const tls = clientTlsOf(credentials);
    return { connectTimeoutMs: deps.connectTimeoutMsOf(connectorId), connect: { lookup: deps.addressGuard.lookup, ...(tls && { tls }) } };
  };
  const loginWith = (descriptor: ConnectorDescriptor<any>, target: { baseUrl: string; settings: Readonly<Record<string, unknown>> }, credentials: Readonly<Record<string, unknown>>, transport = transportOf(descriptor.id, credentials)) => {
    const dispatcher = createUpstreamDispatcher(transport);
    const auth = createUpstreamAuth(descriptor.authScheme, { baseUrl: target.baseUrl, settings: target.settings, credentials }, { dispatcher });
    return { auth, close: () => void dispatcher.close().catch(() => undefined) };
  };

  async function buildGeneration(input: GenerationInput): Promise<BuiltGeneration> {
    const { descriptor } = input;
    await deps.addressGuard.checkUrl(input.baseUrl);
    const closers: Array<() => void> = [];
    try {
      // One transport for the active version's logins and its calls: the same guard, the same client certificate.
      const transport = transportOf(descriptor.id, input.credentials);
      const active = loginWith(descriptor, input, input.credentials, transport);
      closers.push(active.close);
      let auth: UpstreamAuth = active.auth;
      if (input.previousCredentials) {
        const previous = loginWith(descriptor, input, input.previousCredentials.fields);
        closers.push(previous.close);
        auth = overlapAuth({
          active: active.auth,
          previous: previous.auth,
          usableUntil: input.previousCredentials.usableUntil,
          onFallback: () => deps.logger.warn({ connector: descriptor.id }, 'the upstream refused the active credential version; the previous one (inside its overlap window) is used'),
        });
      }
      const client = await descriptor.createClient({
        baseUrl: input.baseUrl,
        settings: input.settings,
        auth,
        logger: deps.logger.child({ connector: descriptor.id }),
        transport,
      });
      const closable = client as { close?: () => void };
      if (typeof closable.close === 'function') closers.push(() => closable.close!());
      const probe = probeFor({ descriptor, setting: input.probe, client, auth });
      return { client, ...(probe && { probe }), close: () => closers.forEach((close) => close()) };
    } catch (error) {
      closers.forEach((close) => close());
      throw error;
    }
  }

  /** The upstream's real login with these credentials, on its own transport: never the running client's session. */
  async function testConnection(descriptor: ConnectorDescriptor<any>, target: { baseUrl: string; settings: Readonly<Record<string, unknown>>; credentials: Readonly<Record<string, unknown>> }): Promise<{ outcome: ConnectionTestOutcome; detail?: string }> {
    if (descriptor.authScheme === 'none') return { outcome: 'ok', detail: 'this upstream takes no login' };
    try {
      await deps.addressGuard.checkUrl(target.baseUrl);
    } catch (error) {
      return classifyConnectionOutcome(error);
    }
    const login = loginWith(descriptor, target, target.credentials);
    try {
      const signal = AbortSignal.timeout(deps.testTimeoutMs ?? 10_000);
      if (descriptor.authScheme === 'message-checksum') return await testSealedMessage(descriptor, target, login.auth, signal);
      return await testUpstreamLogin(login.auth, signal);
    } finally {
      login.close();
    }
  }

  /**
   * An upstream that authenticates each message by its checksum has no login
   * to try: only a sealed message shows whether it takes the secret. The
   * connector's health probe is one (a harmless read; a refused checksum
   * comes back as an auth failure), sent by a client of its own on its own
   * transport with the credentials under test.
   */
  async function testSealedMessage(
    descriptor: ConnectorDescriptor<any>,
    target: { baseUrl: string; settings: Readonly<Record<string, unknown>>; credentials: Readonly<Record<string, unknown>> },
    auth: UpstreamAuth,
    signal: AbortSignal,
  ): Promise<{ outcome: ConnectionTestOutcome; detail?: string }> {
    let client: unknown;
    try {
      client = await descriptor.createClient({ baseUrl: target.baseUrl, settings: target.settings, auth, logger: deps.logger.child({ connector: descriptor.id }), transport: transportOf(descriptor.id, target.credentials) });
      await descriptor.probe(client, signal);
      return { outcome: 'ok' };
    } catch (error) {
      return classifyConnectionOutcome(error);
    } finally {
      const closable = client as { close?: () => void } | undefined;
      if (typeof closable?.close === 'function') closable.close();
    }
  }

  return { buildGeneration, testConnection };
}

/** The mutual-TLS part of a connector's credentials, when it has one (credential-schema.ts). */
function clientTlsOf(credentials: Readonly<Record<string, unknown>>): UpstreamClientTls | undefined {
  const { clientCertificate, clientKey, caCertificate } = credentials as { clientCertificate?: string; clientKey?: string; caCertificate?: string };
  if (typeof clientCertificate !== 'string' || typeof clientKey !== 'string') return undefined;
  return { cert: clientCertificate, key: clientKey, ...(typeof caCertificate === 'string' && { ca: caCertificate }) };
}
