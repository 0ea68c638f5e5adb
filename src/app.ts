import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Router } from 'express';
import { Roles } from './auth/roles.js';
import type { ConnectorDescriptor } from './connector-kit/descriptor.js';
import type { ConnectorHandle } from './connector-runtime/connector-slot.js';
import { restrictOpenApiDocument } from './contracts/openapi.js';
import { createJsonBodyReader } from './data-plane/json-body.js';
import { createDocsRouter } from './docs/docs-router.js';
import { notFoundResponder, problemResponder } from './errors/problem-responder.js';
import type { HealthChecks } from './observability/health.js';
import type { PipelineDependencies } from './pipeline/operation-handler.js';
import { requestContextMiddleware, requestContextOf } from './pipeline/request-context.js';

export interface MountedConnector {
  descriptor: ConnectorDescriptor<any>;
  /** Its current client and availability, as the connector runtime keeps them (src/connector-runtime). */
  handle: ConnectorHandle;
}

export interface AppOptions extends Pick<PipelineDependencies, 'tokenVerifier' | 'access' | 'logger'> {
  /** For the OpenAPI document's per-consumer view; their routes are the data plane's (src/data-plane). */
  connectors: ReadonlyArray<MountedConnector>;
  openApiDocument: Record<string, unknown>;
  /** Serve consumers only their granted operations (admins, operators and auditors see all). */
  openApiShowsOnlyGranted: boolean;
  adminRouter: Router;
  /** The web console (/console), a client of the admin API; absent when console.enabled is false. */
  consoleRouter?: Router;
  /**
   * Callbacks of national systems (POST /callbacks/paygov/ipn): no bearer
   * token (each authenticates its own way, e.g. a checksum) and raw bodies,
   * so they are mounted ahead of the API's JSON parser.
   */
  callbackRouter?: Router;
  health: HealthChecks;
  bodyLimitBytes: number;
  trustProxy: boolean;
  /** True once shutdown has begun: readiness fails and connections are not kept alive. */
  isShuttingDown: () => boolean;
}

/**
 * The express app: probes, docs and the OpenAPI document, callbacks, the
 * admin API and the console, and the problem answers for whatever no route
 * takes. The operations' own routes are the data plane's (src/data-plane),
 * which answers them before a request reaches express.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('etag', false);

  app.use(requestContextMiddleware);
  app.use(accessLog(options));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (options.isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  });

  // Probes only: ready or not. The detail (dependency checks, upstream and breaker states) and /metrics
  // are on the ops listener (observability/ops-app.ts), which consumers cannot reach.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = !options.isShuttingDown() && (await options.health.readiness()).ready;
    res.status(ready ? 200 : 503).json({ ready });
  });

  const operationIds = options.connectors.flatMap(({ descriptor }) => descriptor.operations.map((operation) => operation.id));
  app.get('/api/v1/openapi.json', async (req, res) => {
    if (!options.openApiShowsOnlyGranted) {
      res.json(options.openApiDocument);
      return;
    }
    const principal = await options.tokenVerifier.verifyAuthorizationHeader(req.header('authorization'));
    if ([Roles.admin, Roles.operator, Roles.auditor].some((role) => principal.roles.includes(role))) {
      res.json(options.openApiDocument);
      return;
    }
    const consumer = options.access.consumerByClientId(principal.clientId);
    const granted = new Set(consumer ? operationIds.filter((id) => options.access.grantFor(consumer.id, id)) : []);
    res.json(restrictOpenApiDocument(options.openApiDocument, granted));
  });
  app.use('/docs', createDocsRouter('/api/v1/openapi.json'));

  if (options.callbackRouter) app.use(options.callbackRouter);

  // A request under /api/v1 that no operation takes is still read as the data plane reads a body, so a bad
  // body gets the same 415/413/400 before the 404, wherever it was sent.
  const readBody = createJsonBodyReader(options.bodyLimitBytes);
  app.use('/api/v1', (req: Request, res: Response, next: NextFunction) => {
    readBody(req, res).then(() => next(), next);
  });
  app.use('/admin/v1', options.adminRouter);
  if (options.consoleRouter) app.use(options.consoleRouter);

  app.use(notFoundResponder);
  app.use(problemResponder(options.logger));
  return app;
}

/**
 * One line per request with the route pattern, never the URL: URLs carry
 * personal ids (/citizens/{personalId}).
 */
function accessLog(options: Pick<AppOptions, 'logger'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      const context = requestContextOf(res);
      options.logger.info(
        {
          requestId: context.requestId,
          method: req.method,
          route: res.locals.route ?? req.route?.path,
          status: res.statusCode,
          durationMs: Math.round((performance.now() - context.startedAt) * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
