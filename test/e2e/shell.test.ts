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

  it('first run: the page waits for the size of the catalog instead of flashing the search form before the welcome', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    // A slow first answer (a backend still starting): what shows meanwhile?
    await page.route('**/api/app.status', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
    await page.getByText('Loading…').first().waitFor();
    expect(await page.getByText('Search by photo or text').count()).toBe(0);
    expect(await page.locator('#search-text').count()).toBe(0);
    await page.getByRole('heading', { name: 'Welcome to Lookalike' }).waitFor({ timeout: 30_000 });
    await page.close();
  });

  it('a user who goes to Duplicates while the demo loads stays there, and the page updates to the whole catalog when it is in', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await page.goto(served.url);
    await expect.poll(() => page.url()).not.toContain('token=');
    const load = page.getByRole('button', { name: 'Load the demo catalog and models' });
    await load.waitFor({ timeout: 30_000 });
    await load.click();
    await page.getByRole('contentinfo').getByRole('progressbar').waitFor({ timeout: 30_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Duplicates/ }).click();
    await page.getByRole('heading', { name: 'Duplicates', level: 1 }).waitFor();
    // The landing search would be asked for in the same step that shows this toast.
    await page.getByText(/Demo catalog ready: 546 listings/).waitFor({ timeout: 120_000 });
    expect(new URL(page.url()).hash).toBe('#/duplicates');
    await expect(page.getByRole('heading', { name: 'Duplicates', level: 1 }).isVisible()).resolves.toBe(true);
    // The groups on show were found while the import ran; the page finds them again by itself,
    // so it shows what a fresh visit shows.
    const groups = async () => /Groups: (\d+)/.exec(await page.locator('main').innerText())?.[1];
    await expect.poll(() => page.getByText(/have no demo-siglip vectors yet/).count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(groups, { timeout: 60_000 }).toBeDefined();
    await screenshot(page, 'demo-loaded-elsewhere');
    const live = await groups();
    await page.reload();
    await expect.poll(groups, { timeout: 60_000 }).toBeDefined();
    expect(await groups()).toBe(live);
    await page.close();
  }, 180_000);
});
