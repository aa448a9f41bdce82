import { BadInputError } from './errors.js';
/**
 * ONNX weight variants as Transformers.js names them: `onnx/<tower>_model<suffix>.onnx`.
 * The order below is the preference on CPU: fp32 is fastest and exact there, 8-bit weights are
 * smaller but drift, and fp16 is slow on ORT's CPU provider (casts around every op).
 */
export const VARIANT_SUFFIXES = {
  fp32: '',
  quantized: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  bnb4: '_bnb4',
  fp16: '_fp16',
  q4f16: '_q4f16',
} as const;

export type Variant = keyof typeof VARIANT_SUFFIXES;

export const CPU_VARIANT_PREFERENCE = Object.keys(VARIANT_SUFFIXES) as Variant[];
/** GPUs run fp16 natively; prefer it right after fp32 there. */
export const GPU_VARIANT_PREFERENCE: Variant[] = ['fp32', 'fp16', 'quantized', 'int8', 'uint8', 'q4f16', 'q4', 'bnb4'];

export function isVariant(v: string): v is Variant {
  return Object.hasOwn(VARIANT_SUFFIXES, v);
}

export function towerFile(tower: 'vision' | 'text' | 'combined', variant: Variant): string {
  const base = tower === 'combined' ? 'model' : `${tower}_model`;
  return `onnx/${base}${VARIANT_SUFFIXES[variant]}.onnx`;
}

/** The variant to use: the requested one if installed, else the first installed by preference. */
export function pickVariant(installed: Variant[], requested: string | undefined, gpu = false): Variant {
  if (requested) {
    if (!isVariant(requested)) throw new BadInputError(`unknown model variant "${requested}" (known: ${Object.keys(VARIANT_SUFFIXES).join(', ')})`);
    if (!installed.includes(requested)) throw new Error(`variant "${requested}" is not installed in this pack (installed: ${installed.join(', ') || 'none'})`);
    return requested;
  }
  const order = gpu ? GPU_VARIANT_PREFERENCE : CPU_VARIANT_PREFERENCE;
  const best = order.find((v) => installed.includes(v));
  if (!best) throw new Error('no ONNX variant with both vision and text towers is installed');
  return best;
}
