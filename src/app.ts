import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Router } from 'express';
import { Roles } from './auth/roles.js';
import type { ConnectorDescriptor } from './connector-kit/descriptor.js';
import type { ConnectorHandle } from './connector-runtime/connector-slot.js';
import { lookupFormOf, refuseRouteClashes } from './contracts/lookup-form.js';
import { restrictOpenApiDocument } from './contracts/openapi.js';
import { createDocsRouter } from './docs/docs-router.js';
import { ProblemError } from './errors/index.js';
import { notFoundResponder, problemResponder } from './errors/problem-responder.js';
import type { HealthChecks } from './observability/health.js';
import { createOperationHandler, type PipelineDependencies } from './pipeline/operation-handler.js';
import { requestContextMiddleware, requestContextOf } from './pipeline/request-context.js';

export interface MountedConnector {
  descriptor: ConnectorDescriptor<any>;
  /** Its current client and availability, as the connector runtime keeps them (src/connector-runtime). */
  handle: ConnectorHandle;
}

export interface AppOptions extends PipelineDependencies {
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

/** The express app: operational routes, docs, one route per connector operation, problem responses. */
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

  const api = express.Router();
  api.use(requireJsonBodies);
  api.use(express.json({ limit: options.bodyLimitBytes, strict: true, type: () => true }));
  const mounted = options.connectors.flatMap(({ descriptor, handle }) =>
    descriptor.operations.map((operation) => ({ operation, lookup: lookupFormOf(operation), handler: createOperationHandler(options, descriptor, operation, handle) })),
  );
  refuseRouteClashes(mounted.map(({ operation }) => operation));
  // Lookup forms first: their literal paths must not be taken by a parameterized POST route.
  for (const { lookup, handler } of mounted) {
    // The same handler, so the same pipeline: its request validator reads a POST as the lookup form.
    if (lookup) api.post(lookup.path, asLookupRoute(handler, `/api/v1${lookup.path}`));
  }
  for (const { operation, handler } of mounted) {
    const path = operation.path.replace(/\{(\w+)\}/g, ':$1');
    if (operation.method === 'GET') api.get(path, handler);
    else if (operation.method === 'PUT') api.put(path, handler);
    else api.post(path, handler);
  }
  app.use('/api/v1', api);
  app.use('/admin/v1', options.adminRouter);
  if (options.consoleRouter) app.use(options.consoleRouter);

  app.use(notFoundResponder);
  app.use(problemResponder(options.logger));
  return app;
}

/**
 * The lookup form's route: the operation's own handler, with the access log
 * naming the route the request came by. The handler names its GET route as
 * it starts; this runs right after that synchronous start.
 */
function asLookupRoute(handler: (req: Request, res: Response) => Promise<void>, route: string) {
  return (req: Request, res: Response): Promise<void> => {
    const handled = handler(req, res);
    res.locals.route = route;
    return handled;
  };
}

/** Bodies are JSON or nothing: anything else is refused before parsing. */
function requireJsonBodies(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json') && !req.is('application/*+json')) {
    next(new ProblemError('LGSP_UNSUPPORTED_MEDIA_TYPE', { detail: 'send application/json' }));
    return;
  }
  next();
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
