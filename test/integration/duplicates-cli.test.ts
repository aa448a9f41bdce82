import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

/**
 * A small catalog through the real CLI: `lookalike import` then `lookalike duplicates`. One demo
 * product is re-uploaded byte for byte under a second listing, recompressed by a second seller
 * and padded (as PNG) by a third; seven other demo products are unrelated.
 */
const DEMO = path.resolve('resources/demo-catalog/images');
let dir: string;
let db: string;
const file = (name: string) => path.join(dir, 'images', name);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-duplicates-'));
  db = path.join(dir, 'catalog.db');
  fs.mkdirSync(path.join(dir, 'images'));
  for (const n of ['0001', '0003', '0004', '0005', '0006', '0007', '0008', '0009']) fs.copyFileSync(path.join(DEMO, `l${n}.jpg`), file(`p${n}.jpg`));
  const original = fs.readFileSync(file('p0001.jpg'));
  fs.writeFileSync(file('p0001-recompressed.jpg'), await sharp(original).jpeg({ quality: 40 }).toBuffer());
  fs.writeFileSync(file('p0001-padded.png'), await sharp(original).extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' }).png().toBuffer());
  const rows = [
    'id,sku,title,description,category,price,seller,image',
    'A1,S1,Orange bottle,,bottle,7,shop_a,p0001.jpg',
    'A2,S1,Orange bottle (again),,bottle,7,shop_a,p0001.jpg',
    'B1,S2,Orange bottle cheap,,bottle,6,shop_b,p0001-recompressed.jpg',
    'C1,S3,Orange bottle deal,,bottle,6,shop_c,p0001-padded.png',
    ...['0003', '0004', '0005', '0006', '0007', '0008', '0009'].map((n, i) => `X${i},K${i},Item ${n},,misc,1,shop_x,p${n}.jpg`),
  ];
  fs.writeFileSync(path.join(dir, 'listings.csv'), `${rows.join('\n')}\n`);
  const index = await cli(['import', path.join(dir, 'images'), '--listings', path.join(dir, 'listings.csv'), '--db', db]);
  expect(index.code, index.stderr).toBe(0);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const groupWith = (out: any, name: string) => out.groups.find((g: any) => g.images.some((p: string) => p.endsWith(name)));

describe('lookalike duplicates', () => {
  it('near tier: the re-upload, the recompressed and the padded copy form one group across three sellers', async () => {
    const r = await cli(['duplicates', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.tier).toBe('near');
    const g = groupWith(out, 'p0001.jpg');
    expect(g.images.map((p: string) => path.basename(p)).sort()).toEqual(['p0001-padded.png', 'p0001-recompressed.jpg', 'p0001.jpg']);
    expect(g.sellers).toBe(3);
    expect(g.listings.map((l: any) => l.id).sort()).toEqual(['A1', 'A2', 'B1', 'C1']);
    expect(out.groups[0]).toBe(g); // largest group first
    for (const p of g.pairs) {
      expect(typeof p.hash_distance).toBe('number');
      expect(p.cosine === null || typeof p.cosine === 'number').toBe(true);
      expect(fs.existsSync(p.a) && fs.existsSync(p.b)).toBe(true);
    }
    // Unrelated products stay out of every group.
    for (const other of ['p0003.jpg', 'p0004.jpg', 'p0005.jpg']) expect(groupWith(out, other)).toBeUndefined();
  });

  it('exact tier: only the byte-identical re-upload (one image, two listings)', async () => {
    const out = (await cli(['duplicates', '--tier', 'exact', '--db', db])).json();
    expect(out.groups).toHaveLength(1);
    expect(out.groups[0].images.map((p: string) => path.basename(p))).toEqual(['p0001.jpg']);
    expect(out.groups[0].listings.map((l: any) => l.id).sort()).toEqual(['A1', 'A2']);
  });

  it('similar tier never repeats a near pair', async () => {
    const near = (await cli(['duplicates', '--db', db])).json();
    const similar = (await cli(['duplicates', '--tier', 'similar', '--threshold', '0.5', '--db', db])).json();
    const key = (p: any) => [p.a, p.b].sort().join('|');
    const nearPairs = new Set(near.groups.flatMap((g: any) => g.pairs.filter((p: any) => p.tier === 'near' || p.tier === 'exact').map(key)));
    for (const g of similar.groups) for (const p of g.pairs) if (p.tier === 'similar') expect(nearPairs.has(key(p))).toBe(false);
    for (const g of similar.groups) expect(g.pairs.filter((p: any, i: number) => i < g.images.length - 1).every((p: any) => p.tier === 'similar')).toBe(true);
  });

  it('CSV output has a header and one row per listing of each group member', async () => {
    const r = await cli(['duplicates', '--format', 'csv', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split(/\r\n/);
    expect(lines[0]).toMatch(/^group,tier,group_size,group_sellers,sha256,centre,keep,path,listing_id,seller,title/);
    expect(lines.filter((l) => l.includes('p0001'))).toHaveLength(4);
  });

  it('bad usage exits 2 with a one-line message and changes nothing', async () => {
    const bad = await cli(['duplicates', '--tier', 'fuzzy', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tier must be one of exact, near, similar/);
    const exactWithThreshold = await cli(['duplicates', '--tier', 'exact', '--threshold', '0.9', '--db', db]);
    expect(exactWithThreshold.code).toBe(2);
    expect((await cli(['duplicates', '--threshold', '2', '--db', db])).code).toBe(2);
  });

  it('answers to its older name, dupes, with the same output; --help names the alias', async () => {
    const viaAlias = await cli(['dupes', '--tier', 'exact', '--db', db]);
    expect(viaAlias.code, viaAlias.stderr).toBe(0);
    expect(viaAlias.json()).toEqual((await cli(['duplicates', '--tier', 'exact', '--db', db])).json());
    expect((await cli(['--help'])).stdout).toMatch(/^  duplicates +Duplicate listings.*\(alias: dupes\)$/m);
    expect((await cli(['dupes', '--help'])).stdout).toMatch(/^Usage: lookalike duplicates [\s\S]*Alias: lookalike dupes$/m);
  });
});

describe('decisions through the API', () => {
  it('a pair marked not-duplicate never shares a group again; decisions persist and export', async () => {
    const { Services } = await import('../../src-main/features/services.js');
    const { invoke } = await import('../../src-main/dispatch/invoke.js');
    const { handlers } = await import('../../src-main/dispatch/handlers.js');
    const call = async (services: InstanceType<typeof Services>, method: string, input: unknown): Promise<any> =>
      invoke(handlers, method, input, { services, progress: () => {}, signal: new AbortController().signal });

    let services = new Services({ dbPath: db });
    const before = await call(services, 'duplicates.find', { tier: 'near' });
    const g = before.groups[0];
    const [centre, member] = [g.images[0].sha256, g.images[1].sha256];
    await call(services, 'duplicates.decide', { a: centre, b: member, decision: 'not_duplicate' });
    await call(services, 'duplicates.decide', { group: { keep: centre, duplicates: [g.images[2].sha256] } });
    await expect(call(services, 'duplicates.decide', { a: centre, b: 'f'.repeat(64), decision: 'duplicate' })).rejects.toThrow(/no image/);
    services.close();

    // A fresh process-equivalent: decisions come from the database.
    services = new Services({ dbPath: db });
    const after = await call(services, 'duplicates.find', { tier: 'near' });
    for (const grp of after.groups) {
      const shas = grp.images.map((i: any) => i.sha256);
      expect(shas.includes(centre) && shas.includes(member)).toBe(false);
    }
    const kept = after.groups.find((x: any) => x.images.some((i: any) => i.sha256 === centre));
    expect(kept.images.find((i: any) => i.sha256 === centre).keep).toBe(true);
    expect(kept.pairs.find((p: any) => [p.a, p.b].includes(g.images[2].sha256)).decision).toBe('duplicate');

    const decisions = await call(services, 'duplicates.decisions', {});
    expect(decisions.pairs.map((p: any) => p.decision).sort()).toEqual(['duplicate', 'not_duplicate']);
    expect(decisions.keeps.map((k: any) => k.sha256)).toEqual([centre]);

    const csv = await call(services, 'duplicates.export', { what: 'decisions', format: 'csv' });
    expect(csv.text.split('\r\n')[0]).toBe('kind,decision,a_sha256,a_path,b_sha256,b_path,decided_at');
    expect(csv.rows).toBe(3);
    const json = JSON.parse((await call(services, 'duplicates.export', { what: 'groups', format: 'json' })).text);
    expect(json.groups.length).toBe(after.totalGroups);
    expect(json.settings.tier).toBe('near');

    // Clearing the verdict lets the pair group again.
    await call(services, 'duplicates.decide', { a: centre, b: member, decision: 'clear' });
    const cleared = await call(services, 'duplicates.find', { tier: 'near' });
    expect(cleared.groups[0].images.map((i: any) => i.sha256)).toEqual(expect.arrayContaining([centre, member]));

    const dist = await call(services, 'duplicates.distribution', { tier: 'near', bins: 20 });
    expect(dist.cosine.all.counts).toHaveLength(20);
    expect(dist.hashDistance.all.counts.reduce((a: number, b: number) => a + b, 0)).toBe(dist.pairs);
    services.close();
  });
});
