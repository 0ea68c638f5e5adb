import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { alertingMetrics } from '../../src/alerting/engine/alerting-metrics.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createRateLimiter } from '../../src/rate-limit/rate-limiter.js';
import { metricFamilies, metricNameProblems } from '../support/exposition-lint.js';

describe('metric names (the type rules promtool check metrics applies)', () => {
  it('the lint itself flags a gauge ending in _total and a counter without it', () => {
    const text = ['# TYPE a_total gauge', '# TYPE b counter', '# TYPE c_total counter', '# TYPE d gauge'].join('\n');
    expect(metricNameProblems(text)).toEqual(['a_total: gauge ending in _total', 'b: counter without _total']);
  });

  it('no gauge of the registry ends in _total and every counter does, prom-client defaults, rate-limit and alerting metrics included', async () => {
    const metrics = createMetrics();
    // A store answering the open-alerts query with one firing alert.
    alertingMetrics(metrics.registry, { query: async () => ({ rows: [{ state: 'firing', severity: 'critical', count: 1 }] }) } as never);
    const limiter = createRateLimiter({ logger: createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) }), metrics: metrics.registry });
    try {
      const text = await metrics.registry.metrics();
      // The defaults are there (a process without them would pass trivially).
      expect(metricFamilies(text)).toEqual(expect.arrayContaining(['lgsp_process_cpu_seconds_total', 'lgsp_nodejs_active_handles', 'lgsp_requests_total', 'lgsp_alerts', 'lgsp_alert_notices_total']));
      expect(metricNameProblems(text)).toEqual([]);
    } finally {
      await limiter.close();
    }
  });
});
