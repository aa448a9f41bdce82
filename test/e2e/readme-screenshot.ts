// Regenerates docs/screenshot.png (the README picture): the Search page on the demo catalog at
// 1440x900, in the light theme and English, as a first-time user sees it after one click. A script
// beside the end-to-end tests (not one of them), driving the app with their helpers.
// Usage: npx tsx test/e2e/readme-screenshot.ts [out.png]
import fs from 'node:fs';
import path from 'node:path';
import { ensureRendererBuilt, launchBrowser } from '../helpers/browser.js';
import { startServe } from '../helpers/serve.js';

const out = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../../docs/screenshot.png'));

await ensureRendererBuilt();
const served = await startServe();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(served.url);
  await page.waitForURL((u) => !u.search.includes('token='));
  await page.goto(`${served.origin}/#/search`);
  await page.getByRole('button', { name: 'Load the demo catalog and models' }).click({ timeout: 60_000 });
  await page.mouse.move(0, 0); // no hover highlight on the card that appears under the pointer
  await page.getByTestId('search-meta').waitFor({ timeout: 180_000 });
  const thumbnails = page.getByRole('list', { name: 'Search results' }).locator('img');
  await page.waitForFunction(() => [...document.querySelectorAll('main img')].every((img) => (img as HTMLImageElement).complete), null, { timeout: 60_000 });
  // The "demo ready" toast leaves by itself after a few seconds.
  await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 30_000 });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(JSON.stringify({ out, thumbnailsOnScreen: await thumbnails.count() }));
} finally {
  await browser.close();
  await served.stop();
}
