import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { AgainstOutput, DuplicateGroup, DuplicatesWarning, FindOutput, ListingGroup, ListingsOutput, AppliedSettings as AppliedSettingsSchema, PairEvidence } from '../../api/schemas/duplicates.js';
import type { Catalog } from '../../catalog/catalog.js';
import { type CandidateGraph, type KnnSearch, type PairColumns, type ReusableGraph, buildCandidateGraph, withPairs } from './graph.js';
import { PairMeasures } from './pair-measures.js';
import { GRAPH_FORMAT, decodeNodes, decodePairs, encodeNodes, encodePairs } from './graph-codec.js';
import { type RunCtx, SharedRun } from './shared-run.js';
import { type StarGroup, pairKey } from './grouping.js';
import { type Verdicts, classifyEdges, groupCandidates, signalsOf } from './regroup.js';
import { HASH_VERSION, computeImageHashes } from '../../engine/image-hash.js';
import { type ListingView, clusterListings, sortClusters, sourceMatches } from './listings.js';
import { DuplicateStore, type ListingRef, type PairDecision } from './store.js';
import { type NearRule, type PairSignals, type Tier, type TierSettings, captureVerdict, classifyPair, defaultTierSettings, otherColour } from './tiers.js';

export type AppliedSettings = z.infer<typeof AppliedSettingsSchema>;
type PairEvidenceOut = z.infer<typeof PairEvidence>;

export interface FindOptions {
  tier: Tier;
  threshold?: number;
  maxHashDistance?: number;
  mirror: boolean;
  model?: string;
  offset: number;
  limit: number;
  sort: 'size' | 'sellers';
  /** Every part of the near rule at once, and the relatedness floor (calibration); the API sets threshold/maxHashDistance only. */
  near?: Partial<NearRule>;
  relatedCosine?: number;
}

export interface ListingFindOptions {
  tier: 'exact' | 'near';
  threshold?: number;
  maxHashDistance?: number;
  mirror: boolean;
  model?: string;
  view: ListingView;
  sort: 'sellers' | 'listings';
  offset: number;
  limit: number;
}

export interface AgainstOptions {
  source: string;
  threshold?: number;
  mirror: boolean;
  model?: string;
  similarPerListing: number;
  offset: number;
  limit: number;
}

export interface ModelRevision {
  id: string;
  revision: string;
}

export interface FinderDeps {
  catalog: Catalog;
  /** The model (and its current revision) whose cached embeddings to use; null: hashes only. */
  resolveModel: (id: string | undefined) => Promise<ModelRevision | null>;
  /** k-NN search over embeddings (the ANN index for big catalogs). */
  knn: KnnSearch;
  /** Neighbours per image in the candidate graph. */
  neighbours?: number;
}

type CallCtx = RunCtx;

/** Where a call's candidate graph came from: built by it, kept in memory, or read from the catalog. */
export type GraphSource = 'built' | 'memory' | 'stored';

interface GraphState {
  key: string;
  model: ModelRevision | null;
  graph: CandidateGraph;
  withVectors: number;
  index: Map<string, number>;
  /** When its build started (hashes written later are not in it), for reusing its pairs. */
  builtAt: number;
  /** Pairs measured beyond the stored evidence, once per graph. */
  measures: PairMeasures;
}

/** What the preparation job did (DuplicateFinder.prepare). */
export interface Prepared {
  images: number;
  hashed: number;
  candidatePairs: number;
  reusedPairs: number;
  graph: GraphSource;
}

/** Groups containing more images than this list centre pairs only (all pairs would be quadratic). */
const ALL_PAIRS_UP_TO = 20;
const HASH_CONCURRENCY = 4;

/**
 * Duplicate listing detection over the catalog: perceptual hashes per image (computed at import,
 * import-hashes.ts, and stored), a candidate graph per model revision and catalog content (kept in
 * memory and in the catalog, prepared by a job after each import), and grouping at any thresholds
 * on top of it. One instance per Services.
 */
export class DuplicateFinder {
  readonly store: DuplicateStore;
  private state: GraphState | undefined;
  /** Hashing and graph builds in progress, by what they produce: a second caller waits for the first's. */
  private readonly running = new Map<string, SharedRun<unknown>>();

  constructor(private readonly deps: FinderDeps) {
    this.store = new DuplicateStore(deps.catalog);
  }

  /** Images without current hashes: imported before hashes were computed at import, or whose hashing failed there. */
  missingHashes(): number {
    return (this.deps.catalog.db.prepare('SELECT count(*) FROM images').pluck().get() as number) - this.store.hashCount();
  }

  /**
   * Hashes every image that has none yet: imported before hashes were computed at import, or whose
   * hashing failed there (reads the original file, or the thumbnail when it is gone).
   */
  ensureHashes(ctx: CallCtx): Promise<number> {
    if (this.missingHashes() <= 0) return Promise.resolve(0);
    return this.shared('hashes', ctx, (c) => this.hashMissing(c));
  }

  private async hashMissing({ progress, signal }: CallCtx): Promise<number> {
    const total = this.missingHashes();
    if (total <= 0) return 0;
    let done = 0;
    const started = Date.now();
    for (const batch of this.store.iterateUnhashed(64)) {
      signal.throwIfAborted();
      const rows: Array<{ sha256: string; hashes: Awaited<ReturnType<typeof computeImageHashes>> }> = [];
      for (let i = 0; i < batch.length; i += HASH_CONCURRENCY) {
        const chunk = batch.slice(i, i + HASH_CONCURRENCY);
        rows.push(...(await Promise.all(chunk.map(async (sha256) => ({ sha256, hashes: await this.hashImage(sha256) })))));
      }
      this.store.putHashes(rows);
      done += batch.length;
      const seconds = (Date.now() - started) / 1000;
      progress({ phase: 'hashing images', done, total, ratePerSecond: seconds > 0 ? done / seconds : undefined, ...(seconds > 0 && done < total ? { etaSeconds: (total - done) / (done / seconds) } : {}) });
    }
    return done;
  }

  private async hashImage(sha256: string) {
    const original = await this.deps.catalog.readOriginal(sha256);
    if (original) {
      try {
        return await computeImageHashes(original.bytes);
      } catch {
        // fall through to the thumbnail
      }
    }
    const thumb = this.deps.catalog.thumbnail(sha256);
    if (!thumb) throw new AppError('failed', `image ${sha256.slice(0, 12)} has neither a readable file nor a thumbnail`);
    // Pixels of a thumbnail say nothing about the original's: keep the exact tier to the sha.
    return { ...(await computeImageHashes(thumb.bytes)), pixelSha: `thumbnail:${sha256}` };
  }

  /**
   * Work several calls may ask for at once (the preparation job and a page's find): the first
   * caller's run is shared, each waiting caller gets its progress and may stop waiting on its own
   * signal; when the caller that started it stops it, a waiting caller starts it again.
   */
  private async shared<T>(key: string, ctx: CallCtx, work: (ctx: CallCtx) => Promise<T>): Promise<T> {
    for (;;) {
      ctx.signal.throwIfAborted();
      let run = this.running.get(key) as SharedRun<T> | undefined;
      if (!run || run.signal.aborted) {
        const fresh = new SharedRun(ctx.signal, work);
        const forget = () => {
          if (this.running.get(key) === fresh) this.running.delete(key);
        };
        fresh.done.then(forget, forget);
        this.running.set(key, fresh);
        run = fresh;
      }
      try {
        return await run.wait(ctx);
      } catch (err) {
        if (ctx.signal.aborted || !run.signal.aborted) throw err;
        // The caller that started it stopped it; this one still wants it.
      }
    }
  }

  /** The catalog state a graph is built from: model revision, its vectors, the hashes, the images. */
  private graphKey(model: ModelRevision | null): string {
    const vectors = model ? this.deps.catalog.embeddingsGeneration(model.id, model.revision) : '-';
    return `${model ? `${model.id}@${model.revision}` : '-'}|${vectors}|${this.store.contentVersion()}|k${this.k}|h${HASH_VERSION}`;
  }

  private get k(): number {
    return this.deps.neighbours ?? 16;
  }

  /** The candidate graph for a model: kept in memory, else read from the catalog, else built (and kept in both). */
  private async graphState(modelId: string | undefined, ctx: CallCtx): Promise<{ state: GraphState; buildMs: number; source: GraphSource }> {
    await this.ensureHashes(ctx);
    const model = await this.deps.resolveModel(modelId);
    const key = this.graphKey(model);
    if (this.state?.key === key) return { state: this.state, buildMs: 0, source: 'memory' };
    const started = Date.now();
    const { state, source } = await this.shared(`graph|${key}`, ctx, (c) => this.loadOrBuild(key, model, c));
    this.state = state;
    return { state, buildMs: source === 'built' ? Date.now() - started : 0, source };
  }

  private async loadOrBuild(key: string, model: ModelRevision | null, { progress, signal }: CallCtx): Promise<{ state: GraphState; source: GraphSource }> {
    progress({ phase: 'finding neighbours', done: 0 });
    const builtAt = Date.now();
    const rows = this.store.allHashes();
    const shas = rows.map((r) => r.sha256);
    const index = new Map(shas.map((s, i) => [s, i]));
    let vectors: Float32Array | null = null;
    let hasVector: Uint8Array | null = null;
    let dim = 0;
    let withVectors = 0;
    if (model) {
      for (const batch of this.deps.catalog.iterateEmbeddings(model.id, model.revision)) {
        signal.throwIfAborted();
        for (const row of batch) {
          const i = index.get(row.sha256);
          if (i === undefined) continue;
          if (!vectors) {
            dim = row.vector.length;
            vectors = new Float32Array(shas.length * dim);
            hasVector = new Uint8Array(shas.length);
          }
          vectors.set(row.vector, i * dim);
          hasVector![i] = 1;
          withVectors++;
        }
      }
    }
    const stateOf = (graph: CandidateGraph, at: number): GraphState => ({ key, model, graph, withVectors, index, builtAt: at, measures: new PairMeasures(graph) });
    const stored = this.storedGraph(model);
    if (stored?.key === key && sameNodes(stored.shas, shas)) {
      const graph = withPairs(stored.pairs, { shas, hashes: rows, vectors, hasVector, dim, k: this.k });
      progress({ phase: 'finding neighbours', done: shas.length, total: shas.length });
      return { state: stateOf(graph, stored.builtAt), source: 'stored' };
    }
    const graph = await buildCandidateGraph({
      shas,
      hashes: rows,
      vectors,
      hasVector,
      dim,
      k: this.k,
      knn: this.deps.knn,
      previous: this.reusable(model, shas, rows, stored),
      progress: (done, total) => progress({ phase: 'finding neighbours', done, total }),
      signal,
    });
    try {
      this.store.saveGraph(model?.id ?? '', { revision: model?.revision ?? '', key, format: GRAPH_FORMAT, builtAt, pairs: graph.length, nodes: encodeNodes(shas), data: encodePairs(graph) });
    } catch {
      // Keeping it is a courtesy (a read-only catalog still groups, and builds again next time).
    }
    return { state: stateOf(graph, builtAt), source: 'built' };
  }

  /** The catalog's kept graph of this model, decoded; undefined when there is none of this format. */
  private storedGraph(model: ModelRevision | null): { key: string; revision: string; builtAt: number; shas: string[]; pairs: PairColumns } | undefined {
    const row = this.store.storedGraph(model?.id ?? '');
    if (!row || row.format !== GRAPH_FORMAT) return undefined;
    const pairs = decodePairs(row.data, row.pairs);
    return pairs ? { key: row.key, revision: row.revision, builtAt: row.builtAt, shas: decodeNodes(row.nodes), pairs } : undefined;
  }

  /**
   * Pairs of the graph in memory or in the catalog, of the same model revision, that a new build
   * may take as they are: both nodes were there and their hashes have not been written since.
   */
  private reusable(model: ModelRevision | null, shas: readonly string[], rows: ReadonlyArray<{ computedAt: number }>, stored: ReturnType<DuplicateFinder['storedGraph']>): ReusableGraph | undefined {
    const same = (m: ModelRevision | null) => (m?.id ?? '') === (model?.id ?? '') && (m?.revision ?? '') === (model?.revision ?? '');
    const earlier =
      this.state && same(this.state.model)
        ? { shas: this.state.graph.shas, pairs: this.state.graph as PairColumns, builtAt: this.state.builtAt }
        : stored && stored.revision === (model?.revision ?? '')
          ? stored
          : undefined;
    if (!earlier) return undefined;
    const before = new Map(earlier.shas.map((s, i) => [s, i]));
    const nodeOf = Int32Array.from(shas, (s, i) => ((rows[i]!.computedAt < earlier.builtAt ? before.get(s) : undefined) ?? -1));
    return { pairs: earlier.pairs, nodes: earlier.shas.length, nodeOf };
  }

  /** Whether a first visit has nothing to wait for: every image hashed, and the model's graph kept for the catalog as it is. */
  async prepared(modelId?: string): Promise<boolean> {
    if (this.missingHashes() > 0) return false;
    if (this.store.hashCount() === 0) return true;
    const model = await this.deps.resolveModel(modelId);
    const key = this.graphKey(model);
    return this.state?.key === key || this.store.storedGraphKey(model?.id ?? '') === key;
  }

  /**
   * Hashes the images that have none, then builds (or reads) the model's candidate graph and keeps
   * it: the work a first Duplicates visit would otherwise wait for, run as a job after an import.
   */
  async prepare(modelId: string | undefined, ctx: CallCtx): Promise<Prepared> {
    const hashed = await this.ensureHashes(ctx);
    const { state, source } = await this.graphState(modelId, ctx);
    // The Duplicates page opens on the near tier: its grouping measures the member pairs it needs now.
    await this.find({ tier: 'near', mirror: false, offset: 0, limit: Number.MAX_SAFE_INTEGER, sort: 'size', ...(modelId ? { model: modelId } : {}) }, ctx);
    return { images: state.graph.shas.length, hashed, candidatePairs: state.graph.length, reusedPairs: source === 'built' ? state.graph.reusedPairs : 0, graph: source };
  }

  /** The cached candidate graph of a model (for calibration and diagnostics). */
  async candidateGraph(modelId: string | undefined, ctx: CallCtx): Promise<CandidateGraph> {
    return (await this.graphState(modelId, ctx)).state.graph;
  }

  settingsFor(options: Pick<FindOptions, 'tier' | 'threshold' | 'maxHashDistance' | 'mirror' | 'near' | 'relatedCosine'>): TierSettings {
    const t = defaultTierSettings();
    t.mirror = options.mirror;
    if (options.relatedCosine !== undefined) t.relatedCosine = options.relatedCosine;
    Object.assign(t.near, options.near);
    if (options.tier === 'exact' && options.threshold !== undefined) {
      throw new AppError('bad_request', 'the exact tier has no threshold (same bytes or same pixels); use --tier near for edited copies');
    }
    if (options.threshold !== undefined) {
      if (options.tier === 'near') {
        // One slider moves every cosine bar of the near rule together.
        t.near.cropCosine = Math.min(1, t.near.cropCosine + (options.threshold - t.near.cosine));
        t.near.alignCosine = Math.min(1, t.near.alignCosine + (options.threshold - t.near.cosine));
        t.near.tightCropCosine = Math.min(1, t.near.tightCropCosine + (options.threshold - t.near.cosine));
        t.near.greyCosine = Math.min(1, t.near.greyCosine + (options.threshold - t.near.cosine));
        t.near.cosine = options.threshold;
      } else t.similarCosine = options.threshold;
    }
    if (options.maxHashDistance !== undefined) {
      t.near.hash = options.maxHashDistance;
      t.near.hashAlone = Math.min(t.near.hashAlone, options.maxHashDistance);
    }
    return t;
  }

  private applied(tier: Tier, t: TierSettings, model: ModelRevision | null): AppliedSettings {
    return {
      tier,
      threshold: tier === 'exact' ? null : tier === 'near' ? t.near.cosine : t.similarCosine,
      maxHashDistance: t.near.hash,
      hashAlone: t.near.hashAlone,
      cropCosine: t.near.cropCosine,
      maxCropHashDistance: t.near.cropHash,
      alignCosine: t.near.alignCosine,
      minAlignment: t.near.alignScore,
      minFrame: t.near.frame,
      maxColourDistance: t.near.colour,
      similarThreshold: t.similarCosine,
      mirror: t.mirror,
      model,
    };
  }

  async find(options: FindOptions, ctx: CallCtx): Promise<FindOutput> {
    const t = this.settingsFor(options);
    const { state, buildMs, source } = await this.graphState(options.model, ctx);
    const started = Date.now();
    const g = state.graph;

    const { stars, decisions } = this.imageGroups(state, t, options.tier);

    const keeps = new Set(this.store.keeps().map((k) => k.sha256));
    const refs = this.store.imageRefs(stars.flatMap((s) => [s.centre, ...s.members].map((n) => g.shas[n]!)));
    const summaries = stars.map((s) => this.summarise(state, s, refs));
    summaries.sort((x, y) =>
      options.sort === 'sellers'
        ? y.sellers - x.sellers || y.size - x.size || x.firstSha.localeCompare(y.firstSha)
        : y.size - x.size || y.sellers - x.sellers || x.firstSha.localeCompare(y.firstSha),
    );
    const page = summaries.slice(options.offset, options.offset + options.limit);
    const groups: DuplicateGroup[] = page.map((s, k) => this.groupOut(options.offset + k + 1, state, s, t, decisions, keeps));
    const warnings = this.warningsFor(state);
    return {
      settings: this.applied(options.tier, t, state.model),
      totalGroups: summaries.length,
      groups,
      stats: {
        images: g.shas.length,
        withVectors: state.withVectors,
        candidatePairs: g.length,
        neighboursPerImage: g.neighboursPerImage,
        graphMs: buildMs,
        graph: source,
        groupMs: Date.now() - started,
      },
      warnings,
    };
  }

  /** Star groups of images at a tier (decisions applied), plus images repeated under several listings or files in the exact and near tiers. */
  private imageGroups(state: GraphState, t: TierSettings, tier: Tier): { stars: StarGroup[]; decisions: Map<string, PairDecision> } {
    const g = state.graph;
    // Verdicts: "not duplicate" pairs are never grouped; "duplicate" pairs join the near tier.
    const verdicts: Verdicts = { notDuplicate: new Set(), duplicate: [] };
    const decisions = new Map<string, PairDecision>();
    for (const d of this.store.pairDecisions()) {
      const i = state.index.get(d.a);
      const j = state.index.get(d.b);
      if (i === undefined || j === undefined) continue;
      decisions.set(pairKey(i, j), d.decision);
      if (d.decision === 'not_duplicate') verdicts.notDuplicate.add(pairKey(i, j));
      else verdicts.duplicate.push([i, j]);
    }
    const stars = groupCandidates(g, t, tier, verdicts, state.measures);
    // The same bytes under several listings or files is a group on its own in the exact and near tiers.
    if (tier !== 'similar') {
      const grouped = new Set<number>();
      for (const s of stars) for (const n of [s.centre, ...s.members]) grouped.add(n);
      for (const sha of this.repeatedImages()) {
        const i = state.index.get(sha);
        if (i !== undefined && !grouped.has(i)) stars.push({ centre: i, members: [] });
      }
    }
    return { stars, decisions };
  }

  private warningsFor(state: GraphState): DuplicatesWarning[] {
    const total = state.graph.shas.length;
    const warnings: DuplicatesWarning[] = [];
    if (!state.model) warnings.push({ code: 'hashes_only', message: 'no model embeddings: grouped by perceptual hashes only (run "lookalike import" with a model for the full signal)' });
    else if (state.withVectors < total) {
      const count = total - state.withVectors;
      const model = state.model.id;
      warnings.push({ code: 'missing_vectors', count, total, model, message: `${count} of ${total} images have no ${model} embedding: they are matched by hashes only` });
    }
    return warnings;
  }

  /**
   * Listing-level duplicates: listings tied by photos of one near (or exact) group, with the
   * shared photos as evidence (listings.ts clusterListings for the views).
   */
  async findListings(options: ListingFindOptions, ctx: CallCtx): Promise<ListingsOutput> {
    const t = this.settingsFor({ ...options, tier: options.tier });
    const { state } = await this.graphState(options.model, ctx);
    const g = state.graph;
    const { stars, decisions } = this.imageGroups(state, t, options.tier);
    const listings = this.store.allListings();
    const bySha = this.store.listingIdsBySha();
    const photos = stars.map((s) => {
      const nodes = [s.centre, ...s.members];
      const ids = new Set<string>();
      for (const n of nodes) for (const id of bySha.get(g.shas[n]!) ?? []) ids.add(id);
      return { nodes, listings: [...ids] };
    });
    const clusters = sortClusters(
      clusterListings(
        photos.map((p) => p.listings),
        listings,
        options.view,
      ),
      options.sort,
    );
    const page = clusters.slice(options.offset, options.offset + options.limit);
    const groups: ListingGroup[] = page.map((c, k) => {
      const inGroup = new Set(c.listings);
      const shared = new Map<string, number>();
      const photoOut = c.photos.map((pi) => {
        const p = photos[pi]!;
        const ids = p.listings.filter((id) => inGroup.has(id));
        for (const id of ids) shared.set(id, (shared.get(id) ?? 0) + 1);
        const shown = p.nodes.filter((n) => (bySha.get(g.shas[n]!) ?? []).some((id) => inGroup.has(id)));
        const pairList = shown.slice(1).map((n) => [shown[0]!, n] as const);
        return {
          images: p.nodes
            .map((n) => ({ sha256: g.shas[n]!, paths: this.store.paths(g.shas[n]!), listings: (bySha.get(g.shas[n]!) ?? []).filter((id) => inGroup.has(id)) }))
            .filter((im) => im.listings.length > 0),
          listings: ids,
          sellers: [...new Set(ids.map((id) => listings.get(id)?.seller).filter((x): x is string => !!x))].sort(),
          pairs: this.pairsEvidence(state, pairList, t, decisions),
        };
      });
      photoOut.sort((x, y) => y.listings.length - x.listings.length);
      return {
        id: options.offset + k + 1,
        kind: c.kind,
        size: c.listings.length,
        sellers: c.sellers.length,
        sellerNames: c.sellers,
        listings: c.listings.map((id) => ({ ...listingSummary(listings.get(id), id), sharedPhotos: shared.get(id) ?? 0 })),
        photos: photoOut,
      };
    });
    const warnings = this.warningsFor(state);
    if (listings.size === 0) {
      warnings.push({ code: 'no_listings', message: 'the catalog has no listings: import a listing file (CSV/JSON) to group listings; "lookalike duplicates" without --by groups images' });
    }
    return {
      settings: this.applied(options.tier, t, state.model),
      view: options.view,
      totalGroups: clusters.length,
      groups,
      stats: { listings: listings.size, listingsInGroups: clusters.reduce((sum, c) => sum + c.listings.length, 0), photoGroups: photos.filter((p) => p.listings.length > 1).length },
      warnings,
    };
  }

  /** Sources of the catalog's listings (listing files), with a short name each. */
  sources(): Array<{ source: string; name: string; listings: number }> {
    return this.store.sources().map((s) => ({ ...s, name: s.source.split(/[\\/]/).pop() ?? s.source }));
  }

  /**
   * Cross-catalog matching: the listings of `source` (B) against every other listing (A). For each
   * listing of A, the listings of B showing the same photo (exact, or near at the current rule,
   * pair by pair: no grouping) and those showing a similar product (cosine at least the similar
   * threshold), best pair of photos as evidence.
   */
  async against(options: AgainstOptions, ctx: CallCtx): Promise<AgainstOutput> {
    const listings = this.store.allListings();
    const inB = new Set<string>();
    const sourcesB = new Set<string>();
    for (const l of listings.values()) {
      if (sourceMatches(l.source, options.source)) {
        inB.add(l.id);
        sourcesB.add(l.source!);
      }
    }
    if (inB.size === 0) {
      const known = this.sources().map((s) => `${s.name} (${s.listings})`);
      throw new AppError('not_found', `no listings come from source "${options.source}"; import it with "lookalike import FOLDER --listings FILE" first${known.length ? `. Sources in this catalog: ${known.join(', ')}` : ' (this catalog has no listing files)'}`);
    }
    if (sourcesB.size > 1) throw new AppError('bad_request', `source "${options.source}" names several listing files (${[...sourcesB].join(', ')}): give the full path`);
    const t = this.settingsFor({ tier: 'similar', mirror: options.mirror, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) });
    const { state } = await this.graphState(options.model, ctx);
    const g = state.graph;
    const bySha = this.store.listingIdsBySha();
    const sideOf = (sha: string) => {
      const ids = bySha.get(sha) ?? [];
      return { a: ids.filter((id) => !inB.has(id)), b: ids.filter((id) => inB.has(id)) };
    };
    const rank = { exact: 3, near: 2, similar: 1 } as const;
    interface Best {
      tier: Tier;
      score: number;
      i: number;
      j: number;
      edge: number | undefined;
    }
    const matches = new Map<string, Map<string, Best>>();
    const offer = (la: string, lb: string, m: Best) => {
      let row = matches.get(la);
      if (!row) matches.set(la, (row = new Map()));
      const old = row.get(lb);
      const key = (x: Best) => rank[x.tier] * 10 + (Number.isNaN(x.score) ? 0 : x.score);
      if (!old || key(m) > key(old)) row.set(lb, m);
    };
    const notDuplicate = new Set<string>();
    for (const d of this.store.pairDecisions()) if (d.decision === 'not_duplicate') notDuplicate.add(`${d.a}|${d.b}`);
    // The same image under a listing of A and one of B.
    for (const [sha, ids] of bySha) {
      const i = state.index.get(sha);
      if (i === undefined) continue;
      const side = { a: ids.filter((id) => !inB.has(id)), b: ids.filter((id) => inB.has(id)) };
      for (const la of side.a) for (const lb of side.b) offer(la, lb, { tier: 'exact', score: 1, i, j: i, edge: undefined });
    }
    for (let e = 0; e < g.length; e++) {
      const signals = signalsOf(g, e);
      let tier = classifyPair(signals, t);
      if (!tier) continue;
      const i = g.a[e] as number;
      const j = g.b[e] as number;
      const si = g.shas[i]!;
      const sj = g.shas[j]!;
      if (tier !== 'similar' && notDuplicate.has(si < sj ? `${si}|${sj}` : `${sj}|${si}`)) tier = signals.cosine >= t.similarCosine ? 'similar' : null;
      if (!tier) continue;
      const x = sideOf(si);
      const y = sideOf(sj);
      for (const la of x.a) for (const lb of y.b) offer(la, lb, { tier, score: signals.cosine, i, j, edge: e });
      for (const la of y.a) for (const lb of x.b) offer(la, lb, { tier, score: signals.cosine, i: j, j: i, edge: e });
    }
    const rowsAll = [...matches.entries()].map(([la, row]) => {
      const all = [...row.entries()].sort((x, y) => rank[y[1].tier] - rank[x[1].tier] || (y[1].score || 0) - (x[1].score || 0) || x[0].localeCompare(y[0]));
      return { la, near: all.filter(([, m]) => m.tier !== 'similar'), similar: all.filter(([, m]) => m.tier === 'similar').slice(0, options.similarPerListing) };
    });
    rowsAll.sort((x, y) => y.near.length - x.near.length || (y.similar[0]?.[1].score ?? 0) - (x.similar[0]?.[1].score ?? 0) || x.la.localeCompare(y.la));
    const kept = rowsAll.filter((r) => r.near.length > 0 || r.similar.length > 0);
    const decisions = new Map<string, PairDecision>();
    const matchOut = ([lb, m]: [string, Best]) => {
      const pair =
        m.i === m.j
          ? { a: g.shas[m.i]!, b: g.shas[m.j]!, tier: 'exact' as const, hashDistance: 0, cropHashDistance: 0, alignment: null, cosine: null, frame: 1, colourDistance: null, otherColour: false, decision: null }
          : m.edge !== undefined
            ? this.evidenceOf(g.shas[m.i]!, g.shas[m.j]!, signalsOf(g, m.edge), t, null)
            : this.pairsEvidence(state, [[m.i, m.j]], t, decisions)[0]!;
      return { listing: listingSummary(listings.get(lb), lb), tier: m.tier, score: Number.isNaN(m.score) ? null : round(m.score, 4), pair };
    };
    const rows = kept.slice(options.offset, options.offset + options.limit).map((r) => ({
      listing: listingSummary(listings.get(r.la), r.la),
      near: r.near.map(matchOut),
      similar: r.similar.map(matchOut),
    }));
    const warnings = this.warningsFor(state);
    if (!state.model) warnings.push({ code: 'no_similar', message: 'without embeddings there are no "similar" matches, only the same photo' });
    return {
      settings: this.applied('near', t, state.model),
      source: [...sourcesB][0]!,
      listingsA: listings.size - inB.size,
      listingsB: inB.size,
      withNear: kept.filter((r) => r.near.length > 0).length,
      withSimilarOnly: kept.filter((r) => r.near.length === 0).length,
      totalRows: kept.length,
      rows,
      warnings,
    };
  }

  /** Images shown by more than one listing, or stored in more than one file. */
  private repeatedImages(): string[] {
    return this.deps.catalog.db
      .prepare(
        `SELECT sha256 FROM listing_images GROUP BY sha256 HAVING count(DISTINCT listing_id) > 1
         UNION SELECT sha256 FROM image_files GROUP BY sha256 HAVING count(*) > 1`,
      )
      .pluck()
      .all() as string[];
  }

  private summarise(state: GraphState, s: StarGroup, refs: ReturnType<DuplicateStore['imageRefs']>) {
    const nodes = [s.centre, ...s.members];
    const listings = new Map<string, ListingRef>();
    let files = 0;
    const perImage = nodes.map((n) => {
      const sha = state.graph.shas[n] as string;
      const { listings: ls, paths } = refs.get(sha)!;
      for (const l of ls) listings.set(l.id, l);
      files += paths.length;
      return { node: n, sha, listings: ls, paths };
    });
    const sellers = new Set([...listings.values()].map((l) => l.seller).filter((x): x is string => !!x));
    return { nodes, perImage, size: Math.max(listings.size, files, nodes.length), sellers: sellers.size, firstSha: perImage[0]!.sha };
  }

  private groupOut(
    id: number,
    state: GraphState,
    s: ReturnType<DuplicateFinder['summarise']>,
    t: TierSettings,
    decisions: Map<string, PairDecision>,
    keeps: Set<string>,
  ): DuplicateGroup {
    const images = s.perImage.map((im, k) => ({ sha256: im.sha, paths: im.paths, listings: im.listings, centre: k === 0, keep: keeps.has(im.sha) }));
    const nodes = s.nodes;
    const pairList: Array<[number, number]> = [];
    for (let k = 1; k < nodes.length; k++) pairList.push([nodes[0]!, nodes[k]!]);
    if (nodes.length <= ALL_PAIRS_UP_TO) for (let x = 1; x < nodes.length; x++) for (let y = x + 1; y < nodes.length; y++) pairList.push([nodes[x]!, nodes[y]!]);
    const pairs = this.pairsEvidence(state, pairList, t, decisions);
    return { id, size: s.size, sellers: s.sellers, images, pairs };
  }

  /** Evidence of pairs of nodes at these settings (graph edges as stored, other pairs measured as the graph would, once per graph). */
  private pairsEvidence(state: GraphState, pairList: ReadonlyArray<readonly [number, number]>, t: TierSettings, decisions: Map<string, PairDecision>): PairEvidenceOut[] {
    const g = state.graph;
    return pairList.map(([i, j]) => {
      const e = state.measures.edge(i, j);
      const signals = e !== undefined ? signalsOf(g, e) : state.measures.signals(i, j);
      return this.evidenceOf(g.shas[i]!, g.shas[j]!, signals, t, decisions.get(pairKey(i, j)) ?? null);
    });
  }

  private evidenceOf(a: string, b: string, signals: PairSignals, t: TierSettings, decision: PairDecision | null): PairEvidenceOut {
    const capture = captureVerdict(signals, t);
    const tier = classifyPair(signals, t);
    return {
      a,
      b,
      tier,
      hashDistance: t.mirror ? Math.min(signals.hash, signals.hashMirror) : signals.hash,
      cropHashDistance: signals.crop,
      alignment: Number.isNaN(signals.align) ? null : round(signals.align, 4),
      cosine: Number.isNaN(signals.cosine) ? null : round(signals.cosine, 4),
      frame: Number.isNaN(capture.frame) ? null : round(capture.frame, 4),
      colourDistance: capture.colour === null ? null : round(capture.colour, 1),
      otherColour: tier !== 'exact' && tier !== 'near' && otherColour(signals, t),
      decision,
    };
  }

  /** Histograms of the candidate pairs' cosines and hash distances, overall and per tier. */
  async distribution(options: Pick<FindOptions, 'tier' | 'threshold' | 'maxHashDistance' | 'mirror' | 'model'>, bins: number, ctx: CallCtx) {
    const t = this.settingsFor(options);
    const { state } = await this.graphState(options.model, ctx);
    const g = state.graph;
    const tiers = classifyEdges(g, t);
    const cosEdges = Array.from({ length: bins + 1 }, (_, k) => round(-1 + (2 * k) / bins, 4));
    const hashEdges = Array.from({ length: 66 }, (_, k) => k);
    const empty = (len: number) => new Array<number>(len).fill(0);
    const cos = { all: empty(bins), exact: empty(bins), near: empty(bins), similar: empty(bins) };
    const hash = { all: empty(65), exact: empty(65), near: empty(65), similar: empty(65) };
    for (let e = 0; e < g.length; e++) {
      const tier = tiers[e];
      const h = t.mirror ? Math.min(g.hash[e] as number, g.hashMirror[e] as number) : (g.hash[e] as number);
      hash.all[h]!++;
      if (tier) hash[tier][h]!++;
      const c = g.cosine[e] as number;
      if (Number.isNaN(c)) continue;
      const bin = Math.min(bins - 1, Math.max(0, Math.floor(((c + 1) / 2) * bins)));
      cos.all[bin]!++;
      if (tier) cos[tier][bin]!++;
    }
    const wrap = (edges: number[], h: Record<'all' | Tier, number[]>) => ({
      all: { edges, counts: h.all },
      exact: { edges, counts: h.exact },
      near: { edges, counts: h.near },
      similar: { edges, counts: h.similar },
    });
    return { settings: this.applied(options.tier, t, state.model), pairs: g.length, cosine: wrap(cosEdges, cos), hashDistance: wrap(hashEdges, hash) };
  }

  decide(pairs: ReadonlyArray<{ a: string; b: string; decision: PairDecision | 'clear' }>, keep: { sha: string; value: boolean } | null): { pairs: number; keeps: number } {
    const shas = new Set<string>(pairs.flatMap((p) => [p.a, p.b]));
    if (keep) shas.add(keep.sha);
    for (const sha of shas) if (!this.store.hasImage(sha)) throw new AppError('not_found', `no image ${sha.slice(0, 12)}… in the catalog`);
    for (const p of pairs) if (p.a === p.b) throw new AppError('bad_request', 'a pair needs two different images');
    this.store.decidePairs(pairs.map((p) => ({ a: p.a, b: p.b, decision: p.decision === 'clear' ? null : p.decision })));
    if (keep) this.store.setKeep([keep.sha], keep.value);
    return { pairs: pairs.length, keeps: keep ? 1 : 0 };
  }

  decisions() {
    return {
      pairs: this.store.pairDecisions().map((d) => ({ ...d, aPaths: this.store.paths(d.a), bPaths: this.store.paths(d.b) })),
      keeps: this.store.keeps().map((k) => ({ ...k, paths: this.store.paths(k.sha256) })),
    };
  }
}

function listingSummary(l: (ListingRef & { source: string | null; photos: number }) | undefined, id: string) {
  return l
    ? { id: l.id, title: l.title, seller: l.seller, sku: l.sku, price: l.price, category: l.category, url: l.url, source: l.source, photos: l.photos }
    : { id, title: '', seller: null, sku: null, price: null, category: null, url: null, source: null, photos: 0 };
}

/** Whether a kept graph's nodes are these images, in this order. */
function sameNodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
