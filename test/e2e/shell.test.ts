import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, launchBrowser, screenshot } from '../helpers/browser.js';
import { type Served, startServe } from '../helpers/serve.js';

describe('browser mode: app shell', () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    await ensureRendererBuilt();
    served = await startServe();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows the app shell with navigation and a live status bar from the printed URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(served.url);
    await expect.poll(() => page.url()).not.toContain('token='); // token swapped for a cookie
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect.poll(() => page.locator('footer').innerText(), { timeout: 20_000 }).toMatch(/0 listings/);
    await screenshot(page, 'shell');
    await page.close();
  });

  it('tells a visitor without the token to use the printed link', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(served.origin);
    // No key: the page asks for the printed link, with a box to paste it in.
    await page.getByRole('heading', { name: 'Connect this page to Lookalike' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText(/lookalike serve/).first().isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Link from the terminal').isVisible()).resolves.toBe(true);
    await screenshot(page, 'shell-no-token');
    await context.close();
  });
});
