import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigReceiver } from '../../config/gateway-config.js';
import type { ReceiverView } from '../types.js';
import { configReceiverSecrets, effectiveReceivers, receiverTakes } from './receivers.js';

const configReceivers: ConfigReceiver[] = [
  { id: 'ops-mail', kind: 'email', settings: { to: ['ops@province.gov.vn'] } },
  { id: 'ops-hook', kind: 'webhook', settings: { url: 'https://hooks.example/x' }, enabled: false, secrets: { secret: { fromEnv: 'HOOK_SECRET' } } },
];
const stored = (id: string, overrides: Partial<ReceiverView> = {}): ReceiverView => ({
  id,
  kind: 'telegram',
  settings: { chatId: '-100123' },
  route: {},
  enabled: true,
  source: 'admin',
  secretsSet: ['botToken'],
  ...overrides,
});

describe('effectiveReceivers', () => {
  it('lists config receivers (enabled by default, secrets named not given) then stored ones; a stored one with a config id is ignored', () => {
    const effective = effectiveReceivers(configReceivers, [stored('ops-hook'), stored('oncall-tg')]);
    expect(effective).toEqual([
      { id: 'ops-mail', kind: 'email', settings: { to: ['ops@province.gov.vn'] }, route: {}, enabled: true, source: 'config', secretsSet: [] },
      { id: 'ops-hook', kind: 'webhook', settings: { url: 'https://hooks.example/x' }, route: {}, enabled: false, source: 'config', secretsSet: ['secret'] },
      stored('oncall-tg'),
    ]);
    expect(JSON.stringify(effective)).not.toContain('HOOK_SECRET');
  });
});

describe('configReceiverSecrets', () => {
  it('resolves values and references of its kind, and names the field (never a value) when it cannot', () => {
    expect(configReceiverSecrets(configReceivers[0]!, {})).toEqual({});
    expect(configReceiverSecrets(configReceivers[1]!, { HOOK_SECRET: 'PLANTED-hook' })).toEqual({ secret: 'PLANTED-hook' });
    expect(() => configReceiverSecrets(configReceivers[1]!, {})).toThrow('alerting.receivers.ops-hook.secrets.secret: environment variable HOOK_SECRET is not set');
    const dir = mkdtempSync(join(tmpdir(), 'lgsp-receiver-'));
    try {
      writeFileSync(join(dir, 'token'), 'PLANTED-token\n');
      const telegram: ConfigReceiver = { id: 'tg', kind: 'telegram', settings: { chatId: '1' }, secrets: { botToken: { fromFile: join(dir, 'token') } } };
      expect(configReceiverSecrets(telegram, {})).toEqual({ botToken: 'PLANTED-token' });
      expect(configReceiverSecrets({ ...telegram, secrets: { botToken: 'inline-PLANTED' } }, {})).toEqual({ botToken: 'inline-PLANTED' });
      let message = '';
      try {
        configReceiverSecrets({ ...telegram, secrets: {} }, { X: 'PLANTED' });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe('alerting.receivers.tg.secrets.botToken: must be a non-empty value, { fromEnv } or { fromFile }');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('receiverTakes', () => {
  const labels = { alertname: 'population.probe-down', connector: 'population', severity: 'critical' };
  it('takes an alert when enabled, its severity listed (or no list) and every matcher matches (anchored regex)', () => {
    expect(receiverTakes(stored('a'), { severity: 'info', labels })).toBe(true);
    expect(receiverTakes(stored('a', { enabled: false }), { severity: 'critical', labels })).toBe(false);
    const critical = stored('a', { route: { severities: ['critical'] } });
    expect(receiverTakes(critical, { severity: 'critical', labels })).toBe(true);
    expect(receiverTakes(critical, { severity: 'warning', labels })).toBe(false);
    const matching = stored('a', { route: { matchers: [{ name: 'connector', op: '=~', value: 'pop.*' }, { name: 'team', op: '!=', value: 'land' }] } });
    expect(receiverTakes(matching, { severity: 'warning', labels })).toBe(true);
    expect(receiverTakes(matching, { severity: 'warning', labels: { ...labels, connector: 'xpopulation' } })).toBe(false);
    expect(receiverTakes(matching, { severity: 'warning', labels: { ...labels, team: 'land' } })).toBe(false);
  });
});
