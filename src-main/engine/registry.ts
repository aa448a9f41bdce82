// engine/: model packs and inference (ONNX Runtime sessions, tokenizers, image decoding and
// preprocessing, perceptual hashes). Runs in the backend and CLI processes, image preprocessing also
// on a worker thread (decode-pool.ts); it knows nothing of the catalog, the API or the features.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../shared/errors.js';
import type { FamilyName } from '../shared/families.js';
import { type EmbedderOptions, OnnxEmbedder } from './embedder.js';
import { downloadPack, isHubRepoId } from './hub.js';
import { commitPack, copyFolder, extractZip, findPackRoot, validatePackId } from './install.js';
import { BadInputError, NotFoundError } from './errors.js';
import { type PackCheck, type PackInfo, PackError, checkId, inspectPack } from './pack.js';
import { type ProviderReport, createSession, sessionSettings } from './providers.js';
import { ScoringCache } from './scoring.js';
import type { ModelListing, PackSource, VariantMeasurement } from '../shared/models.js';
import type { ProgressPhase } from '../shared/progress.js';
import { isVariant, towerFile } from './variants.js';

/** Per-pack variant choices and measurements, in `<models>/.variant-choices.json`. */
interface VariantState {
  choices: Record<string, string>;
  measurements: Record<string, Record<string, VariantMeasurement>>;
}

export interface InstallProgress {
  phase: ProgressPhase;
  done: number;
  total?: number;
  message?: string;
}

export interface RegistryOptions {
  /** Bundled demo packs (read-only). */
  bundledDir: string;
  /** Where install/download put packs (`<home>/models`). */
  installedDir: string;
  /** More read-only pack folders, e.g. the real-size timing packs for `bench`. */
  extraDirs?: string[];
  embedder?: Omit<EmbedderOptions, 'scoringCache'>;
  /** Hugging Face Hub base URL for installs by repository id (config.hubEndpoint). */
  hubEndpoint?: string;
  log?: (line: string) => void;
}

/** Finds, installs, removes and loads model packs; one cached Embedder per pack. */
export class ModelRegistry {
  private readonly embedders = new Map<string, Promise<OnnxEmbedder>>();
  private readonly loadErrors = new Map<string, string>();
  private readonly providerProbes = new Map<string, Promise<ProviderReport | null>>();
  readonly scoringCache: ScoringCache;

  constructor(readonly options: RegistryOptions) {
    this.scoringCache = new ScoringCache(path.join(options.installedDir, '.scoring-cache.json'));
  }

  private roots(): Array<{ dir: string; source: PackSource }> {
    return [
      { dir: this.options.installedDir, source: 'installed' as const },
      ...(this.options.extraDirs ?? []).map((dir) => ({ dir, source: 'extra' as const })),
      { dir: this.options.bundledDir, source: 'bundled' as const },
    ];
  }

  /** Every pack folder, installed first; an id found twice keeps the first (an install shadows nothing silently: ids are unique at install). */
  async scan(): Promise<Array<{ check: PackCheck; source: PackSource }>> {
    const seen = new Set<string>();
    const out: Array<{ check: PackCheck; source: PackSource }> = [];
    for (const { dir, source } of this.roots()) {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      // A symbolic link to a pack folder counts as a pack (packs kept on another drive).
      const isFolder = async (x: (typeof entries)[number]) => x.isDirectory() || (x.isSymbolicLink() && (await fs.stat(path.join(dir, x.name)).catch(() => null))?.isDirectory() === true);
      const folders = [];
      for (const x of entries) if (!x.name.startsWith('.') && (await isFolder(x))) folders.push(x);
      for (const e of folders.sort((a, b) => a.name.localeCompare(b.name))) {
        if (seen.has(e.name)) continue;
        seen.add(e.name);
        const check = await inspectPack(path.join(dir, e.name), e.name);
        const loadError = this.loadErrors.get(e.name);
        out.push({ check: check.ok && loadError ? { ok: false, id: e.name, dir: check.pack.dir, error: loadError, sizeBytes: check.pack.sizeBytes } : check, source });
      }
    }
    return out;
  }

  /**
   * Default pack: the first real pack of a family preferred as default (SigLIP), else the first
   * real pack of any family, else demo-siglip, else the first pack of a preferred family.
   */
  static pickDefault(packs: PackInfo[]): PackInfo | undefined {
    return (
      packs.find((p) => !p.demo && p.traits.preferAsDefault) ??
      packs.find((p) => !p.demo) ??
      packs.find((p) => p.id === 'demo-siglip') ??
      packs.find((p) => p.traits.preferAsDefault) ??
      packs[0]
    );
  }

  private defaultFile(): string {
    return path.join(this.options.installedDir, '.default-model');
  }

  /** The pack the user set as default (setDefault) while it is usable, else pickDefault's choice. */
  private async chooseDefault(ok: PackInfo[]): Promise<PackInfo | undefined> {
    const chosen = (await fs.readFile(this.defaultFile(), 'utf8').catch(() => '')).trim();
    return ok.find((p) => p.id === chosen) ?? ModelRegistry.pickDefault(ok);
  }

  /** Makes a usable pack the default for every feature (null: back to the automatic choice). */
  async setDefault(id: string | null): Promise<void> {
    if (id !== null) await this.resolve(id);
    await fs.mkdir(this.options.installedDir, { recursive: true });
    if (id === null) await fs.rm(this.defaultFile(), { force: true });
    else await fs.writeFile(this.defaultFile(), `${id}\n`);
  }

  async list(): Promise<{ models: ModelListing[]; defaultModel: string | null }> {
    const scanned = await this.scan();
    const ok = scanned.flatMap((s) => (s.check.ok ? [s.check.pack] : []));
    const def = await this.chooseDefault(ok);
    const requestedVariant = this.options.embedder?.variant;
    const state = await this.variantState();
    const models = scanned.map(({ check, source }): ModelListing => {
      if (!check.ok) {
        return { id: check.id, name: check.id, family: null, dim: null, variants: [], variant: null, chosenVariant: null, measurements: [], sizeBytes: check.sizeBytes, demo: false, source, path: check.dir, status: 'broken', error: check.error, isDefault: false };
      }
      const p = check.pack;
      const chosen = chosenVariant(state, p);
      const variant = requestedVariant && p.variants.includes(requestedVariant as never) ? requestedVariant : (chosen ?? p.variants[0] ?? null);
      const measurements = Object.values(state.measurements[p.id] ?? {});
      return { id: p.id, name: p.name, family: p.family, dim: p.dim, variants: p.variants, variant, chosenVariant: chosen, measurements, sizeBytes: p.sizeBytes, demo: p.demo, source, path: p.dir, status: 'ok', error: null, isDefault: p.id === def?.id };
    });
    return { models, defaultModel: def?.id ?? null };
  }

  /**
   * The pack `id` (the default pack when omitted). Every feature gets the same errors from here:
   * no usable pack installed and a broken pack are `unavailable`, an unknown id `not_found`.
   */
  async resolve(id?: string): Promise<PackInfo> {
    const scanned = await this.scan();
    if (!id) {
      const def = await this.chooseDefault(scanned.flatMap((s) => (s.check.ok ? [s.check.pack] : [])));
      if (!def) throw new AppError('unavailable', 'no usable model pack is installed; run "lookalike models install <folder|zip|repo>"');
      return def;
    }
    const found = scanned.find((s) => checkId(s.check) === id);
    if (!found) throw new NotFoundError(`no model pack "${id}" (installed: ${scanned.map((s) => checkId(s.check)).join(', ') || 'none'})`);
    if (!found.check.ok) throw new AppError('unavailable', found.check.error);
    return found.check.pack;
  }

  /** The loaded Embedder of a pack (default pack when id is omitted), created once and shared. */
  async embedder(id?: string, overrides: { provider?: string } = {}): Promise<OnnxEmbedder> {
    const pack = await this.resolve(id);
    const provider = overrides.provider ?? this.options.embedder?.provider;
    // The configured variant (LOOKALIKE_VARIANT) wins; else the variant chosen for this pack; else the best installed.
    const variant = this.options.embedder?.variant ?? chosenVariant(await this.variantState(), pack) ?? undefined;
    const key = `${pack.id}\0${provider ?? ''}\0${variant ?? ''}`;
    let loading = this.embedders.get(key);
    if (!loading) {
      // Towers load on first use; a bad tower file found then marks the pack broken like a bad file found here.
      const onBroken = (err: PackError) => {
        this.loadErrors.set(pack.id, err.message);
        if (this.embedders.get(key) === loading) this.embedders.delete(key);
      };
      loading = OnnxEmbedder.load(pack, { ...this.options.embedder, provider, variant, scoringCache: this.scoringCache, log: this.options.log, onBroken });
      this.embedders.set(key, loading);
      loading.catch((err: unknown) => {
        this.embedders.delete(key);
        // A bad file keeps the pack marked broken in the listing; other failures (provider) may pass.
        if (err instanceof PackError) this.loadErrors.set(pack.id, err.message);
      });
    }
    return loading;
  }

  /**
   * Which provider sessions get in this process and why others were skipped: from a loaded pack
   * if any, else by opening the smallest installed vision tower once (outcomes are cached).
   */
  async providerReport(provider = this.options.embedder?.provider): Promise<ProviderReport | null> {
    for (const [key, loading] of this.embedders) {
      if (key.split('\0')[1] !== (provider ?? '')) continue;
      const e = await loading.catch(() => null);
      const report = e && (e.providers.vision ?? e.providers.text);
      if (report) return report;
    }
    let probe = this.providerProbes.get(provider ?? '');
    if (probe) return probe;
    probe = (async () => {
      const packs = (await this.scan()).flatMap((s) => (s.check.ok ? [s.check.pack] : []));
      const files = await Promise.all(
        packs.map(async (p) => {
          const file = path.join(p.dir, towerFile('vision', p.variants[0]!));
          return { file, size: (await fs.stat(file)).size };
        }),
      );
      const smallest = files.sort((a, b) => a.size - b.size)[0];
      if (!smallest) return null;
      const { session, report } = await createSession(smallest.file, sessionSettings({ ...this.options.embedder, provider, threads: 1 }));
      await session.release();
      return report;
    })().catch(() => null);
    this.providerProbes.set(provider ?? '', probe);
    return probe;
  }

  async install(
    source: string,
    options: { id?: string; variant?: string; signal?: AbortSignal; progress?: (p: InstallProgress) => void } = {},
  ): Promise<ModelListing> {
    const { installedDir } = this.options;
    await fs.mkdir(installedDir, { recursive: true });
    const stat = await fs.stat(source).catch(() => null);
    let id: string;
    if (stat?.isDirectory()) id = options.id ?? path.basename(path.resolve(source));
    else if (stat?.isFile()) {
      if (!/\.zip$/i.test(source)) throw new BadInputError(`${source} is not a folder or a .zip archive`);
      id = options.id ?? path.basename(source).replace(/\.zip$/i, '');
    } else if (isHubRepoId(source)) id = options.id ?? source.split('/')[1]!;
    else throw new BadInputError(`"${source}" is not a folder, a .zip file or a Hugging Face repo id (owner/name)`);
    validatePackId(id);
    const existing = (await this.scan()).find((s) => checkId(s.check) === id);
    if (existing) throw new BadInputError(`a model pack "${id}" already exists (${existing.source}); remove it first or choose another id with --id`);

    const staging = path.join(installedDir, `.staging-${id}-${randomBytes(4).toString('hex')}`);
    try {
      if (stat?.isDirectory()) {
        // Check before copying gigabytes: the error names the missing or corrupt file.
        const check = await inspectPack(source, id);
        if (!check.ok) throw new Error(check.error);
        options.progress?.({ phase: 'copying', done: 0, total: 1, message: id });
        await copyFolder(source, staging);
        await commitPack(staging, installedDir, id);
      } else if (stat?.isFile()) {
        options.progress?.({ phase: 'unzipping', done: 0, total: 1, message: path.basename(source) });
        await fs.mkdir(staging);
        await extractZip(source, staging, options.signal);
        const root = await findPackRoot(staging);
        await commitPack(root, installedDir, id);
      } else {
        // Downloads stay in a per-repo folder between attempts so that an interrupted install resumes.
        const partial = path.join(installedDir, '.downloads', source.replace('/', '--'));
        let last = 0;
        const endpoint = this.options.hubEndpoint;
        if (!endpoint) throw new Error('no Hugging Face Hub endpoint configured for this registry; install from a folder or .zip instead');
        await downloadPack(source, partial, {
          endpoint,
          variant: options.variant,
          signal: options.signal,
          progress: (p) => {
            const now = Date.now();
            if (now - last < 200 && p.doneBytes < p.totalBytes) return;
            last = now;
            options.progress?.({ phase: 'downloading', done: p.doneBytes, total: p.totalBytes, message: p.file });
          },
        });
        await commitPack(partial, installedDir, id);
      }
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
    this.loadErrors.delete(id);
    const listing = (await this.list()).models.find((m) => m.id === id);
    if (!listing) throw new Error(`installed ${id} but cannot list it`);
    return listing;
  }

  private variantFile(): string {
    return path.join(this.options.installedDir, '.variant-choices.json');
  }

  private async variantState(): Promise<VariantState> {
    const raw = await fs.readFile(this.variantFile(), 'utf8').catch(() => null);
    if (raw === null) return { choices: {}, measurements: {} };
    try {
      const parsed = JSON.parse(raw) as Partial<VariantState>;
      return { choices: parsed.choices ?? {}, measurements: parsed.measurements ?? {} };
    } catch {
      this.options.log?.(`warning: ${this.variantFile()} is corrupt; variant choices reset to automatic`);
      return { choices: {}, measurements: {} };
    }
  }

  private async writeVariantState(state: VariantState): Promise<void> {
    await fs.mkdir(this.options.installedDir, { recursive: true });
    const tmp = `${this.variantFile()}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(state, null, 1)}\n`);
    await fs.rename(tmp, this.variantFile());
  }

  /**
   * Remembers which weight variant a pack runs with (null: automatic, the best installed). The
   * pack's loaded towers are closed: the next use loads the chosen variant, and its revision (so
   * the catalog embeds again with it).
   */
  async setVariant(id: string, variant: string | null): Promise<ModelListing> {
    const pack = await this.resolve(id);
    if (variant !== null) {
      if (!isVariant(variant)) throw new BadInputError(`unknown model variant "${variant}"`);
      if (!pack.variants.includes(variant)) throw new BadInputError(`model pack "${id}" has no ${variant} variant (installed: ${pack.variants.join(', ')})`);
    }
    const state = await this.variantState();
    if (variant === null) delete state.choices[pack.id];
    else state.choices[pack.id] = variant;
    await this.writeVariantState(state);
    await this.unload(pack.id);
    const listing = (await this.list()).models.find((m) => m.id === pack.id);
    if (!listing) throw new Error(`cannot list ${pack.id}`);
    return listing;
  }

  /** Keeps the latest measurement of a variant for the listing. */
  async saveMeasurement(m: VariantMeasurement): Promise<void> {
    const state = await this.variantState();
    state.measurements[m.pack] = { ...state.measurements[m.pack], [m.variant]: m };
    await this.writeVariantState(state);
  }

  /** Closes a pack's loaded embedders (they load again on next use). */
  private async unload(id: string): Promise<void> {
    for (const [key, loading] of [...this.embedders]) {
      if (key.split('\0')[0] !== id) continue;
      this.embedders.delete(key);
      await (await loading.catch(() => null))?.close();
    }
  }

  async remove(id: string): Promise<void> {
    const found = (await this.scan()).find((s) => checkId(s.check) === id);
    if (!found) throw new NotFoundError(`no model pack "${id}"`);
    if (found.source !== 'installed') throw new BadInputError(`model pack "${id}" is ${found.source === 'bundled' ? 'a bundled demo pack' : 'outside the models folder'} and cannot be removed`);
    await this.unload(id);
    this.loadErrors.delete(id);
    await fs.rm(path.join(this.options.installedDir, id), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    const all = [...this.embedders.values()];
    this.embedders.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.close()));
  }
}

/** The remembered variant of a pack while it is still installed in it. */
function chosenVariant(state: VariantState, pack: PackInfo): string | null {
  const v = state.choices[pack.id];
  return v && pack.variants.includes(v as never) ? v : null;
}
