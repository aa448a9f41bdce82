import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../src-main/dispatch/invoke.js';
import type { CallContext } from '../../src-main/features/context.js';
import { handlers } from '../../src-main/dispatch/handlers.js';
import type { Catalog } from '../../src-main/catalog/catalog.js';
import { NotFoundError } from '../../src-main/engine/errors.js';
import type { Embedder } from '../../src-main/engine/types.js';
import { Services } from '../../src-main/features/services.js';
import { loadConfig } from '../../src-main/shared/config.js';
import { fixtureCatalog, makeFixture, sha } from './search-suite.js';

const fixture = makeFixture(120);
const textVector = fixture.queries[0]!;

/** Image bytes [i] embed to fixture image i's vector; every text to one fixed vector. */
const embedder: Embedder = {
  id: 'm',
  revision: 'r1',
  family: 'siglip',
  dim: fixture.dim,
  scoring: { kind: 'sigmoid', scale: 10, bias: -5 },
  provider: 'cpu',
  embedImages: async (images) => images.map((b) => Float32Array.from(fixture.images[b[0] as number]!.vector)),
  embedTexts: async (texts) => texts.map(() => Float32Array.from(textVector)),
};

class TestServices extends Services {
  override get models() {
    return {
      embedder: async (id?: string) => {
        if (id && id !== 'm') throw new NotFoundError(`no model pack "${id}" (installed: m)`);
        return embedder;
      },
    } as unknown as Services['models'];
  }
}

let dir: string;
let services: TestServices;
let catalog: Catalog;
const call = (method: string, input: unknown) => {
  const ctx: CallContext = { services, progress: () => {}, signal: new AbortController().signal };
  return invoke(handlers, method, input, ctx) as Promise<any>;
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const ranking = (q: Float32Array) => [...fixture.images].sort((a, b) => dot(b.vector, q) - dot(a.vector, q)).map((im) => im.sha256);

beforeAll(() => {
  const made = fixtureCatalog(fixture, 'm', 'r1');
  made.catalog.close();
  dir = made.dir;
  // Without a Qdrant server configured, whatever the machine's QDRANT_URL says.
  services = new TestServices({ config: { ...loadConfig(), dbPath: path.join(dir, 'catalog.db'), qdrant: undefined } });
  catalog = services.catalog;
});
afterAll(() => {
  services.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('search.query', () => {
  it('answers a text query with listing fields, image path, cosine score and the model', async () => {
    const out = await call('search.query', { text: 'red dress', k: 5 });
    expect(out).toMatchObject({ model: 'm', store: 'local', method: 'exact', searched: 120 });
    expect(out.results.map((r: { sha256: string }) => r.sha256)).toEqual(ranking(textVector).slice(0, 5));
    const first = out.results[0];
    const index = fixture.images.findIndex((im) => im.sha256 === first.sha256);
    expect(first.score).toBeCloseTo(dot(fixture.images[index]!.vector, textVector), 5);
    expect(first.image).toBe(`/photos/${first.sha256.slice(0, 8)}.jpg`);
    expect(first.listing).toEqual({ id: `L${String(index).padStart(4, '0')}`, sku: `SKU-${index}`, title: `Product ${index}`, category: expect.any(String), price: expect.any(Number), seller: expect.any(String) });
  });

  it('"more like this" on a catalog image leaves the image itself out and returns one result per image with all its listings', async () => {
    const out = await call('search.query', { image: { sha256: sha(1) }, k: 3 });
    const want = ranking(fixture.images[1]!.vector).filter((s) => s !== sha(1)).slice(0, 3);
    expect(out.results.map((r: { sha256: string }) => r.sha256)).toEqual(want);
    const self = await call('search.query', { image: { sha256: sha(2) }, text: 'x', textWeight: 0, k: 1 });
    expect(self.results[0].sha256).toBe(sha(2));
    const shared = await call('search.query', { image: { sha256: sha(1) }, text: 'x', textWeight: 0, k: 1 });
    expect(shared.results[0].listings.map((l: { id: string }) => l.id)).toEqual(['L0001', 'L9001']);
  });

  it('takes an image file or uploaded bytes', async () => {
    const file = path.join(dir, 'query.jpg');
    fs.writeFileSync(file, Buffer.from([9, 1, 2]));
    const byPath = await call('search.query', { image: { path: file }, k: 1 });
    const byBytes = await call('search.query', { image: { bytes: Buffer.from([9]).toString('base64') }, k: 1 });
    expect(byPath.results[0].sha256).toBe(sha(9));
    expect(byBytes.results[0].sha256).toBe(sha(9));
  });

  it('weights image and text: w = 0 ranks like the image, w = 1 like the text, between moves towards the text', async () => {
    const img = { sha256: sha(30) };
    const w0 = await call('search.query', { image: img, text: 'in red', textWeight: 0, k: 10 });
    const w1 = await call('search.query', { image: img, text: 'in red', textWeight: 1, k: 10 });
    const mid = await call('search.query', { image: img, text: 'in red', textWeight: 0.5, k: 10 });
    expect(w0.results.map((r: { sha256: string }) => r.sha256)).toEqual(ranking(fixture.images[30]!.vector).slice(0, 10));
    expect(w1.results.map((r: { sha256: string }) => r.sha256)).toEqual(ranking(textVector).slice(0, 10));
    // Mean similarity of the top 10 to the text grows with w.
    const textSim = (res: { results: Array<{ sha256: string }> }) =>
      res.results.reduce((s, r) => s + dot(fixture.images.find((im) => im.sha256 === r.sha256)!.vector, textVector), 0) / res.results.length;
    expect(textSim(mid)).toBeGreaterThan(textSim(w0));
    expect(textSim(w1)).toBeGreaterThan(textSim(mid));
  });

  it('filters by listing fields and returns only the listings that pass', async () => {
    const out = await call('search.query', { text: 'x', k: 50, filter: { category: 'dresses', seller: 'nova' } });
    expect(out.results.length).toBeGreaterThan(0);
    for (const r of out.results) {
      expect(r.listings.length).toBeGreaterThan(0);
      for (const l of r.listings) expect([l.category, l.seller]).toEqual(['dresses', 'nova']);
      expect(r.listing).toEqual(r.listings[0]);
    }
    expect(out.results.map((r: { sha256: string }) => r.sha256)).toContain(sha(1));
  });

  it('reuses the loaded store and reloads it when the model\'s vectors change', async () => {
    const a = await services.stores.local({ modelId: 'm', revision: 'r1', dim: fixture.dim });
    expect(await services.stores.local({ modelId: 'm', revision: 'r1', dim: fixture.dim })).toBe(a);
    const extra = { sha256: 'f'.repeat(64), vector: Float32Array.from(textVector) };
    catalog.db.prepare("INSERT INTO images (sha256, byte_size, width, height, format, created_at) VALUES (?, 1, 1, 1, 'jpeg', 0)").run(extra.sha256);
    catalog.putEmbeddings('m', 'r1', [extra]);
    const out = await call('search.query', { text: 'x', k: 1 });
    expect(out.results[0]).toMatchObject({ sha256: extra.sha256, listing: null, listings: [], image: null });
    expect(await services.stores.local({ modelId: 'm', revision: 'r1', dim: fixture.dim })).not.toBe(a);
  });

  it.each([
    [{}, 'bad_request', /give an image, a text, or both/],
    [{ text: '   ' }, 'bad_request', /text is empty/],
    [{ text: 'x', k: 0 }, 'bad_request', /k/],
    [{ text: 'x', k: 501 }, 'bad_request', /k/],
    [{ text: 'x', textWeight: 1.5 }, 'bad_request', /textWeight/],
    [{ text: 'x', filter: { priceMin: 50, priceMax: 10 } }, 'bad_request', /priceMin is above priceMax/],
    [{ text: 'x', model: 'nope' }, 'not_found', /no model pack "nope"/],
    [{ image: { sha256: 'a'.repeat(64) } }, 'not_found', /no image aaaaaaaaaaaa… in the catalog/],
    [{ image: { path: '/no/such/file.jpg' } }, 'bad_request', /cannot read image file \/no\/such\/file.jpg \(ENOENT\)/],
    [{ text: 'x', store: 'qdrant' }, 'unavailable', /Qdrant is not configured/],
  ])('rejects %j with %s', async (input, code, message) => {
    await expect(call('search.query', input)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

describe('Qdrant unreachable through the API', () => {
  let url: string;
  beforeAll(async () => {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    await new Promise((r) => s.close(r));
  });

  it('status says so in one line; a Qdrant search fails clearly; local search still works; a push fails and records nothing', async () => {
    const status = await call('search.qdrantStatus', { qdrant: { url } });
    expect(status).toMatchObject({ configured: true, reachable: false, error: expect.stringMatching(/unreachable \(ECONNREFUSED\)/) });
    expect(status.models).toEqual([{ model: 'm', revision: 'r1', vector: 'm', local: expect.any(Number), pushed: 0 }]);
    await expect(call('search.query', { text: 'x', store: 'qdrant', qdrant: { url } })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/unreachable/) });
    expect((await call('search.query', { text: 'x', k: 2 })).results).toHaveLength(2);
    await expect(call('search.qdrantPush', { qdrant: { url } })).rejects.toMatchObject({ code: 'unavailable' });
    expect((await call('search.qdrantStatus', { qdrant: { url } })).models[0].pushed).toBe(0);
  });

  it('status without any URL reports "not configured"', async () => {
    expect(await call('search.qdrantStatus', {})).toMatchObject({ configured: false, reachable: false, error: expect.stringMatching(/not configured/) });
  });
});
