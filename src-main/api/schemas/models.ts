import { z } from 'zod';
import { method } from '../method.js';

const ProviderName = z.enum(['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'cpu']);
/** A forced provider or order, e.g. "cpu" or "webgpu,cpu". */
const ProviderOrder = z.string().regex(/^[a-z]+(,[a-z]+)*$/, 'expected a provider or a comma-separated order, e.g. "webgpu,cpu"');

export const ModelListing = z.object({
  id: z.string(),
  name: z.string(),
  family: z.enum(['siglip', 'clip']).nullable(),
  dim: z.number().nullable(),
  variants: z.array(z.string()),
  variant: z.string().nullable(),
  sizeBytes: z.number(),
  demo: z.boolean(),
  source: z.enum(['installed', 'bundled', 'extra']),
  path: z.string(),
  status: z.enum(['ok', 'broken']),
  /** Why a broken pack cannot be used, naming the missing or corrupt file. */
  error: z.string().nullable(),
  isDefault: z.boolean(),
});
export type ModelListing = z.infer<typeof ModelListing>;

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
