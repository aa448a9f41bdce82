import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { cli } from './cli.js';

/**
 * Two listing files in one catalog, through the real CLI. Ours (listings.csv): shop_a lists one
 * bottle twice (A1 with three photos, A2 with a recompressed copy of A1's first photo and one
 * other), shop_b shows a padded copy of that photo next to its own (B1), shop_d a hue-rotated copy
 * of one of A1's other photos (a colour variant, not a copy), the rest are unrelated. A supplier's
 * export (supplier.csv, imported as a second source) holds a resized copy of A1's third photo, a
 * recompressed copy of an unrelated listing's photo, and a product of its own.
 */
export async function buildListingsCatalog(): Promise<{ dir: string; db: string }> {
  const DEMO = path.resolve('resources/demo-catalog/images');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-duplicates-listings-'));
  const db = path.join(dir, 'catalog.db');
  const ours = (name: string) => path.join(dir, 'ours', name);
  const theirs = (name: string) => path.join(dir, 'supplier', name);
  fs.mkdirSync(path.join(dir, 'ours'));
  fs.mkdirSync(path.join(dir, 'supplier'));
  for (const n of ['0001', '0003', '0004', '0005', '0006', '0007', '0008', '0009']) fs.copyFileSync(path.join(DEMO, `l${n}.jpg`), ours(`p${n}.jpg`));
  const read = (n: string) => fs.readFileSync(ours(`p${n}.jpg`));
  fs.writeFileSync(ours('p0001-recompressed.jpg'), await sharp(read('0001')).jpeg({ quality: 40 }).toBuffer());
  fs.writeFileSync(ours('p0001-padded.png'), await sharp(read('0001')).extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' }).png().toBuffer());
  fs.writeFileSync(ours('p0003-blue.jpg'), await sharp(read('0003')).modulate({ hue: 150 }).jpeg({ quality: 90 }).toBuffer());
  const rows = [
    'id,sku,title,description,category,price,seller,images',
    'A1,S1,Orange bottle,,bottle,7,shop_a,p0001.jpg|p0003.jpg|p0004.jpg',
    'A2,S1,Orange bottle (again),,bottle,7,shop_a,p0001-recompressed.jpg|p0005.jpg',
    'B1,S2,Orange bottle cheap,,bottle,6,shop_b,p0006.jpg|p0001-padded.png',
    'D1,S4,Bottle in blue,,bottle,6,shop_d,p0003-blue.jpg',
    'X1,K1,Item 7,,misc,1,shop_x,p0007.jpg',
    'X2,K2,Item 8,,misc,1,shop_x,p0008.jpg',
    'X3,K3,Item 9,,misc,1,shop_y,p0009.jpg',
  ];
  fs.writeFileSync(path.join(dir, 'listings.csv'), `${rows.join('\n')}\n`);
  let r = await cli(['import', path.join(dir, 'ours'), '--listings', path.join(dir, 'listings.csv'), '--db', db]);
  if (r.code !== 0) throw new Error(`index failed: ${r.stderr}`);
  fs.writeFileSync(theirs('s-0004.jpg'), await sharp(read('0004')).resize(160).jpeg({ quality: 80 }).toBuffer());
  fs.writeFileSync(theirs('s-0008.jpg'), await sharp(read('0008')).jpeg({ quality: 45 }).toBuffer());
  fs.copyFileSync(path.join(DEMO, 'l0010.jpg'), theirs('s-0010.jpg'));
  const supplier = ['id,sku,title,description,category,price,seller,images', 'S1,T1,Bottle,,bottle,5,supplier,s-0004.jpg', 'S2,T2,Thing,,misc,1,supplier,s-0008.jpg', 'S3,T3,Own product,,misc,2,supplier,s-0010.jpg'];
  fs.writeFileSync(path.join(dir, 'supplier.csv'), `${supplier.join('\n')}\n`);
  r = await cli(['import', path.join(dir, 'supplier'), '--listings', path.join(dir, 'supplier.csv'), '--db', db]);
  if (r.code !== 0) throw new Error(`index failed: ${r.stderr}`);
  return { dir, db };
}
