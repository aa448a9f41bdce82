import { AppError } from '../../shared/errors.js';
import { FAMILY_LABELS, type FamilyName } from '../../shared/families.js';
import type { OnnxEmbedder } from '../../engine/embedder.js';
import type { Services } from '../services.js';
import { firstPackOfFamily, loadModel } from '../common/load-model.js';

export interface LoadedPair {
  models: [OnnxEmbedder, OnnxEmbedder];
  /** Milliseconds to get each pack in this call (a load, or a few ms of lookup when already loaded). */
  loadMs: [number, number];
}

/** The families compared when no packs are named: the first installed pack of each. */
const DEFAULT_PAIR: readonly [FamilyName, FamilyName] = ['clip', 'siglip'];

/** The two packs to compare: as given, else the first CLIP pack and the first SigLIP pack installed. */
export async function resolvePair(services: Services, ids: readonly string[] | undefined): Promise<[string, string]> {
  if (ids) {
    if (ids.length !== 2) throw new AppError('bad_request', `give exactly two model ids to compare, got ${ids.length}`);
    if (ids[0] === ids[1]) throw new AppError('bad_request', `the two models must differ (both are "${ids[0]}")`);
    return [ids[0]!, ids[1]!];
  }
  const [a, b] = DEFAULT_PAIR.map((f) => FAMILY_LABELS[f]);
  const first = await firstPackOfFamily(services, DEFAULT_PAIR[0]);
  const second = await firstPackOfFamily(services, DEFAULT_PAIR[1]);
  if (!first || !second) {
    throw new AppError('unavailable', `comparing needs two packs; default is one ${a} and one ${b} pack, installed: ${first ?? `no ${a}`}, ${second ?? `no ${b}`} — name two with models`);
  }
  return [first, second];
}

export async function loadPair(services: Services, ids: readonly string[] | undefined): Promise<LoadedPair> {
  const [a, b] = await resolvePair(services, ids);
  const loadMs: [number, number] = [0, 0];
  const models = [] as unknown as [OnnxEmbedder, OnnxEmbedder];
  for (const [i, id] of [a, b].entries()) {
    const started = performance.now();
    models[i] = await loadModel(services, id);
    loadMs[i] = Math.round(performance.now() - started);
  }
  return { models, loadMs };
}
