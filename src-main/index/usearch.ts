import type * as Usearch from 'usearch';
import { lazyRequire } from '../shared/lazy-require.js';

/**
 * usearch's ESM entry locates its native binary by parsing a stack trace, which recurses forever
 * on Node 20; its CommonJS entry uses __dirname and works everywhere (Node 20, Electron).
 */
export const usearch = lazyRequire<typeof Usearch>(import.meta.url, 'usearch');
export type UsearchIndex = Usearch.Index;
