// features/: the implementation of every API method (catalog, search, images, models, duplicates,
// mismatch, compare, jobs) over engine/, catalog/ and index/. Runs in the backend process, or in the
// CLI process for in-process calls; Services is the long-lived state they share.
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import type { ImageAnalyzer } from '../catalog/image-analyzer.js';
import { openCatalog } from './schema.js';
import { ModelRegistry } from '../engine/registry.js';
import type { DuplicateFinder } from './duplicates/finder.js';
import { hashesAtImport } from './duplicates/import-hashes.js';
import { createDuplicateFinder } from './duplicates/service.js';
import { SearchStores } from '../index/stores.js';
import { type Config, loadConfig } from '../shared/config.js';
import { resourcesDir } from '../shared/paths.js';

export interface ServiceOptions {
  /** The front door's configuration; default: the environment's (loadConfig). */
  config?: Config;
  /** SQLite catalog file, over the configuration's; everything else derived from the catalog sits next to it. */
  dbPath?: string;
}

/**
 * The long-lived state behind the API handlers: catalog database, model registry, vector stores.
 * Each piece opens lazily on first use so that `lookalike --help` or a bad argument costs nothing.
 */
export class Services {
  readonly config: Config;
  readonly dbPath: string;
  private readonly closers: Array<() => void> = [];

  constructor(options: ServiceOptions = {}) {
    this.config = options.config ?? loadConfig(process.env, { dbPath: options.dbPath });
    this.dbPath = options.dbPath ? path.resolve(options.dbPath) : this.config.dbPath;
  }

  private catalogInstance: Catalog | undefined;
  /** The SQLite catalog (listings, images, embeddings), opened and migrated on first use. */
  get catalog(): Catalog {
    if (!this.catalogInstance) {
      const catalog = openCatalog(this.dbPath);
      this.catalogInstance = catalog;
      this.onClose(() => {
        catalog.close();
        this.catalogInstance = undefined;
      });
    }
    return this.catalogInstance;
  }

  private modelsInstance: ModelRegistry | undefined;
  /**
   * Model packs: bundled demo packs and those installed in `<home>/models`;
   * `models.embedder(id?)` gives the cached Embedder of a pack (the default pack without id).
   */
  get models(): ModelRegistry {
    if (!this.modelsInstance) {
      const registry = new ModelRegistry({
        bundledDir: path.join(resourcesDir, 'models'),
        installedDir: path.join(this.config.home, 'models'),
        embedder: this.config.engine,
        hubEndpoint: this.config.hubEndpoint,
      });
      this.modelsInstance = registry;
      this.onClose(() => {
        void registry.close();
        this.modelsInstance = undefined;
      });
    }
    return this.modelsInstance;
  }

  private duplicatesInstance: DuplicateFinder | undefined;
  /** Duplicate listing detection: image hashes, the cached candidate graph, verdicts. */
  get duplicates(): DuplicateFinder {
    if (!this.duplicatesInstance) {
      this.duplicatesInstance = createDuplicateFinder(this.catalog, () => this.models);
      this.onClose(() => {
        this.duplicatesInstance = undefined;
      });
    }
    return this.duplicatesInstance;
  }

  /** What features compute from each new image at import, while its bytes are in memory: the duplicate finder's hashes. */
  get imageAnalyzers(): ImageAnalyzer[] {
    return [hashesAtImport(this.duplicates.store)];
  }

  private storesInstance: SearchStores | undefined;
  /**
   * Vector stores for search: `stores.local(model)` gives the model's loaded local store (exact
   * or HNSW), kept between calls and reloaded when the catalog's vectors of that model change.
   */
  get stores(): SearchStores {
    if (!this.storesInstance) {
      const stores = new SearchStores({ dbPath: this.dbPath, catalog: () => this.catalog, annThreshold: this.config.annThreshold, log: (line) => process.stderr.write(`${line}\n`) });
      this.storesInstance = stores;
      this.onClose(() => {
        stores.close();
        this.storesInstance = undefined;
      });
    }
    return this.storesInstance;
  }

  /** Registers cleanup for a lazily opened piece; run in reverse order by close(). */
  protected onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.reverse()) fn();
    this.closers.length = 0;
  }
}
