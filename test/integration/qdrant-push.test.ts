import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-main/api/errors.js';
import type { Catalog } from '../../src-main/catalog/catalog.js';
import { listingsOfImages } from '../../src-main/index/catalog-source.js';
import { type PushSource, QdrantStore, pushToQdrant, qdrantHealth } from '../../src-main/index/qdrant.js';
import { pushedCount, sqliteCheckpoint } from '../../src-main/index/stores.js';
import { fixtureCatalog, makeFixture } from './search-suite.js';

/**
 * Just enough of Qdrant's REST API to watch a push: collections, payload indexes, retrieve,
 * upsert, batch update. `failAfterUpserts` makes it drop connections, like a server going away.
 */
class FakeQdrant {
  points = new Map<string, { vector: Record<string, number[]>; payload: unknown }>();
  collections = new Map<string, Record<string, { size: number }>>();
  upserts = 0;
  failAfterUpserts = Number.POSITIVE_INFINITY;
  /** Newer servers can add a named vector to an existing collection. */
  addVectors = false;
  private server = http.createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const json = body ? JSON.parse(body) : {};
    const [, , name, ...rest] = (req.url ?? '').split('?')[0]!.split('/');
    const route = `${req.method} ${rest.join('/')}`;
    const ok = (result: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result, status: 'ok', time: 0 }));
    };
    if (route === 'GET exists') return ok({ exists: this.collections.has(name!) });
    if (route === 'PUT ') {
      this.collections.set(name!, json.vectors);
      return ok(true);
    }
    if (req.method === 'PUT' && rest[0] === 'vectors' && this.addVectors) {
      this.collections.get(name!)![rest[1]!] = { size: json.dense.size };
      return ok({ operation_id: 0, status: 'completed' });
    }
    if (route === 'GET ') return ok({ status: 'green', points_count: this.points.size, config: { params: { vectors: this.collections.get(name!) } } });
    if (route === 'PUT index') return ok({ operation_id: 1, status: 'completed' });
    if (route === 'POST points') return ok((json.ids as string[]).filter((id) => this.points.has(id)).map((id) => ({ id })));
    if (route === 'PUT points') {
      if (++this.upserts > this.failAfterUpserts) {
        req.socket.destroy();
        return;
      }
      for (const p of json.points) this.points.set(p.id, { vector: p.vector, payload: p.payload });
      return ok({ operation_id: this.upserts, status: 'completed' });
    }
    if (route === 'POST points/batch') {
      for (const op of json.operations) {
        for (const p of op.update_vectors?.points ?? []) Object.assign(this.points.get(p.id)!.vector, p.vector);
        if (op.overwrite_payload) for (const id of op.overwrite_payload.points) this.points.get(id)!.payload = op.overwrite_payload.payload;
      }
      return ok([{ operation_id: 0, status: 'completed' }]);
    }
    res.writeHead(404).end(JSON.stringify({ status: { error: `fake Qdrant has no ${route}` } }));
  }
}

const fixture = makeFixture(300);
let catalog: Catalog;
let dir: string;
const source = (modelId = 'm'): PushSource => ({
  modelId,
  revision: 'r1',
  dim: fixture.dim,
  count: fixture.images.length,
  rows: () => catalog.iterateEmbeddings(modelId, 'r1', 64),
  payloads: (shas) => listingsOfImages(catalog, shas),
});

beforeAll(() => {
  ({ catalog, dir } = fixtureCatalog(fixture, 'm', 'r1'));
  catalog.putEmbeddings('clip', 'r1', fixture.images);
});
afterAll(() => {
  catalog.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('Qdrant unreachable', () => {
  it('reports it in the status, fails a push and a search with one clear line, and loses nothing', async () => {
    const settings = { url: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2000 };
    const health = await qdrantHealth(settings, 'c1');
    expect(health.reachable).toBe(false);
    expect(health.error).toMatch(/^Qdrant at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\); local search still works$/);

    const push = pushToQdrant(settings, 'c1', source(), sqliteCheckpoint(catalog));
    await expect(push).rejects.toBeInstanceOf(ApiError);
    await expect(push).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/unreachable/) });
    expect(pushedCount(catalog, 'c1', 'm', 'r1')).toBe(0);
    await expect(QdrantStore.open(settings, 'c1', { modelId: 'm', revision: 'r1', dim: fixture.dim })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('rejects a malformed URL as bad input', async () => {
    await expect(pushToQdrant({ url: 'not a url' }, 'c1', source(), sqliteCheckpoint(catalog))).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('resumable push (fake Qdrant)', () => {
  const qdrant = new FakeQdrant();
  beforeAll(() => qdrant.start());
  afterAll(() => qdrant.stop());

  it('keeps the confirmed batches when the server goes away, then sends only the rest', async () => {
    const settings = { url: qdrant.url, timeoutMs: 5000 };
    const checkpoint = sqliteCheckpoint(catalog);
    qdrant.failAfterUpserts = 3;
    await expect(pushToQdrant(settings, 'c2', source(), checkpoint, { batchSize: 50 })).rejects.toMatchObject({ code: 'unavailable' });
    expect(pushedCount(catalog, 'c2', 'm', 'r1')).toBe(150);
    expect(qdrant.points.size).toBe(150);

    qdrant.failAfterUpserts = Number.POSITIVE_INFINITY;
    const resumed = await pushToQdrant(settings, 'c2', source(), checkpoint, { batchSize: 50 });
    expect(resumed).toMatchObject({ total: 300, pushed: 150, alreadyPushed: 150, vector: 'm' });
    expect(qdrant.points.size).toBe(300);
    expect(pushedCount(catalog, 'c2', 'm', 'r1')).toBe(300);

    // Idempotent: nothing left to send.
    expect(await pushToQdrant(settings, 'c2', source(), checkpoint)).toMatchObject({ pushed: 0, alreadyPushed: 300 });
  });

  it('adds a second model as another named vector of the same points, keeping the first', async () => {
    const settings = { url: qdrant.url };
    const checkpoint = sqliteCheckpoint(catalog);
    await pushToQdrant(settings, 'c3', source('m'), checkpoint);
    // A server that cannot add a named vector: the error says what to do, nothing is recorded.
    await expect(pushToQdrant(settings, 'c3', source('clip'), checkpoint)).rejects.toThrow(/has no "clip" vector .* push with --recreate/);
    expect(pushedCount(catalog, 'c3', 'clip', 'r1')).toBe(0);
    qdrant.addVectors = true;
    expect(await pushToQdrant(settings, 'c3', source('clip'), checkpoint)).toMatchObject({ pushed: 300, vector: 'clip' });
    const point = [...qdrant.points.values()].find((p) => (p.payload as { sha256: string }).sha256 === fixture.images[7]!.sha256)!;
    expect(Object.keys(point.vector).sort()).toEqual(['clip', 'm']);
  });

  it('re-sends a point whose listings changed', async () => {
    const settings = { url: qdrant.url };
    const checkpoint = sqliteCheckpoint(catalog);
    catalog.db.prepare("UPDATE listings SET title = 'Renamed' WHERE id = 'L0007'").run();
    const again = await pushToQdrant(settings, 'c3', source('m'), checkpoint);
    expect(again).toMatchObject({ pushed: 1, alreadyPushed: 299 });
    const point = [...qdrant.points.values()].find((p) => (p.payload as { sha256: string }).sha256 === fixture.images[7]!.sha256);
    expect((point?.payload as { listings: Array<{ title: string }> }).listings[0]?.title).toBe('Renamed');
    expect(Object.keys(point!.vector).sort()).toEqual(['clip', 'm']);
  });
});
