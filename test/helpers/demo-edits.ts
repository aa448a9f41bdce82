import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { resourcesDir } from '../../src-main/shared/paths.js';

/**
 * Five demo-catalog photos plus two edits of the first (re-compressed at quality 40, padded with a
 * white border as PNG) in `folder`: a small catalog with one near-duplicate group.
 */
export async function writeDemoPhotosWithEdits(folder: string): Promise<void> {
  const demo = path.join(resourcesDir, 'demo-catalog', 'images');
  fs.mkdirSync(folder, { recursive: true });
  for (const n of ['0001', '0003', '0004', '0005', '0006']) fs.copyFileSync(path.join(demo, `l${n}.jpg`), path.join(folder, `p${n}.jpg`));
  const original = fs.readFileSync(path.join(folder, 'p0001.jpg'));
  fs.writeFileSync(path.join(folder, 'p0001-recompressed.jpg'), await sharp(original).jpeg({ quality: 40 }).toBuffer());
  fs.writeFileSync(path.join(folder, 'p0001-padded.png'), await sharp(original).extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' }).png().toBuffer());
}
