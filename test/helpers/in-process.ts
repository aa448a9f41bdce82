import type { MethodName, MethodOutput } from '../../src-main/api/contract.js';
import { handlers } from '../../src-main/dispatch/handlers.js';
import { invoke } from '../../src-main/dispatch/invoke.js';
import type { Services } from '../../src-main/features/services.js';
import type { Progress } from '../../src-main/shared/progress.js';

/**
 * An API caller that runs methods in this process, through the same handler table and contract
 * checks as IPC, HTTP and the CLI. `services` is read at each call, so a suite may open its
 * catalog in beforeAll.
 */
export function inProcessCaller(services: () => Services) {
  return <M extends MethodName>(method: M, input: unknown, progress: (p: Progress) => void = () => {}, signal = new AbortController().signal) =>
    invoke(handlers, method, input, { services: services(), progress, signal }) as Promise<MethodOutput<M>>;
}
