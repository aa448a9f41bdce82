import { createHash } from 'node:crypto';
import path from 'node:path';
import type { QdrantClient, Schemas } from '@qdrant/js-client-rest';
import { AppError } from '../shared/errors.js';
import { safeName } from './ann.js';
import type { ListingSummary } from '../catalog/catalog.js';
import { type ListingFilter, isEmptyFilter } from '../catalog/listing-filter.js';
import type { VectorRow, VectorSpace } from '../catalog/vectors.js';
import type { StoreHit, VectorStore } from './types.js';

/**
 * Qdrant as a vector store: one collection per catalog, one named vector per model, one point
 * per image (id derived from its sha256, so every upsert is idempotent) with the image's listings
 * as payload. Every network failure becomes one readable AppError('unavailable').
 */

export interface QdrantSettings {
  url: string;
  apiKey?: string;
  /** Per request, ms. */
  timeoutMs?: number;
}

/** A call's own settings win over the configured server (config: QDRANT_URL, QDRANT_API_KEY); undefined when no URL is set. */
export function qdrantSettings(flags: { url?: string; apiKey?: string }, configured?: { url: string; apiKey?: string }): QdrantSettings | undefined {
  const url = flags.url ?? configured?.url;
  if (!url) return undefined;
  const apiKey = flags.apiKey ?? configured?.apiKey;
  return { url, ...(apiKey ? { apiKey } : {}) };
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** Oldest server with every endpoint and condition used here (the has_vector condition). */
const MIN_SERVER = '1.13';

export const NOT_CONFIGURED = 'Qdrant is not configured: set QDRANT_URL (and QDRANT_API_KEY if the server needs one) or pass --qdrant-url';

/** A client for the configured server. The client library (~120 ms to load) is imported only when Qdrant is used. */
export async function qdrantClient(settings: QdrantSettings): Promise<QdrantClient> {
  let parsed: URL;
  try {
    parsed = new URL(settings.url);
  } catch {
    throw new AppError('bad_request', `invalid Qdrant URL "${settings.url}"`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new AppError('bad_request', `Qdrant URL must be http(s), got "${settings.url}"`);
  // The client drops a URL's path and puts a URL without a port on 6333: pass both explicitly so
  // that the URL means what it says (a reverse proxy at https://host/qdrant, or port 443).
  const prefix = parsed.pathname.replace(/\/+$/, '');
  const { QdrantClient } = await import('@qdrant/js-client-rest');
  return new QdrantClient({
    url: parsed.origin,
    port: parsed.port ? Number(parsed.port) : null,
    ...(prefix ? { prefix } : {}),
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    checkCompatibility: false,
  });
}

/** The collection of a catalog file: readable name plus a hash of its absolute path. */
export function collectionName(dbPath: string): string {
  const abs = path.resolve(dbPath);
  const stem = safeName(path.basename(abs).replace(/\.[^.]*$/, '')).slice(0, 32);
  return `lookalike_${stem}_${createHash('sha256').update(abs).digest('hex').slice(0, 10)}`;
}

/** Named vector of a model id: letters, digits, `_` and `-` only. */
export function vectorName(modelId: string): string {
  return safeName(modelId);
}

/** A UUID (version 8, "custom") from the first 128 bits of the sha256, so pushes are idempotent. */
export function pointId(sha256: string): string {
  const h = sha256.slice(0, 32).split('');
  h[12] = '8';
  h[16] = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/**
 * One readable line for a failed Qdrant call. The client throws: an AppError with `status` and
 * Qdrant's error body (`{status: {error}}`) for an HTTP error, QdrantClientTimeoutError after its
 * timeout, QdrantClientResourceExhaustedError for a 429 with Retry-After, and fetch's TypeError
 * ("fetch failed", reason in `cause`) when nothing answered. Only the last two mean unreachable.
 */
export function qdrantError(err: unknown, settings: QdrantSettings, what: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; status?: number; message?: string; retry_after?: number; cause?: { code?: string; message?: string }; data?: unknown };
  const detail = (e.data as { status?: { error?: string } } | undefined)?.status?.error;
  if (e.status === 401 || e.status === 403) return new AppError('unavailable', `Qdrant at ${settings.url} refused the API key (HTTP ${e.status})`);
  // Qdrant answers a missing collection or point with 404 and an error body; a path it does not
  // serve (an older server, or a URL that is not Qdrant's REST API) gets a bare 404.
  if (e.status === 404 && detail) return new AppError('not_found', `Qdrant ${what} failed: ${detail}`);
  if (e.status === 404) return new AppError('failed', `Qdrant ${what} failed: ${settings.url} has no such endpoint (HTTP 404); is it Qdrant's REST API, version ${MIN_SERVER} or newer?`);
  if (e.status) return new AppError('failed', `Qdrant ${what} failed: HTTP ${e.status} ${detail ?? e.message ?? ''}`.trim());
  if (e.name === 'QdrantClientResourceExhaustedError') return new AppError('unavailable', `Qdrant at ${settings.url} is rate limiting requests (retry after ${e.retry_after} s)`);
  if (e.name === 'QdrantClientTimeoutError') {
    return new AppError('unavailable', `Qdrant at ${settings.url} did not answer within ${(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s; local search still works`);
  }
  if (err instanceof TypeError && e.cause) {
    const reason = e.cause.code ?? e.cause.message ?? e.message;
    return new AppError('unavailable', `Qdrant at ${settings.url} is unreachable (${reason}); local search still works`);
  }
  return new AppError('failed', `Qdrant ${what} failed: ${e.message ?? String(err)}`);
}

/** Qdrant payload of one image point. */
export interface PointPayload {
  sha256: string;
  listings: ListingSummary[];
}

/** Nested filter: one listing of the image must pass every condition (same as the local store). */
export function toQdrantFilter(filter: ListingFilter | undefined): Schemas['Filter'] | undefined {
  if (isEmptyFilter(filter) || !filter) return undefined;
  const must: Schemas['Condition'][] = [];
  if (filter.category !== undefined) must.push({ key: 'category', match: { value: filter.category } });
  if (filter.seller !== undefined) must.push({ key: 'seller', match: { value: filter.seller } });
  if (filter.priceMin !== undefined || filter.priceMax !== undefined) {
    must.push({ key: 'price', range: { ...(filter.priceMin !== undefined ? { gte: filter.priceMin } : {}), ...(filter.priceMax !== undefined ? { lte: filter.priceMax } : {}) } });
  }
  return { must: [{ nested: { key: 'listings', filter: { must } } }] };
}

export class QdrantStore implements VectorStore {
  readonly kind = 'qdrant' as const;

  private constructor(
    private readonly client: QdrantClient,
    private readonly settings: QdrantSettings,
    readonly collection: string,
    readonly modelId: string,
    readonly revision: string,
    readonly dim: number,
    private readonly points: number,
  ) {}

  /** Connects and checks that the collection holds this model's vectors. */
  static async open(settings: QdrantSettings, collection: string, model: VectorSpace): Promise<QdrantStore> {
    const client = await qdrantClient(settings);
    const name = vectorName(model.modelId);
    try {
      const { exists } = await client.collectionExists(collection);
      if (!exists) throw new AppError('not_found', `Qdrant has no collection "${collection}" for this catalog yet; run "lookalike qdrant push"`);
      const info = await client.getCollection(collection);
      const vectors = info.config.params.vectors as Record<string, { size: number }> | undefined;
      const have = vectors?.[name];
      if (!have) throw new AppError('not_found', `Qdrant collection "${collection}" has no vectors of model ${model.modelId}; run "lookalike qdrant push --model ${model.modelId}"`);
      if (have.size !== model.dim) {
        throw new AppError('failed', `Qdrant collection "${collection}" has ${name} vectors of size ${have.size}, the model gives ${model.dim}; run "lookalike qdrant push --model ${model.modelId} --recreate"`);
      }
      // Points hold the vectors of every pushed model: count those that have this one.
      const { count } = await client.count(collection, { filter: { must: [{ has_vector: name }] }, exact: true });
      return new QdrantStore(client, settings, collection, model.modelId, model.revision, model.dim, count);
    } catch (err) {
      throw qdrantError(err, settings, 'open');
    }
  }

  size(): number {
    return this.points;
  }

  async search(query: Float32Array, k: number, filter?: ListingFilter): Promise<StoreHit[]> {
    if (query.length !== this.dim) throw new Error(`query has ${query.length} dimensions, the ${this.modelId} vectors have ${this.dim}`);
    if (k <= 0) return [];
    try {
      const res = await this.client.query(this.collection, {
        query: Array.from(query),
        using: vectorName(this.modelId),
        limit: k,
        filter: toQdrantFilter(filter),
        with_payload: ['sha256'],
      });
      return res.points
        .map((p) => ({ sha256: (p.payload as { sha256: string }).sha256, score: p.score }))
        .sort((a, b) => b.score - a.score || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
    } catch (err) {
      throw qdrantError(err, this.settings, 'search');
    }
  }
}

// ---- push -------------------------------------------------------------------------------------

/** What has been pushed where: survives restarts so a push continues where it stopped. */
export interface PushCheckpoint {
  /** sha256 -> payload hash of the points already in this collection for this model revision. */
  pushed(collection: string, vector: string, revision: string): Map<string, string>;
  markPushed(collection: string, vector: string, revision: string, rows: Array<{ sha256: string; payloadHash: string }>): void;
  /** Forgets a collection (it was deleted or recreated). */
  forget(collection: string): void;
}

export interface PushSource extends VectorSpace {
  count: number;
  rows(): Iterable<VectorRow[]>;
  payloads(shas: string[]): Map<string, ListingSummary[]>;
}

export interface PushResult {
  collection: string;
  vector: string;
  total: number;
  pushed: number;
  alreadyPushed: number;
}

export interface PushOptions {
  batchSize?: number;
  recreate?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; pushed: number }) => void;
}

/**
 * Pushes a model's cached vectors (and each image's listings) to Qdrant in batches. A batch is
 * recorded in the checkpoint only after Qdrant confirmed it (wait: true), so an interrupted push
 * (Qdrant gone, app closed, cancelled) loses nothing: the next push sends what is not recorded.
 * Points whose listings changed since their push are sent again.
 */
export async function pushToQdrant(settings: QdrantSettings, collection: string, source: PushSource, checkpoint: PushCheckpoint, options: PushOptions = {}): Promise<PushResult> {
  const client = await qdrantClient(settings);
  const name = vectorName(source.modelId);
  const batchSize = options.batchSize ?? 256;
  try {
    await ensureCollection(client, collection, name, source.dim, checkpoint, options.recreate ?? false);
  } catch (err) {
    throw qdrantError(err, settings, 'collection setup');
  }
  const done = checkpoint.pushed(collection, name, source.revision);
  let seen = 0;
  let pushed = 0;
  let alreadyPushed = 0;
  let pending: Array<VectorRow & { payload: PointPayload; payloadHash: string }> = [];

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      // Upsert replaces a whole point, other models' vectors included: update the vectors of
      // points that exist, create the others.
      const ids = batch.map((r) => pointId(r.sha256));
      const existing = new Set((await client.retrieve(collection, { ids, with_payload: false, with_vector: false })).map((p) => String(p.id)));
      const old = batch.filter((r) => existing.has(pointId(r.sha256)));
      const fresh = batch.filter((r) => !existing.has(pointId(r.sha256)));
      if (fresh.length) {
        await client.upsert(collection, { wait: true, points: fresh.map((r) => ({ id: pointId(r.sha256), vector: { [name]: Array.from(r.vector) }, payload: { ...r.payload } })) });
      }
      if (old.length) {
        await client.batchUpdate(collection, {
          wait: true,
          operations: [
            { update_vectors: { points: old.map((r) => ({ id: pointId(r.sha256), vector: { [name]: Array.from(r.vector) } })) } },
            ...old.map((r) => ({ overwrite_payload: { points: [pointId(r.sha256)], payload: { ...r.payload } } })),
          ],
        });
      }
    } catch (err) {
      throw qdrantError(err, settings, 'upsert');
    }
    checkpoint.markPushed(collection, name, source.revision, batch.map((r) => ({ sha256: r.sha256, payloadHash: r.payloadHash })));
    pushed += batch.length;
  };

  for (const rows of source.rows()) {
    options.signal?.throwIfAborted();
    const payloads = source.payloads(rows.map((r) => r.sha256));
    for (const row of rows) {
      const payload: PointPayload = { sha256: row.sha256, listings: payloads.get(row.sha256) ?? [] };
      const payloadHash = createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 16);
      seen++;
      if (done.get(row.sha256) === payloadHash) {
        alreadyPushed++;
        continue;
      }
      pending.push({ ...row, payload, payloadHash });
      if (pending.length >= batchSize) {
        await flush();
        options.onProgress?.({ done: seen, total: source.count, pushed });
      }
    }
  }
  await flush();
  options.onProgress?.({ done: seen, total: source.count, pushed });
  return { collection, vector: name, total: seen, pushed, alreadyPushed };
}

const PAYLOAD_INDEXES = [
  { field_name: 'listings[].category', field_schema: 'keyword' },
  { field_name: 'listings[].seller', field_schema: 'keyword' },
  { field_name: 'listings[].price', field_schema: 'float' },
  { field_name: 'sha256', field_schema: 'keyword' },
] as const;

async function ensureCollection(client: QdrantClient, collection: string, name: string, dim: number, checkpoint: PushCheckpoint, recreate: boolean): Promise<void> {
  let { exists } = await client.collectionExists(collection);
  if (exists && recreate) {
    await client.deleteCollection(collection);
    exists = false;
  }
  if (!exists) {
    // A collection deleted on the server (or recreated here) invalidates what we remember.
    checkpoint.forget(collection);
    await client.createCollection(collection, { vectors: { [name]: { size: dim, distance: 'Cosine' } } });
    for (const index of PAYLOAD_INDEXES) await client.createPayloadIndex(collection, { wait: true, ...index });
    return;
  }
  const info = await client.getCollection(collection);
  const vectors = (info.config.params.vectors ?? {}) as Record<string, { size?: number }>;
  const have = vectors[name];
  if (have && have.size !== dim) {
    throw new AppError('failed', `Qdrant collection "${collection}" has ${name} vectors of size ${have.size}, the model gives ${dim}; push with --recreate`);
  }
  if (!have) {
    try {
      await client.createVectorName(collection, name, { dense: { size: dim, distance: 'Cosine' } }, { wait: true });
    } catch (err) {
      // Servers before the create-named-vector endpoint answer a bare 404 (no such route).
      const status = (err as { status?: number }).status;
      if (status !== 404 && status !== 405) throw err;
      throw new AppError('failed', `Qdrant collection "${collection}" has no "${name}" vector and this server cannot add one (HTTP ${status}); push with --recreate to rebuild the collection with every model`);
    }
  }
}

// ---- status -----------------------------------------------------------------------------------

export interface QdrantHealth {
  url: string;
  reachable: boolean;
  version: string | null;
  collection: string;
  collectionExists: boolean;
  points: number | null;
  vectors: string[];
  error: string | null;
}

/** Never throws for an unreachable server: reports it (reachable false, one-line error). */
export async function qdrantHealth(settings: QdrantSettings, collection: string): Promise<QdrantHealth> {
  const out: QdrantHealth = { url: settings.url, reachable: false, version: null, collection, collectionExists: false, points: null, vectors: [], error: null };
  const quick = { ...settings, timeoutMs: settings.timeoutMs ?? 5000 };
  try {
    const client = await qdrantClient(quick);
    const { version } = await client.versionInfo();
    out.reachable = true;
    // GET / of Qdrant answers {title, version, commit}; anything else is another server.
    if (typeof version !== 'string') throw new Error(`${settings.url} answers but is not Qdrant's REST API (GET / has no version)`);
    out.version = version;
    out.collectionExists = (await client.collectionExists(collection)).exists;
    if (out.collectionExists) {
      const info = await client.getCollection(collection);
      out.points = info.points_count ?? null;
      out.vectors = Object.keys((info.config.params.vectors ?? {}) as Record<string, unknown>);
    }
  } catch (err) {
    out.error = qdrantError(err, quick, 'status').message;
  }
  return out;
}
