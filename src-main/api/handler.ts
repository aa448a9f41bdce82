import { z } from 'zod';
import { catalogStorageError } from '../catalog/catalog.js';
import type { Services } from '../services.js';
import { type Contract, type MethodName, type MethodOutput, contract, isMethodName } from './contract.js';
import { ApiError } from './errors.js';
import type { Progress } from './schemas/common.js';

export interface CallContext {
  services: Services;
  progress: (p: Progress) => void;
  signal: AbortSignal;
}

export type Handler<M extends MethodName> = (
  input: z.output<Contract[M]['input']>,
  ctx: CallContext,
) => Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

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
  if (!isMethodName(name)) throw new ApiError('not_found', `unknown method "${name}"`);
  const parsed = contract[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) throw new ApiError('bad_request', `invalid input for ${name}: ${formatIssues(parsed.error)}`);
  ctx.signal.throwIfAborted();
  const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>;
  try {
    return await handler(parsed.data, ctx);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw catalogStorageError(ctx.services.dbPath, err, `${name} stopped; what was saved before is kept`) ?? err;
  }
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}
