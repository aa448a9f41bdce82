import { createRequire } from 'node:module';

/**
 * A package loaded on first use, synchronously, for libraries that only some calls need: a start
 * that never makes such a call (`lookalike embed`, the backend before its first search) does not
 * pay for loading them (test/unit/startup-modules.test.ts).
 */
export function lazyRequire<T>(from: string, name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(from)(name) as T);
}
