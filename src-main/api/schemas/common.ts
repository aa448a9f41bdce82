import { z } from 'zod';
import { PROGRESS_PHASES, type Progress as ProgressShape } from '../../shared/progress.js';

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');

/** An image given to a query: a file on disk, uploaded bytes (base64), or an image already in the catalog. */
export const ImageRef = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z
    .object({ bytes: z.string().min(1).max(40_000_000), name: z.string().max(512).optional() })
    .strict(),
  z.object({ sha256: Sha256 }).strict(),
]);
export type ImageRef = z.infer<typeof ImageRef>;

/** Progress of a long call (shared/progress.ts), as it travels to the UI and the CLI. */
export const Progress: z.ZodType<ProgressShape> = z.object({
  phase: z.enum(PROGRESS_PHASES),
  done: z.number(),
  total: z.number().optional(),
  cached: z.number().optional(),
  failed: z.number().optional(),
  ratePerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
  message: z.string().optional(),
});
export type Progress = ProgressShape;
