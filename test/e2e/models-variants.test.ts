import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';
import { ensureRendererBuilt, launchBrowser, screenshot } from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { type Served, startServe } from '../helpers/serve.js';

/** The Models page measures a pack's 8-bit variant on the catalog, shows the figures, and switches to it. */
describe('Models page: 8-bit by measurement', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    served = await startServe();
    // demo-siglip with the 8-bit towers of test/fixtures/demo-siglip-8bit, as an installed pack.
    const pack = path.join(served.dir, 'models', 'demo8');
    fs.cpSync(path.join(appRoot, 'resources', 'models', 'demo-siglip'), pack, { recursive: true });
    const eightBit = path.join(appRoot, 'test', 'fixtures', 'demo-siglip-8bit');
    for (const f of fs.readdirSync(eightBit).filter((n) => n.endsWith('.onnx'))) fs.copyFileSync(path.join(eightBit, f), path.join(pack, 'onnx', f));
    // A small catalog: 12 demo listings.
    const csv = fs.readFileSync(path.join(appRoot, 'resources', 'demo-catalog', 'listings.csv'), 'utf8').split('\n');
    const photos = path.join(served.dir, 'photos');
    fs.mkdirSync(photos);
    for (const r of csv.slice(1, 13)) {
      const image = r.split(',').pop()!.trim();
      fs.copyFileSync(path.join(appRoot, 'resources', 'demo-catalog', 'images', image), path.join(photos, image));
    }
    fs.writeFileSync(path.join(served.dir, 'listings.csv'), csv.slice(0, 13).join('\n'));
    const index = await cli(['import', photos, '--listings', path.join(served.dir, 'listings.csv'), '--db', path.join(served.dir, 'catalog.db')]);
    expect(index.code, index.stderr).toBe(0);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await page.goto(served.url);
    await page.waitForURL((u) => !u.search.includes('token='));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('measures, shows the figures, and uses the 8-bit variant', async () => {
    await page.goto(`${served.origin}/#/models`);
    const panel = page.getByTestId('variant-demo8-quantized');
    await expect.poll(() => panel.innerText(), { timeout: 30_000 }).toMatch(/Not measured on this catalog yet/);
    await panel.getByRole('button', { name: 'Measure on my catalog' }).click();
    await expect.poll(() => panel.innerText(), { timeout: 60_000 }).toMatch(/faster on photos.*Search top-10 kept: \d+% \(text\).*Duplicate pairs kept: \d+ of \d+.*12 photos/s);
    await panel.getByRole('button', { name: 'Use quantized' }).click();
    await expect.poll(() => panel.innerText(), { timeout: 20_000 }).toMatch(/in use/);
    expect(await panel.getByRole('button', { name: 'Back to automatic' }).count()).toBe(1);
    await screenshot(page, 'models-variants');
    // Remembered by the backend: the listing says so.
    const listed = await page.evaluate(async () => {
      const res = await fetch('/api/models.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await res.json()) as { result: { models: Array<{ id: string; variant: string; chosenVariant: string | null; measurements: unknown[] }> } }).result.models.find((m) => m.id === 'demo8');
    });
    expect(listed).toMatchObject({ variant: 'quantized', chosenVariant: 'quantized' });
    expect(listed!.measurements).toHaveLength(1);
  }, 120_000);
});
