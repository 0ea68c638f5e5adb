import { consoleReturnPath } from './console-router.js';
import { consoleSettings } from './console-settings.js';
import type { GatewayConfig } from '../config/gateway-config.js';

describe('where the console returns after sign-in', () => {
  it.each([
    ['/console/alerts', '/console/alerts'],
    ['/console/connectors/population?tab=credentials', '/console/connectors/population?tab=credentials'],
    ['/console', '/console'],
  ])('keeps a console path (%s)', (asked, kept) => {
    expect(consoleReturnPath(asked)).toBe(kept);
  });

  it.each([['//evil.example/x'], ['https://evil.example/console/'], ['/console\\..\\evil'], ['/consolex'], ['/admin/v1/consumers'], ['/console/login?next=/x'], ['/console/callback?auth_callback=1'], ['/console/signed-out'], [undefined], [['/console/a', '/console/b']]])(
    'sends anything else to the overview (%s)',
    (asked) => {
      expect(consoleReturnPath(asked)).toBe('/console/');
    },
  );
});

describe('console settings from the configuration', () => {
  const config = (console: Partial<GatewayConfig['console']>) =>
    ({ auth: { issuer: 'https://sso.example.gov.vn/realms/lgsp' }, console: { enabled: true, clientId: 'lgsp-console', sessionIdleMs: 1_800_000, secureCookies: 'auto', ...console } }) as unknown as GatewayConfig;

  it('resolves both secrets from references and defaults the realm to the API issuer', () => {
    const settings = consoleSettings(config({ clientSecret: { fromEnv: 'CONSOLE_CLIENT' }, sessionSecret: { fromEnv: 'CONSOLE_SESSION' } }), { CONSOLE_CLIENT: 'c-secret', CONSOLE_SESSION: 'x'.repeat(32) });
    expect(settings).toMatchObject({ realmUrl: 'https://sso.example.gov.vn/realms/lgsp', clientSecret: 'c-secret', sessionSecret: 'x'.repeat(32), sessionIdleMs: 1_800_000 });
  });

  it('names the missing or weak secret', () => {
    expect(() => consoleSettings(config({ sessionSecret: 'x'.repeat(32) }), {})).toThrow(/console\.clientSecret is required/);
    expect(() => consoleSettings(config({ clientSecret: 'c', sessionSecret: 'short' }), {})).toThrow(/at least 32 characters/);
    expect(() => consoleSettings(config({ clientSecret: 'c', sessionSecret: { fromEnv: 'UNSET' } }), {})).toThrow(/UNSET is not set/);
  });
});
