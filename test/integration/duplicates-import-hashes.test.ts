import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../src-main/api/contract.js';
import { Services } from '../../src-main/features/services.js';
import type { Progress } from '../../src-main/shared/progress.js';
import { writeDemoPhotosWithEdits } from '../helpers/demo-edits.js';
import { inProcessCaller } from '../helpers/in-process.js';

/**
 * The duplicate finder's hashes are computed by the import (features/duplicates/import-hashes.ts),
 * so the first duplicates run on a freshly imported catalog hashes nothing; a catalog imported
 * before that (no hash rows) still gets them on first use, the same ones, with the same groups.
 */
let dir: string;
let photos: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-duplicates-import-hashes-'));
  photos = path.join(dir, 'photos');
  await writeDemoPhotosWithEdits(photos);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function session(dbPath: string) {
  const services = new Services({ dbPath });
  const phases: Progress[] = [];
  const run = inProcessCaller(() => services);
  const call = <M extends MethodName>(method: M, input: unknown) => run<M>(method, input, (p) => phases.push(p));
  const hashed = () => Math.max(0, ...phases.filter((p) => p.phase === 'hashing images').map((p) => p.done ?? 0));
  return { services, phases, call, hashed };
}

const hashRows = (s: Services) =>
  s.catalog.db.prepare('SELECT sha256, version, pixel_sha, phash, phash_trim, trim_box, crop_hashes, phash_mirror, phash_trim_mirror, align_thumb, aspect FROM duplicates_hashes ORDER BY sha256').all();

describe('duplicate hashes at import', () => {
  it('an import stores every new image\'s hashes; the first duplicates.find hashes none', async () => {
    const dbPath = path.join(dir, 'fresh.db');
    const s = session(dbPath);
    try {
      const summary = await s.call('catalog.import', { paths: [photos] });
      expect(summary.indexed).toBe(7);
      expect(s.services.duplicates.store.hashCount()).toBe(7);
      s.phases.length = 0;
      const found = await s.call('duplicates.find', { tier: 'near' });
      expect(s.phases.some((p) => p.phase === 'hashing images')).toBe(false);
      expect(s.hashed()).toBe(0);
      const group = found.groups.find((g) => g.images.some((im) => im.paths.some((p) => p.endsWith('p0001.jpg'))));
      expect(group?.images.flatMap((im) => im.paths.map((p) => path.basename(p))).sort()).toEqual(['p0001-padded.png', 'p0001-recompressed.jpg', 'p0001.jpg']);
    } finally {
      s.services.close();
    }
  });

  it('a catalog imported without them is hashed on first use: the same hashes and the same groups as at import', async () => {
    const dbPath = path.join(dir, 'old.db');
    const imported = session(dbPath);
    let atImport: unknown[];
    let groupsAtImport: unknown;
    try {
      await imported.call('catalog.import', { paths: [photos] });
      atImport = hashRows(imported.services);
      groupsAtImport = (await imported.call('duplicates.find', { tier: 'near' })).groups;
      // As a catalog from before hashes at import: no hash rows.
      imported.services.catalog.db.prepare('DELETE FROM duplicates_hashes').run();
    } finally {
      imported.services.close();
    }
    const later = session(dbPath);
    try {
      const found = await later.call('duplicates.find', { tier: 'near' });
      expect(later.hashed()).toBe(7);
      expect(hashRows(later.services)).toEqual(atImport);
      expect(found.groups).toEqual(groupsAtImport);
    } finally {
      later.services.close();
    }
  });
});
