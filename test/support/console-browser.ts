import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { chromium, type Browser, type BrowserContext, type Page, type Request as BrowserRequest, type Response as BrowserResponse } from 'playwright-core';
import { fromProjectRoot } from '../../src/paths.js';
import { startHarness, type Harness } from './embedded-harness.js';

/** Debian's chromium package: no browser is downloaded (the network allows only npm and Debian). */
export const chromiumPath = process.env.LGSP_CHROMIUM ?? '/usr/bin/chromium';

/** The dev realm's console users (config/keycloak/lgsp-realm.json). */
export type StaffUser = 'admin' | 'operator' | 'auditor';

/** Where the tests write a screenshot of every page they visit (README shows some of them). */
export const screenshotDir = fromProjectRoot('test-output/console');

export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /** Every response the browser received in this session, bodies included (for "no secret in any response" checks). */
  responses: Array<{ url: string; status: number; body: string }>;
}

export interface ConsoleTestBed {
  harness: Harness;
  browser: Browser;
  url: string;
  /** A fresh browser context signed in through the real authorization-code flow as this user. */
  signIn(user: StaffUser): Promise<ConsoleSession>;
  /** A full-page PNG in test-output/console/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded stack with the console (dev IdP, sandboxes, gateway) and a
 * headless Chromium driven by playwright-core. Fails — never skips — when
 * Debian's chromium is missing: `.ci/run` installs it.
 */
export async function startConsoleTestBed(options: Parameters<typeof startHarness>[0] = { store: 'pglite' }): Promise<ConsoleTestBed> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Browser tests need Debian's chromium at ${chromiumPath}: apt-get install chromium (.ci/run installs it), or set LGSP_CHROMIUM`);
  }
  await ensureConsoleBuilt();
  const harness = await startHarness(options);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // As root in a container there is no user namespace sandbox; background networking only meets the closed network;
      // --lang=vi: the browser's own widgets (date inputs) in Vietnamese, as on the province's office PCs.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=vi'],
    });
  } catch (error) {
    await harness.close();
    throw error;
  }
  const url = harness.url;
  mkdirSync(screenshotDir, { recursive: true });

  return {
    harness,
    browser,
    url,
    async signIn(user) {
      // An office screen: the console must be readable at 1366×768.
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      const page = await context.newPage();
      const responses: ConsoleSession['responses'] = [];
      page.on('response', (response: BrowserResponse) => {
        const request: BrowserRequest = response.request();
        // Event streams never end: their events are read in the page, not here.
        if ((response.headers()['content-type'] ?? '').includes('text/event-stream')) return;
        response
          .text()
          .then((body) => responses.push({ url: request.url(), status: response.status(), body }))
          .catch(() => responses.push({ url: request.url(), status: response.status(), body: '' }));
      });
      await page.goto(`${url}/console/`);
      await page.getByLabel(/username/i).fill(user);
      await page.getByLabel(/password/i).fill(`${user}-dev-password`);
      await Promise.all([page.waitForURL(`${url}/console/**`), page.getByRole('button', { name: /sign in/i }).click()]);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      return { context, page, responses };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => undefined);
      await harness.close();
    },
  };
}

/**
 * The browser runs the compiled console (dist/console/web); tests run from
 * source, so build it when a source is newer than the build. Test files run
 * in parallel: one builds while the others wait on the lock.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const sourceDir = fromProjectRoot('src/console/web');
  const built = fromProjectRoot('dist/console/web/main.js');
  mkdirSync(fromProjectRoot('dist'), { recursive: true });
  const release = await lockfile.lock(fromProjectRoot('dist'), { retries: { retries: 120, minTimeout: 250, maxTimeout: 1000 }, stale: 60_000, lockfilePath: fromProjectRoot('dist/.console-build.lock') });
  try {
    if (existsSync(built) && newestMtime(sourceDir) <= statSync(built).mtimeMs) return;
    execFileSync(process.execPath, [fromProjectRoot('node_modules/typescript/bin/tsc'), '-p', join(sourceDir, 'tsconfig.json')], { stdio: 'inherit' });
  } finally {
    await release();
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
