// index/: vector stores (exact scan, HNSW through usearch, Qdrant) and the all-pairs k-NN the
// duplicates use. Runs in the backend and CLI processes; reads vectors through catalog/ only.
import type { Catalog } from '../catalog/catalog.js';
import type { ProgressPhase } from '../shared/progress.js';
import type { Migration } from '../catalog/migrations.js';
import { annFiles } from './ann.js';
import { DEFAULT_ANN_THRESHOLD, LocalStore } from './local.js';
import type { VectorSpace } from '../catalog/vectors.js';
import type { PushCheckpoint, PushSource } from './qdrant.js';

export interface StoreLoadContext {
  signal?: AbortSignal;
  progress?: (p: { phase: ProgressPhase; done: number; total: number }) => void;
}

export interface SearchStoresOptions {
  dbPath: string;
  catalog: () => Catalog;
  /** Vectors from which the local store uses HNSW (config LOOKALIKE_ANN_THRESHOLD); default DEFAULT_ANN_THRESHOLD. */
  annThreshold?: number;
  log?: (line: string) => void;
}

/**
 * Loaded local stores, one per model revision, kept between calls (Services.stores). Each use
 * compares the catalog's embedding generation for that model with the one the store was loaded
 * at and reloads on a change (new import, pruned revision); concurrent callers share one load.
 */
export class SearchStores {
  private readonly loaded = new Map<string, { generation: string; store: Promise<LocalStore> }>();

  constructor(private readonly options: SearchStoresOptions) {}

  get annThreshold(): number {
    return this.options.annThreshold ?? DEFAULT_ANN_THRESHOLD;
  }

  async local(space: VectorSpace, ctx: StoreLoadContext = {}): Promise<LocalStore> {
    const catalog = this.options.catalog();
    const key = `${space.modelId}\0${space.revision}`;
    const generation = catalog.embeddingsGeneration(space.modelId, space.revision);
    const cached = this.loaded.get(key);
    if (cached && cached.generation === generation) return cached.store;
    const store = LocalStore.open(catalog.iterateEmbeddings(space.modelId, space.revision, 4096), {
      modelId: space.modelId,
      revision: space.revision,
      dim: space.dim,
      count: catalog.embeddingCount(space.modelId, space.revision),
      annThreshold: this.annThreshold,
      files: annFiles(this.options.dbPath, space.modelId, space.revision),
      resolveFilter: (filter) => catalog.shasMatching(filter),
      signal: ctx.signal,
      onProgress: ctx.progress,
      log: this.options.log,
    });
    this.loaded.set(key, { generation, store });
    // A failed or cancelled load must not stick: the next call tries again.
    store.catch(() => {
      if (this.loaded.get(key)?.store === store) this.loaded.delete(key);
    });
    return store;
  }

  /** The catalog seen as a source for `pushToQdrant`. */
  pushSource(space: VectorSpace): PushSource {
    const catalog = this.options.catalog();
    return {
      modelId: space.modelId,
      revision: space.revision,
      dim: space.dim,
      count: catalog.embeddingCount(space.modelId, space.revision),
      rows: () => catalog.iterateEmbeddings(space.modelId, space.revision, 1024),
      payloads: (shas) => catalog.listingsOfImages(shas),
    };
  }

  checkpoint(): PushCheckpoint {
    return sqliteCheckpoint(this.options.catalog());
  }

  close(): void {
    this.loaded.clear();
  }
}

/** The push checkpoint's table (assembled with every migration in features/schema.ts). */
export const qdrantCheckpointMigration: Migration = {
  id: 'search-0001-qdrant-pushed',
  sql: /* sql */ `
    -- Points confirmed by Qdrant, per collection and named vector: a push sends only the rest.
    CREATE TABLE qdrant_pushed (
      collection   TEXT NOT NULL,
      vector       TEXT NOT NULL,
      revision     TEXT NOT NULL,
      sha256       TEXT NOT NULL,
      payload_hash TEXT NOT NULL,
      pushed_at    INTEGER NOT NULL,
      PRIMARY KEY (collection, vector, sha256)
    );`,
};

/** The push checkpoint as a table in the catalog. */
export function sqliteCheckpoint(catalog: Catalog): PushCheckpoint {
  const db = catalog.db;
  return {
    pushed(collection, vector, revision) {
      const rows = db
        .prepare('SELECT sha256, payload_hash AS hash FROM qdrant_pushed WHERE collection = ? AND vector = ? AND revision = ?')
        .all(collection, vector, revision) as Array<{ sha256: string; hash: string }>;
      return new Map(rows.map((r) => [r.sha256, r.hash]));
    },
    markPushed(collection, vector, revision, rows) {
      const upsert = db.prepare(
        'INSERT INTO qdrant_pushed (collection, vector, revision, sha256, payload_hash, pushed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (collection, vector, sha256) DO UPDATE SET revision = excluded.revision, payload_hash = excluded.payload_hash, pushed_at = excluded.pushed_at',
      );
      const now = Date.now();
      db.transaction(() => {
        for (const r of rows) upsert.run(collection, vector, revision, r.sha256, r.payloadHash, now);
      })();
    },
    forget(collection) {
      db.prepare('DELETE FROM qdrant_pushed WHERE collection = ?').run(collection);
    },
  };
}

/** How many of a model revision's vectors the checkpoint says are in the collection. */
export function pushedCount(catalog: Catalog, collection: string, vector: string, revision: string): number {
  return catalog.db
    .prepare('SELECT count(*) FROM qdrant_pushed WHERE collection = ? AND vector = ? AND revision = ?')
    .pluck()
    .get(collection, vector, revision) as number;
}
