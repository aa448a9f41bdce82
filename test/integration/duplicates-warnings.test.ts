import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/features/services.js';
import { resourcesDir } from '../../src-main/shared/paths.js';
import { cli } from '../helpers/cli.js';
import { inProcessCaller } from '../helpers/in-process.js';
import { setEnv } from '../helpers/env.js';

// Photos imported in two goes with different models and no listings file: duplicates still work,
// and say why they may be incomplete with a code the UI words in its language (English in the CLI).
describe('duplicates warnings', () => {
  let dir: string;
  let db: string;
  let services: Services;
  const call = inProcessCaller(() => services);
  let restoreEnv = () => {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-dup-warn-'));
    restoreEnv = setEnv({ LOOKALIKE_HOME: path.join(dir, 'home') });
    db = path.join(dir, 'catalog.db');
    const photos = path.join(resourcesDir, 'demo-catalog', 'images');
    const names = fs.readdirSync(photos).sort().slice(0, 8);
    for (const [folder, slice, model] of [['a', names.slice(0, 5), 'demo-clip'], ['b', names.slice(5), 'demo-siglip']] as const) {
      fs.mkdirSync(path.join(dir, folder));
      for (const n of slice) fs.copyFileSync(path.join(photos, n), path.join(dir, folder, n));
      const r = await cli(['import', path.join(dir, folder), '--model', model, '--db', db]);
      expect(r.code, r.stderr).toBe(0);
    }
    services = new Services({ dbPath: db });
  });

  afterAll(() => {
    services?.close();
    restoreEnv();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the photos a model has not embedded, with the figures', async () => {
    const out = await call('duplicates.find', { tier: 'near', model: 'demo-clip' });
    expect(out.warnings).toEqual([
      { code: 'missing_vectors', count: 3, total: 8, model: 'demo-clip', message: '3 of 8 images have no demo-clip embedding: they are matched by hashes only' },
    ]);
    const r = await cli(['duplicates', '--model', 'demo-clip', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: 3 of 8 images have no demo-clip embedding: they are matched by hashes only');
  });

  it('says there are no listings to group when grouping by listing', async () => {
    const out = await call('duplicates.listings', { tier: 'near', model: 'demo-siglip', view: 'all' });
    expect(out.warnings.map((w) => [w.code, w.count, w.total])).toEqual([
      ['missing_vectors', 5, 8],
      ['no_listings', undefined, undefined],
    ]);
  });
});
