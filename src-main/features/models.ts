import fs from 'node:fs/promises';
import { ApiError } from '../api/errors.js';
import type { Handler } from '../api/handler.js';

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
};
