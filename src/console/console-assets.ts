import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Response, type Router } from 'express';
import { ProblemError } from '../errors/index.js';
import { fromProjectRoot } from '../paths.js';

/** Where `npm run build` puts the compiled browser code (tsconfig in src/console/web). */
export const consoleBuildDir = fromProjectRoot('dist/console/web');
/** Style sheets and images, served as they are. */
const staticDir = fromProjectRoot('src/console/static');
/** uPlot, the chart library, from its npm package: served by this gateway, never a CDN. */
const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));

/** /console/assets: the compiled front end, the style sheet and the chart library. */
export function consoleAssetsRouter(): Router {
  const router = express.Router();
  const options = { fallthrough: true, index: false, dotfiles: 'deny', redirect: false } as const;
  router.use(express.static(consoleBuildDir, options));
  router.use(express.static(staticDir, options));
  router.get('/vendor/uPlot.esm.js', (_req, res) => res.sendFile(join(uplotDir, 'uPlot.esm.js')));
  router.get('/vendor/uPlot.min.css', (_req, res) => res.sendFile(join(uplotDir, 'uPlot.min.css')));
  return router;
}

/**
 * The one HTML page of the console. It holds no text of its own beyond a
 * loading line: the script renders every page from the message catalogs.
 */
const shell = `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LGSP</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
<link rel="stylesheet" href="/console/assets/vendor/uPlot.min.css">
<script type="module" src="/console/assets/main.js"></script>
</head>
<body>
<div id="app"><p class="loading">…</p></div>
</body>
</html>
`;

export function sendConsoleShell(res: Response, next: NextFunction): void {
  if (!existsSync(join(consoleBuildDir, 'main.js'))) {
    // A checkout that was never built: say what to run instead of serving a page that cannot start.
    next(new ProblemError('LGSP_CONSOLE_UNAVAILABLE', { detail: 'the console is not built: run `npm run build`' }));
    return;
  }
  res.type('html').send(shell);
}
