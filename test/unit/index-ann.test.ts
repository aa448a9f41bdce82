import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { annFiles } from '../../src-main/index/ann.js';
import { LocalStore, type LocalStoreOptions } from '../../src-main/index/local.js';
import { TopK, VectorMatrix } from '../../src-main/index/matrix.js';
import type { VectorRow } from '../../src-main/catalog/vectors.js';

function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

function rows(n: number, dim: number, seed = 1, offset = 0): VectorRow[] {
  const r = rand(seed);
  return Array.from({ length: n }, (_, i) => {
    const v = Float32Array.from({ length: dim }, r);
    const norm = Math.hypot(...v);
    return { sha256: (i + offset).toString(16).padStart(64, '0'), vector: v.map((x) => x / norm) };
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-ann-'));
  dirs.push(d);
  return d;
}

function options(data: VectorRow[], extra: Partial<LocalStoreOptions> = {}): LocalStoreOptions & { logs: string[] } {
  const logs: string[] = [];
  return { modelId: 'm', revision: 'r1', dim: data[0]!.vector.length, count: data.length, resolveFilter: () => [], log: (l) => logs.push(l), logs, ...extra };
}

describe('TopK', () => {
  it('keeps the k best of a stream, sorted, ties by sha', () => {
    const r = rand(3);
    const items = Array.from({ length: 500 }, (_, i) => ({ score: Math.round(r() * 50) / 50, sha256: i.toString(16).padStart(4, '0') }));
    const heap = new TopK(25);
    for (const it of items) heap.push(it.score, it.sha256);
    const want = [...items].sort((a, b) => b.score - a.score || (a.sha256 < b.sha256 ? -1 : 1)).slice(0, 25);
    expect(heap.sorted()).toEqual(want);
  });
});

describe('VectorMatrix', () => {
  it('exact scan (SIMD) equals a brute-force JS scan, and skips removed rows', () => {
    const data = rows(300, 32);
    const m = new VectorMatrix(32, 4);
    for (const r of data) m.set(r.sha256, r.vector);
    const q = data[5]!.vector;
    const brute = data.map((r) => ({ sha256: r.sha256, score: m.dot(m.rowOf(r.sha256)!, q) })).sort((a, b) => b.score - a.score);
    expect(m.scanAll(q, 10)).toEqual(brute.slice(0, 10));
    m.remove(data[5]!.sha256);
    expect(m.scanAll(q, 10).map((h) => h.sha256)).toEqual(brute.slice(1, 11).map((h) => h.sha256));
    expect(() => m.set('x', new Float32Array(31))).toThrow(/31 values, expected 32/);
  });
});

describe('LocalStore with HNSW', () => {
  it('has recall@10 >= 0.95 against the exact scan on random data', async () => {
    const data = rows(3000, 48, 11);
    const exact = await LocalStore.open([data], options(data, { annThreshold: Number.POSITIVE_INFINITY }));
    const ann = await LocalStore.open([data], options(data, { annThreshold: 0 }));
    expect([exact.kind, ann.kind]).toEqual(['exact', 'ann']);
    const queries = rows(50, 48, 99);
    let hits = 0;
    for (const { vector } of queries) {
      const want = new Set((await exact.search(vector, 10)).map((h) => h.sha256));
      hits += (await ann.search(vector, 10)).filter((h) => want.has(h.sha256)).length;
    }
    expect(hits / 500).toBeGreaterThanOrEqual(0.95);
  });

  it('switches exact <-> ANN at the threshold', async () => {
    const data = rows(100, 16);
    expect((await LocalStore.open([data], options(data, { annThreshold: 101 }))).kind).toBe('exact');
    expect((await LocalStore.open([data], options(data, { annThreshold: 100 }))).kind).toBe('ann');
  });

  it('saves the index next to the catalog and loads it instead of rebuilding', async () => {
    const dir = tmp();
    const files = annFiles(path.join(dir, 'catalog.db'), 'org/model v2', 'abc');
    expect(path.basename(files.index)).toBe('catalog.db.org_model_v2.abc.hnsw');
    const data = rows(400, 24);
    const first = options(data, { annThreshold: 0, files, modelId: 'org/model v2', revision: 'abc' });
    const built = await LocalStore.open([data], first);
    expect(first.logs).toEqual(['vector index: no saved index; rebuilding']);
    expect(fs.existsSync(files.index) && fs.existsSync(files.keys) && fs.existsSync(files.meta)).toBe(true);
    const second = options(data, { annThreshold: 0, files, modelId: 'org/model v2', revision: 'abc' });
    const loaded = await LocalStore.open([data], second);
    expect(second.logs).toEqual([]);
    const q = data[3]!.vector;
    expect(await loaded.search(q, 10)).toEqual(await built.search(q, 10));
  });

  it.each([
    ['corrupt', (f: string) => fs.writeFileSync(f, Buffer.alloc(fs.statSync(f).size, 7)), /corrupt/],
    ['truncated', (f: string) => fs.truncateSync(f, 100), /wrong size/],
    ['missing', (f: string) => fs.rmSync(f), /missing/],
  ])('rebuilds from the vectors when the saved index is %s', async (_label, damage, reason) => {
    const dir = tmp();
    const files = annFiles(path.join(dir, 'catalog.db'), 'm', 'r1');
    const data = rows(300, 24);
    await LocalStore.open([data], options(data, { annThreshold: 0, files }));
    damage(files.index);
    const opts = options(data, { annThreshold: 0, files });
    const store = await LocalStore.open([data], opts);
    expect(opts.logs.join('\n')).toMatch(reason);
    expect((await store.search(data[9]!.vector, 1))[0]?.sha256).toBe(data[9]!.sha256);
    // ...and saved the rebuilt index: the next open loads it.
    const again = options(data, { annThreshold: 0, files });
    await LocalStore.open([data], again);
    expect(again.logs).toEqual([]);
  });

  it('rebuilds when the revision changed, updates in place when images were added or removed', async () => {
    const dir = tmp();
    const data = rows(400, 24);
    const files = annFiles(path.join(dir, 'catalog.db'), 'm', 'r1');
    await LocalStore.open([data], options(data, { annThreshold: 0, files }));
    // Another revision's sidecar at this path (as if the pack changed in place): rebuild.
    const meta = JSON.parse(fs.readFileSync(files.meta, 'utf8'));
    fs.writeFileSync(files.meta, JSON.stringify({ ...meta, revision: 'r0' }));
    const stale = options(data, { annThreshold: 0, files });
    await LocalStore.open([data], stale);
    expect(stale.logs.join()).toMatch(/another model revision/);

    const changed = [...data.slice(10), ...rows(20, 24, 5, 10_000)];
    const update = options(changed, { annThreshold: 0, files });
    const store = await LocalStore.open([changed], update);
    expect(update.logs).toEqual(['vector index: updating (20 added, 10 removed)']);
    expect(store.size()).toBe(410);
    const added = changed[changed.length - 1]!;
    expect((await store.search(added.vector, 1))[0]?.sha256).toBe(added.sha256);
    expect((await store.search(data[0]!.vector, 410)).map((h) => h.sha256)).not.toContain(data[0]!.sha256);
  });

  it('keeps a saved index when only the query-time ef changed, rebuilds for other build parameters', async () => {
    const dir = tmp();
    const files = annFiles(path.join(dir, 'catalog.db'), 'm', 'r1');
    const data = rows(300, 24);
    const hnsw = { connectivity: 8, expansionAdd: 32, expansionSearch: 32 };
    await LocalStore.open([data], options(data, { annThreshold: 0, files, hnsw }));
    const wider = options(data, { annThreshold: 0, files, hnsw: { ...hnsw, expansionSearch: 200 } });
    const store = await LocalStore.open([data], wider);
    expect(wider.logs).toEqual([]);
    // The new ef is in force: 150 candidates come from the graph, not from the exact fallback.
    expect(await store.search(data[1]!.vector, 150)).toHaveLength(150);
    const denser = options(data, { annThreshold: 0, files, hnsw: { ...hnsw, connectivity: 12 } });
    await LocalStore.open([data], denser);
    expect(denser.logs).toEqual(['vector index: saved index was built with other parameters; rebuilding']);
  });

  it('searches with the index in memory when it cannot be saved (full disk)', async () => {
    const dir = tmp();
    const files = annFiles(path.join(dir, 'catalog.db'), 'm', 'r1');
    // The first temp file the save writes is a link to /dev/full: every write to it fails with ENOSPC.
    fs.symlinkSync('/dev/full', `${files.index}.tmp-${process.pid}`);
    const data = rows(300, 24);
    const opts = options(data, { annThreshold: 0, files });
    const store = await LocalStore.open([data], opts);
    expect(opts.logs[1]).toMatch(/cannot save the vector index .*searching with the index in memory until the next start/);
    expect((await store.search(data[7]!.vector, 1))[0]?.sha256).toBe(data[7]!.sha256);
    expect(fs.existsSync(files.meta)).toBe(false);
  });

  it('stops a build when cancelled', async () => {
    const data = rows(9000, 16);
    const ac = new AbortController();
    const opening = LocalStore.open([data], options(data, { annThreshold: 0, signal: ac.signal, onProgress: (p) => p.phase === 'building vector index' && ac.abort() }));
    await expect(opening).rejects.toThrow(/abort/i);
  });
});
