import fs from 'node:fs/promises';
import { AppError } from '../shared/errors.js';
import type { Handler } from '../features/context.js';
import type { Catalog } from '../catalog/catalog.js';
import { type VariantSample, measureVariant } from '../engine/variant-drift.js';
import { loadModel } from './common/load-model.js';
import { DEFAULT_NEAR } from './duplicates/tiers.js';

export const modelsList: Handler<'models.list'> = async (input, { services }) => {
  const registry = services.models;
  const { models, defaultModel } = await registry.list();
  return { models, defaultModel, provider: await registry.providerReport(input.provider) };
};

export const modelsInstall: Handler<'models.install'> = async (input, { services, progress, signal }) => {
  const model = await services.models.install(input.source, { id: input.id, variant: input.variant, signal, progress });
  return { model };
};

export const modelsRemove: Handler<'models.remove'> = async (input, { services }) => {
  await services.models.remove(input.id);
  return { removed: input.id };
};

export const modelsEmbed: Handler<'models.embed'> = async (input, { services, signal }) => {
  const embedder = await loadModel(services, input.model, { provider: input.provider });
  let vector: Float32Array;
  if (input.text !== undefined) [vector] = (await embedder.embedTexts([input.text], { signal })) as [Float32Array];
  else {
    const image = input.image!;
    const bytes =
      'path' in image
        ? await fs.readFile(image.path).catch(() => {
            throw new AppError('bad_request', `cannot read image file ${image.path}`);
          })
        : Buffer.from(image.bytes, 'base64');
    [vector] = (await embedder.embedImages([bytes], { signal })) as [Float32Array];
  }
  return { model: embedder.id, dim: embedder.dim, provider: embedder.provider, scoring: embedder.scoring, vector: Array.from(vector) };
};

/**
 * Up to `n` listings spread evenly over the catalog: their titles, and the first image of each
 * that can still be read. Images of listing-less imports fill in when there are few listings.
 */
export async function catalogSample(catalog: Catalog, n: number): Promise<VariantSample> {
  const total = catalog.listingCount();
  const images: Uint8Array[] = [];
  const texts: string[] = [];
  const seen = new Set<string>();
  const addImage = async (sha: string) => {
    if (seen.has(sha)) return;
    seen.add(sha);
    const media = await catalog.readOriginal(sha);
    if (media) images.push(media.bytes);
  };
  const picks = Math.min(n, total);
  for (let k = 0; k < picks; k++) {
    const [listing] = catalog.listingsPage(Math.floor((k * total) / picks), 1);
    if (!listing) continue;
    if (listing.title.trim()) texts.push(listing.title);
    if (listing.images[0]) await addImage(listing.images[0].sha256);
  }
  if (images.length < n) {
    outer: for (const shas of catalog.iterateImageShas(256)) {
      for (const sha of shas) {
        if (images.length >= n) break outer;
        await addImage(sha);
      }
    }
  }
  return { images, texts };
}

export const modelsMeasureVariant: Handler<'models.measureVariant'> = async (input, { services, signal, progress }) => {
  const pack = await services.models.resolve(input.model);
  const variant = input.variant ?? 'quantized';
  progress({ phase: 'sampling', done: 0 });
  const sample = await catalogSample(services.catalog, input.sample ?? 64);
  if (sample.images.length < 2 || sample.texts.length < 1) {
    throw new AppError('bad_request', `the catalog has ${sample.images.length} readable image(s) and ${sample.texts.length} title(s); import at least 2 images and 1 listing to measure a variant on it`);
  }
  const measurement = await measureVariant(pack, variant, sample, {
    threshold: DEFAULT_NEAR.cosine,
    provider: input.provider,
    signal,
    progress: (v, step, steps) => progress({ phase: 'measuring', done: step, total: steps, message: v }),
  });
  await services.models.saveMeasurement(measurement);
  return { measurement };
};

export const modelsSetVariant: Handler<'models.setVariant'> = async (input, { services }) => {
  return { model: await services.models.setVariant(input.model, input.variant) };
};
