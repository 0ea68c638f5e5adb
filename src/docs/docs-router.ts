import express, { type Router } from 'express';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// swagger-ui-dist ships the static UI; served from our own origin because
// provincial networks are often closed to CDNs. Only its folder is needed:
// the package's main module requires (and runs) the 3.4 MB browser bundle,
// which cost the gateway ≈ 40 MB of RSS and 9.5 MB of heap for nothing.
const swaggerUiDir: string = (require('swagger-ui-dist/absolute-path.js') as () => string)();

const page = (specUrl: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>LGSP gateway API</title>
  <link rel="stylesheet" href="./assets/swagger-ui.css">
</head>
<body>
  <div id="api-docs"></div>
  <script src="./assets/swagger-ui-bundle.js"></script>
  <script src="./init.js"></script>
</body>
</html>
<!-- spec: ${specUrl} -->`;

/** Human docs at /docs, rendered in the browser from the generated OpenAPI document. */
export function createDocsRouter(specUrl: string): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    // Relative asset URLs need the trailing slash.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    res.type('html').send(page(specUrl));
  });
  router.get('/init.js', (_req, res) => {
    // A script file rather than inline code, so a strict Content-Security-Policy can stay on.
    res.type('application/javascript').send(`window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#api-docs', deepLinking: true });`);
  });
  router.use('/assets', express.static(swaggerUiDir, { index: false, maxAge: '1d' }));
  return router;
}
