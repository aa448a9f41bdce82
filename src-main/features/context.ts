import type { z } from 'zod';
import type { Contract, MethodName, MethodOutput } from '../api/contract.js';
import type { Progress } from '../shared/progress.js';
import type { Services } from './services.js';

/** What every method's implementation receives besides its input: the backend's state, a progress sink, a cancel signal. */
export interface CallContext {
  services: Services;
  progress: (p: Progress) => void;
  signal: AbortSignal;
}

/** The implementation of one API method, its input already checked against the contract. */
export type Handler<M extends MethodName> = (
  input: z.output<Contract[M]['input']>,
  ctx: CallContext,
) => Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
