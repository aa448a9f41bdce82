import type { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { DuplicateGroup, FindOutput, AppliedSettings as AppliedSettingsSchema } from '../../api/schemas/duplicates.js';
import type { Progress } from '../../api/schemas/common.js';
import type { Catalog } from '../../catalog/catalog.js';
import { Aligner } from './alignment.js';
import { type CandidateGraph, type KnnSearch, alignmentOf, buildCandidateGraph, cropDistance, packedDistance, packedMirrorDistance } from './graph.js';
import { type StarGroup, pairKey } from './grouping.js';
import { type Verdicts, classifyEdges, groupCandidates } from './regroup.js';
import { computeImageHashes } from './image-hash.js';
import { DuplicateStore, type ListingRef, type PairDecision } from './store.js';
import { type NearRule, type Tier, type TierSettings, classifyPair, defaultTierSettings } from './tiers.js';

export type AppliedSettings = z.infer<typeof AppliedSettingsSchema>;

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

interface CallCtx {
  progress: (p: Progress) => void;
  signal: AbortSignal;
}

interface GraphState {
  key: string;
  model: ModelRevision | null;
  graph: CandidateGraph;
  withVectors: number;
  index: Map<string, number>;
  edgeIndex: Map<number, number> | undefined;
}

/** Groups containing more images than this list centre pairs only (all pairs would be quadratic). */
const ALL_PAIRS_UP_TO = 20;
const HASH_CONCURRENCY = 4;

/**
 * Duplicate listing detection over the catalog: perceptual hashes per image (computed once,
 * stored), a candidate graph per model revision (cached in memory), and grouping at any
 * thresholds on top of it. One instance per Services.
 */
export class DuplicateFinder {
  readonly store: DuplicateStore;
  private state: GraphState | undefined;
  private building: Promise<GraphState> | undefined;
  /** For the evidence of group pairs outside the candidate graph. */
  private readonly aligner = new Aligner();

  constructor(private readonly deps: FinderDeps) {
    this.store = new DuplicateStore(deps.catalog);
  }

  /** Hashes every image that has none yet (reads the original file, or the thumbnail when it is gone). */
  async ensureHashes({ progress, signal }: CallCtx): Promise<number> {
    const total = (this.deps.catalog.db.prepare('SELECT count(*) FROM images').pluck().get() as number) - this.store.hashCount();
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
      progress({ phase: 'hashing images', done, total, ratePerSecond: seconds > 0 ? done / seconds : undefined });
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
    if (!thumb) throw new ApiError('failed', `image ${sha256.slice(0, 12)} has neither a readable file nor a thumbnail`);
    // Pixels of a thumbnail say nothing about the original's: keep the exact tier to the sha.
    return { ...(await computeImageHashes(thumb.bytes)), pixelSha: `thumbnail:${sha256}` };
  }

  /** The candidate graph for a model, built once per model revision and catalog content. */
  private async graphState(modelId: string | undefined, ctx: CallCtx): Promise<{ state: GraphState; buildMs: number }> {
    await this.ensureHashes(ctx);
    const model = await this.deps.resolveModel(modelId);
    const catalog = this.deps.catalog;
    const vectorCount = model ? catalog.embeddingCount(model.id, model.revision) : 0;
    const key = `${model ? `${model.id}@${model.revision}` : '-'}|${vectorCount}|${this.store.contentVersion()}`;
    if (this.state?.key === key) return { state: this.state, buildMs: 0 };
    if (this.building) {
      const s = await this.building;
      if (s.key === key) return { state: s, buildMs: 0 };
    }
    const started = Date.now();
    this.building = this.buildState(key, model, ctx);
    try {
      this.state = await this.building;
    } finally {
      this.building = undefined;
    }
    return { state: this.state, buildMs: Date.now() - started };
  }

  private async buildState(key: string, model: ModelRevision | null, { progress, signal }: CallCtx): Promise<GraphState> {
    progress({ phase: 'finding neighbours', done: 0 });
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
    const graph = await buildCandidateGraph({ shas, hashes: rows, vectors, hasVector, dim, k: this.deps.neighbours ?? 16, knn: this.deps.knn });
    progress({ phase: 'finding neighbours', done: shas.length, total: shas.length });
    return { key, model, graph, withVectors, index, edgeIndex: undefined };
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
      throw new ApiError('bad_request', 'the exact tier has no threshold (same bytes or same pixels); use --tier near for edited copies');
    }
    if (options.threshold !== undefined) {
      if (options.tier === 'near') {
        // One slider moves every cosine bar of the near rule together.
        t.near.cropCosine = Math.min(1, t.near.cropCosine + (options.threshold - t.near.cosine));
        t.near.alignCosine = Math.min(1, t.near.alignCosine + (options.threshold - t.near.cosine));
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
      similarThreshold: t.similarCosine,
      mirror: t.mirror,
      model,
    };
  }

  async find(options: FindOptions, ctx: CallCtx): Promise<FindOutput> {
    const t = this.settingsFor(options);
    const { state, buildMs } = await this.graphState(options.model, ctx);
    const started = Date.now();
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
    const stars = groupCandidates(g, t, options.tier, verdicts);

    // The same bytes under several listings or files is a group on its own in the exact and near tiers.
    if (options.tier !== 'similar') {
      const grouped = new Set<number>();
      for (const s of stars) for (const n of [s.centre, ...s.members]) grouped.add(n);
      for (const sha of this.repeatedImages()) {
        const i = state.index.get(sha);
        if (i !== undefined && !grouped.has(i)) stars.push({ centre: i, members: [] });
      }
    }

    const keeps = new Set(this.store.keeps().map((k) => k.sha256));
    const summaries = stars.map((s) => this.summarise(state, s));
    summaries.sort((x, y) =>
      options.sort === 'sellers'
        ? y.sellers - x.sellers || y.size - x.size || x.firstSha.localeCompare(y.firstSha)
        : y.size - x.size || y.sellers - x.sellers || x.firstSha.localeCompare(y.firstSha),
    );
    const page = summaries.slice(options.offset, options.offset + options.limit);
    const groups: DuplicateGroup[] = page.map((s, k) => this.groupOut(options.offset + k + 1, state, s, t, decisions, keeps));
    const warnings: string[] = [];
    if (!state.model) warnings.push('no model embeddings: grouped by perceptual hashes only (run "lookalike index" with a model for the full signal)');
    else if (state.withVectors < g.shas.length) {
      warnings.push(`${g.shas.length - state.withVectors} of ${g.shas.length} images have no ${state.model.id} embedding: they are matched by hashes only`);
    }
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
        groupMs: Date.now() - started,
      },
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

  private summarise(state: GraphState, s: StarGroup) {
    const nodes = [s.centre, ...s.members];
    const listings = new Map<string, ListingRef>();
    let files = 0;
    const perImage = nodes.map((n) => {
      const sha = state.graph.shas[n] as string;
      const ls = this.store.listings(sha);
      const paths = this.store.paths(sha);
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
    const vectors = state.model && pairList.length > 0 ? this.deps.catalog.getEmbeddings(nodes.map((n) => state.graph.shas[n]!), state.model.id, state.model.revision) : new Map<string, Float32Array>();
    const pairs = pairList.map(([i, j]) => {
      const e = this.edge(state, i, j);
      const g = state.graph;
      const shaI = g.shas[i]!;
      const shaJ = g.shas[j]!;
      let cosine: number;
      if (e !== undefined) cosine = g.cosine[e] as number;
      else {
        const vi = vectors.get(shaI);
        const vj = vectors.get(shaJ);
        cosine = vi && vj ? dot(vi, vj) : Number.NaN;
      }
      const hash = packedDistance(g.packed, i, j);
      const crop = cropDistance(g.packed, i, j);
      const signals = {
        exact: g.pixelShas[i] === g.pixelShas[j],
        cosine,
        hash,
        hashMirror: packedMirrorDistance(g.packed, i, j),
        crop,
        align: e !== undefined ? (g.alignment[e] as number) : alignmentOf(g.packed, this.aligner, i, j, cosine, hash, crop),
      };
      return {
        a: shaI,
        b: shaJ,
        tier: classifyPair(signals, t),
        hashDistance: t.mirror ? Math.min(signals.hash, signals.hashMirror) : signals.hash,
        cropHashDistance: signals.crop,
        alignment: Number.isNaN(signals.align) ? null : round(signals.align, 4),
        cosine: Number.isNaN(cosine) ? null : round(cosine, 4),
        decision: decisions.get(pairKey(i, j)) ?? null,
      };
    });
    return { id, size: s.size, sellers: s.sellers, images, pairs };
  }

  private edge(state: GraphState, i: number, j: number): number | undefined {
    const g = state.graph;
    const n = g.shas.length;
    if (!state.edgeIndex) {
      state.edgeIndex = new Map();
      for (let e = 0; e < g.length; e++) state.edgeIndex.set((g.a[e] as number) * n + (g.b[e] as number), e);
    }
    return state.edgeIndex.get(i < j ? i * n + j : j * n + i);
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
    for (const sha of shas) if (!this.store.hasImage(sha)) throw new ApiError('not_found', `no image ${sha.slice(0, 12)}… in the catalog`);
    for (const p of pairs) if (p.a === p.b) throw new ApiError('bad_request', 'a pair needs two different images');
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

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
