import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, launchBrowser, screenshot } from '../helpers/browser.js';
import { buildListingsCatalog } from '../helpers/duplicates-listings-fixture.js';
import { type Served, startServe } from '../helpers/serve.js';

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });

/** The Duplicates page's Listings and Against-a-source modes in browser mode, on the two-source catalog of duplicates-listings. */
describe('browser mode: listing duplicates and cross-catalog matching', () => {
  let fixture: { dir: string; db: string };
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fixture = await buildListingsCatalog();
    await ensureRendererBuilt();
    served = await startServe(['--db', fixture.db]);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await page.goto(served.url);
    await page.waitForURL((u) => !u.search.includes('token='));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (fixture) fs.rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('Listings mode: copied photos first, with each listing, its seller and the shared photos', async () => {
    await page.goto(`${served.origin}/#/duplicates`);
    await page.getByRole('button', { name: 'Listings', exact: true }).click();
    const detail = page.getByTestId('dup-listing-group');
    await poll(() => detail.getByRole('heading', { level: 2 }).innerText()).toBe('Group 1: 4 listings, 3 sellers');
    const rows = detail.getByRole('table').getByRole('row');
    await poll(() => rows.count()).toBe(5);
    expect(await detail.getByRole('table').innerText()).toMatch(/B1[\s\S]*shop_b/);
    expect(await detail.innerText()).toContain('Shared photos');
    await screenshot(page, 'duplicates-listings');
    await page.getByTestId('dup-listing-view').selectOption('merge');
    await poll(() => detail.getByRole('heading', { level: 2 }).innerText()).toBe('Group 1: 2 listings, 1 sellers');
  });

  it('Against a source: pick the supplier export, see which of our listings have the same photo there', async () => {
    await page.getByRole('button', { name: 'Against a source', exact: true }).click();
    const select = page.getByTestId('dup-against-source');
    await poll(() => select.locator('option').count()).toBe(3);
    const supplier = await select.locator('option', { hasText: 'supplier.csv' }).getAttribute('value');
    await select.selectOption(supplier!);
    await poll(() => page.getByTestId('dup-against-summary').innerText()).toMatch(/^2 of 7 listings have the same photo in supplier\.csv;/);
    const table = page.getByRole('table', { name: 'Against a source' });
    expect(await table.innerText()).toMatch(/A1[\s\S]*S1/);
    await screenshot(page, 'duplicates-against');
  });
});
