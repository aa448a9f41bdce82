import { z } from 'zod';
import { catalogStorageError } from '../catalog/storage-errors.js';
import { contract, isMethodName } from '../api/contract.js';
import type { CallContext, Handlers } from '../features/context.js';
import { AppError } from '../shared/errors.js';

/**
 * Validates the raw input against the contract, then runs the one implementation of the method.
 * A write refused by the storage under the catalog (read-only, full disk) that a feature did not
 * translate itself becomes the same one-line error the catalog gives.
 */
export async function invoke(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  ctx: CallContext,
): Promise<unknown> {
  if (!isMethodName(name)) throw new AppError('not_found', `unknown method "${name}"`);
  const parsed = contract[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new AppError('bad_request', `invalid input for ${name}: ${formatIssues(parsed.error)}`);
  ctx.signal.throwIfAborted();
  const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
  try {
    return await handler(parsed.data, ctx);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw catalogStorageError(ctx.services.dbPath, err, `${name} stopped; what was saved before is kept`) ?? err;
  }
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}
