/**
 * Per-image work a layer above wants done at import, while a new image's bytes are in memory,
 * so that it never has to read the file again later (the duplicate finder's perceptual hashes,
 * say). The catalog knows nothing of what is computed: it runs `analyze` on each image new to the
 * catalog once the image has passed its checks (decoded, within the pixel limit), and hands the
 * results to `store` inside the write transaction that stores the image rows, so an image and its
 * results commit together. A throw leaves that image without a result: the owner computes what
 * is missing itself (as it must anyway for images imported before it had an analyzer).
 */
export interface ImageAnalyzer<T = unknown> {
  /** For error messages and logs. */
  readonly name: string;
  /** From the original file's bytes; `sha256` is the content's. */
  analyze(bytes: Uint8Array, sha256: string): Promise<T>;
  /** Writes a batch of results with the catalog's connection, within the import's transaction, after their image rows. */
  store(rows: ReadonlyArray<{ sha256: string; result: T }>): void;
}

/** One analyzer's result for one image, waiting to be written. */
export interface ImageAnalysis {
  analyzer: ImageAnalyzer;
  result: unknown;
}

/**
 * Every analyzer's result for one image's bytes, in the analyzers' order; an analyzer that throws
 * is left out (see ImageAnalyzer).
 */
export async function analyzeImage(analyzers: readonly ImageAnalyzer[], bytes: Uint8Array, sha256: string): Promise<ImageAnalysis[]> {
  const settled = await Promise.allSettled(analyzers.map((a) => a.analyze(bytes, sha256)));
  return settled.flatMap((s, i) => (s.status === 'fulfilled' ? [{ analyzer: analyzers[i] as ImageAnalyzer, result: s.value }] : []));
}
