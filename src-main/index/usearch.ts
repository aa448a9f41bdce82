import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';

/**
 * usearch's ESM entry locates its native binary by parsing a stack trace, which recurses forever
 * on Node 20; its CommonJS entry uses __dirname and works everywhere (Node 20, Electron).
 */
export const usearch = createRequire(import.meta.url)('usearch') as typeof Usearch;
export type UsearchIndex = Usearch.Index;
