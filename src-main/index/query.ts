/**
 * Image + text query: q = normalise((1 - w) · image + w · text), both inputs L2-normalised.
 *
 * Why a weighted sum of unit vectors: cosine with a sum is the same weighted sum of the two
 * cosines (up to one positive factor per query, which changes no ranking), so w reads as "how
 * much the text counts" and each part is ranked by the similarity the model was trained for.
 * Both inputs must be unit length first, or the longer one would dominate whatever w says.
 * Image-image cosines of a product run far higher than image-text ones (SigLIP/CLIP: ~0.8 vs
 * ~0.1-0.3), so w around 0.5-0.7 is where a text like "in red" starts to reorder results.
 * w = 0 is the image query, w = 1 the text query. Re-normalising keeps scores cosines.
 */
export function combineQuery(image: Float32Array | undefined, text: Float32Array | undefined, textWeight: number): Float32Array {
  if (!image && !text) throw new Error('a query needs an image, a text or both');
  if (!image) return normalise(Float32Array.from(text as Float32Array));
  if (!text) return normalise(Float32Array.from(image));
  if (image.length !== text.length) throw new Error(`image and text vectors differ in size (${image.length} vs ${text.length})`);
  if (!(textWeight >= 0 && textWeight <= 1)) throw new Error(`text weight must be between 0 and 1, got ${textWeight}`);
  const a = normalise(Float32Array.from(image));
  const b = normalise(Float32Array.from(text));
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - textWeight) * (a[i] as number) + textWeight * (b[i] as number);
  return normalise(out);
}

/** Scales to unit length in place; a zero vector (opposite inputs at w = 0.5) is an error. */
export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  if (!(s > 1e-12)) throw new Error('the query vector is zero: the image and the text cancel out at this weight');
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
  return v;
}
