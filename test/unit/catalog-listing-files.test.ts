import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ListingFileError, parsePrice, readListingFile } from '../../src-main/catalog/listing-files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-listings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('listing files', () => {
  it('reads CSV with a BOM, any column case, quoted commas and several images per row', async () => {
    const file = write(
      'a.csv',
      '\uFEFFID,Title,Description,Category,Price,Seller,URL,Images\n' +
        'L1,"Red mug, large","Big, red",mug,"$1,299.00",shop,https://x/1,a.jpg|b.jpg\n' +
        'L2,Blue mug,,mug,12.5,shop,,sub/c.jpg; d.jpg\n',
    );
    const { rows, problems } = await readListingFile(file);
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 'L1', title: 'Red mug, large', description: 'Big, red', price: 1299, seller: 'shop', url: 'https://x/1', images: ['a.jpg', 'b.jpg'], where: 'a.csv:2' });
    expect(rows[1]).toMatchObject({ id: 'L2', description: '', url: null, images: ['sub/c.jpg', 'd.jpg'] });
  });

  it('takes sku as the id when there is no id column, and semicolon-separated files', async () => {
    const { rows } = await readListingFile(write('b.csv', 'sku;title;price;image\nS-1;Chair;12,99;chair.jpg\n'));
    expect(rows[0]).toMatchObject({ id: 'S-1', sku: 'S-1', title: 'Chair', price: 12.99, images: ['chair.jpg'] });
  });

  it('reports malformed rows with their line and keeps the good ones', async () => {
    const file = write(
      'c.csv',
      'id,title,price,image\n' + 'A,ok,1,a.jpg\n' + ',no id,2,b.jpg\n' + 'B,too,many,fields,here\n' + 'A,repeat,3,c.jpg\n' + 'C,bad price,call us,d.jpg\n',
    );
    const { rows, problems } = await readListingFile(file);
    expect(rows.map((r) => r.id)).toEqual(['A', 'C']);
    expect(rows[1]!.price).toBeNull();
    expect(problems).toEqual([
      { where: 'c.csv:4', error: expect.stringMatching(/record length|columns/i), skipped: true },
      { where: 'c.csv:3', error: 'no id or sku', skipped: true },
      { where: 'c.csv:5', error: 'repeats listing id "A" of c.csv:2', skipped: true },
      { where: 'c.csv:6', error: 'price "call us" is not a number; imported without a price', skipped: false },
    ]);
  });

  it('reads JSON arrays, {"listings": [...]} and JSONL with image arrays', async () => {
    const a = await readListingFile(write('d.json', JSON.stringify([{ id: 1, title: 'One', images: ['x.png', 'y.png'], price: 3 }])));
    expect(a.rows[0]).toMatchObject({ id: '1', title: 'One', images: ['x.png', 'y.png'], price: 3 });
    const b = await readListingFile(write('e.json', JSON.stringify({ listings: [{ sku: 'k', image: 'z.png' }] })));
    expect(b.rows[0]).toMatchObject({ id: 'k', images: ['z.png'] });
    const c = await readListingFile(write('f.jsonl', '{"id":"a","title":"A","image":"a.jpg"}\n\n{broken\n[1,2]\n{"id":"b","title":"B"}\n'));
    expect(c.rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect(c.problems).toEqual([
      { where: 'f.jsonl:3', error: expect.stringContaining('invalid JSON'), skipped: true },
      { where: 'f.jsonl:4', error: 'not an object', skipped: true },
    ]);
  });

  it('refuses a whole file that is missing or not JSON', async () => {
    await expect(readListingFile(path.join(dir, 'nope.csv'))).rejects.toThrow(ListingFileError);
    await expect(readListingFile(write('g.json', '{"id": '))).rejects.toThrow(/not valid JSON/);
    await expect(readListingFile(write('h.json', '{"rows": []}'))).rejects.toThrow(/array of listings/);
  });

  it('parses prices in the usual shapes', () => {
    expect([parsePrice('12.5'), parsePrice('$1,299.00'), parsePrice('12,99'), parsePrice('12.99 EUR'), parsePrice(''), parsePrice(undefined), parsePrice('n/a')]).toEqual([
      12.5, 1299, 12.99, 12.99, null, null, undefined,
    ]);
  });
});
