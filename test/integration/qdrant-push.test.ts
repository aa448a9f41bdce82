import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-main/shared/errors.js';
import type { Catalog } from '../../src-main/catalog/catalog.js';
import { type PushSource, QdrantStore, pushToQdrant, qdrantHealth } from '../../src-main/index/qdrant.js';
import { pushedCount, sqliteCheckpoint } from '../../src-main/index/stores.js';
import { fixtureCatalog, makeFixture, storeSuite } from './search-suite.js';

/** A status code with Qdrant's error body, `{status: {error}}`; `error: null` sends a bare 404. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string | null,
  ) {
    super(error ?? String(status));
  }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const DISTANCES = ['Cosine', 'Euclid', 'Dot', 'Manhattan'];
const FIELD_SCHEMAS = ['keyword', 'integer', 'float', 'bool', 'geo', 'datetime', 'text', 'uuid'];
type Payload = Record<string, unknown>;
type Filter = { must?: unknown[]; should?: unknown[]; must_not?: unknown[] };
interface FakeCollection {
  vectors: Record<string, { size: number; distance: string }>;
  points: Map<string, { vector: Record<string, number[]>; payload: Payload }>;
  indexes: Record<string, string>;
}

/** Qdrant answers point ids as canonical ids: integers, or lowercase hyphenated UUIDs. */
function canonicalId(id: unknown): string {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && UUID.test(id)) {
    const h = id.replace(/-/g, '').toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  throw new HttpError(400, `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
}

function valuesAt(payload: unknown, key: string): unknown[] {
  let values: unknown[] = [payload];
  for (const part of key.split('.')) {
    const field = part.replace(/\[\]$/, '');
    values = values.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) ? [(v as Payload)[field]] : []));
    if (part.endsWith('[]')) values = values.flatMap((v) => (Array.isArray(v) ? v : []));
  }
  return values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined);
}

/** Rejects what Qdrant cannot parse as a Filter (an untagged enum of condition shapes). */
function checkFilter(filter: unknown): Filter {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) throw new HttpError(400, 'Format error in JSON body: invalid type, expected struct Filter');
  for (const [clause, conditions] of Object.entries(filter)) {
    if (!['must', 'should', 'must_not'].includes(clause) || !Array.isArray(conditions)) throw new HttpError(400, `Format error in JSON body: unknown filter clause ${clause}`);
    for (const c of conditions as Array<Record<string, unknown>>) {
      const match = c.match as { value?: unknown } | undefined;
      const range = c.range as Record<string, unknown> | undefined;
      const nested = c.nested as { key?: unknown; filter?: unknown } | undefined;
      const ok =
        (typeof c.key === 'string' && match && ['string', 'number', 'boolean'].includes(typeof match.value) && Object.keys(c).length === 2) ||
        (typeof c.key === 'string' && range && Object.entries(range).every(([k, v]) => ['gt', 'gte', 'lt', 'lte'].includes(k) && typeof v === 'number') && Object.keys(c).length === 2) ||
        (nested && typeof nested.key === 'string' && checkFilter(nested.filter)) ||
        (typeof c.has_vector === 'string' && Object.keys(c).length === 1);
      if (!ok) throw new HttpError(400, 'Format error in JSON body: data did not match any variant of untagged enum Condition');
    }
  }
  return filter as Filter;
}

function passes(filter: Filter | undefined, payload: unknown, vectors: Record<string, unknown> = {}): boolean {
  if (!filter) return true;
  const holds = (c: Record<string, unknown>): boolean => {
    if (typeof c.has_vector === 'string') return c.has_vector in vectors;
    if (c.nested) {
      const { key, filter: inner } = c.nested as { key: string; filter: Filter };
      return valuesAt(payload, key).some((element) => passes(inner, element));
    }
    const values = valuesAt(payload, c.key as string);
    if (c.match) return values.includes((c.match as { value: unknown }).value);
    const r = c.range as { gt?: number; gte?: number; lt?: number; lte?: number };
    return values.some((v) => typeof v === 'number' && !(r.gt !== undefined && v <= r.gt) && !(r.gte !== undefined && v < r.gte) && !(r.lt !== undefined && v >= r.lt) && !(r.lte !== undefined && v > r.lte));
  };
  const all = (cs: unknown[] | undefined) => (cs ?? []) as Array<Record<string, unknown>>;
  return all(filter.must).every(holds) && (!filter.should || all(filter.should).some(holds)) && !all(filter.must_not).some(holds);
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

/**
 * Enough of Qdrant's REST API for what Lookalike calls, checking request bodies the way the
 * server does (point id formats, named vector names and sizes, filter shapes, index schemas) and
 * answering with its response and error shapes. `failAfterUpserts` drops connections like a
 * server going away; `prefix` serves it under a path, like a reverse proxy; `apiKey` wants the
 * api-key header on everything but GET /; `stall` never answers.
 */
class FakeQdrant {
  collections = new Map<string, FakeCollection>();
  upserts = 0;
  failAfterUpserts = Number.POSITIVE_INFINITY;
  /** Writes sent without wait=true: the push records a batch only after Qdrant applied it. */
  unconfirmedWrites = 0;
  /** Newer servers can add a named vector to an existing collection. */
  addVectors = false;
  prefix = '';
  apiKey: string | undefined;
  stall = false;
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

  points(collection: string): FakeCollection['points'] {
    return this.collections.get(collection)!.points;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (this.stall) return;
    const send = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (!url.pathname.startsWith(`${this.prefix}/`)) throw new HttpError(404, null);
      const path = url.pathname.slice(this.prefix.length);
      if (path === '/' && req.method === 'GET') return send(200, { title: 'qdrant - vector search engine', version: '1.19.0', commit: 'fake' });
      if (this.apiKey !== undefined && req.headers['api-key'] !== this.apiKey) throw new HttpError(401, 'Must provide an API key or an Authorization bearer token');
      const result = this.route(req.method ?? 'GET', path, url.searchParams, body ? JSON.parse(body) : {}, req);
      if (result === undefined) return;
      send(200, { result, status: 'ok', time: 0 });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      if (err.error === null) res.writeHead(err.status).end();
      else send(err.status, { status: { error: err.error }, time: 0 });
    }
  }

  private route(method: string, path: string, query: URLSearchParams, json: Record<string, unknown>, req: http.IncomingMessage): unknown {
    const [, top, name = '', ...rest] = path.split('/');
    if (top !== 'collections' || !name) throw new HttpError(404, null);
    const route = `${method} ${rest.join('/')}`;
    const coll = this.collections.get(name);
    if (route === 'GET exists') return { exists: coll !== undefined };
    if (route === 'PUT ') {
      if (coll) throw new HttpError(409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = json.vectors as Record<string, { size: number; distance: string }>;
      for (const v of Object.values(vectors ?? {})) this.checkVectorParams(v);
      this.collections.set(name, { vectors: { ...vectors }, points: new Map(), indexes: {} });
      return true;
    }
    if (!coll) throw new HttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    const wrote = () => {
      if (query.get('wait') !== 'true') this.unconfirmedWrites++;
      return { operation_id: 0, status: query.get('wait') === 'true' ? 'completed' : 'acknowledged' };
    };
    if (route === 'DELETE ') {
      this.collections.delete(name);
      return true;
    }
    if (route === 'GET ') return { status: 'green', points_count: coll.points.size, config: { params: { vectors: coll.vectors } }, payload_schema: coll.indexes };
    if (route === 'PUT index') {
      if (typeof json.field_name !== 'string' || !FIELD_SCHEMAS.includes(json.field_schema as string)) throw new HttpError(400, 'Format error in JSON body: unknown variant of PayloadFieldSchema');
      coll.indexes[json.field_name] = json.field_schema as string;
      return wrote();
    }
    if (method === 'PUT' && rest[0] === 'vectors' && rest[1]) {
      if (!this.addVectors) throw new HttpError(404, null);
      coll.vectors[rest[1]] = this.checkVectorParams((json as { dense: { size: number; distance: string } }).dense);
      return wrote();
    }
    if (route === 'POST points') {
      const ids = (json.ids as unknown[]).map(canonicalId);
      return ids.filter((id) => coll.points.has(id)).map((id) => ({ id, payload: json.with_payload === false ? null : coll.points.get(id)!.payload }));
    }
    if (route === 'PUT points') {
      if (++this.upserts > this.failAfterUpserts) {
        req.socket.destroy();
        return undefined;
      }
      const points = (json.points as Array<{ id: unknown; vector: unknown; payload?: Payload }>).map((p) => ({ id: canonicalId(p.id), vector: this.checkVectors(coll, p.vector), payload: p.payload ?? {} }));
      for (const p of points) coll.points.set(p.id, { vector: p.vector, payload: p.payload });
      return wrote();
    }
    if (route === 'POST points/batch') {
      for (const op of json.operations as Array<Record<string, { points: unknown[]; payload?: Payload }>>) {
        const [kind, ...others] = Object.keys(op);
        if (others.length || (kind !== 'update_vectors' && kind !== 'overwrite_payload')) throw new HttpError(400, 'Format error in JSON body: data did not match any variant of untagged enum UpdateOperation');
        if (kind === 'update_vectors') {
          for (const p of op.update_vectors!.points as Array<{ id: unknown; vector: unknown }>) {
            const point = coll.points.get(canonicalId(p.id));
            if (!point) throw new HttpError(404, `Not found: No point with id ${String(p.id)} found`);
            Object.assign(point.vector, this.checkVectors(coll, p.vector));
          }
        } else {
          for (const id of op.overwrite_payload!.points.map(canonicalId)) {
            const point = coll.points.get(id);
            if (point) point.payload = op.overwrite_payload!.payload ?? {};
          }
        }
      }
      return [wrote()];
    }
    if (route === 'POST points/count') {
      const filter = json.filter === undefined ? undefined : checkFilter(json.filter);
      return { count: [...coll.points.values()].filter((p) => passes(filter, p.payload, p.vector)).length };
    }
    if (route === 'POST points/query') {
      const using = (json.using as string | undefined) ?? '';
      const vector = this.checkVectors(coll, { [using]: json.query })[using]!;
      const limit = json.limit ?? 10;
      if (!Number.isInteger(limit) || (limit as number) < 1) throw new HttpError(400, 'Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]');
      const withPayload = json.with_payload ?? false;
      if (typeof withPayload !== 'boolean' && !(Array.isArray(withPayload) && withPayload.every((k) => typeof k === 'string'))) throw new HttpError(400, 'Format error in JSON body: invalid with_payload');
      const filter = json.filter === undefined ? undefined : checkFilter(json.filter);
      const pick = (payload: Payload) => (withPayload === true ? payload : withPayload === false ? null : Object.fromEntries(withPayload.filter((k) => k in payload).map((k) => [k, payload[k]])));
      const points = [...coll.points.entries()]
        .filter(([, p]) => p.vector[using] && passes(filter, p.payload))
        .map(([id, p]) => ({ id, version: 0, score: p.vector[using]!.reduce((s, x, j) => s + x * vector[j]!, 0), payload: pick(p.payload) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit as number);
      return { points };
    }
    throw new HttpError(404, null);
  }

  private checkVectorParams(v: { size: number; distance: string } | undefined): { size: number; distance: string } {
    if (!v || !Number.isInteger(v.size) || v.size < 1 || !DISTANCES.includes(v.distance)) throw new HttpError(400, 'Format error in JSON body: invalid vector params');
    return { size: v.size, distance: v.distance };
  }

  /** Named vectors only (the collections have no default vector), normalised as Cosine does. */
  private checkVectors(coll: FakeCollection, vector: unknown): Record<string, number[]> {
    if (!vector || typeof vector !== 'object' || Array.isArray(vector)) throw new HttpError(400, 'Wrong input: Not existing vector name error: ');
    const out: Record<string, number[]> = {};
    for (const [name, v] of Object.entries(vector)) {
      const params = coll.vectors[name];
      if (!params) throw new HttpError(400, `Wrong input: Not existing vector name error: ${name}`);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new HttpError(400, 'Format error in JSON body: expected a vector of numbers');
      if (v.length !== params.size) throw new HttpError(400, `Wrong input: Vector dimension error: expected dim: ${params.size}, got ${v.length}`);
      out[name] = unit(v);
    }
    return out;
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
  payloads: (shas) => catalog.listingsOfImages(shas),
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
    await expect(push).rejects.toBeInstanceOf(AppError);
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
    expect(qdrant.points('c2').size).toBe(150);

    qdrant.failAfterUpserts = Number.POSITIVE_INFINITY;
    const resumed = await pushToQdrant(settings, 'c2', source(), checkpoint, { batchSize: 50 });
    expect(resumed).toMatchObject({ total: 300, pushed: 150, alreadyPushed: 150, vector: 'm' });
    expect(qdrant.points('c2').size).toBe(300);
    expect(pushedCount(catalog, 'c2', 'm', 'r1')).toBe(300);

    // Idempotent: nothing left to send.
    expect(await pushToQdrant(settings, 'c2', source(), checkpoint)).toMatchObject({ pushed: 0, alreadyPushed: 300 });
    expect(qdrant.unconfirmedWrites).toBe(0);
    expect(qdrant.collections.get('c2')!.indexes).toEqual({ 'listings[].category': 'keyword', 'listings[].seller': 'keyword', 'listings[].price': 'float', sha256: 'keyword' });
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
    const point = [...qdrant.points('c3').values()].find((p) => (p.payload as { sha256: string }).sha256 === fixture.images[7]!.sha256)!;
    expect(Object.keys(point.vector).sort()).toEqual(['clip', 'm']);
  });

  it('re-sends a point whose listings changed', async () => {
    const settings = { url: qdrant.url };
    const checkpoint = sqliteCheckpoint(catalog);
    catalog.db.prepare("UPDATE listings SET title = 'Renamed' WHERE id = 'L0007'").run();
    const again = await pushToQdrant(settings, 'c3', source('m'), checkpoint);
    expect(again).toMatchObject({ pushed: 1, alreadyPushed: 299 });
    const point = [...qdrant.points('c3').values()].find((p) => (p.payload as { sha256: string }).sha256 === fixture.images[7]!.sha256);
    expect((point?.payload as { listings: Array<{ title: string }> }).listings[0]?.title).toBe('Renamed');
    expect(Object.keys(point!.vector).sort()).toEqual(['clip', 'm']);
  });
});

describe('Qdrant server variants (fake Qdrant)', () => {
  const qdrant = new FakeQdrant();
  beforeAll(() => qdrant.start());
  afterAll(() => qdrant.stop());
  const model = { modelId: 'm', revision: 'r1', dim: fixture.dim };

  it('reaches a server behind a path prefix (reverse proxy)', async () => {
    qdrant.prefix = '/qdrant';
    try {
      const settings = { url: `${qdrant.url}/qdrant/` };
      expect(await qdrantHealth(settings, 'p1')).toMatchObject({ reachable: true, version: '1.19.0', error: null });
      expect(await pushToQdrant(settings, 'p1', source(), sqliteCheckpoint(catalog))).toMatchObject({ pushed: 300 });
      expect((await QdrantStore.open(settings, 'p1', model)).size()).toBe(300);
    } finally {
      qdrant.prefix = '';
    }
  });

  it('sends the API key, and says so when the server refuses it', async () => {
    qdrant.apiKey = 'secret';
    // The client warns on stderr about a key sent over plain http.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const wrong = { url: qdrant.url, apiKey: 'nope' };
      expect(await qdrantHealth(wrong, 'k1')).toMatchObject({ reachable: true, error: expect.stringMatching(/refused the API key \(HTTP 401\)/) });
      await expect(pushToQdrant(wrong, 'k1', source(), sqliteCheckpoint(catalog))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/refused the API key/) });
      expect(pushedCount(catalog, 'k1', 'm', 'r1')).toBe(0);
      expect(await pushToQdrant({ url: qdrant.url, apiKey: 'secret' }, 'k1', source(), sqliteCheckpoint(catalog))).toMatchObject({ pushed: 300 });
    } finally {
      qdrant.apiKey = undefined;
      warn.mockRestore();
    }
  });

  it('counts only the points that hold the model\'s vector, and refuses vectors of another size', async () => {
    const checkpoint = sqliteCheckpoint(catalog);
    await pushToQdrant({ url: qdrant.url }, 'v1', source('m'), checkpoint);
    // A second model pushed for a third of the images.
    qdrant.addVectors = true;
    const some: PushSource = { ...source('clip'), count: 100, rows: () => [fixture.images.slice(0, 100)] };
    expect(await pushToQdrant({ url: qdrant.url }, 'v1', some, checkpoint)).toMatchObject({ pushed: 100 });
    expect((await QdrantStore.open({ url: qdrant.url }, 'v1', { ...model, modelId: 'clip' })).size()).toBe(100);
    expect((await QdrantStore.open({ url: qdrant.url }, 'v1', model)).size()).toBe(300);
    await expect(QdrantStore.open({ url: qdrant.url }, 'v1', { ...model, dim: 32 })).rejects.toThrow(/vectors of size 24, the model gives 32.*--recreate/);
  });

  it('tells a collection deleted under a search (not found) from a server too old for the calls (failed)', async () => {
    await pushToQdrant({ url: qdrant.url }, 'gone', source(), sqliteCheckpoint(catalog));
    const store = await QdrantStore.open({ url: qdrant.url }, 'gone', model);
    qdrant.collections.delete('gone');
    await expect(store.search(fixture.queries[0]!, 5)).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/Collection `gone` doesn't exist/) });

    const old = http.createServer((req, res) => (req.url === '/' ? res.writeHead(200, { 'content-type': 'application/json' }).end('{"title":"qdrant","version":"1.7.4"}') : res.writeHead(404).end()));
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
    const settings = { url: `http://127.0.0.1:${(old.address() as AddressInfo).port}` };
    try {
      expect((await qdrantHealth(settings, 'c1')).error).toMatch(/has no such endpoint \(HTTP 404\).*1\.13 or newer/);
      await expect(pushToQdrant(settings, 'c1', source(), sqliteCheckpoint(catalog))).rejects.toMatchObject({ code: 'failed', message: expect.stringMatching(/no such endpoint/) });
    } finally {
      old.closeAllConnections();
      await new Promise((r) => old.close(r));
    }
  });

  it('reports a server that does not answer in time, and one that is not Qdrant', async () => {
    qdrant.stall = true;
    try {
      const settings = { url: qdrant.url, timeoutMs: 200 };
      expect((await qdrantHealth(settings, 'c1')).error).toBe(`Qdrant at ${qdrant.url} did not answer within 0.2 s; local search still works`);
      await expect(QdrantStore.open(settings, 'c1', model)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/did not answer within 0\.2 s/) });
    } finally {
      qdrant.stall = false;
    }

    const web = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const settings = { url: `http://127.0.0.1:${(web.address() as AddressInfo).port}` };
    try {
      expect(await qdrantHealth(settings, 'c1')).toMatchObject({ reachable: true, version: null, error: expect.stringMatching(/is not Qdrant's REST API/) });
      await expect(pushToQdrant(settings, 'c1', source(), sqliteCheckpoint(catalog))).rejects.toMatchObject({ code: 'failed' });
    } finally {
      web.closeAllConnections();
      await new Promise((r) => web.close(r));
    }
  });
});

// The behaviour every store shows, against the fake: request bodies (query vector, `using`,
// nested filter, payload selector) pass its checks and results are read the way Qdrant answers.
const suiteQdrant = new FakeQdrant();
afterAll(() => suiteQdrant.stop());
storeSuite('Qdrant (fake server)', async () => {
  await suiteQdrant.start();
  const settings = { url: suiteQdrant.url };
  await pushToQdrant(settings, 'suite', source(), sqliteCheckpoint(catalog), { batchSize: 64 });
  return { store: await QdrantStore.open(settings, 'suite', { modelId: 'm', revision: 'r1', dim: fixture.dim }), fixture };
});
