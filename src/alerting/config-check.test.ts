import { gatewayConfigSchema } from '../config/config-schema.js';
import type { AlertingConfig } from '../config/gateway-config.js';
import { alertingConfigProblems } from './config-check.js';
import type { AlertRule, InhibitRule } from './types.js';

const probeDown: AlertRule = {
  id: 'land.probe-down',
  signal: 'probe_up',
  matchers: { connector: 'land' },
  op: '==',
  threshold: 0,
  forSeconds: 60,
  severity: 'critical',
  summary: { vi: 'Không kết nối được {connector}', en: '{connector} cannot be reached' },
};

const section = (overrides: Partial<Pick<AlertingConfig, 'rules' | 'inhibitRules' | 'receivers'>>) => ({ rules: [], inhibitRules: [], receivers: [], ...overrides });

describe('alerting configuration checked at start', () => {
  it('finds nothing wrong with the shipped default inhibit rules and a sound rule', () => {
    const defaultInhibitRules = gatewayConfigSchema.properties.alerting.properties.inhibitRules.default as unknown as InhibitRule[];
    expect(alertingConfigProblems(section({ rules: [probeDown], inhibitRules: defaultInhibitRules }))).toEqual([]);
  });

  it('names a rule matching a label its signal does not carry, and a placeholder that does not exist, by their config paths', () => {
    const problems = alertingConfigProblems(section({ rules: [probeDown, { ...probeDown, id: 'x', matchers: { operation: 'land.parcel.get' }, summary: { vi: '{tenant}', en: 'x' } }] }));
    expect(problems).toEqual([
      expect.stringMatching(/^alerting\.rules\[1\]\.matchers\.operation: series of probe_up have no label operation/),
      expect.stringMatching(/^alerting\.rules\[1\]\.summary\.vi: \{tenant\} is not a label/),
    ]);
  });

  it('names an inhibit or route matcher that is not a valid regular expression (it would fail every evaluation)', () => {
    const broken = { name: 'alertname', op: '=~' as const, value: '(' };
    const problems = alertingConfigProblems(
      section({
        inhibitRules: [{ sourceMatchers: [broken], targetMatchers: [], equal: ['connector'] }],
        receivers: [{ id: 'on-call', kind: 'webhook', settings: { url: 'https://ops.example/hook' }, route: { matchers: [{ name: 'connector', op: '=', value: 'land' }, broken] } } as never],
      }),
    );
    expect(problems).toEqual([
      'alerting.inhibitRules[0].sourceMatchers[0] (alertname =~ "("): not a valid regular expression',
      'alerting.receivers[0].route.matchers[1] (alertname =~ "("): not a valid regular expression',
    ]);
  });
});
