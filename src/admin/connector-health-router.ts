import { Ajv2020 } from 'ajv/dist/2020.js';
import express, { type Router } from 'express';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { ProblemError } from '../errors/index.js';
import type { ConnectorTrafficSource, TrafficPoint } from '../observability/connector-history.js';
import type { BreakerRegistry, BreakerState } from '../resilience/breaker-registry.js';
import type { HealthProber, ProbeReport } from '../resilience/health-prober.js';
import type { UpstreamCaller } from '../resilience/upstream-caller.js';
import { createConnectorResilienceRouter, type ResilienceAdmin } from './connector-resilience-router.js';
import { effectivePolicy, type EffectivePolicy } from './effective-policy.js';
import { validQuery } from './query-validation.js';
import { requireRole } from './require-role.js';

export interface ConnectorHealth {
  connector: string;
  title: string;
  /** available, disabled (switched off) or maintenance: an administrator's setting (/admin/v1/connectors/{id}). */
  availability: string;
  breaker: BreakerState;
  /** The last active probe (outside the breaker). */
  probe: ProbeReport;
  /** Share of real calls that failed against the upstream in the breaker's rolling window; null without calls. */
  recentErrorRate: number | null;
  recentCalls: number;
  recentWindowMs: number;
  /** Calls in flight and waiting in the bulkhead right now. */
  bulkhead: { inFlight: number; queued: number };
  /** The effective resilience policy (defaults, descriptor, config and admin override resolved). */
  policy: EffectivePolicy;
  /**
   * The newest traffic window of THIS replica (requests per minute, error rate, p95):
   * behind a load balancer each replica sees its share. Null until the first window
   * has closed (health.trafficSampleIntervalMs after the start). Absent when no
   * traffic history is wired.
   */
  traffic?: TrafficPoint | null;
}

export interface ConnectorHealthSource {
  /** Mounted connectors: id → title. */
  connectors: ReadonlyMap<string, string>;
  breakers: Pick<BreakerRegistry, 'state' | 'recentOutcomes'>;
  prober: Pick<HealthProber, 'report'>;
  upstreams: Pick<UpstreamCaller, 'policies' | 'bulkheadState'>;
  /** Whether the connector takes calls now (the connector runtime's state). */
  availability?: (connectorId: string) => string;
  /** The run-time override routes (/connectors/{id}/resilience), when the store keeps overrides. */
  resilience?: ResilienceAdmin;
  /** This replica's per-connector traffic of the last hour (/connectors/history, `traffic` of each connector). */
  traffic?: ConnectorTrafficSource;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true });
/** `minutes` back from now (default 60): at most the hour the history keeps. */
const validateHistoryQuery = ajv.compile<{ minutes?: number }>({
  type: 'object',
  additionalProperties: false,
  properties: { minutes: { type: 'integer', minimum: 1, maximum: 60 } },
});

export function connectorHealth(source: ConnectorHealthSource, connectorId: string): ConnectorHealth | undefined {
  const title = source.connectors.get(connectorId);
  const probe = source.prober.report(connectorId);
  if (title === undefined || probe === undefined) return undefined;
  const recent = source.breakers.recentOutcomes(connectorId);
  return {
    connector: connectorId,
    title,
    availability: source.availability?.(connectorId) ?? 'available',
    breaker: source.breakers.state(connectorId),
    probe,
    recentErrorRate: recent.errorRate,
    recentCalls: recent.calls,
    recentWindowMs: recent.windowMs,
    bulkhead: source.upstreams.bulkheadState(connectorId),
    policy: effectivePolicy(source, connectorId),
    ...(source.traffic && { traffic: source.traffic.latest(connectorId) ?? null }),
  };
}

/**
 * /admin/v1/connectors: what operators watch per upstream — breaker state,
 * last probe, recent error rate of real calls, bulkhead occupancy, the
 * effective resilience policy and this replica's latest traffic window; and
 * /admin/v1/connectors/history, this replica's traffic of the last hour
 * (the console's overview charts). Read-only, for every admin role.
 */
export function createConnectorHealthRouter(options: { tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>; health: ConnectorHealthSource }): Router {
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  const router = express.Router();
  router.get('/connectors', readers, (_req, res) => {
    res.json({ items: [...options.health.connectors.keys()].map((id) => connectorHealth(options.health, id)).filter((health) => health !== undefined) });
  });
  if (options.health.traffic) {
    const traffic = options.health.traffic;
    // Declared before any /connectors/:id route (this router is mounted first): `history` is no connector id.
    router.get('/connectors/history', readers, (req, res) => {
      const { minutes = 60 } = validQuery(req, validateHistoryQuery);
      res.json({ replica: traffic.replica, sampleIntervalMs: traffic.sampleIntervalMs, minutes, connectors: traffic.history(minutes) });
    });
  }
  router.get('/connectors/:id/health', readers, (req, res) => {
    const health = connectorHealth(options.health, String(req.params.id));
    if (!health) throw new ProblemError('LGSP_NOT_FOUND', { detail: 'no such connector' });
    res.json(health);
  });
  if (options.health.resilience) router.use(createConnectorResilienceRouter({ tokenVerifier: options.tokenVerifier, health: options.health, admin: options.health.resilience }));
  return router;
}
