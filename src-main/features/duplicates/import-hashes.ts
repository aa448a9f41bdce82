import type { ImageAnalyzer } from '../../catalog/image-analyzer.js';
import { type ImageHashes, computeImageHashes } from '../../engine/image-hash.js';
import type { DuplicateStore } from './store.js';

/**
 * The duplicate finder's per-image signals (perceptual hashes, alignment signature), computed by
 * the import from each new image's bytes and stored with the image, so that the first duplicates
 * run on a freshly imported catalog hashes nothing. Images imported without it (older catalogs, an
 * image whose hashing failed) are hashed by the duplicates preparation job (duplicates.prepare,
 * started when a page lists jobs), or by the finder on first use when that job has not run.
 */
export function hashesAtImport(store: DuplicateStore): ImageAnalyzer<ImageHashes> {
  return {
    name: 'duplicate hashes',
    analyze: (bytes) => computeImageHashes(bytes),
    store: (rows) => store.putHashes(rows.map(({ sha256, result }) => ({ sha256, hashes: result }))),
  };
}
