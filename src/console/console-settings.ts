import type { GatewayConfig } from '../config/gateway-config.js';
import { ConfigError } from '../config/load-config.js';
import { resolveSecretReference } from '../connector-runtime/config-credentials.js';
import type { ConsoleRouterOptions } from './console-router.js';

/** The console's options from the frozen config: secrets resolved ({ fromEnv } / { fromFile }), the realm defaulting to the API's issuer. */
export type ConsoleSettings = Omit<ConsoleRouterOptions, 'adminRouter' | 'sessionStore' | 'logger'>;

/** Resolved before anything is opened: a missing secret is a configuration error, not a half-started gateway. */
export function consoleSettings(config: GatewayConfig, env: NodeJS.ProcessEnv): ConsoleSettings {
  const secret = (key: 'clientSecret' | 'sessionSecret') => {
    if (config.console[key] === undefined) throw new ConfigError(`console.${key} is required while console.enabled is true (or set console.enabled: false)`);
    return resolveSecretReference(config.console[key], `console.${key}`, env);
  };
  const sessionSecret = secret('sessionSecret');
  if (sessionSecret.length < 32) throw new ConfigError('console.sessionSecret must be at least 32 characters (openssl rand -hex 32)');
  return {
    realmUrl: config.console.realmUrl ?? config.auth.issuer,
    clientId: config.console.clientId,
    clientSecret: secret('clientSecret'),
    sessionSecret,
    sessionIdleMs: config.console.sessionIdleMs,
    secureCookies: config.console.secureCookies,
  };
}
