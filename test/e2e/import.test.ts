import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFiles, ensureRendererBuilt, launchBrowser, screenshot } from '../helpers/browser.js';
import { type Served, startServe } from '../helpers/serve.js';

const demoImages = path.resolve(import.meta.dirname, '../../resources/demo-catalog/images');

/** Importing your own photos in browser mode: typed paths, live progress, and a file that fails. */
describe('browser mode: import by typed path', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let folder: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-import-'));
    for (const name of fs.readdirSync(demoImages).sort().slice(0, 40)) fs.copyFileSync(path.join(demoImages, name), path.join(folder, name));
    // A .jpg that is not an image: the import must report it and carry on.
    fs.writeFileSync(path.join(folder, 'broken.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]));
    served = await startServe();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' })).newPage();
    await page.goto(served.url);
    await page.waitForURL((u) => !u.search.includes('token='));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a dropped listings file in browser mode asks for its path instead of guessing', async () => {
    await page.goto(`${served.origin}/#/search`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await dropFiles(page, 'main', [{ name: 'listings.csv', mime: 'text/csv', bytes: Buffer.from('id,title\n1,x\n') }]);
    await expect.poll(() => page.url()).toContain('#/catalog');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'listings.csv' }).innerText(), { timeout: 20_000 }).toMatch(/does not tell the app where listings\.csv is/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
  });

  it('imports a typed folder with a progress bar and lists the corrupt file with its error', async () => {
    await page.goto(`${served.origin}/#/catalog`);
    const paths = page.getByLabel('Folders or image files (one per line)');
    await paths.waitFor();
    // The import is quick; a MutationObserver records every progress bar state it shows.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('main [role=progressbar]')) seen.push(bar.getAttribute('aria-valuetext') ?? '');
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext'] });
    });
    await paths.fill(folder);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 90_000 });
    const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(progressSeen.length).toBeGreaterThan(0);
    expect(await summary.innerText()).toMatch(/40 new images/);
    await summary.getByRole('button', { name: /Failed files: 1/ }).click();
    const failures = summary.getByRole('table', { name: 'Files that failed to import' });
    await expect.poll(() => failures.innerText()).toMatch(/broken\.jpg/);
    expect((await failures.locator('tbody tr').first().locator('td').nth(1).innerText()).length).toBeGreaterThan(3);
    // The run history keeps the failure too, and the catalog counts grew.
    await expect.poll(() => page.getByTestId('run-history').innerText(), { timeout: 20_000 }).toMatch(/completed/);
    await expect.poll(() => page.getByTestId('catalog-stats').innerText(), { timeout: 20_000 }).toMatch(/40\s+Images/);
    await screenshot(page, 'catalog-import');
  });

  it('a search with a model the catalog is not embedded with says so and how to fix it; doing that makes it searchable', async () => {
    await page.goto(`${served.origin}/#/search`);
    await page.getByLabel('Model').selectOption({ label: 'Demo CLIP (tiny, trained on synthetic products)' });
    await page.locator('#search-text').fill('mug');
    await page.locator('#search-text').press('Enter');
    const empty = page.getByRole('heading', { name: 'No demo-clip vectors yet' });
    await empty.waitFor({ timeout: 30_000 });
    expect(await page.getByText('Nothing passed the filters').count()).toBe(0);
    await expect(page.getByText(/None of the 40 photos in the catalog is embedded with demo-clip/).isVisible()).resolves.toBe(true);
    await screenshot(page, 'search-model-not-embedded');
    // What the page says to do: the folder again, with that model ticked.
    await page.getByRole('button', { name: 'Go to the catalog' }).click();
    await expect.poll(() => page.url()).toContain('#/catalog');
    await page.getByLabel('Folders or image files (one per line)').fill(folder);
    await page.getByRole('checkbox', { name: /demo-clip/ }).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('catalog-stats').innerText(), { timeout: 90_000 }).toMatch(/40\s+Vectors · demo-clip/);
    await page.goto(`${served.origin}/#/search`);
    await page.getByLabel('Model').selectOption({ label: 'Demo CLIP (tiny, trained on synthetic products)' });
    await page.locator('#search-text').fill('mug');
    await page.locator('#search-text').press('Enter');
    await expect.poll(() => page.getByRole('list', { name: 'Search results' }).getByRole('listitem').count(), { timeout: 30_000 }).toBeGreaterThan(5);
  }, 180_000);

  it('cancels a running import and resumes it', async () => {
    await page.goto(`${served.origin}/#/catalog`);
    const paths = page.getByLabel('Folders or image files (one per line)');
    await paths.fill(demoImages);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const running = page.getByTestId('import-running');
    const bar = running.getByRole('progressbar');
    await bar.waitFor({ timeout: 30_000 });
    // Cancel once the bar shows real progress (a count out of a total).
    await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    await running.getByRole('button', { name: 'Cancel' }).click();
    const cancelled = page.getByRole('status').filter({ hasText: 'Import cancelled' });
    await cancelled.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('run-history').innerText(), { timeout: 20_000 }).toMatch(/cancelled/);
    await screenshot(page, 'catalog-cancelled');
    await cancelled.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('catalog-stats').innerText(), { timeout: 20_000 }).toMatch(/547\s+Images/);
  }, 180_000);
});
