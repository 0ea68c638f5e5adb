import express, { type Express } from 'express';
import { notFoundResponder, problemResponder } from '../errors/problem-responder.js';
import { requestContextMiddleware } from '../pipeline/request-context.js';
import type { HealthChecks } from './health.js';
import type { Logger } from './logger.js';
import type { Registry } from 'prom-client';

export interface OpsAppOptions {
  registry: Registry;
  health: HealthChecks;
  logger: Logger;
  isShuttingDown: () => boolean;
}

/**
 * The ops listener (server.opsHost/opsPort): metrics and readiness with its
 * detail (each dependency check, each upstream's breaker and probe). It has
 * no authentication, so it lives on its own listener that a deployment keeps
 * off the network consumers reach; the API port only says ready or not.
 */
export function createOpsApp(options: OpsAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContextMiddleware);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await options.health.readiness();
    const shuttingDown = options.isShuttingDown();
    const ready = report.ready && !shuttingDown;
    res.status(ready ? 200 : 503).json({ ...report, ready, ...(shuttingDown ? { shuttingDown: true } : {}) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.registry.contentType).send(await options.registry.metrics());
  });

  app.use(notFoundResponder);
  app.use(problemResponder(options.logger));
  return app;
}
