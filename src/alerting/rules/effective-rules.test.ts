import type { AlertingConfig } from '../../config/gateway-config.js';
import type { AlertRule } from '../types.js';
import { configuredRules } from './configured-rules.js';
import { effectiveRules } from './rule-store.js';

const rule = (id: string, forSeconds = 0): AlertRule => ({ id, signal: 'probe_up', op: '==', threshold: 0, forSeconds, severity: 'warning', summary: { vi: 'Mất kết nối', en: 'Down' } });

describe('effectiveRules', () => {
  it('lets a later source replace a rule of the same id (defaults < config < admin), sorted by id', () => {
    const result = effectiveRules([rule('b', 1), rule('a', 1), rule('c', 1)], [rule('b', 2), rule('d', 2)], [rule('b', 3), { ...rule('c', 3), enabled: false }]);
    expect(result.map(({ rule: one, source }) => [one.id, one.forSeconds, source])).toEqual([
      ['a', 1, 'default'],
      ['b', 3, 'admin'],
      ['c', 3, 'admin'],
      ['d', 2, 'config'],
    ]);
  });
});

describe('configuredRules', () => {
  const alerting = { defaultRules: true, rules: [rule('land.probe-down', 600)] } as unknown as AlertingConfig;
  const connectors = { land: {}, population: {} } as never;

  it('gives the defaults for every configured connector with the config file\'s rules over them, and the stored ones on top', () => {
    const result = configuredRules({ connectors, alerting }, [rule('extra')]);
    const byId = new Map(result.map((effective) => [effective.rule.id, effective]));
    expect(byId.get('land.probe-down')).toEqual({ rule: rule('land.probe-down', 600), source: 'config' });
    expect(byId.get('population.probe-down')!.source).toBe('default');
    expect(byId.get('extra')!.source).toBe('admin');
  });

  it('leaves the defaults out when alerting.defaultRules is false', () => {
    expect(configuredRules({ connectors, alerting: { ...alerting, defaultRules: false } }).map((effective) => effective.rule.id)).toEqual(['land.probe-down']);
  });
});
