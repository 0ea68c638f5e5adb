import type { InhibitRule } from '../types.js';
import { inhibitedAlertIds, type InhibitableAlert } from './inhibition.js';

const rule: InhibitRule = {
  sourceMatchers: [{ name: 'scope', op: '=', value: 'connector' }],
  targetMatchers: [{ name: 'scope', op: '=~', value: 'operation|connector' }],
  equal: ['connector'],
};

describe('inhibition', () => {
  it('mutes targets with equal labels while a source fires or is acknowledged; never the source itself', () => {
    const alerts: InhibitableAlert[] = [
      { id: 'down', state: 'firing' as const, labels: { scope: 'connector', connector: 'land' } },
      { id: 'op', state: 'firing' as const, labels: { scope: 'operation', connector: 'land', operation: 'lookup' } },
      { id: 'elsewhere', state: 'firing' as const, labels: { scope: 'operation', connector: 'population' } },
    ];
    expect([...inhibitedAlertIds(alerts, [rule])]).toEqual(['op']);
    expect([...inhibitedAlertIds([{ ...alerts[0]!, state: 'acknowledged' }, alerts[1]!], [rule])]).toEqual(['op']);
  });

  it('a pending or resolved source mutes nothing; no rules mute nothing', () => {
    const target = { id: 'op', state: 'firing' as const, labels: { scope: 'operation', connector: 'land' } };
    for (const state of ['pending', 'resolved'] as const) {
      expect(inhibitedAlertIds([{ id: 'down', state, labels: { scope: 'connector', connector: 'land' } }, target], [rule]).size).toBe(0);
    }
    expect(inhibitedAlertIds([target], []).size).toBe(0);
  });

  it('a label missing on both sides counts as equal (Alertmanager)', () => {
    const alerts: InhibitableAlert[] = [
      { id: 'gw', state: 'firing' as const, labels: { scope: 'connector' } },
      { id: 't', state: 'firing' as const, labels: { scope: 'operation' } },
    ];
    expect([...inhibitedAlertIds(alerts, [rule])]).toEqual(['t']);
  });
});
