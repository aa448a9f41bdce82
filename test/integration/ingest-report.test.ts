import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourcesDir } from '../../src-main/shared/paths.js';
import { Services } from '../../src-main/features/services.js';
import { cli } from '../helpers/cli.js';
import { inProcessCaller } from '../helpers/in-process.js';
import { tempDir, writeJpegs } from './catalog-helpers.js';

const hasDemo = fs.existsSync(path.join(resourcesDir, 'models', 'demo-siglip'));

/** Import reports say the same thing everywhere: the summary (UI chip), the history and the CLI's JSON. */
describe.skipIf(!hasDemo)('honest import reports', () => {
  const root = tempDir('lookalike-report-');
  const dbPath = path.join(root, 'catalog.db');
  const photos = path.join(root, 'photos');
  let services: Services;
  const call = inProcessCaller(() => services);

  beforeAll(async () => {
    await writeJpegs(photos, 4);
    services = new Services({ dbPath });
  });
  afterAll(() => {
    services.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a text file given as the listings file is a failed import with a clear message, in the history too', async () => {
    const notes = path.join(root, 'notes.txt');
    fs.writeFileSync(notes, 'Shopping list\nmilk, eggs\nbread\n');
    await expect(call('catalog.import', { paths: [photos], listings: notes })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/notes\.txt is not a listings file: no id or sku column \(it has "shopping list"\)/),
    });
    const empty = path.join(root, 'empty.csv');
    fs.writeFileSync(empty, '');
    await expect(call('catalog.import', { paths: [photos], listings: empty })).rejects.toThrow(/empty\.csv holds no listings/);
    const { runs } = await call('catalog.errors', { runs: 2 });
    expect(runs[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/holds no listings/), inputs: { paths: [photos], listings: empty } });
    expect(runs[1]).toMatchObject({ status: 'failed', message: expect.stringMatching(/not a listings file/) });
    // Nothing was imported by either.
    expect((await call('catalog.stats', {})).images).toBe(0);
  });

  it('bad price, repeated id, empty title and a missing image are problems, counted alike in the summary, the history and the CLI', async () => {
    const listings = path.join(photos, 'listings.csv');
    fs.writeFileSync(
      listings,
      'id,title,price,image\n' +
        'A,Mug,12.50,img-00000.jpg\n' +
        'B,Vase,twelve,img-00001.jpg\n' +
        'A,Mug again,3,img-00002.jpg\n' +
        'C,,4,img-00003.jpg\n' +
        'D,Lamp,5,gone.jpg\n',
    );
    const summary = await call('catalog.import', { paths: [photos], listings });
    expect(summary).toMatchObject({ indexed: 4, failedCount: 0, listings: 4, missingCount: 1, problemCount: 4 });
    expect(summary.rowProblems.map((p) => [p.where, p.skipped])).toEqual([
      ['listings.csv:3', false],
      ['listings.csv:4', true],
      ['listings.csv:5', false],
    ]);
    expect(summary.rowProblems.map((p) => p.error).join('\n')).toMatch(/price "twelve" is not a number[\s\S]*repeats listing id "A"[\s\S]*no title/);

    const [run] = (await call('catalog.errors', { runs: 1 })).runs;
    expect(run).toMatchObject({ status: 'completed', failed: 0, errorCount: 0, errors: [], listings: 4, problems: 4, inputs: { paths: [photos], listings } });
    expect(run!.problemList.map((p) => p.path).sort()).toEqual(['listings.csv:3', 'listings.csv:4', 'listings.csv:5', 'listings.csv:6']);

    // The CLI prints the same counts (a second run over unchanged files re-reads only the listings).
    services.close();
    const out = await cli(['import', photos, '--listings', listings, '--db', dbPath]);
    expect(out.code).toBe(0);
    expect(out.json()).toMatchObject({ failedCount: 0, problemCount: 4, missingCount: 1, listings: 4, cached: 4 });
    const errors = await cli(['catalog', 'errors', '--runs', '1', '--db', dbPath]);
    expect(errors.json().runs[0]).toMatchObject({ failed: 0, problems: 4 });
    services = new Services({ dbPath });
  });

  it('"~" in a typed path is the home folder, not a folder named "~" in the server\'s working folder', async () => {
    const home = process.env.HOME;
    process.env.HOME = root;
    try {
      const summary = await call('catalog.import', { paths: ['~/photos'] });
      expect(summary.failedCount).toBe(0);
      const [run] = (await call('catalog.errors', { runs: 1 })).runs;
      expect(run!.inputs).toMatchObject({ paths: [photos] });
      await expect(call('catalog.import', { paths: ['~/nowhere'] })).rejects.toThrow(`not found: ${path.join(root, 'nowhere')}`);
    } finally {
      process.env.HOME = home;
    }
  });
});
