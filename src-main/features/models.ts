import fs from 'node:fs/promises';
import { ApiError } from '../api/errors.js';
import type { Handler } from '../api/handler.js';
import { PackError } from '../engine/pack.js';
import { ImageDecodeError } from '../engine/preprocess.js';
import { BadInputError, NotFoundError } from '../engine/registry.js';

/** Engine errors to API errors with the same one-line message. */
function apiError(err: unknown): unknown {
  if (err instanceof ApiError || (err instanceof Error && err.name === 'AbortError')) return err;
  if (err instanceof NotFoundError) return new ApiError('not_found', err.message);
  if (err instanceof BadInputError || err instanceof ImageDecodeError) return new ApiError('bad_request', err.message);
  if (err instanceof PackError) return new ApiError('unavailable', err.message);
  if (err instanceof Error && /unknown execution provider|unknown model variant/.test(err.message)) return new ApiError('bad_request', err.message);
  return err instanceof Error ? new ApiError('failed', err.message) : err;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw apiError(err);
  }
}

export const modelsList: Handler<'models.list'> = (input, { services }) =>
  guarded(async () => {
    const registry = services.models;
    const { models, defaultModel } = await registry.list();
    return { models, defaultModel, provider: await registry.providerReport(input.provider) };
  });

export const modelsInstall: Handler<'models.install'> = (input, { services, progress, signal }) =>
  guarded(async () => {
    const model = await services.models.install(input.source, { id: input.id, variant: input.variant, signal, progress });
    return { model };
  });

export const modelsRemove: Handler<'models.remove'> = (input, { services }) =>
  guarded(async () => {
    await services.models.remove(input.id);
    return { removed: input.id };
  });

export const modelsEmbed: Handler<'models.embed'> = (input, { services, signal }) =>
  guarded(async () => {
    const embedder = await services.models.embedder(input.model, { provider: input.provider });
    let vector: Float32Array;
    if (input.text !== undefined) [vector] = (await embedder.embedTexts([input.text], { signal })) as [Float32Array];
    else {
      const image = input.image!;
      const bytes =
        'path' in image
          ? await fs.readFile(image.path).catch(() => {
              throw new ApiError('bad_request', `cannot read image file ${image.path}`);
            })
          : Buffer.from(image.bytes, 'base64');
      [vector] = (await embedder.embedImages([bytes], { signal })) as [Float32Array];
    }
    return { model: embedder.id, dim: embedder.dim, provider: embedder.provider, scoring: embedder.scoring, vector: Array.from(vector) };
  });
