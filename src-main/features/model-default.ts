import { AppError } from '../shared/errors.js';
import type { Handler } from '../features/context.js';
import { NotFoundError } from '../engine/errors.js';

export const modelsSetDefault: Handler<'models.setDefault'> = async ({ id }, { services }) => {
  try {
    await services.models.setDefault(id);
  } catch (err) {
    throw new AppError(err instanceof NotFoundError ? 'not_found' : 'bad_request', (err as Error).message);
  }
  return { defaultModel: (await services.models.list()).defaultModel };
};
