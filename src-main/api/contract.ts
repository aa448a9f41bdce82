// api/: the one typed contract (zod schemas of every method's input and output, error codes on the
// wire). Imported by every process and, for its types, by the renderer bundle; it runs nothing and
// imports nothing of ours but shared/. The implementations live in features/, the table in dispatch/.
import type { z } from 'zod';
import { appMethods } from './schemas/app.js';
import { catalogMethods } from './schemas/catalog.js';
import { compareMethods } from './schemas/compare.js';
import { duplicatesMethods } from './schemas/duplicates.js';
import { jobsMethods } from './schemas/jobs.js';
import { imagesMethods } from './schemas/images.js';
import { mismatchMethods } from './schemas/mismatch.js';
import { modelDefaultMethods } from './schemas/model-default.js';
import { modelsMethods } from './schemas/models.js';
import { searchMethods } from './schemas/search.js';

/** The one API contract: every front door (IPC, HTTP, CLI) calls these methods and nothing else. */
export const contract = {
  ...appMethods,
  ...catalogMethods,
  ...jobsMethods,
  ...imagesMethods,
  ...duplicatesMethods,
  ...mismatchMethods,
  ...compareMethods,
  ...modelsMethods,
  ...modelDefaultMethods,
  ...searchMethods,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<Contract[M]['output']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}
