import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { startConsoleTestBed, type ConsoleTestBed } from '../support/console-browser.js';

/**
 * Every page of the console, as an administrator sees it, checked with axe
 * (WCAG 2 A and AA rules, colour contrast included), by keyboard, on a
 * 1366×768 office screen, and in both languages.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: string[] }>;
}

let bed: ConsoleTestBed;

beforeAll(async () => {
  bed = await startConsoleTestBed();
}, 120_000);

afterAll(async () => {
  await bed?.close();
});

async function axeViolations(page: Page): Promise<string[]> {
  // Playwright evaluates through the DevTools protocol, which the page's CSP does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations;
  });
  return violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')}`);
}

async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

async function waitForPage(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.locator('main .loading').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
}

const navigation = (page: Page, name: string) => page.getByRole('navigation', { name });

it('every page passes axe\'s WCAG 2.1 A/AA rules, fits a 1366×768 screen and shows no raw placeholders, in Vietnamese and in English', async () => {
  const { page, context } = await bed.signIn('admin');
  const problems: string[] = [];
  for (const [language, navName] of [['vi', 'Điều hướng chính'], ['en', 'Main navigation']] as const) {
    if (language === 'en') {
      await page.getByLabel('Ngôn ngữ').selectOption('en');
      await navigation(page, navName).waitFor();
    }
    const labels = await navigation(page, navName).getByRole('link').allInnerTexts();
    for (const label of labels) {
      await navigation(page, navName).getByRole('link', { name: label, exact: true }).click();
      await waitForPage(page);
      for (const violation of await axeViolations(page)) problems.push(`${language} ${label}: ${violation}`);
      const text = await visibleText(page);
      for (const raw of ['undefined', 'NaN', '[object Object]', 'null']) if (new RegExp(`\\b${raw.replace(/[[\]]/g, '\\$&')}\\b`).test(text)) problems.push(`${language} ${label}: shows "${raw}"`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) problems.push(`${language} ${label}: ${overflow}px wider than a 1366px screen`);
    }
  }
  expect(problems).toEqual([]);
  await context.close();
}, 180_000);

it('is usable by keyboard: the skip link comes first and leads to the page, the navigation follows', async () => {
  const { page, context } = await bed.signIn('operator');
  // The first stop of the Tab order, from the top of the document (the page's own focus moves to its h1 once shown).
  const firstStop = await page.evaluate(() => {
    const tabbable = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')).filter((element) => element.tabIndex >= 0 && !element.hasAttribute('disabled'));
    return tabbable[0]?.textContent;
  });
  expect(firstStop).toBe('Bỏ qua, đến nội dung chính');
  await page.locator('.skip-link').focus();
  expect(await page.locator('.skip-link').isVisible()).toBe(true); // shown once focused
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null || document.activeElement?.id === 'main')).toBe(true);
  // From the top, the navigation's links are reachable with Tab, in order, and Enter opens one.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.locator('.user-box button').focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tổng quan');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cảnh báo');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${bed.url}/console/alerts`);
  await waitForPage(page);
  // After navigating, focus is on the new page's heading, so a screen reader announces it.
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  await context.close();
}, 60_000);

it('has every message in both languages, with Vietnamese diacritics', async () => {
  const { page, context } = await bed.signIn('admin');
  // Every page's catalog registers when the page is first shown.
  for (const label of await navigation(page, 'Điều hướng chính').getByRole('link').allInnerTexts()) {
    await navigation(page, 'Điều hướng chính').getByRole('link', { name: label, exact: true }).click();
    await waitForPage(page);
  }
  const catalogs = await page.evaluate(() => (window as unknown as { __lgspCatalogs: Array<{ vi: Record<string, string>; en: Record<string, string> }> }).__lgspCatalogs);
  expect(catalogs.length).toBeGreaterThanOrEqual(9);
  for (const catalog of catalogs) {
    expect(Object.keys(catalog.en).sort()).toEqual(Object.keys(catalog.vi).sort());
    for (const [key, text] of Object.entries(catalog.vi)) {
      expect(`${key}: ${text.trim()}`).not.toBe(`${key}: `);
      expect(`${key}: ${catalog.en[key]?.trim()}`).not.toBe(`${key}: `);
    }
  }
  // Vietnamese written as Vietnamese: the catalogs as a whole carry its diacritics (a catalog typed without them would not).
  const vietnamese = catalogs.flatMap((catalog) => Object.values(catalog.vi)).join(' ');
  expect(vietnamese).toMatch(/[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]/);
  await context.close();
}, 90_000);
