import { z } from 'zod';
import { FAMILY_NAMES } from '../../shared/families.js';
import { method } from '../method.js';
import type { ModelListing as ModelListingShape, VariantMeasurement as VariantMeasurementShape } from '../../shared/models.js';

/** A model family's name ("siglip", "clip"). */
export const ModelFamily = z.enum(FAMILY_NAMES);

/** A loaded pack as the features that score with it (mismatch, compare) report it. */
export const ModelRef = z.object({
  id: z.string(),
  name: z.string(),
  revision: z.string(),
  family: ModelFamily,
  /** sigmoid: absolute per-pair probabilities; softmax: scores relative to a candidate set. */
  kind: z.enum(['sigmoid', 'softmax']),
  provider: z.string(),
});

const ProviderName = z.enum(['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'cpu']);
/** A forced provider or order, e.g. "cpu" or "webgpu,cpu". */
const ProviderOrder = z.string().regex(/^[a-z]+(,[a-z]+)*$/, 'expected a provider or a comma-separated order, e.g. "webgpu,cpu"');

const Stat = z.object({ min: z.number(), mean: z.number() });
/** A weight variant's drift from fp32 and speed, measured on a sample of the catalog (engine/variant-drift.ts). */
export const VariantMeasurement: z.ZodType<VariantMeasurementShape> = z.object({
  pack: z.string(),
  variant: z.string(),
  reference: z.literal('fp32'),
  measuredAt: z.string(),
  images: z.number(),
  texts: z.number(),
  imageCosine: Stat,
  textCosine: Stat,
  textSearchTop10: Stat,
  imageSearchTop10: Stat,
  duplicatePairs: z.object({ threshold: z.number(), fp32: z.number(), kept: z.number(), added: z.number() }),
  speed: z.object({ fp32Images: z.number(), variantImages: z.number(), fp32Texts: z.number(), variantTexts: z.number(), imageSpeedup: z.number(), textSpeedup: z.number() }),
  recommended: z.boolean(),
  summary: z.string(),
});
export type VariantMeasurement = VariantMeasurementShape;

export const ModelListing: z.ZodType<ModelListingShape> = z.object({
  id: z.string(),
  name: z.string(),
  family: ModelFamily.nullable(),
  dim: z.number().nullable(),
  variants: z.array(z.string()),
  variant: z.string().nullable(),
  /** The variant chosen for this pack (models.setVariant); null: automatic. */
  chosenVariant: z.string().nullable(),
  measurements: z.array(VariantMeasurement),
  sizeBytes: z.number(),
  demo: z.boolean(),
  source: z.enum(['installed', 'bundled', 'extra']),
  path: z.string(),
  status: z.enum(['ok', 'broken']),
  /** Why a broken pack cannot be used, naming the missing or corrupt file. */
  error: z.string().nullable(),
  isDefault: z.boolean(),
});
export type ModelListing = ModelListingShape;

export const ProviderReport = z.object({
  active: ProviderName,
  skipped: z.array(z.object({ provider: ProviderName, reason: z.string() })),
  forced: z.boolean(),
});

const Scoring = z.union([
  z.object({ kind: z.literal('sigmoid'), scale: z.number(), bias: z.number() }),
  z.object({ kind: z.literal('softmax'), scale: z.number() }),
]);

export const modelsMethods = {
  'models.list': method({
    summary: 'Installed and bundled model packs (broken ones with the reason), the default pack, and the execution provider in use.',
    input: z.object({ provider: ProviderOrder.optional() }).strict(),
    output: z.object({
      models: z.array(ModelListing),
      defaultModel: z.string().nullable(),
      /** null when no pack could be opened to probe providers. */
      provider: ProviderReport.nullable(),
    }),
  }),
  'models.install': method({
    summary: 'Install a model pack from a folder, a .zip file, or a Hugging Face repo id (downloads, resumable).',
    input: z
      .object({
        source: z.string().min(1).max(4096),
        id: z.string().min(1).max(80).optional(),
        variant: z.string().min(1).max(16).optional(),
      })
      .strict(),
    output: z.object({ model: ModelListing }),
  }),
  'models.remove': method({
    summary: 'Remove an installed model pack (bundled demo packs cannot be removed).',
    input: z.object({ id: z.string().min(1).max(80) }).strict(),
    output: z.object({ removed: z.string() }),
  }),
  'models.measureVariant': method({
    summary:
      'Embed a sample of the catalog (images and titles) with the fp32 towers and with another weight variant (default: the 8-bit "quantized"), and report drift (cosine, top-10 search overlap, duplicate pairs kept) and speed; the result is kept for the listing.',
    input: z
      .object({
        model: z.string().min(1).max(80).optional(),
        variant: z.string().min(1).max(16).optional(),
        /** Listings sampled evenly across the catalog (default 64). */
        sample: z.number().int().min(4).max(2000).optional(),
        provider: ProviderOrder.optional(),
      })
      .strict(),
    output: z.object({ measurement: VariantMeasurement }),
  }),
  'models.setVariant': method({
    summary: 'Choose the weight variant a pack runs with, remembered across starts (null: automatic). The catalog embeds again with it.',
    input: z.object({ model: z.string().min(1).max(80), variant: z.string().min(1).max(16).nullable() }).strict(),
    output: z.object({ model: ModelListing }),
  }),
  'models.embed': method({
    summary: 'L2-normalised embedding of one image (file path or base64 bytes) or one text.',
    input: z
      .object({
        model: z.string().min(1).max(80).optional(),
        image: z.union([z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ bytes: z.string().min(1).max(40_000_000) }).strict()]).optional(),
        text: z.string().max(10_000).optional(),
        provider: ProviderOrder.optional(),
      })
      .strict()
      .refine((v) => (v.image === undefined) !== (v.text === undefined), 'give exactly one of image or text'),
    output: z.object({
      model: z.string(),
      dim: z.number(),
      provider: z.string(),
      scoring: Scoring,
      vector: z.array(z.number()),
    }),
  }),
};
